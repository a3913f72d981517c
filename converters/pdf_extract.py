"""A gazette issue's PDF -> its text in the PDF-text form that `readers/pdftext.py` reads.

`extract(data, name)` reads the PDF's text layer with PDFium (pypdfium2) from the characters'
positions, not from the order a producer happened to write them in. Guarantees on the text:
- every page begins with one form feed, and no line begins with a space (the reader takes a line
  indented by one space for a page start);
- a page's running head comes first, as two lines: the header (the category, e.g. 市政府文件) and
  the folio with the running title most pages repeat (`连云港市人民政府公报 7`, or the bare number
  `7`, `— 7 —`). A running head is the first or last row of a page, in its margin band, whose text
  repeats at the same place on other pages or whose number follows the page order; set apart from
  the body (a rule, a wider gap) two pages suffice, else it must repeat on many; a row set apart
  where other pages' running heads stand is one too (a category printed on one page only). Running
  text on a page without a folio is left out;
- the body follows in reading order: rows top to bottom; a two-column page (the chronicle) is read
  column by column, a row that crosses the gutter (a centred title) closing the columns above it;
  text set turned (a wide table across a portrait page) follows, read in its own direction;
- characters of one row are joined as printed: no space between adjacent characters, spaces for a
  gap wider than the line's usual spacing; a row inside a ruled table is its cells, tab-separated,
  a cell's text wrapped within the same rules joining its row (one line per printed row);
- CJK compatibility ideographs (U+F900–FAFF) and Kangxi radicals (U+2F00–2FDF), which PDF fonts often
  map characters to, are replaced by their unified characters (NFKC on those ranges only);
- the same PDF gives byte-identical text, so its SHA-256 stands for the text filed.
A PDF that needs a password, is damaged, or has no text layer (a scan) is refused with a
ConversionError of one sentence naming the file.
"""

from __future__ import annotations

import bisect
import ctypes
import functools
import hashlib
import itertools
import math
import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .model import ConversionError

PDF_MAGIC = b"%PDF-"
MARGIN_BAND = 0.12  # share of the page height at the top and bottom where running heads stand
FOLIO_RE = re.compile(r"^[-—–·•]?\s*(\d{1,3})\s*[-—–·•]?$")  # a bare page number: 7, — 7 —, ·7·
# the page number in a running head: the item itself, or a word at its start or end
FOLIO_NUMBER_RE = re.compile(r"^\d{1,3}(?=\s)|(?<=\s)\d{1,3}$|^\d{1,3}$")
FOLIO_ITEM_RE = re.compile(r"^\d{1,3}\s|\s\d{1,3}$")  # a page number beside the running title
ITEM_GAP_EM = 2.0  # a gap this wide splits a margin row into items (header | folio)
SPACE_GAP_EM = 0.15  # a narrower gap between two characters is kerning or justification
SCANNED_SHARE = 0.5  # refused when more than this share of pages has no text
QUARTER = math.pi / 2


def is_pdf(data: bytes) -> bool:
    """PDF readers accept the header anywhere in the first KB (some files start with junk)."""
    return PDF_MAGIC in data[:1024]


def unify(text: str) -> str:
    """CJK compatibility ideographs and Kangxi radicals -> unified ideographs; nothing else changes."""
    return "".join(unicodedata.normalize("NFKC", ch) if 0xF900 <= ord(ch) <= 0xFAFF or 0x2F00 <= ord(ch) <= 0x2FDF
                   else ch for ch in text)


@dataclass(frozen=True)
class Extracted:
    text: str
    pages: int
    sha256: str


@dataclass
class _Char:
    ch: str
    x0: float
    x1: float
    y: float  # baseline
    size: float
    space_after: bool = False  # the PDF has a space character after it (PDFium reports one for a run)


@dataclass
class _Row:
    y: float
    chars: list[_Char] = field(default_factory=list)

    @property
    def x0(self) -> float:
        return self.chars[0].x0

    @property
    def x1(self) -> float:
        return max(c.x1 for c in self.chars)

    @functools.cached_property
    def size(self) -> float:  # read once the row is complete
        return statistics.median(c.size for c in self.chars)


@dataclass
class _Page:
    rows: list[_Row]
    height: float
    bottom: float
    vrules: list[tuple[float, float, float]]  # (x, y0, y1)
    hrules: list[tuple[float, float, float]]  # (y, x0, x1)
    head: list[list[str]] = field(default_factory=list)  # the running head: [header items, folio items]
    turned: list["_Page"] = field(default_factory=list)  # text set turned, each direction in its own frame


