"""Reader for PDF-text dumps (pdftotext-style `.txt`).

Guarantees on its output (SourceLines):
- one Line per non-blank source line, in source order, with its 1-based source line number;
- running headers and footers (`市政府文件` / `18 连云港市人民政府公报`) are removed and reported as
  Furniture; the category they name is reported in `categories`;
- `page` / `page_start` carry printed page numbers where the furniture shows them, extended to the
  unnumbered pages in between where the known numbers agree, or else counted from the known numbers
  on either side over page starts that are certain (see _number_pages);
- `soft_wrap` is True when a line runs to the column width (so the text goes on), per page, which
  handles two-column pages (the chronicle) as well as full-width ones; a short line with a heading
  label (一、, （一）, 第一章) ends there, even when it stops mid-sentence at a comma inside;
- `short_by` is how far (in em) a line stops short of its column: the reflow's width evidence;
- when the issue opens with a cover and a table of contents (entries `…………（3）` before the first
  document number), those pages are Furniture, up to the first page after the last entry; the
  cover's year, issue number and date are in `cover`, the entries (title, page, category) in `toc`;
- lines of a table extracted one character per line are flagged `rotated`;
- a line with tabs is a table row, its `cells` split at the tabs (the PDF extractor writes a tab
  where a gap crosses a table's rule);
- on pages that begin with a form feed, a page number alone or at either end of a page's first line
  (or second, below a header) is its folio when such numbers follow the pages' order (the PDF
  extractor writes a running head first, as header then folio).
Nothing else is removed: every other character of the source is in some Line.
"""

from __future__ import annotations

import re
from collections import Counter
from ..model import Furniture, Line, SourceLines, TocEntry
from ..printed_tables import page_starts_in_rotated_run
from ..text import (DATE_LINE_RE, DOC_NUMBER_LINE_RE, ISSUER_RE, SENTENCE_END, consecutive_runs, display_width,
                    fits_width, squeeze)
from .pdfmd import TOC_CATEGORY_RE, cover_facts

FOOTER_RE = re.compile(r"^(?:(?P<a>\d{1,3})\s*(?P<name>\S{2,16}公报)|(?P<name2>\S{2,16}公报)\s*(?P<b>\d{1,3}))$")
HEADER_MAX_WIDTH = 12
ROTATED_MAX_CHARS = 2
ROTATED_MIN_RUN = 30
FIGURES_ROW_RE = re.compile(r"\S\s+(?:-?\d+(?:\.\d+)?|[-—－])$")
HEADING_MAX_LINE_WIDTH = 30  # em: a numbered heading is short (a paragraph's first line runs on)
HEADING_LABEL_RE = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|第[一二三四五六七八九十百零〇\d]+[章节])")
# a contents entry: its title, leaders, its page (in brackets or not)
TOC_ENTRY_RE = re.compile(r"^(?P<title>.*?)\s*(?:\.{3,}|…{2,}|·{3,}|—{3,}|-{4,})\s*[（(]?\s*(?P<page>\d{1,3})\s*[)）]?$")
CONTENTS_HEADING_RE = re.compile(r"^目\s*录$")
# a page number alone (7, — 7 —, ·7·) or at either end of a running title
OPENING_FOLIO_RE = re.compile(r"^(?:[-—–·•]?\s*(\d{1,3})\s*[-—–·•]?|(\d{1,3})\s+\S.*|.*\S\s+(\d{1,3}))$")


