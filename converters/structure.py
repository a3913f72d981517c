"""Structure: a RawDocument's paragraphs -> a Document with blocks and the contract's anchors.

Builds a document of any kind: its title, preamble, signatures, printed pages and citations. A
document's text is read here into parts: attachments (附件), the text a 印发 notice encloses (where
it begins: enclosure.py), a contents list, tables (tab-separated, flattened to spaced cells; those the
dump prints as text, rotated or one cell per line, through printed_tables.py); inside a part, numbered
units (章/节/条 with 款 and 项, numbered headings 一、（一）1.（1）and decimal 1.1) are numbering.py's.
The two special kinds are statistics_table.py's (statistics rows) and chronicle.py's (chronicle days).
"""

from __future__ import annotations

import re

from .chronicle import build_chronicle
from .citations import cited_numbers, stray_citations, unreadable_citations
from .enclosure import enclosed_names, is_enclosure_title, issues_enclosure, starts_enclosed_text
from .ids import document_id
from .model import Block, Document, IssueMeta, PageMark, Para, RawDocument, Warning_
from .numbering import (ARTICLE_RE, CHAPTER_RE, DECIMAL_RE, HEADING_MAX_WIDTH, RANKS, SECTION_RE, Scope,
                        article_part, numbered_or_plain, rank_of, shift_marks, split_label)
from .printed_tables import (ROTATED_TABLE_ROLE, cell_per_line_misfit, rebuild_cell_per_line_tables,
                             rebuild_rotated_tables)
from .reflow import reflow
from .statistics_table import build_statistics
from .tables import shape, split_rows
from .text import cn_to_int, fits_width, squeeze

ATTACHMENT_RE = re.compile(r"^附\s*件\s*(\d*)\s*[:：]?$")
ATTACHMENT_LIST_RE = re.compile(r"^附\s*件\s*\d*\s*[:：]\s*\S")


def _signature_block(sig) -> Block:
    return Block(type="signature", issuer=sig.issuer, date=sig.date, text="\n".join(sig.raw), lineno=sig.lineno)


def build_document(raw: RawDocument, issue: IssueMeta, source: str, order: int) -> Document:
    title = raw.title
    doc = Document(id="", kind=raw.kind, title=title, issue=issue, source=source,
                   lineno=raw.first_lineno, category=raw.category, doc_number=raw.doc_number,
                   doc_number_printed=raw.doc_number_line.text if raw.doc_number_line else None,
                   order=order)
    doc.id = document_id(doc.doc_number, issue.id, raw.kind, order)
    if raw.signatures:
        doc.issuer = raw.signatures[0].issuer
        doc.date = raw.signatures[0].date or None
    paras = reflow(raw.lines)
    for para in paras:
        if para.boundary_doubt:
            doc.warnings.append(Warning_("paragraph boundary uncertain: a full line ends in 。 and the next is one em "
                                         "short, as an indented first line can be; kept apart", para.lineno))
    title_pages = [PageMark(0, ln.page_start) for ln in raw.title_lines if ln.page_start is not None]
    if not title_pages and raw.toc_pages:
        title_pages = [PageMark(0, raw.toc_pages[0])]  # the page the contents say it starts on
    if raw.kind == "statistics":
        build_statistics(doc, paras)
    elif raw.kind == "chronicle":
        build_chronicle(doc, paras)
    else:
        _document(doc, raw, paras)
    doc.blocks.insert(0, Block(type="title", text=title, pages=title_pages[:1], lineno=raw.first_lineno))
    if raw.preamble:
        doc.warnings.append(Warning_(f"{len(raw.preamble)} lines before the first document title, kept "
                                     f"at the start of this document", raw.preamble[0].lineno))
        doc.blocks[:0] = [Block(type="paragraph" if p.cells is None else "table", role="preamble", text=p.text,
                                lineno=p.lineno, pages=p.pages, rows=p.cells) for p in reflow(raw.preamble)]
    for sig in raw.signatures[1:] if raw.kind == "document" else raw.signatures:
        doc.blocks.append(_signature_block(sig))
    doc.pages = _page_range(doc, raw)
    doc.cites = cited_numbers([b.text for b in doc.blocks if b.type != "title"]
                              + ["\n".join(" ".join(r) for r in (b.rows or [])) for b in doc.blocks],
                              doc.doc_number)
    for block in doc.blocks:
        texts = [block.text or ""] + ["\t".join(row) for row in block.rows or []]
        for text in texts:
            for bad in unreadable_citations(text):
                doc.warnings.append(Warning_(f"citation not understood: {bad}", block.lineno))
            for printed, number in stray_citations(text):
                doc.warnings.append(Warning_(f"citation with a stray character read as {number}: {printed}",
                                             block.lineno))
    if raw.kind == "document" and not raw.signatures:
        doc.warnings.append(Warning_("document without signature (issuer and date unknown)", doc.lineno))
    return doc


