"""What a document page tells a reader (and gazette.js) to cite it: the official facts as printed, and
for each citable provision its printed label, the enclosed text it belongs to, and its printed page
only where the archive knows it.

The facts travel in one data attribute of the facts box (``data-cite``, JSON). Data attributes are not
converted to Traditional (variant.py converts only text attributes), so a Traditional page cites the
official document number and title as printed, in Simplified characters.
"""

from __future__ import annotations

import json

from ..model import Block, Document
from .labels import issue_label, page_range


def _marked_pages(doc: Document) -> set[int]:
    return {m.page for b in doc.blocks for m in b.pages}


def _label(block: Block) -> str:
    if block.type == "heading":
        sep = block.sep or ("　" if block.label and block.text else "")
        return f"{block.label or ''}{sep}{block.text}".strip()
    return (block.label or "").strip()


def provisions(doc: Document) -> dict[str, list]:
    """anchor -> [printed label, printed page or None, the part it is in or None] for every article
    (or, in a document without articles, every numbered heading), in document order.

    The page is the page the provision starts on: the last page start p before its first character (or
    the document's first page). It is known only when the text also shows where page p + 1 begins (or p
    is the document's last page): a PDF-text dump marks every page start from its running footers, a
    PDF-to-Markdown dump only the page a document starts on, so there the page of a provision is None
    and the citation gives the document's page range. The part is the enclosed text's title in 《》 (第十五条 of a
    notice enclosing rules is the rules' article) or an attachment's printed label (附件1)."""
    marked = _marked_pages(doc)
    last = doc.pages[1] if doc.pages else None
    page = doc.pages[0] if doc.pages else None
    has_articles = any(b.role == "article" and b.anchor for b in doc.blocks)
    within: str | None = None
    out: dict[str, list] = {}
    for block in doc.blocks:
        if block.role == "enclosure" and block.type == "heading":
            within = f"《{block.text}》"
        elif block.role == "attachment" and block.type == "heading":
            within = "".join(f"{block.label or ''}{block.text}".split())
        at_start = [m.page for m in block.pages if m.offset <= 0 or not block.text[:m.offset].strip()]
        if at_start:
            page = at_start[-1]
        citable = block.anchor and (
            (block.role == "article" and block.type == "paragraph") if has_articles
            else (block.type == "heading" and block.role == "hd"))
        if citable:
            known = page is not None and (page == last or page + 1 in marked)
            out[block.anchor] = [_label(block), page if known else None, within]
        if block.pages:
            page = max(block.pages, key=lambda m: m.offset).page
    return out


def cite_data(doc: Document, journal: str) -> str:
    """The facts box's data-cite attribute value (JSON; the template escapes it): the journal, the issue as
    the site names it, the document's pages, number, title and issuer, and its provisions (provisions())."""
    return json.dumps({
        "journal": journal,
        "issue": issue_label(doc.issue),
        "year": doc.issue.year,
        "number": doc.issue.number,
        "pages": list(doc.pages) if doc.pages else None,
        "docNumber": doc.doc_number,
        "title": doc.title,
        "issuer": doc.issuer,
        "provisions": provisions(doc),
    }, ensure_ascii=False, separators=(",", ":"))


def _absolute(site_url: str, url: str) -> str | None:
    return site_url + url if site_url else None


def document_head(doc: Document, config, site_url: str, changes: list) -> tuple[str, str]:
    """A document page's meta description, and its machine-readable citation as the page's `official`
    front matter: `citation_*` meta tags (Zotero, scholar tools) and schema.org JSON-LD, as JSON with
    only ASCII characters, so that the Traditional page (whose front matter is converted) carries the
    official facts as printed. overrides/main.html writes them (engine.py decodes the JSON).

    Only what the archive knows is said: an unknown issue number, date or page is left out."""
    issue = doc.issue
    parts = [doc.doc_number, doc.issuer, doc.date and f"成文日期{doc.date}"]
    description = "，".join(p for p in parts if p)
    description = (description + "。" if description else "") + f"载《{config.site_name}》{issue_label(issue)}{page_range(doc.pages)}。"
    url = _absolute(site_url, doc.url)
    tags = [["citation_title", doc.title], ["citation_journal_title", config.site_name],
            ["citation_publication_date", (issue.date or str(issue.year)).replace("-", "/")]]
    if issue.number:
        tags.append(["citation_issue", str(issue.number)])
    if doc.pages:
        tags += [["citation_firstpage", str(doc.pages[0])], ["citation_lastpage", str(doc.pages[1])]]
    if doc.issuer:
        tags += [["citation_publisher", doc.issuer], ["citation_author", doc.issuer]]
    if doc.date:
        tags.append(["citation_date", doc.date.replace("-", "/")])
    tags.append(["citation_language", "zh"])
    if url:
        tags.append(["citation_abstract_html_url", url])
    ld: dict = {"@context": "https://schema.org",
                "@type": "Legislation" if doc.kind == "document" else "CreativeWork",
                "name": doc.title, "inLanguage": "zh-Hans"}
    if url:
        ld["url"] = url
    if doc.kind == "document":
        if doc.doc_number:
            ld["legislationIdentifier"] = doc.doc_number
        if doc.date:
            ld["legislationDate"] = doc.date
        if doc.issuer:
            ld["legislationPassedBy"] = {"@type": "GovernmentOrganization", "name": doc.issuer}
        changed = []
        for number, status, target in changes:
            if status.status in ("废止", "修改"):
                item = {"@type": "Legislation", "legislationIdentifier": number}
                if target is not None and site_url:
                    item["url"] = site_url + target.url
                changed.append(item)
        if changed:
            ld["legislationChanges"] = changed  # amends or repeals (schema.org: either is a change)
    periodical = {"@type": "Periodical", "name": config.site_name}
    part: dict = {"@type": "PublicationIssue", "isPartOf": periodical}
    if issue.number:
        part["issueNumber"] = str(issue.number)
    if issue.date:
        part["datePublished"] = issue.date
    ld["isPartOf"] = part
    if doc.pages:
        ld["pageStart"], ld["pageEnd"] = str(doc.pages[0]), str(doc.pages[1])
    return description, json.dumps({"citation": tags, "jsonld": ld}, ensure_ascii=True, separators=(",", ":"))


def provenance(doc: Document, result, config, source, end_line: int | None) -> dict:
    """Where a document page's text comes from: the source file and its lines (linked in the repository
    when gazette.yml names it), the official original (issue.yml's source_url) and the error-report form."""
    from urllib.parse import urlencode

    first, last = doc.lineno, end_line or doc.lineno
    repo = config.repo_url
    page_url = (config.site_url.rstrip("/") + "/" + doc.url) if config.site_url else doc.url
    return {
        "file": doc.source,
        "lines": (first, last),
        "href": f"{repo}/blob/main/{doc.source}#L{first}-L{last}" if repo else None,
        "source_url": source.source_url if source is not None else None,
        "report": (f"{repo}/issues/new?" + urlencode({"title": f"纠错：{doc.title}", "body": f"页面：{page_url}\n\n"}))
        if repo else None,
    }
