"""Render: the typed model -> HTML, written once, in memory.

This is the one place where a document's text becomes HTML. Source text is data: it is escaped here,
exactly once (``html.escape``), and never handed to Markdown, an attribute-list parser or a template
engine. Citation links and page marks are made here from the model (the citations found in a block's
text, the page marks' offsets), not by splitting HTML afterwards.

It also names every class and id that CSS, ``overrides/assets/gazette.js``, the page templates and the
search view (``search_view.py``) rely on (the constants below): change one here and grep for its users.

input : a ``Document`` (model.py), the archive's cross-links (``crosslink.Links``) and the page's path
        to the site root
output: ``RenderedDocument``: the title (with the page marks printed before it), the body, and the
        headings of both, collected in the page's ``PageToc`` (which MkDocs shows as the table of
        contents; see ``site/engine.py``)
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field

from markupsafe import Markup

from .citations import find_citations
from .ids import cited_url
from .model import Block, Document, PageMark
from .printed_tables import ROTATED_NOTE, ROTATED_TABLE_ROLE
from .text import cn_to_int

# ---------------------------------------------------------------- class names the site relies on

PAGE_MARK = "page-mark"  # a printed page's start: <a class="page-mark" id="page_N">, its label drawn by CSS
PROVISION_LINK = "provision-link"  # the printed number of an article or item, a link to itself
# the printed number of an article or of a numbered paragraph (六、施行日期…) as a heading for assistive
# technology (role="heading" with the level below its chapter), so a screen reader can go article by article
PROVISION_HEADING = "provision-heading"
HEADERLINK = "headerlink"  # a heading's permalink (Material's styles)
CITE, CITE_ARCHIVE, CITE_EXTERNAL = "cite", "cite-archive", "cite-external"
SIGNATURE = "signature"
PRINTED_TOC = "printed-toc"  # a document's own printed contents list
# a table extracted one character per line: rebuilt by rows (its Block.role), or kept as printed
ROTATED_TABLE = ROTATED_TABLE_ROLE
UNPARSED_TABLE = "unparsed-table"  # a table whose cells could not be told apart, kept line by line
EVENTS = "events"  # a chronicle day's events
NOTE = "note"
DOC_META = "doc-meta"  # the facts box of a document page (search view: ignored, its number kept)
DOC_NUMBER = "doc-number"
DOC_AFTER = "doc-after"  # what follows a document's text: cited-by, cites, the pager
DOC_STATUS = "doc-status"

# the classes as template globals (converters/templates/*: `C.doc_meta`)
CLASSES = {name.lower(): value for name, value in globals().items()
           if name.isupper() and isinstance(value, str)}


def esc(value: object) -> str:
    """Text as HTML text or attribute value."""
    return html.escape("" if value is None else str(value), quote=True)


# ---------------------------------------------------------------- headings and the page's contents


@dataclass
class PageHeading:
    level: int
    id: str
    title: str  # plain text


@dataclass
class PageToc:
    """The headings of one page, in order, with unique ids: what MkDocs shows as its table of contents.

    A heading without an id of its own gets the id Python-Markdown's toc extension gave it when pages
    were Markdown (its slug, or ``_1``, ``_2``… for Chinese text), so links made then still work."""

    headings: list[PageHeading] = field(default_factory=list)
    used: set[str] = field(default_factory=set)

    def heading(self, level: int, text: str, anchor: str | None = None, inner: str | None = None) -> Markup:
        """An <hN> with its permalink. `inner` is the heading's HTML when it is more than its text
        (page marks); it must come from this module."""
        from markdown.extensions.toc import slugify, unique

        anchor = anchor or unique(slugify(text, "-"), self.used)
        self.used.add(anchor)
        level = max(1, min(level, 6))
        self.headings.append(PageHeading(level, anchor, text))
        body = inner if inner is not None else esc(text)
        return Markup(f'<h{level} id="{anchor}">{body}<a class="{HEADERLINK}" href="#{anchor}">&para;</a>'
                      f"</h{level}>")

    def as_meta(self) -> list[list]:
        """The headings as page metadata: [[level, id, title], …] (titles as text; escaped where shown)."""
        return [[h.level, h.id, h.title] for h in self.headings]


# ---------------------------------------------------------------- running text


class CitationLinker:
    """Links for the document numbers cited in a document's text: to the document (and its article,
    when 第N条 follows) when the archive holds it, else to the number's cited/ page."""

    def __init__(self, links, base: str, own_number: str | None):
        self.links, self.base, self.own_number = links, base, own_number

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, opening tag) of each citation to link in `text`."""
        if self.links is None:
            return []
        from .crosslink import ARTICLE_AFTER_RE

        out = []
        for c in find_citations(text):
            doc = self.links.by_number.get(c.number)
            if doc is not None and c.number == self.own_number:
                continue
            if doc is not None:
                href = self.base + doc.url
                m = ARTICLE_AFTER_RE.match(text[c.end:])
                if m:
                    article = cn_to_int(m.group(1))
                    if article and self.links.has_anchor(doc, f"art_{article}"):
                        href += f"#art_{article}"
                tag = f'<a class="{CITE} {CITE_ARCHIVE}" href="{esc(href)}" title="{esc(doc.title)}">'
            else:
                # its tooltip (the same on every one) is set by gazette.js
                tag = f'<a class="{CITE} {CITE_EXTERNAL}" href="{esc(self.base + cited_url(c.number))}">'
            out.append((c.start, c.end, tag))
        return out


def page_mark(page: int) -> str:
    """A printed page's start: a permalink whose label CSS draws (so it is not part of the text)."""
    return f'<a class="{PAGE_MARK}" id="page_{page}" data-page="{page}" href="#page_{page}" aria-label="第{page}页"></a>'