def _page_range(doc: Document, raw: RawDocument) -> tuple[int, int] | None:
    """The printed pages the document runs over, when the pages of its first and last lines are
    known. When the source numbers some of its lines' pages but not the first's or the last's, the
    range is not determined (doc.undetermined names it; the pipeline may complete the end from the
    next document's first page)."""
    lines = sorted(raw.title_lines + raw.lines, key=lambda ln: ln.lineno)
    pages = [ln.page for ln in lines if ln.page is not None]
    if not pages:
        return raw.toc_pages
    if lines[0].page is None or lines[-1].page is None:
        doc.undetermined.append("pages")
        doc.page_bounds = (lines[0].page, lines[-1].page)
        return None
    return (min(pages), max(pages))


def _merge_runs(paras: list[Para], run_at) -> list[Para]:
    """Replace runs of paragraphs by one Para each. `run_at(paras, i)` returns (end, Para) for a
    run starting at i, or (end, None) when the lines from i to end are no run. A run starting
    later inside a rejected one could only be weaker, so the scan goes on after it: linear."""
    out: list[Para] = []
    i = 0
    while i < len(paras):
        end, merged = run_at(paras, i)
        if merged is not None:
            out.append(merged)
            i = end
        else:
            stop = max(end, i + 1)
            out.extend(paras[i:stop])
            i = stop
    return out


def _plain_para(para: Para) -> bool:
    return para.cells is None and not para.rotated and not para.heading and not _starts_part(para.text)


def _flattened_table_at(paras: list[Para], i: int) -> tuple[int, Para | None]:
    """Rows of a table flattened to space-separated cells: three or more rows of three or more
    cells, or of cells set apart by a wide gap (a two-column list of names and posts); short
    unspaced lines inside the run (a group label, a wrapped header cell) are kept as one-cell rows."""
    j, rich = i, 0
    while j < len(paras) and _plain_para(paras[j]):
        text = paras[j].text
        n = len(text.split())
        if n >= 2 and fits_width(text, 60):
            rich += n >= 3 or bool(WIDE_GAP_RE.search(text.strip()))
        elif not (n == 1 and fits_width(text, 20) and not text.endswith(("。", "；", "：")) and j > i):
            break
        j += 1
    while j > i and len(paras[j - 1].text.split()) < 2:
        j -= 1  # a run ends on a row, not on a label
    if rich < 3:
        return j, None
    first = paras[i]
    return j, Para(text="", lineno=first.lineno, cells=split_rows([p.text for p in paras[i:j]]),
                   pages=[PageMark(row, m.page) for row, p in enumerate(paras[i:j]) for m in p.pages])


WIDE_GAP_RE = re.compile(r"\S {3,}\S")  # cells set apart (a title or a sentence has no such gap)
CELL_MAX_WIDTH = 24
CELL_RUN_MIN = 8


def _cell_per_line_table_at(paras: list[Para], i: int) -> tuple[int, Para | None]:
    """A table the PDF extracted one (wrapped) cell per line: a long run of short lines among
    which several are lone numbers (the row numbers). Its lines are kept as printed, in one Para
    marked `unparsed`, rather than read as paragraphs and headings."""
    j = i
    while j < len(paras) and _plain_para(paras[j]) \
            and (fits_width(paras[j].text, CELL_MAX_WIDTH)
                 or (len(paras[j].text.split()) >= 3 and fits_width(paras[j].text, 40))):
        j += 1
    lone_numbers = sum(1 for p in paras[i:j] if p.text.strip().isdigit())
    if j - i < CELL_RUN_MIN or lone_numbers < 2:
        return j, None
    first = paras[i]
    return j, Para(text="\n".join(p.text for p in paras[i:j]), lineno=first.lineno,
                   pages=_join_marks(paras[i:j]), unparsed=True)


