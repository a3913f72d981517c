"""A PDF's running heads: found across its pages and set apart from each page's body.

Input: every `Page` of the PDF, its rows top to bottom; output: each page's running head moved from
`Page.rows` to `Page.head` as [header items, folio items] (a bare page number with the running title
beside it), and no head on a page without a folio. What is a running head: see pdf_extract.py.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter

from .pdf_body import join_chars
from .pdf_page import Char, Page, Row

MARGIN_BAND = 0.12  # share of the page height at the top and bottom where running heads stand
FOLIO_RE = re.compile(r"^[-—–·•]?\s*(\d{1,3})\s*[-—–·•]?$")  # a bare page number: 7, — 7 —, ·7·
# the page number in a running head: the item itself, or a word at its start or end
FOLIO_NUMBER_RE = re.compile(r"^\d{1,3}(?=\s)|(?<=\s)\d{1,3}$|^\d{1,3}$")
FOLIO_ITEM_RE = re.compile(r"^\d{1,3}\s|\s\d{1,3}$")  # a page number beside the running title
ITEM_GAP_EM = 2.0  # a gap this wide splits a margin row into items (header | folio)


def _items(row: Row) -> list[str]:
    """A margin row split at wide gaps: `市政府文件` | `连云港市人民政府公报 7`."""
    groups: list[list[Char]] = [[row.chars[0]]]
    size = row.size
    for prev, cur in zip(row.chars, row.chars[1:]):
        if cur.x0 - prev.x1 >= ITEM_GAP_EM * size:
            groups.append([cur])
        else:
            groups[-1].append(cur)
    return [join_chars(g, size, []) for g in groups]


def _margin_rows(page: Page) -> list[tuple[int, bool]]:
    """The rows that may be a running head: the first and the last row of the page, within the
    margin bands, each with whether it is set apart from the body (by a rule, or by more than the
    body's line pitch: a body line at the foot of a full page is not). The row below a head is body,
    even where it repeats (a table's column heads continued on the next page)."""
    rows = page.rows
    if len(rows) < 2:
        return []
    pitches = [a.y - b.y for a, b in zip(rows, rows[1:]) if a.y - b.y > 0]
    pitch = statistics.median(pitches) if pitches else 0

    def apart(upper: Row, lower: Row) -> bool:
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


def find_running_heads(pages: list[Page]) -> None:
    """Mark each page's running head: margin rows holding text that repeats at the same height on
    another page, or a folio whose number follows the page order. The rows are moved from the
    body to `head` (a list of items per row)."""
    candidates: list[list[tuple[int, bool, list[str]]]] = []
    seen: Counter = Counter()
    offsets: Counter = Counter()

    def place(page: Page, k: int, item: str) -> tuple:
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