def text_html(text: str, pages: Sequence[PageMark] = (), linker: CitationLinker | None = None) -> str:
    """Escaped text with its page starts where they fall and its citations linked. A page start that
    falls inside a cited number is put before the number."""
    cites = linker.spans(text) if linker else []
    marks = sorted((min(max(m.offset, 0), len(text)), m.page) for m in pages)
    marks = [(next((s for s, e, _ in cites if s < at < e), at), page) for at, page in marks]
    events = sorted([(at, 0, page_mark(page)) for at, page in marks]
                    + [(s, 1, tag) for s, _, tag in cites] + [(e, -1, "</a>") for _, e, _ in cites])
    out, last = [], 0
    for at, _, piece in events:
        out.append(esc(text[last:at]))
        out.append(piece)
        last = at
    out.append(esc(text[last:]))
    return "".join(out)


# ---------------------------------------------------------------- blocks


def table_html(rows: list[list[str]], css: str = "", head_rows: int = 1,
               spans: Sequence[tuple[int, int, int, int]] = (), pages: Sequence[PageMark] = (),
               linker: CitationLinker | None = None) -> str:
    """A table as printed (model.Block): `head_rows` leading rows of column heads; `spans` (row, col,
    rowspan, colspan) for a cell printed once over several rows or columns (its covered positions are
    absent from `rows`); each row padded with empty cells to the table's width, counting the positions
    spans cover; a page that begins at a row after the first is marked in that row's first cell;
    document numbers in cells linked by `linker`."""
    span_of = {(r, c): (rs, cs) for r, c, rs, cs in spans}
    covered = [0] * len(rows)  # positions of each row that a spanning cell (of an earlier row or its own) covers
    for r, _, rs, cs in spans:
        for rr in range(r, min(r + rs, len(rows))):
            covered[rr] += cs - 1 if rr == r else cs
    width = max((len(row) + covered[n] for n, row in enumerate(rows)), default=0)
    cls = f' class="{esc(css)}"' if css else ""
    parts = [f"<table{cls}>"]
    heads = head_rows if len(rows) > 1 else 0
    for n, row in enumerate(rows):
        tag = "th" if n < heads else "td"
        if n == 0 and heads:  # a <thead> is what print repeats at the top of every page
            parts.append("<thead>")
        if n == heads:
            parts.append("</thead><tbody>" if heads else "<tbody>")
        cells = []
        for c, text in enumerate(row + [""] * (width - len(row) - covered[n])):
            rs, cs = span_of.get((n, c), (1, 1))
            attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
            marks = "".join(page_mark(m.page) for m in pages if m.offset == n > 0) if c == 0 else ""
            scope = ' scope="col"' if tag == "th" and cs == 1 else ""
            cells.append(f"<{tag}{attrs}{scope}>{marks}{text_html(text, (), linker)}</{tag}>")
        parts.append(f"<tr>{''.join(cells)}</tr>")
    parts.append("</tbody></table>" if len(rows) > heads else "</thead></table>" if rows else "</table>")
    return "".join(parts)


