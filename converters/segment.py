"""Segmenter: an issue's SourceLines -> its documents (RawDocument), in published order.

A document starts at a title block: the short title lines just above a document number standing
on its own line (连政办发〔2018〕160号), or a statistics title (…主要经济指标), or a chronicle
title (…大事记), or a title listed in the issue's table of contents. Signature blocks (issuer line +
date line) are taken out of the text first and given to the document they belong to, wherever the
PDF placed them.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from .model import Line, RawDocument, Signature, SourceLines
from .text import (DATE_LINE_RE, DOC_NUMBER_LINE_RE, ISSUER_RE, MARKER_RE, fits_width, iso_date,
                   normalise_doc_number, squeeze)

STATISTICS_TITLE_RE = re.compile(r"(?:19|20)\d{2}\s*年.{0,12}?月份?.{0,8}指标$")
CHRONICLE_TITLE_RE = re.compile(r"大事记$")
TITLE_MAX_WIDTH = 32
TITLE_MAX_LINES = 6
TOC_WORD = "目录"
TOC_MATCH_RATIO = 0.85
# Document types a title ends with; what follows in the title block is the enclosed text's title.
TITLE_SUFFIXES = ("通知", "决定", "意见", "通告", "公告", "批复", "命令", "函", "报告", "通报",
                  "规定", "办法", "方案", "细则", "条例", "规则", "纪要", "公报", "决议", "令")


def segment(source: SourceLines) -> list[RawDocument]:
    lines, signatures = _take_signatures(source.lines)
    starts = _document_starts(lines, source)
    docs: list[RawDocument] = []
    for n, (start, kind, title_len, number_at) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        body_from = (number_at + 1) if number_at is not None else start + title_len
        title_lines = lines[start:start + title_len]
        doc = RawDocument(kind=kind, title_lines=title_lines, lines=lines[body_from:end])
        if number_at is not None:
            doc.doc_number_line = lines[number_at]
            m = DOC_NUMBER_LINE_RE.match(lines[number_at].text)
            doc.doc_number = normalise_doc_number(m["prefix"], m["year"], m["num"])
            title_lines, extra = _split_title(title_lines)
            doc.title_lines = title_lines
            # Lines between the title and the number: the enclosed text's title, and a 目录 line.
            for ln in extra + lines[start + title_len:number_at]:
                if squeeze(ln.text) == TOC_WORD:
                    doc.toc_marker_text = ln.text
                else:
                    doc.enclosure_title_lines.append(ln)
        docs.append(doc)
    if docs and starts[0][0] > 0:
        # Text before the first title (a truncated source, an unknown preface) is kept, with the
        # first document, so that nothing is lost; the structure stage reports it.
        docs[0].preamble = lines[:starts[0][0]]
    _assign_signatures(docs, signatures, lines, starts)
    _assign_categories(docs, source)
    return docs


def _is_issuer(text: str) -> bool:
    return fits_width(text, 24) and bool(ISSUER_RE.match(squeeze(text)))


def _take_signatures(lines: list[Line]) -> tuple[list[Line], list[tuple[int, Signature]]]:
    """Remove issuer+date blocks; return the rest and (index in the rest, signature) pairs."""
    rest: list[Line] = []
    found: list[tuple[int, Signature]] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and j - i < 3 and _is_issuer(lines[j].text) and not lines[j].heading:
            j += 1
        if j > i and j < len(lines) and DATE_LINE_RE.match(lines[j].text):
            issuers = [squeeze(ln.text) for ln in lines[i:j]]
            sig = Signature(issuer="、".join(issuers), date=iso_date(lines[j].text) or "",
                            lineno=lines[i].lineno, raw=[ln.text for ln in lines[i:j + 1]])
            found.append((len(rest), sig))
            # A page that begins with a signature still begins there.
            if j + 1 < len(lines) and lines[i].new_page:
                lines[j + 1].new_page = True
                if lines[i].page_start is not None and lines[j + 1].page_start is None:
                    lines[j + 1].page_start = lines[i].page_start
            i = j + 1
            continue
        rest.append(lines[i])
        i += 1
    return rest, found


def _title_like(line: Line) -> bool:
    text = line.text
    if line.cells is not None or line.rotated:
        return False
    if line.heading:
        return True
    if not fits_width(text, TITLE_MAX_WIDTH):
        return False
    if text.endswith(("。", "；", "，", "：", ":", ";", "、")) or MARKER_RE.match(text):
        return False
    return True


def _title_start(lines: list[Line], at: int, floor: int) -> int:
    """Walk back from line `at` over the title block above it; return the block's first index."""
    start = at
    only_headings = at - 1 >= floor and lines[at - 1].heading > 0
    while start - 1 >= floor and at - (start - 1) <= TITLE_MAX_LINES:
        prev = lines[start - 1]
        if not _title_like(prev) or (only_headings and not prev.heading):
            break
        start -= 1
        # A title never runs across a page break of the dump.
        if prev.new_page:
            break
    return start