def read(text: str, path: str, furniture_patterns: list[re.Pattern] | tuple = ()) -> SourceLines:
    raw = text.split("\n")
    furniture: list[Furniture] = []
    categories: list[tuple[int, str]] = []
    skip: set[int] = set()
    page_starts: dict[int, int | None] = {}  # raw index -> printed number (None: unknown)
    opening_folios = _opening_folios(raw)

    for i, line in enumerate(raw):
        stripped = line.strip()
        if stripped and any(p.search(stripped) for p in furniture_patterns):  # gazette.yml's
            skip.add(i)
            furniture.append(Furniture(stripped, i + 1))
            continue
        m = FOOTER_RE.match(stripped)
        if m:
            number = int(m["a"] or m["b"])
        elif i in opening_folios:
            number = opening_folios[i]
        else:
            continue
        start = i
        header = _header_before(raw, i)
        if header is not None and header not in skip:  # not the footer of the page before
            start = header
            skip.add(header)
            furniture.append(Furniture(raw[header].strip(), header + 1))
            categories.append((header + 1, raw[header].strip()))
        skip.add(i)
        furniture.append(Furniture(stripped, i + 1))
        page_starts[start] = number

    for i, line in enumerate(raw):
        # A page of the dump begins with a form feed (pdftotext) or, in dumps without form feeds,
        # with a line indented by one space by the PDF extractor (a line indented further is
        # indented text: a statistics row).
        if (line[:1] == "\f" or (line[:1] == " " and line[1:2] != " ")) and line.strip() \
                and i not in skip and i not in page_starts:
            page_starts[i] = None
    if raw and raw[0].strip() and 0 not in page_starts:
        page_starts[0] = None

    front_end = _front_matter_end(raw, page_starts)
    front = [i for i in range(front_end) if raw[i].strip() and i not in skip]
    toc = _contents(raw, front, page_starts)
    cover = cover_facts([raw[i] for i in front]) if front else {}
    skip.update(front)
    furniture = sorted(furniture + [Furniture(raw[i].strip(), i + 1) for i in front], key=lambda f: f.lineno)

    rotated = _rotated_lines(raw)
    numbers = _number_pages_with_rotated_tables(raw, rotated, page_starts)

    lines: list[Line] = []
    dump_page: list[int] = []  # ordinal of the dump page each Line is on
    page_of_start = dict(numbers)
    current_page: int | None = None
    pending_start: int | None = None
    new_page = False
    ordinal = 0
    for i, line in enumerate(raw):
        if i in page_of_start:
            current_page = page_of_start[i]
            pending_start = current_page
            new_page = True
            ordinal += 1
        if i in skip or not line.strip():
            continue
        # split the line, not its stripped text: empty cells at either end keep their places
        cells = [c.strip() for c in line.strip(" \f\r\u3000").split("\t")] if "\t" in line.strip() else None
        lines.append(Line(text=line.strip(), lineno=i + 1, page=current_page, cells=cells,
                          page_start=pending_start, rotated=i in rotated, new_page=new_page,
                          indented=i in page_starts))
        dump_page.append(ordinal)
        pending_start = None
        new_page = False

    _mark_soft_wraps(lines, dump_page)
    return SourceLines(path=path, format="pdf-text", lines=lines, furniture=furniture,
                       categories=categories, toc=toc, cover=cover)


def _front_matter_end(raw: list[str], page_starts: dict[int, int | None]) -> int:
    """Where the body begins after a cover and contents: the first page after the last contents
    entry printed before the first document number (a 预案 may list contents of its own, which
    are text); 0 when the issue has no contents or its pages are not known."""
    last_entry = -1
    for i, line in enumerate(raw):
        text = line.strip()
        if DOC_NUMBER_LINE_RE.match(text):
            break
        if TOC_ENTRY_RE.match(text):
            last_entry = i
    later = [start for start in page_starts if start > last_entry]
    return min(later) if last_entry >= 0 and later else 0


def _contents(raw: list[str], front: list[int], page_starts: dict[int, int | None]) -> list[TocEntry]:
    """The contents entries, under their category (【市政府文件】); an entry's title wrapped onto a
    second line begins on the line above."""
    toc: list[TocEntry] = []
    category: str | None = None
    above = ""  # the line above on the same page, when it is neither an entry nor a heading
    for i in front:
        text = raw[i].strip()
        if i in page_starts:
            above = ""
        cat = TOC_CATEGORY_RE.match(text.replace(" ", ""))
        entry = TOC_ENTRY_RE.match(text)
        if cat:
            category, above = cat["name"], ""
        elif entry and squeeze(above + entry["title"]):
            toc.append(TocEntry(title=squeeze(above + entry["title"]), page=int(entry["page"]), category=category,
                                lineno=i + 1))
            above = ""
        else:
            above = "" if CONTENTS_HEADING_RE.match(text.replace("\u3000", " ")) else text
    return toc