def _is_title_line(text: str) -> bool:
    """A short line that ends in no punctuation, is not numbered and has no cells set apart: a title."""
    return (fits_width(text, 40) and not re.search(r"[。；，：:;,.、]$", text) and not WIDE_GAP_RE.search(text.strip())
            and rank_of(text) is None and not DECIMAL_RE.match(text) and not ARTICLE_RE.match(text))


def _starts_part(text: str) -> bool:
    """An attachment, chapter or article heading: never inside a table."""
    return bool(ATTACHMENT_RE.match(squeeze(text)) or CHAPTER_RE.match(text) or ARTICLE_RE.match(text))


def _join_marks(paras: list[Para]) -> list[PageMark]:
    marks, offset = [], 0
    for p in paras:
        marks += [PageMark(offset + m.offset, m.page) for m in p.pages]
        offset += len(p.text) + 1
    return marks


def _attachment_headings_first(paras: list[Para]) -> list[Para]:
    """The PDF sometimes prints an attachment's heading (附件 + its title) at the foot of the
    attachment's first page. When the notice lists attachments (附件：…) and such a heading ends a
    page, the heading is moved to where that page begins, so the attachment starts there."""
    listed = False
    page_start = 0
    out = list(paras)
    i = 0
    while i < len(out):
        para = out[i]
        if para.new_page:
            page_start = i
        if ATTACHMENT_LIST_RE.match(para.text):
            listed = True
        elif listed and ATTACHMENT_RE.match(squeeze(para.text)) and page_start < i:
            end = i + 1
            while end < len(out) and end - i <= 2 and not out[end].new_page and _is_title_line(out[end].text):
                end += 1
            if end < len(out) and out[end].new_page and not ATTACHMENT_LIST_RE.match(out[page_start].text):
                out[page_start:end] = out[i:end] + out[page_start:i]
                i = end
                continue
        i += 1
    return out


def _tables_after_their_introduction(paras: list[Para]) -> list[Para]:
    """A numbered paragraph that introduces a table (一、…划定范围如下：) may be followed at once by
    the next numbered paragraph, the PDF placing the table (and its caption) further down. Then the
    first table below, with the caption lines just above it, is moved up to follow its introduction.
    Only when the next paragraph does not introduce anything itself and the table comes before the
    paragraph numbered after it."""
    out = list(paras)
    for i in range(len(out) - 1):
        intro, nxt = rank_of(out[i].text), rank_of(out[i + 1].text)
        if (intro is None or nxt is None or not out[i].text.endswith(("：", ":")) or out[i].cells is not None
                or nxt[0] != intro[0] or nxt[1] != intro[1] + 1 or out[i + 1].text.endswith(("：", ":"))):
            continue
        j = i + 2
        while j < len(out) and out[j].cells is None and rank_of(out[j].text) is None \
                and not _starts_part(out[j].text):
            j += 1
        if j >= len(out) or out[j].cells is None:
            continue
        first = j
        while first - 1 > i + 1 and _is_title_line(out[first - 1].text) and out[first - 1].cells is None:
            first -= 1  # the table's caption
        out[i + 1:j + 1] = out[first:j + 1] + out[i + 1:first]
    return out