def _marks(block: Block) -> str:
    """The page marks printed before a block (a table's or contents list's later ones are at their row)."""
    rows = block.type in ("table", "toc")
    return "".join(page_mark(m.page) for m in block.pages if not rows or m.offset <= 0)


def block_html(block: Block, toc: PageToc, level: int, linker: CitationLinker | None) -> str:
    """One block of a document's body. `level` is the heading level the page gives a heading block,
    and the ARIA heading level of an article's or numbered paragraph's printed number."""
    anchor = block.anchor
    if block.type == "heading":
        # 第一章 and its name run together by a converter that dropped the space: show one.
        sep = block.sep or ("　" if block.role in ("chapter", "section") and block.text else "")
        text = f"{block.label or ''}{sep}{block.text}"
        head = toc.heading(level, text, anchor)
        return f"<p>{_marks(block)}</p>\n{head}" if block.pages else str(head)
    if block.type == "paragraph":
        body = text_html(block.text, block.pages, linker)
        if block.label and anchor:
            label = f'<a class="{PROVISION_LINK}" href="#{anchor}">{esc(block.label)}</a>'
            if block.role in PROVISION_HEADING_ROLES:
                label = f'<span class="{PROVISION_HEADING}" role="heading" aria-level="{level}">{label}</span>'
            body = f'{label}{esc(block.sep)}{body}'
        # a paragraph's pilcrow permalink is added by gazette.js to every p.paragraph[id]: the id stays
        idattr = f' id="{anchor}"' if anchor else ""
        return f'<p class="{esc(block.role or "paragraph")}"{idattr}>{body}</p>'
    if block.type == "table" and block.role == ROTATED_TABLE:
        return (f'<div class="{ROTATED_TABLE}"><p class="{NOTE}">{esc(ROTATED_NOTE)}</p>{_marks(block)}'
                + table_html(block.rows or [], "", block.head_rows, block.spans, block.pages, linker) + "</div>")
    if block.type == "table":
        return _marks(block) + table_html(block.rows or [], block.role or "", block.head_rows, block.spans,
                                          block.pages, linker)
    if block.type == "toc":
        entries = "".join(f"<li>{''.join(page_mark(m.page) for m in block.pages if m.offset == n > 0)}{esc(r[0])}</li>"
                          for n, r in enumerate(block.rows or []))
        return f'{_marks(block)}<div class="{PRINTED_TOC}"><p class="{NOTE}">目录</p><ul>{entries}</ul></div>'
    if block.type == "rotated":
        return (f'<div class="{ROTATED_TABLE}"><p class="{NOTE}">此表在原文中为旋转排版，逐字提取，按原文顺序保留。</p>'
                f"<p>{text_html(block.text, block.pages, linker)}</p></div>")
    if block.type == "lines":
        body = text_html(block.text, block.pages, linker).replace("\n", "<br>")
        return (f'<div class="{UNPARSED_TABLE}"><p class="{NOTE}">此表在原文中逐格提取，按原文逐行保留。</p>'
                f"<p>{body}</p></div>")
    if block.type == "signature":
        lines = "".join(f"<p>{esc(line)}</p>" for line in block.text.split("\n"))
        return f'{_marks(block)}<div class="{SIGNATURE}">{lines}</div>'
    if block.type == "day":
        # Page starts inside the day's events carry their offset in the joined events' text;
        # a negative offset is a page that starts at the day's heading.
        before = "".join(page_mark(m.page) for m in block.pages if m.offset < 0)
        items: list[str] = []
        start = 0
        for event in block.events or []:
            inside = [PageMark(m.offset - start, m.page) for m in block.pages
                      if start <= m.offset < start + len(event)]
            items.append(f"<li>{text_html(event, inside, linker)}</li>")
            start += len(event)
        head = toc.heading(level, block.text, anchor)
        return (f"<p>{before}</p>\n" if before else "") + f'{head}\n<ul class="{EVENTS}">{"".join(items)}</ul>'
    raise ValueError(f"unknown block type {block.type}")


