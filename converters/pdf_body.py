"""A PDF page's body -> its lines of text in reading order.

Input: a `Page` whose running head is set apart; output: its lines: rows top to bottom, a two-column
page column by column (a row crossing the gutter closes the columns above it), a row inside a ruled
table as its cells, tab-separated (a cell's text wrapped within the same rules joining its row), and
a row's characters joined as printed (`join_chars`: no space between adjacent characters, spaces for
a wider gap than the line's usual spacing or for a space the PDF has).
"""

from __future__ import annotations

import bisect
import itertools
import statistics

from .pdf_page import Char, Page, Row

SPACE_GAP_EM = 0.15  # a narrower gap between two characters is kerning or justification


def body_lines(page: Page) -> list[str]:
    rows = page.rows
    if not rows:
        return []
    gutter = _gutter(page)
    if gutter is None:
        return _with_table_rows(rows, page)
    g0, g1 = gutter
    out: list[str] = []
    left: list[str] = []
    right: list[str] = []
    for row in rows:
        if any(c.x1 > g0 + 1 and c.x0 < g1 - 1 for c in row.chars):  # crosses the gutter: full width
            out += left + right
            left, right = [], []
            out.append(_line(row.chars, row, page))
            continue
        lchars = [c for c in row.chars if c.x1 <= g0 + 1]
        rchars = [c for c in row.chars if c.x0 >= g1 - 1]
        if lchars:
            left.append(_line(lchars, row, page))
        if rchars:
            right.append(_line(rchars, row, page))
    return out + left + right


def _gutter(page: Page) -> tuple[float, float] | None:
    """The blank strip between two columns of text, if the page is set in two columns: a strip near
    the middle that nearly no row crosses, with most of the left column's lines running most of the
    way to it (text wrapped at a column's width; a table's ragged first column does not), Chinese
    text on its right (not a table's figures) and no table rules across it."""
    rows = [r for r in page.rows if len(r.chars) > 1]
    if len(rows) < 10:
        return None
    size = statistics.median(r.size for r in rows)
    lo = min(r.x0 for r in rows)
    hi = max(r.x1 for r in rows)
    width = hi - lo
    if width < 20 * size:
        return None
    # How many rows cross each point (1 pt apart) of the middle 40 % of the text's width.
    start, bins = lo + 0.3 * width, int(0.4 * width)
    change = [0] * (bins + 1)
    for r in rows:
        for a, b in _merged([(c.x0, c.x1) for c in r.chars], size):
            first, last = max(0, int(a - start) + 1), min(bins, int(b - start) + 1)
            if first < last:
                change[first] += 1
                change[last] -= 1
    crossing = list(itertools.accumulate(change[:bins]))
    best: tuple[float, float] | None = None
    run_start = None
    for k, n in enumerate(crossing + [len(rows)]):
        free = n <= 0.1 * len(rows)
        if free and run_start is None:
            run_start = k
        elif not free and run_start is not None:
            a, b = start + run_start, start + k - 1
            if b - a >= 0.8 * size and (best is None or b - a > best[1] - best[0]):
                best = (a, b)
            run_start = None
    if best is None:
        return None
    g0, g1 = best
    left_ends = [max(c.x1 for c in r.chars if c.x1 <= g0 + 1) for r in rows if any(c.x1 <= g0 + 1 for c in r.chars)]
    right_rows = [r for r in rows if any(c.x0 >= g1 - 1 for c in r.chars)]
    if len(left_ends) < 5 or len(right_rows) < 5:
        return None
    column_edge = sorted(left_ends)[int(0.9 * len(left_ends))]
    if statistics.median(left_ends) - lo < 0.75 * (column_edge - lo):
        return None  # most lines stop short of the column's edge: a table's ragged first column
    right_chars = [c.ch for r in right_rows for c in r.chars if c.x0 >= g1 - 1]
    if sum(1 for ch in right_chars if "\u4e00" <= ch <= "\u9fff") < 0.5 * len(right_chars):
        return None  # figures beside their labels: a table's columns
    across = [h for h in page.hrules if h[1] < g0 and h[2] > g1]
    if len(across) >= 2:
        return None  # a ruled table's column boundary, not a gutter
    return best


def _merged(spans: list[tuple[float, float]], size: float) -> list[tuple[float, float]]:
    """Characters closer than an em run together (a word, a line of text)."""
    out: list[list[float]] = []
    for a, b in spans:
        if out and a - out[-1][1] < size:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def _line(chars: list[Char], row: Row, page: Page) -> str:
    return join_chars(chars, row.size, sorted(x for x, y0, y1 in page.vrules if y0 - 2 <= row.y <= y1 + 2))


def _with_table_rows(rows: list[Row], page: Page) -> list[str]:
    """The lines of a one-column page. A row inside a ruled table is written as its cells, tab-separated
    (an empty cell keeps its place), and a cell's text wrapped onto more lines within the same rules
    (no horizontal rule between them) joins its row: one line per printed table row."""
    out: list[str] = []
    table: tuple[list[float], float, list[str]] | None = None  # rules, baseline, cells of the open row
    for row in rows:
        rules = sorted({round(x, 1) for x, y0, y1 in page.vrules if y0 - 2 <= row.y <= y1 + 2})
        # two cells at least: a frame around the text (one "cell") is no table
        inside = len(rules) >= 3 and rules[0] < row.x0 and row.x1 < rules[-1]
        if not inside:
            out.append(_line(row.chars, row, page))
            table = None
            continue
        cells: list[list[Char]] = [[] for _ in rules[1:]]
        for c in row.chars:
            cells[max(0, bisect.bisect(rules, (c.x0 + c.x1) / 2) - 1)].append(c)
        texts = [join_chars(chars, row.size, []) if chars else "" for chars in cells]
        across = [y for y, x0, x1 in page.hrules if x0 <= rules[0] + 1 and x1 >= rules[-1] - 1]
        # the same printed row: the same rules, no rule since its last line, a rule closing it soon
        # below (a table ruled by columns only has a line per row)
        same_row = table is not None and len(table[0]) == len(rules) and all(
            abs(a - b) <= 1 for a, b in zip(table[0], rules)) and not any(
            row.y < y < table[1] for y in across) and any(row.y - 3 * row.size < y < row.y for y in across)
        if same_row:
            merged = [a + b for a, b in zip(table[2], texts)]
            out[-1] = "\t".join(merged)
            table = (rules, row.y, merged)
        else:
            out.append("\t".join(texts))
            table = (rules, row.y, texts)
    return out


def join_chars(chars: list[Char], size: float, rules: list[float]) -> str:
    """The characters of one line as text: a tab where a gap crosses a vertical rule (a table cell
    boundary), spaces for a gap wider than the line's usual spacing (justified text spaces all its
    characters out a little), a quarter em each, and for a space the PDF has."""
    gaps = [cur.x0 - prev.x1 for prev, cur in zip(chars, chars[1:])]
    usual = max(0.0, statistics.median(gaps)) if len(gaps) >= 3 else 0.0
    out = [chars[0].ch]
    for prev, cur, gap in zip(chars, chars[1:], gaps):
        wide = gap - usual
        crossed = sum(1 for x in rules if prev.x1 - 1 <= x <= cur.x0 + 1) if gap > 0 else 0
        if crossed:
            out.append("\t" * crossed)  # one boundary per rule: empty cells keep their places
        elif wide >= SPACE_GAP_EM * size or prev.space_after:
            out.append(" " * max(1, round(wide / (0.25 * size))))
        out.append(cur.ch)
    return "".join(out).strip(" ")