def _document(doc: Document, raw: RawDocument, paras: list[Para]) -> None:
    paras = _attachment_headings_first(rebuild_rotated_tables(paras, raw.lines))
    paras = rebuild_cell_per_line_tables(_merge_runs(_merge_runs(paras, _flattened_table_at), _cell_per_line_table_at),
                                         raw.lines)
    paras = _tables_after_their_introduction(paras)
    names = enclosed_names(raw, doc.title, paras)
    toc_span = _toc_span(paras) if raw.toc_marker else None
    scopes = [Scope("")]
    used: set[str] = set()
    enclosures = 0
    attachments = 0
    signature_placed = not raw.signatures
    enclosure_pending = bool(raw.enclosure_title_lines)

    def place_signature() -> None:
        nonlocal signature_placed
        if not signature_placed:
            sig = raw.signatures[0]
            doc.blocks.append(_signature_block(sig))
            signature_placed = True

    def anchor(name: str, lineno: int) -> str:
        if name in used:
            n = 2
            while f"{name}_{n}" in used:
                n += 1
            doc.warnings.append(Warning_(f"numbering repeats: {name} given as {name}_{n}", lineno))
            name = f"{name}_{n}"
        used.add(name)
        return name

    def new_enclosure(text: str, lineno: int, pages: list[PageMark]) -> None:
        nonlocal enclosures
        place_signature()
        enclosures += 1
        prefix = "" if enclosures == 1 else f"encl_{enclosures}__"
        # The first enclosure continues the notice's numbering so that 第十五条 is plainly art_15.
        scopes[:] = [Scope(prefix)] if enclosures > 1 else [scopes[0]]
        a = anchor(f"encl_{enclosures}", lineno) if enclosures > 1 else None
        doc.blocks.append(Block(type="heading", role="enclosure", text=text, anchor=a, level=2,
                                lineno=lineno, pages=pages))

    # An enclosure title printed above the document number starts the enclosed text, which
    # begins after the notice's own paragraphs: after its 印发 sentence (and the list of what it
    # attaches), or at the first article, chapter or numbered heading.
    issued = False  # the notice's 印发 sentence has been read
    for index, para in enumerate(paras):
        scope = scopes[-1]
        text = para.text
        plain = squeeze(text) if len(text) < 80 else text
        after_issuing = issued and not ATTACHMENT_LIST_RE.match(text) and para.cells is None \
            and not (doc.blocks and doc.blocks[-1].role == "attachments" and RANKS[2][1].match(text))
        if enclosure_pending and (after_issuing or starts_enclosed_text(para, toc_span, index)):
            new_enclosure(raw.enclosure_title,
                          raw.enclosure_title_lines[0].lineno, [])
            enclosure_pending = False
            scope = scopes[-1]
        issued = issued or (enclosure_pending and index > 0 and issues_enclosure(text))
        if toc_span and toc_span[0] <= index < toc_span[1]:
            if doc.blocks and doc.blocks[-1].type == "toc":
                toc = doc.blocks[-1]
                # a page that begins inside the contents list is marked at its row
                toc.pages += [PageMark(len(toc.rows), m.page) for m in para.pages]
                toc.rows.append([text])
            else:
                doc.blocks.append(Block(type="toc", text=raw.toc_marker_text, rows=[[text]],
                                        lineno=para.lineno, pages=para.pages))
            continue
        if para.cells is not None:
            doc.blocks.append(_table_block(doc, para))
            continue
        if para.rotated:
            doc.blocks.append(Block(type="rotated", text=text, lineno=para.lineno, pages=para.pages))
            doc.warnings.append(Warning_("unparsed table: extracted one character per line, kept as text",
                                         para.lineno))
            continue
        if para.unparsed:
            doc.blocks.append(Block(type="lines", role="unparsed-table", text=text, lineno=para.lineno,
                                    pages=para.pages))
            doc.warnings.append(Warning_("unparsed table: extracted one cell per line, kept line by line: "
                                         + cell_per_line_misfit(para, raw.lines), para.lineno))
            continue
        m_att = ATTACHMENT_RE.match(plain)
        if m_att:
            place_signature()
            attachments += 1
            number = int(m_att[1]) if m_att[1] else attachments
            attachments = max(attachments, number)
            scopes[:] = [Scope(f"att_{number}__")]
            doc.blocks.append(Block(type="heading", role="attachment", text=text, level=2,
                                    anchor=anchor(f"att_{number}", para.lineno), lineno=para.lineno,
                                    pages=para.pages))
            continue
        if names and is_enclosure_title(text, names) and not ARTICLE_RE.match(text):
            new_enclosure(text, para.lineno, para.pages)
            continue
        m = CHAPTER_RE.match(text)
        if m and fits_width(plain, HEADING_MAX_WIDTH):
            scope.chapter = cn_to_int(m[1]) or scope.chapter + 1
            scope.section = 0
            label, sep, rest = split_label(text, m[3])
            doc.blocks.append(Block(type="heading", role="chapter", level=3, label=label, sep=sep, text=rest,
                                    anchor=anchor(f"{scope.prefix}chp_{scope.chapter}", para.lineno),
                                    lineno=para.lineno, pages=para.pages))
            continue
        m = SECTION_RE.match(text)
        if m and scope.chapter and fits_width(plain, HEADING_MAX_WIDTH):
            scope.section = cn_to_int(m[1]) or scope.section + 1
            label, sep, rest = split_label(text, m[3])
            doc.blocks.append(Block(type="heading", role="section", level=4, label=label, sep=sep, text=rest,
                                    anchor=anchor(f"{scope.prefix}chp_{scope.chapter}__sec_{scope.section}",
                                                  para.lineno),
                                    lineno=para.lineno, pages=para.pages))
            continue
        m = ARTICLE_RE.match(text)
        if m:
            number = cn_to_int(m[1])
            if number is not None and number == scope.article + 1 or (number and number > scope.article and scope.article == 0) \
                    or (number and scope.article < number <= scope.article + 5):
                if number != scope.article + 1:
                    doc.warnings.append(Warning_(
                        f"gap in article numbering: 第{m[1]}条 follows article {scope.article}", para.lineno))
                scope.article = number
                scope.article_paras = 1
                scope.article_items = set()
                scope.item = None
                scope.stack = []
                label, sep, rest = split_label(text, m[2])
                doc.blocks.append(Block(type="paragraph", role="article", label=label, sep=sep, text=rest,
                                        anchor=anchor(f"{scope.prefix}art_{number}", para.lineno),
                                        lineno=para.lineno, pages=shift_marks(para.pages, len(text) - len(rest))))
                continue
        continues_list = (doc.blocks and doc.blocks[-1].role == "attachments" and RANKS[2][1].match(text)
                          and fits_width(text, 50) and not text.endswith("。"))
        if ATTACHMENT_LIST_RE.match(text) or continues_list:
            # 附件：… lists what the notice attaches: it belongs to no article or heading.
            scope = scopes[0] if not enclosures else scope
            scope.paras[""] = scope.paras.get("", 0) + 1
            doc.blocks.append(Block(type="paragraph", role="attachments", text=text, lineno=para.lineno,
                                    anchor=anchor(f"{scope.prefix}p_{scope.paras['']}", para.lineno),
                                    pages=para.pages))
            continue
        if (len(doc.blocks) > 1 and doc.blocks[-1].role == "title" and doc.blocks[-2].role == "attachment"
                and _is_title_line(text) and len(doc.blocks[-1].text) + len(text) <= 60):
            doc.blocks[-1].text += text  # the attachment's title goes on: （2020-2022年）
            continue
        if doc.blocks and doc.blocks[-1].role == "attachment" and _is_title_line(text):
            doc.blocks.append(Block(type="heading", role="title", level=3, text=text, lineno=para.lineno,
                                    pages=para.pages))
            continue
        if scope.article:
            following = paras[index + 1].text if index + 1 < len(paras) else ""
            article_part(doc, scope, para, anchor, following)
            continue
        numbered_or_plain(doc, scope, para, anchor)
    if enclosure_pending:
        new_enclosure(raw.enclosure_title,
                      raw.enclosure_title_lines[0].lineno, [])
    if raw.toc_marker and not any(b.type == "toc" for b in doc.blocks):
        # A 目录 line whose contents list could not be told apart from the text: keep the line.
        doc.blocks.append(Block(type="paragraph", role="note", text=raw.toc_marker_text, lineno=doc.lineno))
    place_signature()


