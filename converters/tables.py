"""Tables as printed: a row's cells from its spacing, and the grid's row and column spans.

A table is kept as the grid of cells *as printed*: a cell that spans several rows or columns appears
once, in its top-left position, and the positions it covers are absent (so rows may be shorter).
`Table.spans` lists (row, col, rowspan, colspan) for every cell whose span is more than one, `col`
being the cell's index in its printed row. What the printed table leaves open (a row that does not
fill the header) is kept as printed and reported in `Table.doubts`, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import combinations

from .text import squeeze

GAP_RE = re.compile(r"[ \u3000]+")
ROW_NUMBER_RE = re.compile(r"^\d{1,3}$")
NUMBER_RE = re.compile(r"^[-+]?\d+(?:\.\d+)?%?$")
CJK_RE = re.compile(r"[\u4e00-\u9fff]")
# A column head is a name: it never carries a clause's punctuation (总召集人：胡建军 is a row).
NOT_A_HEAD_RE = re.compile(r"[：:，,。；;]")
LABEL_RE = re.compile(r"^([\u4e00-\u9fff]{1,6}[：:])(\S.*)$")
MAX_PLACED_COLUMNS = 12  # placing a short row tries every choice of its columns: bounded


def _gap_width(gap: str) -> float:
    return sum(1.0 if ch == "\u3000" else 0.5 for ch in gap)


def split_rows(texts: list[str]) -> list[list[str]]:
    """Cells of rows flattened to spaced text. A space is a cell boundary, except the padding
    that spreads a two-character name (or label) to the width of three (`陈  中`, `成  员：`): a
    gap of at most one em after a single Chinese character, in a table whose cells are set
    further apart than that."""
    gaps = [_gap_width(m[0]) for text in texts for m in GAP_RE.finditer(text.strip())]
    widest = max(gaps, default=0.0)
    rows = []
    for text in texts:
        text = text.strip()
        cells: list[str] = []
        last = 0
        for m in GAP_RE.finditer(text):
            piece = text[last:m.start()]
            name = re.split(r"[：:]", piece)[-1]  # 成员：陈  中: the name after a label
            padding = (_gap_width(m[0]) <= 1 < widest and len(name) == 1 and CJK_RE.match(name)
                       and CJK_RE.match(text[m.end():m.end() + 1]))
            if padding:
                continue  # the next piece goes on in this cell; `last` stays at its start
            cells.append(squeeze(text[last:m.start()]))
            last = m.end()
        cells.append(squeeze(text[last:]))
        rows.append([c for c in cells if c])
    return rows


@dataclass
class Table:
    rows: list[list[str]]
    head_rows: int = 1
    spans: list[tuple[int, int, int, int]] = field(default_factory=list)
    doubts: list[str] = field(default_factory=list)  # what the printed table leaves open, one sentence each


def _kind(cell: str) -> str:
    if NUMBER_RE.match(cell):
        return "number"
    return "text" if not re.search(r"\d", cell) else "mixed"


def _column_kinds(rows: list[list[str]], width: int) -> list[str]:
    """Each column's usual kind of cell (number, text, mixed), from the rows that fill every column."""
    kinds = []
    for col in range(width):
        seen = [_kind(r[col]) for r in rows if len(r) == width]
        kinds.append(max(set(seen), key=seen.count) if seen else "text")
    return kinds


def _data_start(rows: list[list[str]]) -> int | None:
    """Index of the first body row when the rows are numbered 1, 2, 3… in their first cell."""
    numbered = [i for i, r in enumerate(rows) if r and ROW_NUMBER_RE.match(r[0])]
    if len(numbered) < 2 or rows[numbered[0]][0] != "1" or rows[numbered[1]][0] != "2":
        return None
    return numbered[0]


def shape(rows: list[list[str]], head_rows: int = 1) -> Table:
    """A table's printed rows -> its grid with spans.

    When the rows are numbered (1, 2, 3… in the first cell), the rows above the first one are the
    header (a header of one cell spans every column); a header printed on several lines whose last line holds fewer heads is a two-row header
    whose last line sits under one head (a colspan), the others spanning both rows. A numbered row
    short of cells, whose cells fit the columns only with a text column left out, continues the cell
    above in that column (a rowspan: 地点 printed once for several rows). A lone cell between
    numbered rows is a group label across the table. Without numbered rows, the first row is the
    header when its cells look like heads.
    """
    rows = [list(r) for r in rows]
    start = _data_start(rows)
    if start is None:
        labelled = _label_column(rows)
        if labelled is not None:
            return labelled
        if head_rows and rows and any(NOT_A_HEAD_RE.search(c) for c in rows[0]):
            head_rows = 0
        return Table(rows, head_rows)
    body = rows[start:]
    numbered = [r for r in body if r and ROW_NUMBER_RE.match(r[0])]
    width = max(len(r) for r in numbered)
    kinds = _column_kinds(numbered, width)
    table = Table(rows, start)
    columns = width
    if start >= 2:
        header = _two_row_header(rows[:start], kinds)
        if header is None:
            table.doubts.append("a header printed on several lines could not be read as rows of heads")
        else:
            head, spans, columns = header
            table.rows = head + body
            table.head_rows = len(head)
            table.spans += spans
    elif start == 1 and len(rows[0]) == 1 and width > 1:
        table.spans.append((0, 0, 1, width))  # one head over every column
    _body_spans(table, width, kinds, columns)
    return table