def _document_starts(lines: list[Line], source: SourceLines) -> list[tuple[int, str, int, int | None]]:
    """(first line index, kind, number of title lines, index of the number line or None)."""
    starts: list[tuple[int, str, int, int | None]] = []
    floor = 0
    for i, line in enumerate(lines):
        if line.cells is not None:
            continue
        if DOC_NUMBER_LINE_RE.match(line.text):
            start = _title_start(lines, i, floor)
            if start == i:
                continue  # a number with no title above it is a citation list entry, not a document
            # Title lines end where a title-type suffix ends; a following block is the enclosure title.
            starts.append((start, "document", i - start, i))
            floor = i + 1
        elif _title_like(line) and STATISTICS_TITLE_RE.search(squeeze(line.text)):
            starts.append((i, "statistics", 1, None))
            floor = i + 1
        elif _title_like(line) and CHRONICLE_TITLE_RE.search(squeeze(line.text)) and fits_width(line.text, 20):
            starts.append((i, "chronicle", 1, None))
            floor = i + 1
    starts.extend(_toc_starts(lines, source, starts))
    starts.sort()
    return starts


def _toc_starts(lines, source, known) -> list[tuple[int, str, int, int | None]]:
    """Headings listed in the table of contents that no other rule found (documents without number)."""
    if not source.toc:
        return []
    taken = {i for s, _, n, num in known for i in range(s, (num if num is not None else s + n) + 1)}
    headings = [(i, squeeze(line.text)) for i, line in enumerate(lines) if line.heading]
    extra = []
    for entry in source.toc:
        title = squeeze(entry.title)
        i = next((i for i, text in headings if _prefix_match(title, text)), None)  # the first heading it names
        if i is not None and i not in taken:
            extra.append((i, "document", 1, None))
            taken.add(i)
    return extra


def _prefix_match(a: str, b: str) -> bool:
    """One title begins the other, and the shorter is long enough to tell (contents entries shorten
    titles or add a subtitle: 大事记（2018年11月1日—30日））."""
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 8 and long_.startswith(short)


def _split_title(title_lines: list[Line]) -> tuple[list[Line], list[Line]]:
    """The notice's own title is the shortest run of title lines ending in a document type."""
    for k in range(1, len(title_lines) + 1):
        text = squeeze("".join(ln.text for ln in title_lines[:k]))
        if text.endswith(TITLE_SUFFIXES):
            return title_lines[:k], title_lines[k:]
    return title_lines, []


def _assign_signatures(docs, signatures, lines, starts) -> None:
    """Each signature goes to the document whose text it stands in.

    The PDF places a signature block at a page's end or start, so a block standing just above a
    title, after a document that is already signed, belongs to the document that follows.
    """
    if not docs:
        return
    bounds = [s[0] for s in starts]
    for index, sig in signatures:
        # The block stood just before lines[index]: it follows the text of the last document
        # that started before that line.
        owner = 0
        for n, b in enumerate(bounds):
            if index > b:
                owner = n
        doc = docs[owner]
        nxt = owner + 1
        at_boundary = nxt < len(docs) and index == bounds[nxt]
        if at_boundary and doc.signatures and not docs[nxt].signatures:
            doc = docs[nxt]
        doc.signatures.append(sig)


def _toc_entry_for(title: str, toc: list) -> object | None:
    """The contents entry that names this title: the most similar one, if similar enough
    (contents entries are sometimes shortened or slightly reworded: 市人民政府办公室 / 市政府办公室)."""
    best, best_score = None, 0.0
    for entry in toc:
        entry_title = squeeze(entry.title)
        if not entry_title or not title:
            continue
        if _prefix_match(title, entry_title):
            score = 1.0
        else:
            score = SequenceMatcher(None, title, entry_title, autojunk=False).ratio()
        if score > best_score:
            best, best_score = entry, score
    return best if best_score >= TOC_MATCH_RATIO else None


KIND_CATEGORY = {"statistics": "统计公报", "chronicle": "大事记"}
ISSUER_CATEGORY = (("办公室", "市政府办公室文件"), ("人民政府", "市政府文件"))


def _assign_categories(docs: list[RawDocument], source: SourceLines) -> None:
    """The category a document was published under: the table of contents, else the running
    header printed over its pages, else what its kind or its issuer implies."""
    for doc in docs:
        entry = _toc_entry_for(doc.title, source.toc)
        if entry is not None:
            doc.category = squeeze(entry.category or "") or None
            if entry.page is not None:
                doc.toc_pages = (entry.page, entry.page)
    # A document listed at page p runs to the page before the next listed document starts.
    listed = [d for d in docs if d.toc_pages]
    for doc, nxt in zip(listed, listed[1:]):
        doc.toc_pages = (doc.toc_pages[0], max(doc.toc_pages[0], nxt.toc_pages[0] - 1))
    for doc in docs:
        if doc.category:
            continue
        # A running header heads the page below it: it names this document's category only when
        # some of the document's text follows it (not the next document's first page).
        first = doc.first_lineno
        last = max((ln.lineno for ln in doc.title_lines + doc.lines), default=first)
        inside = [c for ln, c in source.categories if first <= ln < last]
        if inside:
            doc.category = squeeze(inside[0])
        elif doc.kind in KIND_CATEGORY:
            doc.category = KIND_CATEGORY[doc.kind]
        elif doc.signatures:
            doc.category = next((c for word, c in ISSUER_CATEGORY if word in doc.signatures[0].issuer), None)