def _opening_folios(raw: list[str]) -> dict[int, int]:
    """Page numbers opening form-feed pages (the first line, or the second after a one-line header),
    alone or beside a running title in another form than `…公报 7`, when they follow the pages'
    order: at least two and most of them one page number apart per page. A table's figures or a
    line of text at the top of a page do not. {raw index: page number}"""
    candidates: list[tuple[int, int, int, str]] = []  # (raw index, number, number - page ordinal, the rest)
    ordinal = 0
    for i, line in enumerate(raw):
        if line.startswith("\f"):
            ordinal += 1
        m = OPENING_FOLIO_RE.match(line.strip())
        number = m and (m[1] or m[2] or m[3])
        if not number or number.startswith("0"):
            continue
        j = i - 1
        while j >= 0 and not raw[j].strip():
            j -= 1
        if line.startswith("\f") or (j >= 0 and raw[j].startswith("\f") and _header_before(raw, i) == j):
            rest = line.strip().replace(number, "#", 1) if m[1] is None else "#"
            candidates.append((i, int(number), int(number) - ordinal, rest))
    if not candidates:
        return {}
    offset, count = Counter(off for _, _, off, _ in candidates).most_common(1)[0]
    if count < 2 or count < 0.5 * len(candidates):
        return {}
    # and each form of folio repeats (a heading `附件 3` that happens to fall in line does not)
    forms = Counter(rest for _, _, off, rest in candidates if off == offset)
    return {i: number for i, number, off, rest in candidates if off == offset and forms[rest] >= 2}


def _header_before(raw: list[str], i: int) -> int | None:
    """The running header stands alone just above the page-number line. A signature's issuer or
    date can stand there too (a document ending at the foot of a page): those are body text."""
    j = i - 1
    while j >= 0 and j >= i - 3 and not raw[j].strip():
        j -= 1
    if j < 0 or j < i - 3:
        return None
    text = raw[j].strip()
    if DATE_LINE_RE.match(text) or ISSUER_RE.match(text.replace(" ", "")):
        return None
    if fits_width(text, HEADER_MAX_WIDTH) and not any(c in text for c in SENTENCE_END + "，、；：:,"):
        return j
    if j == i - 1 and raw[j].startswith("\f"):
        return j  # a page's first line right above its folio: a running head of any length
    return None


def _number_pages(starts: list[tuple[int, int | None]], doubtful: set[int] = frozenset()
                  ) -> list[tuple[int, int | None]]:
    """Give each dump page its printed number where the known numbers make it certain.

    Pages run in order, so a page k places after a page known to be n is n+k, as long as the
    next known page agrees (no page was lost or added in between). When they disagree, pages are
    still counted on from the known number before and back from the one after, but only over page
    starts that are not in doubt (`doubtful`: an indented line inside a rotated table may be a
    page start or a centred character): the pages between stay unnumbered.
    """
    known = [(k, num) for k, (_, num) in enumerate(starts) if num is not None]
    result: list[tuple[int, int | None]] = []
    for k, (idx, num) in enumerate(starts):
        if num is None:
            before = next(((kk, n) for kk, n in reversed(known) if kk < k), None)
            after = next(((kk, n) for kk, n in known if kk > k), None)
            agree = before and after and before[1] - before[0] == after[1] - after[0]
            counted = set()
            if before and (agree or not any(starts[kk][0] in doubtful for kk in range(before[0] + 1, k + 1))):
                counted.add(before[1] + k - before[0])
            if after and (agree or not any(starts[kk][0] in doubtful for kk in range(k, after[0]))):
                counted.add(after[1] - (after[0] - k))
            if len(counted) == 1:
                num = counted.pop()
                if num < 1 or (before and num <= before[1]) or (after and num >= after[1]):
                    num = None
        result.append((idx, num))
    return result