def extract(data: bytes, name: str) -> Extracted:
    """The PDF's text in the PDF-text form; ConversionError (one sentence) when it cannot be read."""
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise ConversionError(f"{name} is an encrypted PDF that needs a password to open; "
                                  f"add the unprotected PDF.") from None
        raise ConversionError(f"{name} is a damaged PDF that cannot be read ({_reason(exc)}); "
                              f"download it again.") from None
    try:
        pages = [_read_page(pdf[i]) for i in range(len(pdf))]
    except pdfium.PdfiumError as exc:
        raise ConversionError(f"{name} is a damaged PDF: a page cannot be read ({_reason(exc)}); "
                              f"download it again.") from None
    finally:
        pdf.close()
    if not pages:
        raise ConversionError(f"{name} is a PDF without pages.")
    textless = sum(1 for p in pages if not p.rows and not p.turned)
    if textless > SCANNED_SHARE * len(pages):
        raise ConversionError(f"{name} has no text layer on {textless} of its {len(pages)} pages: it is a scanned "
                              f"PDF, and OCR is not supported (add a PDF with a text layer).")
    _find_running_heads(pages)
    text = "".join(_page_text(p) for p in pages)
    return Extracted(text=text, pages=len(pages), sha256=hashlib.sha256(data).hexdigest())


def _reason(exc: Exception) -> str:
    """PDFium's own words (`Failed to load document (PDFium: Data format error).` -> data format error)."""
    m = re.search(r"PDFium: ([^)]*)", str(exc))
    return (m[1] if m else str(exc).rstrip(".")).lower()


# --- characters, rows and rules -------------------------------------------------------------------

def _read_page(page) -> _Page:
    left, bottom, right, top = page.get_bbox()
    textpage = page.get_textpage()
    by_turn: dict[int, list[_Char]] = {}  # characters by quarter-turns of their reading direction
    previous: _Char | None = None
    rect = pdfium_c.FS_RECTF()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    try:
        for i in range(pdfium_c.FPDFText_CountChars(textpage.raw)):
            if pdfium_c.FPDFText_IsGenerated(textpage.raw, i) == 1:
                continue  # spaces and line ends PDFium inferred: the positions say it better
            code = pdfium_c.FPDFText_GetUnicode(textpage.raw, i)
            if code in (0, 0xFFFE, 0xFFFF) or code > 0x10FFFF:
                continue
            ch = chr(code)
            if ch.isspace() and ch != "\u3000":  # the full-width space is a printed glyph (第一条　…)
                if previous is not None and ch == " ":
                    previous.space_after = True
                continue
            angle = pdfium_c.FPDFText_GetCharAngle(textpage.raw, i)
            quarter = round(angle / QUARTER) if angle >= 0 else 0
            if abs(angle - quarter * QUARTER) > 0.05 and angle >= 0:
                continue  # set at a slant: a watermark across the page, not its text
            if not pdfium_c.FPDFText_GetLooseCharBox(textpage.raw, i, rect):
                continue
            pdfium_c.FPDFText_GetCharOrigin(textpage.raw, i, ox, oy)
            if not (left <= (rect.left + rect.right) / 2 <= right and bottom <= oy.value <= top):
                continue  # off the page (cropped away)
            quarter %= 4
            corners = [_turn(quarter, x, y) for x in (rect.left, rect.right) for y in (rect.bottom, rect.top)]
            size = rect.right - rect.left if quarter % 2 else rect.top - rect.bottom
            if size <= 0:
                continue
            if 0x2F00 <= code <= 0x2FDF or 0xF900 <= code <= 0xFAFF:
                ch = unify(ch)
            previous = _Char(ch, min(x for x, _ in corners), max(x for x, _ in corners),
                             _turn(quarter, ox.value, oy.value)[1], size)
            by_turn.setdefault(quarter, []).append(previous)
        vrules, hrules = _rules(page)
    finally:
        textpage.close()
    turned = []
    for quarter in sorted(set(by_turn) - {0}):
        # text set turned (a wide table printed across the page) is read in its own frame
        corners = [_turn(quarter, x, y) for x in (left, right) for y in (bottom, top)]
        t_bottom, t_top = min(y for _, y in corners), max(y for _, y in corners)
        t_vrules: list = []
        t_hrules: list = []
        for x, y0, y1 in vrules:
            _add_rule(*_turn(quarter, x, y0), *_turn(quarter, x, y1), t_vrules, t_hrules)
        for y, x0, x1 in hrules:
            _add_rule(*_turn(quarter, x0, y), *_turn(quarter, x1, y), t_vrules, t_hrules)
        turned.append(_Page(rows=_rows(by_turn[quarter]), height=t_top - t_bottom, bottom=t_bottom,
                            vrules=t_vrules, hrules=t_hrules))
    return _Page(rows=_rows(by_turn.get(0, [])), height=top - bottom, bottom=bottom, vrules=vrules, hrules=hrules,
                 turned=turned)


