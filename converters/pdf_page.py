"""A PDF page -> its characters in rows and its rules, as PDFium (pypdfium2) reads them.

Input: one pypdfium2 page; output: a `Page` whose rows (characters on one baseline, top to bottom,
each left to right; a character overprinted for bold kept once) give each character's box, baseline
and size, with the straight vertical and horizontal strokes of the page's paths (a table's rules).
Text set turned by quarter-turns is a `Page` of its own in `Page.turned`, in the frame in which it
reads left to right; text at a slant (a watermark), text off the page and the spaces PDFium infers
are left out. CJK compatibility ideographs and Kangxi radicals are unified (`unify`).
"""

from __future__ import annotations

import ctypes
import functools
import math
import statistics
import unicodedata
from dataclasses import dataclass, field

import pypdfium2.raw as pdfium_c

QUARTER = math.pi / 2


def unify(text: str) -> str:
    """CJK compatibility ideographs and Kangxi radicals -> unified ideographs; nothing else changes."""
    return "".join(unicodedata.normalize("NFKC", ch) if 0xF900 <= ord(ch) <= 0xFAFF or 0x2F00 <= ord(ch) <= 0x2FDF
                   else ch for ch in text)


@dataclass
class Char:
    ch: str
    x0: float
    x1: float
    y: float  # baseline
    size: float
    space_after: bool = False  # the PDF has a space character after it (PDFium reports one for a run)


@dataclass
class Row:
    y: float
    chars: list[Char] = field(default_factory=list)

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
class Page:
    rows: list[Row]
    height: float
    bottom: float
    vrules: list[tuple[float, float, float]]  # (x, y0, y1)
    hrules: list[tuple[float, float, float]]  # (y, x0, x1)
    head: list[list[str]] = field(default_factory=list)  # the running head: [header items, folio items]
    turned: list["Page"] = field(default_factory=list)  # text set turned, each direction in its own frame


def read_page(page) -> Page:
    left, bottom, right, top = page.get_bbox()
    textpage = page.get_textpage()
    by_turn: dict[int, list[Char]] = {}  # characters by quarter-turns of their reading direction
    previous: Char | None = None
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
            previous = Char(ch, min(x for x, _ in corners), max(x for x, _ in corners),
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
        turned.append(Page(rows=_rows(by_turn[quarter]), height=t_top - t_bottom, bottom=t_bottom,
                            vrules=t_vrules, hrules=t_hrules))
    return Page(rows=_rows(by_turn.get(0, [])), height=top - bottom, bottom=bottom, vrules=vrules, hrules=hrules,
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


def _rows(chars: list[Char]) -> list[Row]:
    """Characters on one baseline (within a third of their size) form a row; rows top to bottom."""
    rows: list[Row] = []
    for c in sorted(chars, key=lambda c: (-c.y, c.x0)):
        if rows and abs(rows[-1].y - c.y) <= 0.35 * max(c.size, rows[-1].chars[0].size):
            rows[-1].chars.append(c)
        else:
            rows.append(Row(c.y, [c]))
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

