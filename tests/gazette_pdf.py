"""Typesetting gazette-like PDFs for the tests (reportlab, its built-in STSong-Light CID font).

A page has a running head (a category header and a folio, at the top as the gazette prints them,
or a bare page number centred at the bottom) and a body of blocks: centred titles in a larger size,
hard-wrapped lines, a ruled table, or lines set in two columns (the chronicle). `from_text_dump`
lays out a PDF-text dump page by page, its lines as the dump wrapped them, and
`from_markdown_dump` a PDF-to-Markdown dump (headings as titles, tables ruled) on the pages its
contents name, so that the PDF and the dump can be converted and compared.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from converters.readers import pdftext
from converters.text import display_width

FONT = "STSong-Light"
SIZE = 10.5
LEADING = 15.0
WIDTH = 595.0
MARGIN = 72.0
TEXT_WIDTH = WIDTH - 2 * MARGIN
HEAD_GAP = 40.0
TITLE_CHARS = 22  # characters of a heading on one line  # from the running head's baseline to the body's first
pdfmetrics.registerFont(UnicodeCIDFont(FONT))


@dataclass
class Page:
    header: str | None = None  # e.g. 市政府文件
    folio: str | None = None  # e.g. 连云港市人民政府公报 7 (top) or 7 (bottom, centred)
    folio_at: str = "top"
    running_title: str | None = None  # e.g. 连云港市人民政府公报, at the top when the folio is at the foot
    blocks: list[tuple[str, object]] = field(default_factory=list)  # ("title"|"line"|"table"|"columns", …)


def _draw(c: canvas.Canvas, x: float, y: float, text: str, size: float, align: str = "left",
          justify: float | None = None) -> None:
    """One line of text. With `justify` (a column's width), a line nearly as wide is spaced out to
    fill it exactly, as a typesetter justifies a paragraph's lines."""
    width = display_width(text) * size
    if align == "right":
        x -= width
    elif align == "centre":
        x -= width / 2
    spacing = 0.0
    if justify and len(text) > 1 and 0.9 * justify <= width < justify:
        spacing = (justify - width) / (len(text) - 1)
    line = c.beginText(x, y)
    line.setFont(FONT, size)
    line.setCharSpace(spacing)
    # A trailing space: PDFium drops the last glyph's extent of an unembedded CID font's string.
    line.textOut(text + " ")
    c.drawText(line)


def _size_for(text: str, width: float) -> float:
    return min(SIZE, width / max(display_width(text), 1))


def _block_height(kind: str, value) -> float:
    if kind == "title":
        return 28.0
    if kind == "line":
        return LEADING
    if kind == "table":
        return sum(20.0 + LEADING * max(cell.count("\n") for cell in row) for row in value) + 26
    left, right = _split_columns(value)
    return max(len(left), len(right)) * LEADING


def _split_columns(lines: list[str]) -> tuple[list[str], list[str]]:
    half = (len(lines) + 1) // 2
    return lines[:half], lines[half:]


def typeset(pages: list[Page]) -> bytes:
    """The pages as a PDF (deterministic: reportlab's invariant mode)."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(WIDTH, 842), invariant=1)
    for page in pages:
        height = max(842.0, sum(_block_height(k, v) for k, v in page.blocks) + 2 * MARGIN + HEAD_GAP)
        c.setPageSize((WIDTH, height))
        top = height - 50
        if page.header or (page.folio and page.folio_at == "top") or page.running_title:
            even = page.folio_at == "top" and page.folio is not None and page.folio[:1].isdigit()
            if page.header:
                _draw(c, WIDTH - MARGIN if even else MARGIN, top, page.header, SIZE, "right" if even else "left")
            if page.folio and page.folio_at == "top":
                _draw(c, MARGIN if even else WIDTH - MARGIN, top, page.folio, SIZE, "left" if even else "right")
            c.setLineWidth(0.5)
            c.line(MARGIN, top - 6, WIDTH - MARGIN, top - 6)
        if page.folio and page.folio_at == "bottom":
            _draw(c, WIDTH / 2, 40, page.folio, SIZE, "centre")
        if page.running_title:
            _draw(c, WIDTH - MARGIN, top, page.running_title, SIZE, "right")
        y = top - HEAD_GAP
        for kind, value in page.blocks:
            if kind == "title":
                _draw(c, WIDTH / 2, y - 6, value, min(16, TEXT_WIDTH / max(display_width(value), 1)), "centre")
                y -= 28
            elif kind == "line":
                _draw(c, MARGIN, y, value, _size_for(value, TEXT_WIDTH), justify=TEXT_WIDTH)
                y -= LEADING
            elif kind == "table":
                y = _table(c, value, y)
            else:
                left, right = _split_columns(value)
                column = (TEXT_WIDTH - 2 * SIZE) / 2
                for k, line in enumerate(left):
                    _draw(c, MARGIN, y - k * LEADING, line, _size_for(line, column), justify=column)
                for k, line in enumerate(right):
                    _draw(c, MARGIN + column + 2 * SIZE, y - k * LEADING, line, _size_for(line, column),
                          justify=column)
                y -= max(len(left), len(right)) * LEADING
        c.showPage()
    c.save()
    return out.getvalue()


def _table(c: canvas.Canvas, rows: list[list[str]], y: float) -> float:
    """A ruled table: cells left-aligned in equal columns, a rule around every cell; a cell's text
    with line breaks takes as many lines, its row as high as its tallest cell."""
    columns = max(len(r) for r in rows)
    width = TEXT_WIDTH / columns
    c.setLineWidth(0.5)
    top = y + 14
    for row in rows:
        height = 20.0 + LEADING * (max(cell.count("\n") for cell in row))
        for j, cell in enumerate(row):
            for k, part in enumerate(cell.split("\n")):
                _draw(c, MARGIN + j * width + 4, top - 14 - k * LEADING, part, _size_for(part, width - 8))
        c.line(MARGIN, top, MARGIN + TEXT_WIDTH, top)
        for j in range(columns + 1):
            c.line(MARGIN + j * width, top, MARGIN + j * width, top - height)
        top -= height
    c.line(MARGIN, top, MARGIN + TEXT_WIDTH, top)
    return top - 20


def from_text_dump(text: str) -> bytes:
    """A PDF laid out like the dump (see `text_dump_pages`)."""
    return typeset(text_dump_pages(text))


def text_dump_pages(text: str) -> list[Page]:
    """The dump's pages as the gazette sets them: one PDF page per page of the dump, as the
    PDF-text reader finds them, its running header and folio at the top, its lines as the dump
    wrapped them; a page of narrow wrapped lines (the chronicle) set in two columns, the dump's
    order column by column; rows of figures (a statistics table) across the page."""
    lines = pdftext.read(text, "dump.txt")
    events = sorted([(ln.lineno, "line", ln) for ln in lines.lines]
                    + [(f.lineno, "furniture", f) for f in lines.furniture], key=lambda e: e[0])
    pages: list[Page] = []
    pending: list[str] = []
    for _, kind, item in events:
        if kind == "furniture":
            pending.append(item.text)
            continue
        if item.new_page or not pages:
            pages.append(Page())
            _head(pages[-1], pending)
            pending = []
        elif pending:  # furniture the reader found inside a page (a pattern of gazette.yml): kept as text
            pages[-1].blocks += [("line", t) for t in pending]
            pending = []
        pages[-1].blocks.append(("line", item.text))
    full = _full_width([b for p in pages for k, b in p.blocks])
    for page in pages:
        # the reader's test for a page of narrower columns: most lines as wide as the widest ones.
        # A row of figures (指标 2528.40 2.0) is no evidence: it ends at its last figure, and a
        # gazette sets a table of them across the page, never in two columns.
        texts = [b for _, b in page.blocks]
        widths = sorted(display_width(t) for t in texts
                        if display_width(t) >= 6 and not pdftext.FIGURES_ROW_RE.search(t))
        if len(widths) >= 10:
            p90 = widths[int(len(widths) * 0.9)]
            if p90 < 0.7 * full and sum(1 for w in widths if abs(w - p90) <= 2) >= 0.4 * len(widths):
                page.blocks = [("columns", texts)]
    return pages


def _head(page: Page, furniture: list[str]) -> None:
    for text in furniture:
        if pdftext.FOOTER_RE.match(text):
            page.folio = text
        else:
            page.header = text


def _full_width(texts: list[str]) -> float:
    widths = sorted(display_width(t) for t in texts if display_width(t) >= 10)
    return widths[int(len(widths) * 0.9)] if widths else 0


def from_markdown_dump(text: str, documents: list) -> bytes:
    """A PDF laid out like the Markdown dump: its cover, then its contents, then each document on
    the printed pages its conversion (`documents`, in order, with their pages) found from the
    contents, under a running head naming its category; headings centred, table rows ruled."""
    from converters.readers import pdfmd

    source = pdfmd.read(text, "dump.md")
    first_body = source.lines[0].lineno
    front = [pdfmd._plain(f.text) for f in source.furniture if f.lineno < first_body]
    front = [pdfmd.HEADING_RE.sub(r"\2", t) for t in front]
    contents_at = next(k for k, t in enumerate(front) if t.replace(" ", "") == "目录")
    pages = [Page(blocks=[("line", t) for t in front[:contents_at]]),
             Page(blocks=[("title", front[contents_at])] + [("line", t) for t in front[contents_at + 1:]])]
    starts = [d.lineno for d in documents] + [10 ** 9]
    for doc, end in zip(documents, starts[1:]):
        lines = [ln for ln in source.lines if (doc.lineno <= ln.lineno or doc is documents[0]) and ln.lineno < end]
        first, last = doc.pages
        count = last - first + 1
        share = -(-len(lines) // count)
        for n in range(count):
            number = first + n
            folio = f"连云港市人民政府公报 {number}" if number % 2 else f"{number} 连云港市人民政府公报"
            pages.append(Page(header=doc.category, folio=folio, blocks=_blocks(lines[n * share:(n + 1) * share])))
    return typeset(pages)


def _blocks(lines: list) -> list[tuple[str, object]]:
    blocks: list[tuple[str, object]] = []
    for line in lines:
        if line.cells is not None:
            if blocks and blocks[-1][0] == "table":
                blocks[-1][1].append(line.cells)
            else:
                blocks.append(("table", [line.cells]))
        elif line.heading:  # set large, so a long heading takes two or three lines
            blocks += [("title", line.text[k:k + TITLE_CHARS]) for k in range(0, len(line.text), TITLE_CHARS)]
        else:
            blocks.append(("line", line.text))
    return blocks