def _turn(quarter: int, x: float, y: float) -> tuple[float, float]:
    """A point in the frame in which text turned by `quarter` quarter-turns (PDFium counts them
    clockwise) reads left to right, line below line."""
    if quarter == 1:  # reading down the page, lines to the left
        return -y, x
    if quarter == 2:
        return -x, -y
    if quarter == 3:  # reading up the page, lines to the right
        return y, -x
    return x, y


def _rows(chars: list[_Char]) -> list[_Row]:
    """Characters on one baseline (within a third of their size) form a row; rows top to bottom."""
    rows: list[_Row] = []
    for c in sorted(chars, key=lambda c: (-c.y, c.x0)):
        if rows and abs(rows[-1].y - c.y) <= 0.35 * max(c.size, rows[-1].chars[0].size):
            rows[-1].chars.append(c)
        else:
            rows.append(_Row(c.y, [c]))
    for row in rows:
        row.chars.sort(key=lambda c: (c.x0, c.x1))
        # a character printed twice, a hair apart, is one (bold faked by overprinting)
        kept = [row.chars[0]]
        for c in row.chars[1:]:
            if c.ch == kept[-1].ch and c.x0 - kept[-1].x0 < 0.3 * c.size:
                continue
            kept.append(c)
        row.chars = kept
    return rows


def _rules(page) -> tuple[list, list]:
    """Straight vertical and horizontal strokes of the page's paths: the rules of tables and heads."""
    vrules, hrules = [], []
    x, y = ctypes.c_float(), ctypes.c_float()
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=3):
        m = obj.get_matrix()
        points: list[tuple[float, float, int]] = []
        for k in range(pdfium_c.FPDFPath_CountSegments(obj.raw)):
            seg = pdfium_c.FPDFPath_GetPathSegment(obj.raw, k)
            if not pdfium_c.FPDFPathSegment_GetPoint(seg, x, y):
                continue
            px, py = m.a * x.value + m.c * y.value + m.e, m.b * x.value + m.d * y.value + m.f
            kind = pdfium_c.FPDFPathSegment_GetType(seg)
            if kind == pdfium_c.FPDF_SEGMENT_LINETO and points:
                (qx, qy, _) = points[-1]
                _add_rule(qx, qy, px, py, vrules, hrules)
            points.append((px, py, kind))
            if pdfium_c.FPDFPathSegment_GetClose(seg):
                start = next((p for p in reversed(points) if p[2] == pdfium_c.FPDF_SEGMENT_MOVETO), points[0])
                _add_rule(px, py, start[0], start[1], vrules, hrules)
    return vrules, hrules


def _add_rule(x0: float, y0: float, x1: float, y1: float, vrules: list, hrules: list) -> None:
    if abs(x0 - x1) < 1 and abs(y0 - y1) >= 4:
        vrules.append(((x0 + x1) / 2, min(y0, y1), max(y0, y1)))
    elif abs(y0 - y1) < 1 and abs(x0 - x1) >= 4:
        hrules.append(((y0 + y1) / 2, min(x0, x1), max(x0, x1)))


# --- running heads and folios --------------------------------------------------------------------

def _items(row: _Row) -> list[str]:
    """A margin row split at wide gaps: `市政府文件` | `连云港市人民政府公报 7`."""
    groups: list[list[_Char]] = [[row.chars[0]]]
    size = row.size
    for prev, cur in zip(row.chars, row.chars[1:]):
        if cur.x0 - prev.x1 >= ITEM_GAP_EM * size:
            groups.append([cur])
        else:
            groups[-1].append(cur)
    return [_join(g, size, []) for g in groups]


def _margin_rows(page: _Page) -> list[tuple[int, bool]]:
    """The rows that may be a running head: the first and the last row of the page, within the
    margin bands, each with whether it is set apart from the body (by a rule, or by more than the
    body's line pitch: a body line at the foot of a full page is not). The row below a head is body,
    even where it repeats (a table's column heads continued on the next page)."""
    rows = page.rows
    if len(rows) < 2:
        return []
    pitches = [a.y - b.y for a, b in zip(rows, rows[1:]) if a.y - b.y > 0]
    pitch = statistics.median(pitches) if pitches else 0

    def apart(upper: _Row, lower: _Row) -> bool:
        return upper.y - lower.y > 1.3 * pitch or any(lower.y < y < upper.y for y, _, _ in page.hrules)

    out: list[tuple[int, bool]] = []
    if rows[0].y >= page.bottom + (1 - MARGIN_BAND) * page.height:
        out.append((0, apart(rows[0], rows[1])))
    last = len(rows) - 1
    if rows[last].y <= page.bottom + MARGIN_BAND * page.height:
        out.append((last, apart(rows[last - 1], rows[last])))
    return out


def _folio_number(item: str) -> int | None:
    m = FOLIO_RE.match(item)
    return int(m[1]) if m and not m[1].startswith("0") else None


