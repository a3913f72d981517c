"""Cross-links between documents, and the status (废止/修改/保留) one document gives another.

Everything here is computed once per build from the converted documents, in time proportional to
the archive's total text; rendering a page then only looks things up.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from .citations import find_citations
from .ids import cited_url
from .model import Document
from .text import cn_to_int, normalise_doc_number, number_parts

STATUS_LABEL = {"废止": "已废止", "修改": "已修改（或列为需修改）", "保留": "经清理保留"}

# What may follow a citation before "第N条": closing brackets and a title.
ARTICLE_AFTER_RE = re.compile(r"^[〕）)》\]」』]*\s*(?:《[^》]{0,60}》)?\s*第([零〇一二两三四五六七八九十百千\d]+)条")
# the number in brackets may print its year in brackets too: （连政规发(2020)3号）
ABOLISH_RE = re.compile(r"《[^》]{1,120}》\s*[（(](?:[^（）()]|[（(]\d{4}[）)]){0,40}?号\s*[）)]\s*(?:同时|一并)?(?:予以)?废止")
TAG_RE = re.compile(r"(<[^>]*>)")
# A title printed right before a cited number: 《国务院关于印发促进大数据发展行动纲要的通知》（国发〔2015〕50号）
TITLE_BEFORE_RE = re.compile(r"《([^《》\n]{2,120})》\s*[（(]\s*$")
# Column heads of a clean-up list (规范性文件清理目录), as the gazettes print them.
NUMBER_HEADS = ("文号", "发文字号", "发文文号", "文件编号", "文件字号", "字号")
NOTE_HEADS = ("备注", "清理意见", "清理结果", "处理意见", "处理结果", "清理情况", "清理类别")
NAME_HEADS = ("文件名称", "文件标题", "规范性文件名称", "标题", "名称")


def _column(header: list[str], heads: tuple[str, ...]) -> int | None:
    return next((header.index(h) for h in heads if h in header), None)


@dataclass
class Status:
    status: str  # 废止 | 修改 | 保留
    by: Document  # the document that says so
    anchor: str | None = None  # where in it
    note: str = ""

    def as_json(self) -> dict:
        return {"status": self.status, "by": self.by.id, "by_number": self.by.doc_number,
                "anchor": self.anchor, "note": self.note}


@dataclass
class Citer:
    doc: Document
    anchors: list[str] = field(default_factory=list)  # where in the citing document (first few)


@dataclass
class Links:
    by_number: dict[str, Document]
    cited_by: dict[str, list[Citer]]  # number -> citing documents, archive order
    statuses: dict[str, list[Status]]
    titles: dict[str, str]  # number -> a title found for it (from clean-up tables), when not in the archive
    # number -> (title, the document whose text prints that title beside the number), the first one found
    titles_cited: dict[str, tuple[str, Document]] = field(default_factory=dict)
    _anchors: dict[str, set[str]] = field(default_factory=dict)  # document id -> its anchors, when asked

    def has_anchor(self, doc: Document, anchor: str) -> bool:
        if doc.id not in self._anchors:  # once per document, not once per citation of it
            self._anchors[doc.id] = set(doc.anchors)
        return anchor in self._anchors[doc.id]

    def external_numbers(self) -> list[str]:
        """Numbers cited or given a status that the archive does not hold (normalised, so they parse:
        each gets a cited/ page named after it)."""
        seen = [n for n in self.cited_by if n not in self.by_number]
        seen += [n for n in self.statuses if n not in self.by_number and n not in self.cited_by]
        return [n for n in seen if number_parts(n)]


def _norm(number: str) -> str | None:
    parts = number_parts(re.sub(r"\s+", "", number or ""))
    if not parts:
        found = find_citations(number or "")
        return found[0].number if found else None
    return normalise_doc_number(*parts)


def _block_texts(doc: Document):
    for block in doc.blocks:
        if block.text:
            yield block.anchor, block.text
        for event in block.events or []:
            yield block.anchor, event
        for row in block.rows or []:
            for cell in row:
                yield block.anchor, cell


def _table_statuses(doc: Document, out: dict[str, list[Status]], titles: dict[str, str]) -> None:
    """A clean-up list: a table with a number column (文号, 发文字号…); a note column (备注, 清理意见…)
    says 废止/修改 (blank = 保留), or the heading over the table says what the whole table is
    (废止的规范性文件目录)."""
    heading = ""
    anchor = None
    for block in doc.blocks:
        if block.anchor:
            anchor = block.anchor
        if block.type == "heading":
            heading = block.text
            continue
        if block.type != "table" or not block.rows:
            continue
        header = [c.strip().replace(" ", "") for c in block.rows[0]]
        num_col = _column(header, NUMBER_HEADS)
        if num_col is None:
            continue
        note_col = _column(header, NOTE_HEADS)
        name_col = _column(header, NAME_HEADS)
        default = next((s for s in ("废止", "修改", "保留") if s in heading), None)
        if note_col is None and default is None:
            continue
        for row in block.rows[1:]:
            if len(row) <= num_col or row[num_col].strip() in ("", *NUMBER_HEADS):
                continue
            number = _norm(row[num_col])
            if not number or number == doc.doc_number:
                continue
            note = row[note_col].strip() if note_col is not None and len(row) > note_col else ""
            status = next((s for s in ("废止", "修改") if s in note), None) or default or "保留"
            out.setdefault(number, []).append(Status(status, doc, anchor, "清理目录"))
            name = row[name_col].strip() if name_col is not None and len(row) > name_col else ""
            if name.startswith("《") and name.endswith("》"):  # pages put the marks round it themselves
                name = name[1:-1]
            if name:
                titles.setdefault(number, name)


def _text_statuses(doc: Document, out: dict[str, list[Status]]) -> None:
    amending = "修改" in doc.title and "决定" in doc.title
    seen: set[tuple[str, str]] = set()
    for anchor, text in _block_texts(doc):
        for m in ABOLISH_RE.finditer(text):
            for c in find_citations(m.group(0)):
                if c.number != doc.doc_number and (c.number, "废止") not in seen:
                    seen.add((c.number, "废止"))
                    out.setdefault(c.number, []).append(Status("废止", doc, anchor, "同时废止"))
    if amending:
        for number in doc.cites:
            if (number, "废止") not in seen and (number, "修改") not in seen:
                seen.add((number, "修改"))
                out.setdefault(number, []).append(Status("修改", doc, None, "修改决定"))


def build_links(docs: list[Document]) -> Links:
    by_number = {d.doc_number: d for d in docs if d.doc_number}
    cited_by: dict[str, list[Citer]] = {}
    statuses: dict[str, list[Status]] = {}
    titles: dict[str, str] = {}
    titles_cited: dict[str, tuple[str, Document]] = {}
    for doc in docs:
        where: dict[str, list[str]] = {}
        for anchor, text in _block_texts(doc):
            for c in find_citations(text):
                if c.number != doc.doc_number:
                    if c.number not in titles_cited:
                        m = TITLE_BEFORE_RE.search(text[max(0, c.start - 130):c.start])
                        if m:
                            titles_cited[c.number] = (m.group(1), doc)
                    lst = where.setdefault(c.number, [])
                    if anchor and anchor not in lst and len(lst) < 5:
                        lst.append(anchor)
        for number in doc.cites:
            where.setdefault(number, [])
        for number, anchors in where.items():
            cited_by.setdefault(number, []).append(Citer(doc, anchors))
        _table_statuses(doc, statuses, titles)
        _text_statuses(doc, statuses)
    return Links(by_number, cited_by, statuses, titles, titles_cited)


def link_citations(markup: str, links: Links, base: str, self_number: str | None = None) -> str:
    """Turn every cited document number in the text of `markup` (outside tags and existing links)
    into a link: to the document (and article) when in the archive, else to its cited/ page.
    `base` is the relative path from the page to the site root (e.g. "../../")."""
    parts = TAG_RE.split(markup)
    in_link = 0
    out = []
    for n, part in enumerate(parts):
        if n % 2 == 1:  # a tag
            low = part.lower()
            if low.startswith("<a ") or low == "<a>":
                in_link += 1
            elif low.startswith("</a"):
                in_link = max(0, in_link - 1)
            out.append(part)
            continue
        if in_link or not part:
            out.append(part)
            continue
        text = html.unescape(part)
        cites = find_citations(text)
        if not cites:
            out.append(part)
            continue
        pieces, last = [], 0
        for c in cites:
            pieces.append(html.escape(text[last:c.start], quote=False))
            label = html.escape(text[c.start:c.end], quote=False)
            doc = links.by_number.get(c.number)
            if doc is not None and c.number == self_number:
                pieces.append(label)
            elif doc is not None:
                href = base + doc.url
                m = ARTICLE_AFTER_RE.match(text[c.end:])
                if m:
                    art = cn_to_int(m.group(1))
                    if art and links.has_anchor(doc, f"art_{art}"):
                        href += f"#art_{art}"
                title = html.escape(doc.title, quote=True)
                pieces.append(f'<a class="cite cite-archive" href="{href}" title="{title}">{label}</a>')
            else:
                href = base + cited_url(c.number)
                # its tooltip (the same on every one) is set by gazette.js
                pieces.append(f'<a class="cite cite-external" href="{href}">{label}</a>')
            last = c.end
        pieces.append(html.escape(text[last:], quote=False))
        out.append("".join(pieces))
    return "".join(out)