def _label_column(rows: list[list[str]]) -> Table | None:
    """A list of people under role labels (召集人：吴海云 | 副市长, then 徐家保 | 副市长): the label is
    printed once for the rows below it, so it is a column of its own whose cell spans those rows.
    Only when the first row is labelled and every row has the same number of cells."""
    if len(rows) < 2 or len({len(r) for r in rows}) != 1 or not rows[0] or not LABEL_RE.match(rows[0][0]):
        return None
    out: list[list[str]] = []
    spans: list[list[int]] = []
    for row in rows:
        m = LABEL_RE.match(row[0])
        if m:
            out.append([m[1], m[2], *row[1:]])
            spans.append([len(out) - 1, 0, 1, 1])
        else:
            out.append(row)
            spans[-1][2] += 1
    if len(spans) < 2 or len(spans) == len(rows):
        return None  # one label over every row (a heading), or a label on each (part of the cell)
    return Table(out, 0, [(r, c, rs, cs) for r, c, rs, cs in spans if rs > 1])


def _two_row_header(head: list[list[str]], kinds: list[str]
                    ) -> tuple[list[list[str]], list[tuple[int, int, int, int]], int] | None:
    """A header printed on several lines as two rows of heads, their spans and the column count.
    The last line's heads (线路左侧, 线路右侧) sit under the one upper head whose columns below hold
    the same kind of cell, not text; None when no head or more than one could be it."""
    top = [c for line in head[:-1] for c in line]
    sub = head[-1]
    k = len(sub)
    if k < 2:
        return None
    candidates = []
    for p in range(len(top)):
        below = kinds[p:p + k]
        if len(below) == k and len(set(below)) == 1 and below[0] != "text":
            candidates.append(p)
    if len(candidates) != 1:
        return None
    p = candidates[0]
    spans = [(0, i, 2, 1) if i != p else (0, i, 1, k) for i in range(len(top))]
    return [top, list(sub)], spans, len(top) - 1 + k


def _placement(cells: list[str], kinds: list[str]) -> tuple[int, ...]:
    """The columns a numbered row's cells stand in (its first cell in column 0), chosen so that the
    cells' kinds match the columns' and the columns left out come first where they are text."""
    width = len(kinds)
    best, best_score = None, None
    for cols in combinations(range(1, width), len(cells) - 1):
        placed = (0, *cols)
        match = sum(_kind(c) == kinds[col] for c, col in zip(cells, placed))
        inner_missing = [c for c in range(placed[-1]) if c not in placed]
        score = (match, -sum(kinds[c] != "text" for c in inner_missing), -sum(inner_missing))
        if best_score is None or score > best_score:
            best, best_score = placed, score
    return best or tuple(range(len(cells)))


def _body_spans(table: Table, width: int, kinds: list[str], columns: int) -> None:
    """Spans of the body rows (after the header): group labels across the table, and the cells a
    numbered row leaves out continuing the cell above (only in text columns, only before the row's
    last cell: a row short at its end is kept from the left and doubted)."""
    rows = table.rows
    origin: dict[int, tuple[int, int]] = {}  # column -> (row, index in row) of the cell there
    short: list[str] = []
    spans: dict[tuple[int, int], list[int]] = {}
    for r in range(table.head_rows, len(rows)):
        cells = rows[r]
        if not cells:
            continue
        if not ROW_NUMBER_RE.match(cells[0]):
            if len(cells) == 1 and columns > 1:
                spans[(r, 0)] = [1, columns]  # a group label across the table
            origin.clear()  # nothing spans over a label
            continue
        if len(cells) > width or width > MAX_PLACED_COLUMNS:
            origin.clear()
            continue
        placed = _placement(cells, kinds) if len(cells) < width else tuple(range(width))
        for col in range(placed[-1]):
            if col in placed:
                continue
            if col in origin and kinds[col] == "text":
                spans.setdefault(origin[col], [1, 1])[0] += 1
            else:
                short.append(cells[0])
                break
        if len(placed) < width and placed[-1] < width - 1 and cells[0] not in short:
            short.append(cells[0])
        for index, col in enumerate(placed):
            origin[col] = (r, index)
    table.spans += [(r, c, rs, cs) for (r, c), (rs, cs) in sorted(spans.items()) if rs > 1 or cs > 1]
    if short:
        rows_named = f"rows {', '.join(short)} have" if len(short) > 1 else f"row {short[0]} has"
        table.doubts.append(f"{rows_named} fewer cells than the columns: kept from the left")