def _is_folio(item: str) -> bool:
    return _folio_number(item) is not None or bool(FOLIO_ITEM_RE.search(item))


def _key(item: str) -> str:
    """An item with its page number masked: `连云港市人民政府公报 #` repeats from page to page."""
    return FOLIO_NUMBER_RE.sub("#", item)


def _find_running_heads(pages: list[_Page]) -> None:
    """Mark each page's running head: margin rows holding text that repeats at the same height on
    another page, or a folio whose number follows the page order. The rows are moved from the
    body to `head` (a list of items per row)."""
    candidates: list[list[tuple[int, bool, list[str]]]] = []
    seen: Counter = Counter()
    offsets: Counter = Counter()

    def place(page: _Page, k: int, item: str) -> tuple:
        """Where a row stands: its band and its distance from that edge of the page, 3 pt apart."""
        y = page.rows[k].y
        if y > page.bottom + page.height / 2:
            return "top", round((page.bottom + page.height - y) / 3), _key(item)
        return "bottom", round((y - page.bottom) / 3), _key(item)

    for ordinal, page in enumerate(pages):
        rows = [(k, apart, _items(page.rows[k])) for k, apart in _margin_rows(page)]
        candidates.append(rows)
        for k, _, items in rows:
            seen.update({place(page, k, item) for item in items if _folio_number(item) is None})
            offsets.update(n - ordinal for n in map(_folio_number, items) if n is not None)
    folio_offsets = {off for off, n in offsets.items() if n >= 2}
    # Text repeated at a row set apart from the body is a running head; a row not set apart must
    # repeat on many pages (a signature can end two full pages at the same height).
    often = max(2, 0.3 * len(pages))
    head_rows: list[set[int]] = []
    for ordinal, (page, rows) in enumerate(zip(pages, candidates)):
        head_rows.append(set())
        for k, apart, items in rows:
            repeats = max((seen[place(page, k, i)] for i in items if _folio_number(i) is None), default=0)
            folio = any(n is not None and n - ordinal in folio_offsets for n in map(_folio_number, items))
            if folio or repeats >= often or (apart and repeats >= 2):
                head_rows[-1].add(k)
    # A header printed on one page only (the chronicle's 大事记) stands where the running heads of
    # the other pages stand, set apart from the body, on a page whose folio was found.
    positions = {place(page, k, "")[:2] for page, ks in zip(pages, head_rows) for k in ks}
    for page, rows, ks in zip(pages, candidates, head_rows):
        if ks:
            ks.update(k for k, apart, _ in rows if apart and place(page, k, "")[:2] in positions)
    for page, ks in zip(pages, head_rows):
        page.head = [_items(page.rows[k]) for k in sorted(ks)]
        page.rows = [r for k, r in enumerate(page.rows) if k not in ks]
    # A bare page number is written with the running title beside it, as the reader knows a folio
    # (`连云港市人民政府公报 7`), wherever each stands; the header is the text that varies most from
    # page to page (the category). The running title ends in 公报, or repeats more, or is longer.
    counts = Counter(_key(i) for p in pages for row in p.head for i in row)
    for page in pages:
        items = [i for row in page.head for i in row]
        number = next((i for i in items if _is_folio(i)), None)
        if number is None:
            page.head = []
            continue
        others = [i for i in items if i != number]
        if _folio_number(number) is None or len(others) < 2:
            page.head = [others, [number]]
            continue
        ranked = sorted(others, key=lambda i: (i.endswith("公报"), counts[_key(i)], len(i)))
        page.head = [ranked[:1], [i for i in others if i not in ranked[:1]] + [number]]


def _page_text(page: _Page) -> str:
    lines: list[str] = []
    if page.head:
        header, folio = page.head
        if header:
            lines.append(" ".join(header))
        lines.append(" ".join(folio))
    lines += _body_lines(page)
    for turned in page.turned:
        lines += _body_lines(turned)
    return "\f" + "\n".join(lines) + "\n"


# --- body: columns and lines ---------------------------------------------------------------------

def _body_lines(page: _Page) -> list[str]:
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


def _gutter(page: _Page) -> tuple[float, float] | None:
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


def _line(chars: list[_Char], row: _Row, page: _Page) -> str:
    return _join(chars, row.size, sorted(x for x, y0, y1 in page.vrules if y0 - 2 <= row.y <= y1 + 2))


def _with_table_rows(rows: list[_Row], page: _Page) -> list[str]:
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
        cells: list[list[_Char]] = [[] for _ in rules[1:]]
        for c in row.chars:
            cells[max(0, bisect.bisect(rules, (c.x0 + c.x1) / 2) - 1)].append(c)
        texts = [_join(chars, row.size, []) if chars else "" for chars in cells]
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


def _join(chars: list[_Char], size: float, rules: list[float]) -> str:
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