def _table_block(doc: Document, para: Para) -> Block:
    """A table's block: its grid with spans; what the printed table leaves open is warned."""
    table = shape(para.cells or [])
    for doubt in table.doubts:
        doc.warnings.append(Warning_(f"table: {doubt}", para.lineno))
    merged = len(para.cells or []) - len(table.rows)  # header lines read as fewer rows, at the top
    if para.rotated:
        rows = sum(1 for row in table.rows[table.head_rows:] if len(row) > 1)
        doc.warnings.append(Warning_(f"rotated table read as {rows} numbered rows; its columns are not told apart "
                                     "in the dump (each row's cells kept together)", para.lineno))
    return Block(type="table", rows=table.rows, head_rows=table.head_rows, spans=table.spans,
                 role=ROTATED_TABLE_ROLE if para.rotated else None, lineno=para.lineno,
                 pages=[PageMark(max(0, m.offset - merged), m.page) for m in para.pages])


def _toc_span(paras: list[Para]) -> tuple[int, int] | None:
    """A contents list printed inside a document: the numbered headings from the first one up
    to where the first one is printed again (the text proper)."""
    first = None
    for i, para in enumerate(paras):
        if DECIMAL_RE.match(para.text) or (rank_of(para.text) and fits_width(para.text, HEADING_MAX_WIDTH)):
            first = i
            break
    if first is None:
        return None
    key = squeeze(paras[first].text)
    for j in range(first + 1, len(paras)):
        if squeeze(paras[j].text) == key:
            return (first, j)
    return None

