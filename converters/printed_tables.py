"""Tables a PDF-text dump prints as text, rebuilt from what their format shows.

Job: a table printed rotated (turned across its pages) comes out of the dump one character per
line (`Line.rotated`: the cells' characters in reading order). A blank line falls inside a cell as
often as between two, and a row's number runs into its first cell (`1陶…`), so where a cell ends
is not in the dump; what the format does show is
- the rows: they are numbered 1, 2, 3… in order, and a row's number begins a printed piece (the
  characters after a blank line or a page start) and is not followed by another digit;
- the header: it is printed again at the top of the table's later pages, so the text before row 1
  that is repeated at a page start, just before a row, is the header; what comes before it is the
  table's caption (an attachment's 附件 and title);
- the pages: a page of the table begins at a row, at the repeated header, or at what the dump kept
  of the header (a few of its characters) just above a row. An indented line elsewhere (inside a
  cell: `73、 ⏎ 7 ⏎ 6、`) is no page start.

A table extracted one cell per line (structure.py's `_cell_per_line_table_at`: a run of short
lines among which several are lone numbers) is rebuilt only when its lines show the grid: a header
line of spaced heads above row 1; each row begins a line with its number, 1, 2, 3… in order; its
cells are the spaced parts of its lines, a cell wrapped onto further lines going on up to a blank
line; and every row has one cell per head. Otherwise (a row's number inside a line: cells of two
rows on one line; a row with more or fewer cells than the heads: cells printed once for several
rows, which the dump places anywhere in their span) it is kept line by line, and why is said.

Input and output:
- `read_rotated(glyphs)`: a rotated run's lines as `Glyph`s (text, whether a printed piece begins
  there, whether the dump may begin a page there) -> `RotatedTable` (caption, header, rows as
  [number, the rest of the row as printed], header repeats, the lines where a page certainly
  begins), or None when the rows cannot be found (numbers 1, 2… in order);
  `page_starts_in_rotated_run` is the reader's question, `rebuild_rotated_tables(paras, lines)`
  the structure stage's: each rotated Para it can read becomes its caption Paras and a table Para;
- `rebuild_cell_per_line_tables(paras, lines)`: each Para kept as a table's lines (`unparsed`)
  whose lines show the grid becomes its caption Para and a table Para; `cell_per_line_misfit`
  says why another could not be.

Guarantees: every character of a rebuilt table is in its caption, header, header repeats or rows,
in printed order, and a table that cannot be read is left as it was; nothing is guessed: a rotated
row's cells are not split into columns, which the dump does not show (the page says so), and a page
start is certain only where the table's own structure (a row, the header) begins.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from .model import Line, PageMark, Para
from .tables import split_rows

MIN_ROWS = 2  # rows 1 and 2 at least: a lone "1" numbers nothing
MIN_HEADER = 2  # characters: a repeated header is a name, not one character that happens to recur
ROTATED_TABLE_ROLE = "rotated-table"  # Block.role of a table rebuilt from a rotated run (render.py notes it)
ATTACHMENT_LABEL_RE = re.compile(r"^(附\s*件\s*\d*)\s*(\S.*)$", re.S)


@dataclass(frozen=True)
class Glyph:
    """One line of a rotated run: its one or two characters."""

    text: str
    breaks: bool  # a blank line comes before it: a printed piece begins (as it does at a page start)
    page_start: bool  # the dump may begin a page here (an indented line)


@dataclass
class Segment:
    """A stretch of the run: the caption, the header, a header repeat or a row."""

    kind: str  # caption | header | repeat | row
    start: int  # index of its first glyph
    text: str
    number: str = ""  # a row's printed number


@dataclass
class RotatedTable:
    segments: list[Segment]
    page_starts: list[int] = field(default_factory=list)  # glyph indices where a page certainly begins


def _offsets(glyphs: list[Glyph]) -> tuple[str, list[int]]:
    text, offsets = "", []
    for g in glyphs:
        offsets.append(len(text))
        text += g.text
    return text, offsets


def _number_at(text: str, at: int, number: str) -> bool:
    """`number` is printed at `at` as a whole number (no digit, decimal point on either side)."""
    end = at + len(number)
    return (text.startswith(number, at) and (at == 0 or not text[at - 1].isdigit())
            and (end == len(text) or not (text[end].isdigit() or text[end] in ".．")))


def _row_starts(text: str, pieces: list[int]) -> list[tuple[int, str]]:
    """(offset, number) of the rows 1, 2, 3… in order: each the first piece after the row before
    that begins with its number. Row 1 is the last piece begun by 1 before the first 2."""
    ones = [p for p in pieces if _number_at(text, p, "1")]
    two = next((p for p in pieces if ones and p > ones[0] and _number_at(text, p, "2")), None)
    if two is None:
        return []
    rows = [(max(p for p in ones if p < two), "1"), (two, "2")]
    k = bisect_left(pieces, two) + 1
    while k < len(pieces):
        number = str(len(rows) + 1)
        if _number_at(text, pieces[k], number):
            rows.append((pieces[k], number))
        k += 1
    return rows


def _header(text: str, first_row: int, rows: set[int], candidates: list[int]) -> int:
    """Length of the header: the longest end of the text before row 1 printed again from a page
    start up to a row. 0 when none is."""
    before = text[:first_row]
    best = 0
    for q in candidates:
        nxt = min((r for r in rows if r > q), default=None)
        if nxt is None:
            continue
        repeat = text[q:nxt]
        if len(repeat) >= MIN_HEADER and before.endswith(repeat):
            best = max(best, len(repeat))
    return best


def read_rotated(glyphs: list[Glyph]) -> RotatedTable | None:
    """The rows, header and certain page starts of a rotated run (see the module's docstring)."""
    text, offsets = _offsets(glyphs)
    pieces = [offsets[i] for i, g in enumerate(glyphs) if i == 0 or g.breaks or g.page_start]
    rows = _row_starts(text, pieces)
    if len(rows) < MIN_ROWS:
        return None
    starts = {at for at, _ in rows}
    first_row = rows[0][0]
    at_glyph = {offsets[i]: i for i in range(len(glyphs))}
    candidates = [offsets[i] for i, g in enumerate(glyphs) if g.page_start and offsets[i] > first_row]
    header_len = _header(text, first_row, starts, candidates)
    header = text[first_row - header_len:first_row] if header_len else ""

    # page starts inside the table: at a row, or at the header (or a remnant of it) above a row
    repeats: list[tuple[int, int]] = []  # (start, end) offsets of header text printed at a page start
    page_starts = [0] if glyphs and glyphs[0].page_start else []
    zone_end = -1
    for q in candidates:
        if q <= zone_end:
            continue  # the same page's head, already placed
        nxt = min((r for r in starts if r >= q), default=len(text))
        if q == nxt:
            page_starts.append(at_glyph[q])
        elif header and text.startswith(header, q):
            page_starts.append(at_glyph[q])
            repeats.append((q, q + len(header)))
            zone_end = q + len(header)
        elif header and text[q:nxt] in header:
            page_starts.append(at_glyph[q])
            repeats.append((q, nxt))
            zone_end = nxt

    segments: list[Segment] = []
    glyph_of = _glyph_index(offsets)
    if first_row - header_len > 0:
        segments.append(Segment("caption", 0, text[:first_row - header_len]))
    if header:
        segments.append(Segment("header", glyph_of(first_row - header_len), header))
    cuts = sorted([(at, "row") for at in starts] + [(a, "repeat") for a, _ in repeats]
                  + [(b, "continued") for _, b in repeats])
    ends = [at for at, _ in cuts[1:]] + [len(text)]
    number_of = dict(rows)
    for (at, kind), end in zip(cuts, ends):
        piece = text[at:end]
        if kind == "row":
            number = number_of[at]
            segments.append(Segment("row", glyph_of(at), piece[len(number):], number))
        elif kind == "repeat":
            segments.append(Segment("repeat", glyph_of(at), piece))
        elif piece:  # a row going on after the header repeated at a page start
            last_row = next(s for s in reversed(segments) if s.kind == "row")
            last_row.text += piece
    if any(not s.text for s in segments if s.kind == "row"):
        return None  # a number without a row: the rows do not fit
    return RotatedTable(segments, page_starts)


def _glyph_index(offsets: list[int]):
    """offset -> index of the glyph that holds that character."""
    return lambda at: bisect_right(offsets, at) - 1


def page_starts_in_rotated_run(lines: list[tuple[str, bool, bool]]) -> set[int] | None:
    """The reader's view of a rotated run: its non-blank lines as (text, a blank line before it,
    the dump may begin a page at it) -> the indices of those where a page certainly begins; None
    when the run is no table of numbered rows."""
    table = read_rotated([Glyph(text, blank, start) for text, blank, start in lines])
    return None if table is None else set(table.page_starts)


ROTATED_NOTE = ("此表在原文中为旋转排版，逐字提取：按原文的序号分行；提取的文字不显示各栏的分界，"
                "每行序号后的各栏按原文顺序连排。")


def rotated_paras(para: Para, lines: list[Line]) -> list[Para] | None:
    """A rotated run's Para -> its caption (an attachment's 附件 and title as two Paras) and the
    table: a Para with `cells` (the header, then [number, row text] per row, a header repeated
    at a page start as a one-cell row) and its page starts at their rows. None when the rows
    cannot be found."""
    run = _run_lines(para, lines)
    glyphs = [Glyph(ln.text, k == 0 or ln.lineno - run[k - 1].lineno > 1, ln.indented or ln.new_page)
              for k, ln in enumerate(run)]
    table = read_rotated(glyphs)
    if table is None:
        return None
    out: list[Para] = []
    cells: list[list[str]] = []
    marks: list[PageMark] = []
    first_table_line = None
    bounds = [seg.start for seg in table.segments] + [len(run)]
    for n, seg in enumerate(table.segments):
        first = run[seg.start]
        pages = [ln.page_start for ln in run[seg.start:bounds[n + 1]] if ln.page_start is not None]
        if seg.kind == "caption":
            m = ATTACHMENT_LABEL_RE.match(seg.text)
            for k, part in enumerate([m[1], m[2]] if m else [seg.text]):
                out.append(Para(text=part, lineno=first.lineno, new_page=first.new_page and k == 0,
                                pages=[PageMark(0, page) for page in pages] if k == 0 else []))
            continue
        if first_table_line is None:
            first_table_line = first.lineno
        marks += [PageMark(len(cells), page) for page in pages]
        cells.append([seg.text] if seg.kind in ("header", "repeat") else [seg.number, seg.text])
    out.append(Para(text="", lineno=first_table_line or para.lineno, cells=cells, pages=marks, rotated=True))
    return out


def _run_lines(para: Para, lines: list[Line]) -> list[Line]:
    """The rotated lines a Para joined: from its first line on, while they are rotated."""
    start = next(k for k, ln in enumerate(lines) if ln.lineno == para.lineno)
    end = start
    while end < len(lines) and lines[end].rotated:
        end += 1
    return lines[start:end]


def rebuild_rotated_tables(paras: list[Para], lines: list[Line]) -> list[Para]:
    """Every rotated run whose rows can be read, rebuilt (see rotated_paras); the others as they were."""
    out: list[Para] = []
    for para in paras:
        rebuilt = rotated_paras(para, lines) if para.rotated and para.cells is None else None
        out.extend(rebuilt if rebuilt is not None else [para])
    return out


ROW_LINE_RE = re.compile(r"^(\d{1,3})(?:[ \u3000]+(\S.*))?$")


def _para_lines(para: Para, lines: list[Line]) -> list[Line]:
    """The source lines a Para of joined paragraphs holds (its text without its line breaks)."""
    start = next(k for k, ln in enumerate(lines) if ln.lineno == para.lineno)
    size, end = len(para.text.replace("\n", "")), start
    while end < len(lines) and size > 0:
        size -= len(lines[end].text)
        end += 1
    return lines[start:end]


def _row_cells(row: list[Line], number: str) -> list[str]:
    """A row's cells: its number, the spaced parts of its lines; a line of one part goes on in the
    next line of one part printed without a blank line between (a wrapped cell)."""
    first = ROW_LINE_RE.match(row[0].text)
    cells = [number] + (split_rows([first[2]])[0] if first and first[2] else [])
    open_cell = False
    for k, ln in enumerate(row[1:], 1):
        parts = split_rows([ln.text])[0]
        if open_cell and len(parts) == 1 and ln.lineno == row[k - 1].lineno + 1:
            cells[-1] += parts[0]
            continue
        cells += parts
        open_cell = len(parts) == 1
    return cells


def _read_cell_per_line(para: Para, lines: list[Line]) -> tuple[list[Para] | None, str]:
    """A table kept as its lines (`Para.unparsed`) -> (its caption, if any, and a table Para: heads,
    then the rows' cells, its page starts at their rows; "") when its lines show the grid (see the
    module's docstring), else (None, why not, in a few words)."""
    run = _para_lines(para, lines)
    starts: list[int] = []
    for k, ln in enumerate(run):
        m = ROW_LINE_RE.match(ln.text)
        if m and int(m[1]) == len(starts) + 1:
            starts.append(k)
        elif m and starts and int(m[1]) > len(starts) + 1:
            return None, f"row {len(starts) + 1} does not begin a line (cells of two rows share one)"
    if len(starts) < MIN_ROWS:
        return None, "its rows are not numbered 1, 2, 3… at the start of their lines"
    following = re.compile(rf"(?<=\S)(?<![\d.．]){len(starts) + 1}[ \u3000]+\S")
    if any(following.search(ln.text) for ln in run[starts[-1]:]):
        return None, f"row {len(starts) + 1} does not begin a line (cells of two rows share one)"
    heads = split_rows([run[starts[0] - 1].text])[0] if starts[0] else []
    if len(heads) < 2:
        return None, "no line of column heads above row 1"
    bounds = list(zip(starts, starts[1:] + [len(run)]))
    rows = [_row_cells(run[a:b], str(n)) for n, (a, b) in enumerate(bounds, 1)]
    misfits = [row[0] for row in rows if len(row) != len(heads)]
    if misfits:
        named = (f"rows {', '.join(misfits[:6])}{'…' if len(misfits) > 6 else ''} do not have" if len(misfits) > 1
                 else f"row {misfits[0]} does not have")
        return None, (f"{named} one cell per column head ({len(heads)}): cells printed once for several rows, "
                      "which the dump places anywhere in their span")
    out = []
    caption = run[:starts[0] - 1]
    if caption:
        out.append(Para(text="".join(ln.text for ln in caption), lineno=caption[0].lineno,
                        pages=[PageMark(0, ln.page_start) for ln in caption if ln.page_start is not None]))
    head_line = run[starts[0] - 1]
    marks = [PageMark(0, head_line.page_start)] if head_line.page_start is not None else []
    for n, (a, b) in enumerate(bounds, 1):
        marks += [PageMark(n, ln.page_start) for ln in run[a:b] if ln.page_start is not None]
    out.append(Para(text="", lineno=head_line.lineno, cells=[heads] + rows, pages=marks))
    return out, ""


def rebuild_cell_per_line_tables(paras: list[Para], lines: list[Line]) -> list[Para]:
    """Every table kept as its lines whose lines show the grid, rebuilt (its caption, then the table)."""
    out: list[Para] = []
    for para in paras:
        rebuilt = _read_cell_per_line(para, lines)[0] if para.unparsed else None
        out.extend(rebuilt if rebuilt is not None else [para])
    return out


def cell_per_line_misfit(para: Para, lines: list[Line]) -> str:
    """Why a table kept as its lines could not be rebuilt, in a few words."""
    return _read_cell_per_line(para, lines)[1]