def _number_pages_with_rotated_tables(raw: list[str], rotated: set[int], page_starts: dict[int, int | None]
                                      ) -> list[tuple[int, int | None]]:
    """Page numbers where rotated tables may hide page starts. An indented line inside a rotated
    run is a page start when the table's structure begins there (printed_tables: a row, or the
    header repeated above one) and none elsewhere (inside a cell). When the known folios on either
    side agree with the page starts found so, the pages are numbered; otherwise every indented
    line of the run stays a page start in doubt (see _number_pages)."""
    doubtful = _inside_rotated_runs(raw, rotated)
    starts = sorted(page_starts.items())
    certain: set[int] = set()
    rejected: set[int] = set()
    for run in consecutive_runs(sorted(rotated)):
        kept = [i for i in run if raw[i].strip()]
        found = page_starts_in_rotated_run(
            [(raw[i].strip(), k > 0 and not raw[i - 1].strip(), i in page_starts) for k, i in enumerate(kept)])
        if found is not None:
            found = set(found)
            certain |= {kept[k] for k in found}
            rejected |= {i for k, i in enumerate(kept) if i in doubtful and k not in found}
    if certain:
        numbers = _number_pages([s for s in starts if s[0] not in rejected], doubtful - certain - rejected)
        if all(number is not None for i, number in numbers if i in certain):
            return numbers
    return _number_pages(starts, doubtful - certain)


def _inside_rotated_runs(raw: list[str], rotated: set[int]) -> set[int]:
    """Lines of a rotated table after its first: an indent there does not tell a page start."""
    out: set[int] = set()
    previous = None
    for i, line in enumerate(raw):
        if not line.strip():
            continue
        if i in rotated and previous in rotated:
            out.add(i)
        previous = i
    return out


def _rotated_lines(raw: list[str]) -> set[int]:
    """Indices of long runs of one- or two-character lines: a rotated table."""
    out: set[int] = set()
    run: list[int] = []

    def flush() -> None:
        if len(run) >= ROTATED_MIN_RUN:
            out.update(range(run[0], run[-1] + 1))

    for i, line in enumerate(raw):
        text = line.strip()
        if not text:
            continue
        if len(text) <= ROTATED_MAX_CHARS:
            run.append(i)
        else:
            flush()
            run = []
    flush()
    return out


def _mark_soft_wraps(lines: list[Line], dump_page: list[int]) -> None:
    """A line that reaches its column's width is hard-wrapped text that goes on."""
    widths = [display_width(ln.text) for ln in lines]
    body = sorted(w for w in widths if w >= 10)
    full_width = body[int(len(body) * 0.9)] if body else 0
    # Group lines by page (a page's lines share a layout: full width or two columns).
    groups: dict[int, list[int]] = {}
    for idx, ordinal in enumerate(dump_page):
        groups.setdefault(ordinal, []).append(idx)
    for group in groups.values():
        page_widths = sorted(widths[i] for i in group if widths[i] >= 6)
        column = full_width
        if page_widths:
            p90 = page_widths[int(len(page_widths) * 0.9)]
            near = sum(1 for w in page_widths if abs(w - p90) <= 2)
            if p90 < 0.8 * full_width and near >= max(6, 0.4 * len(page_widths)):
                column = p90  # a narrower column layout, e.g. the two-column chronicle
        threshold = column - 4.5  # a paragraph's first line is indented two characters
        for i in group:
            ln = lines[i]
            ln.soft_wrap = (column > 0 and not ln.rotated and ln.cells is None and "  " not in ln.text
                            and _goes_on(ln.text, widths[i], column, threshold))
            if column > 0 and not ln.rotated and ln.cells is None and "  " not in ln.text:
                ln.short_by = max(0.0, column - widths[i])


def _goes_on(text: str, width: float, column: float, threshold: float) -> bool:
    """Does the text of this line go on in the next one?"""
    if text.endswith(("，", "、")):
        return True  # no sentence ends with a comma
    if FIGURES_ROW_RE.search(text):
        return False  # a row of figures (指标 2528.40 2.0) ends at its last figure, however narrow its page
    if width >= threshold:
        return True
    if HEADING_LABEL_RE.match(text) and width <= HEADING_MAX_LINE_WIDTH:
        return False  # a short numbered line is a heading, even with a comma inside: （一）完善…，满足…
    # A fairly long line that stops in mid-word was wrapped, not ended.
    return width >= 0.6 * column and (text[-1].isalnum() or "\u4e00" <= text[-1] <= "\u9fff")