# paragraphs whose printed number is announced as a heading (PROVISION_HEADING): articles and numbered
# paragraphs (a notice's 六、 when it runs into its text); not items （一）, which are inside them
PROVISION_HEADING_ROLES = ("article", "hd")


def heading_levels(doc: Document) -> dict[int, int]:
    """Levels that never skip one (h1 title, then h2, h3…): the structure's levels say which
    heading is inside which, but a document may start at any of them. A labelled article or
    numbered paragraph gets the level its number is announced at: one below the heading it is
    under (an article) or that of the headings it numbers on with (六、 after the heading 五、)."""
    levels: dict[int, int] = {}
    stack: list[tuple[int, int]] = []  # (structure level, output level) of the headings
    numbered: list[tuple[int, int]] = []  # the same of the numbered paragraphs
    for n, block in enumerate(doc.blocks):
        provision = block.type == "paragraph" and block.role in PROVISION_HEADING_ROLES and block.label
        if block.type not in ("heading", "day") and not provision:
            continue
        if block.type == "paragraph" and block.role == "article":
            levels[n] = min(6, (stack[-1][1] if stack else 1) + 1)
            continue
        wanted = block.level if block.type != "day" else 2
        # numbered paragraphs nest among themselves (（一） then 1．) in a stack of their own, so that
        # the levels of the headings stay those they had before paragraphs were levelled
        numbered = [s for s in numbered if s[0] < wanted]
        if block.type == "paragraph":
            parents = [s for s in stack if s[0] < wanted] + numbered
            out = min(6, max((s[1] for s in parents), default=1) + 1)
            numbered.append((wanted, out))
        else:
            while stack and stack[-1][0] >= wanted:
                stack.pop()
            out = min(6, (stack[-1][1] if stack else 1) + 1)
            stack.append((wanted, out))
        levels[n] = out
    return levels


@dataclass
class RenderedDocument:
    title: Markup  # the page marks printed before the title, and the <h1>
    body: Markup  # every block after the title


def render_document(doc: Document, toc: PageToc, links=None, base: str = "") -> RenderedDocument:
    """A document's title and body as HTML; their headings go into `toc`. With `links`
    (crosslink.Links) cited document numbers are linked; `base` is the page's path to the site root."""
    linker = CitationLinker(links, base, doc.doc_number) if links is not None else None
    levels = heading_levels(doc)
    title, parts = "", []
    for n, block in enumerate(doc.blocks):
        if block.type == "title":
            marks = _marks(block)
            title = (f"<p>{marks}</p>\n" if marks else "") + str(toc.heading(1, block.text))
            continue
        parts.append(block_html(block, toc, levels.get(n, 2), linker))
    return RenderedDocument(Markup(title), Markup("\n".join(parts)))
