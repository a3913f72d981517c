"""Page generation: the converted archive -> every page of the Simplified site, as JSON front matter
and an HTML body (frontmatter.py; document bodies from render.py, the rest from the autoescaping
templates in converters/templates/), and the nav.

Every page is rendered from facts computed once for the archive (crosslink.build_links); a document
page only looks up its own neighbours, citations and status, so no page grows with the archive.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import jinja2

from .. import crosslink
from ..archive import load_archive
from ..config import Config
from ..ids import cited_url, name_slug, number_slug
from ..indicators import period_span
from ..model import Document, IssueResult
from ..redirects import anchor_aliases_by_page
from ..render import CLASSES, PageToc, render_document
from ..text import number_parts
from .common import DATA_ROOT, chunked
from .citing import cite_data, document_head, provenance
from .frontmatter import page_text
from .memo import PageMemo, RecordingLinks
from .labels import (document_label, issue_date, issue_label, issue_short_label, page_range,
                     with_document_dates)
from .statistics import CHART_PERIODS, overview, period_label, statistics_table

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
SOURCE_FORMATS = {"pdf-text": "PDF 文本提取", "pdf-markdown": "PDF 转 Markdown"}
STATUS_CSS = {"废止": "abolished", "修改": "amended", "保留": "kept"}
# No page grows with the archive, even for a regulation that hundreds of later documents cite: a
# document page shows its latest citers, and every full list is split into pages of a fixed length.
CITED_BY_ON_PAGE = 20
CITED_BY_PER_PAGE = 100


def _env() -> jinja2.Environment:
    """The page templates' environment. Templates write HTML and every value is escaped (autoescape):
    titles, names and numbers come from sources; only render.py's output and the charts drawn below
    are passed in as markup."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                             undefined=jinja2.StrictUndefined)
    env.filters.update(document_label=document_label, issue_label=issue_label, issue_short_label=issue_short_label,
                       issue_date=issue_date, page_range=page_range, cited_url=cited_url)
    env.globals.update(STATUS_CSS=STATUS_CSS, STATUS_LABEL=crosslink.STATUS_LABEL,
                       C=type("Classes", (), CLASSES))
    return env


class Pages:
    """Collects the generated pages: docs_dir-relative path -> its file, front matter and HTML body
    (frontmatter.page_text; a .md file, so that MkDocs takes it for a page; engine.py hands its body
    to the theme as it is)."""

    def __init__(self, added: Callable[[str, str], None] | None = None) -> None:
        self.files: dict[str, str] = {}
        self.kept: set[str] = set()  # pages not rendered: the last build's, on disk as they are (memo.py)
        self.titles: dict[str, str] = {}  # the title of each page rendered (its front matter's)
        self._added = added  # told of each page's file as it is made (traditional.EarlyConversion)

    def add(self, path: str, meta: dict, body: str) -> None:
        if meta.get("title") is not None:
            self.titles[path] = str(meta["title"])
        self.files[path] = text = page_text(meta, body)
        if self._added is not None:
            self._added(path, text)


def page_file(url: str) -> str:
    """The generated Markdown file of a page URL: doc/lzgf-2019-2/ -> doc/lzgf-2019-2.md."""
    return url.rstrip("/") + ".md"


def list_pages(url: str, items: list, size: int = CITED_BY_PER_PAGE) -> list[tuple[str, list]]:
    """`items` in pages of `size`: the first at `url`, the n-th at `url` + "n/"."""
    return [(url if n == 1 else f"{url}{n}/", chunk) for n, chunk in enumerate(chunked(items, size), 1)]


def base_for(path: str) -> str:
    """Relative path from the page that `path` (docs_dir-relative .md) becomes, to the site root."""
    if path == "index.md":
        return ""
    depth = path.count("/") + 1  # doc/x.md -> doc/x/ (2 levels); search.md -> search/ (1)
    return "../" * depth


def browse_pages(render, docs: list[Document], external: list[str], links) -> None:
    """browse/{category,issuer,number}/ and their year pages browse/<kind>/<year>/."""
    def grouped(items):  # [(name, year, item)] -> overview rows and {year: [(name, [item])]}
        names: dict[str, dict[int, list]] = defaultdict(lambda: defaultdict(list))
        for name, year, item in items:
            names[name][year].append(item)
        rows, by_year = [], defaultdict(list)
        for name in sorted(names, key=lambda n: (name_slug(n), n)):  # in pinyin order
            anchor = name_slug(name)
            years = sorted(names[name].items())
            rows.append({"name": name, "anchor": anchor, "total": sum(len(v) for _, v in years),
                         "years": [(y, len(v)) for y, v in years]})
            for y, v in years:
                by_year[y].append({"name": name, "anchor": anchor, "items": v})
        return rows, by_year

    for kind, heading, column, intro, key in (
            ("category", "按类别浏览", "类别", "原刊目录的栏目；点年份看该年的文件。", lambda d: d.category or "其他"),
            ("issuer", "按发文机关浏览", "发文机关", "以文末署名为准；点年份看该年的文件。", lambda d: d.issuer or "（未署名）")):
        rows, by_year = grouped((key(d), d.issue.year, d) for d in docs)
        render("browse_overview.html.j2", f"browse/{kind}.md", {"title": heading},
               heading=heading, column=column, intro=intro, groups=rows)
        for year, groups in by_year.items():
            for g in groups:
                g["docs"] = sorted(g.pop("items"), key=lambda d: (d.issue.date or "", d.issue.id, d.order))
            render("browse_year.html.j2", f"browse/{kind}/{year}.md", {"title": f"{heading}：{year}年"},
                   heading=heading, column=column, year=year, years=sorted(by_year), groups=groups)

    # numbers: by series (the prefix, 连政办发) and the year printed in the number, collected or only cited
    # (a number that does not parse is filed under itself and its issue's year; cited ones all parse)
    parts = []
    for number, issue_year in [(d.doc_number, d.issue.year) for d in docs if d.doc_number] + [(n, 0) for n in external]:
        prefix, year, num = number_parts(number) or (number, issue_year, 0)
        parts.append((prefix, year, (num, number)))
    rows, by_year = grouped(parts)
    render("browse_overview.html.j2", "browse/number.md", {"title": "按文号浏览"}, heading="按文号浏览",
           column="文号", intro="发文字号按字头归类，年份为文号中的年份；含本站收录的文件和被引用但未收录的文号。",
           groups=rows)
    for year, groups in by_year.items():
        for g in groups:
            numbers = list(dict.fromkeys(n for _, n in sorted(g.pop("items"))))
            g["docs"] = [links.by_number[n] for n in numbers if n in links.by_number]
            g["external"] = [n for n in numbers if n not in links.by_number]
        render("browse_number_year.html.j2", f"browse/number/{year}.md", {"title": f"按文号浏览：〔{year}〕"},
               year=year, years=sorted(by_year), groups=groups, links=links)


def source_line_ends(issues: list[IssueResult], root: Path) -> dict[str, int]:
    """document id -> the last source line it was converted from: the line before the next document's
    first, or the source's last line."""
    ends: dict[str, int] = {}
    for r in issues:
        ordered = sorted(r.documents, key=lambda d: d.order)
        try:
            total = (root / r.source).read_text(encoding="utf-8").count("\n") + 1
        except OSError:
            total = max((b.lineno for d in ordered for b in d.blocks), default=0)
        for doc, after in zip(ordered, ordered[1:] + [None]):
            ends[doc.id] = max(doc.lineno, (after.lineno - 1) if after else total)
    return ends


def generate(results: list[IssueResult], config: Config, build: Path, memo: PageMemo | None = None,
             added: Callable[[str, str], None] | None = None) -> tuple[Pages, list, dict]:
    """Every page of the Simplified site, the nav and the data. With `memo` (an incremental build), a
    document page, a cited number's page and a list of citers whose inputs are those of the last
    build are kept as that build wrote them (memo.py). `added(path, file)` is told of each page made."""
    env = _env()
    pages = Pages(added)
    with_document_dates(results)  # an issue without a printed number is named by its documents' dates
    docs = [d for r in results for d in r.documents]
    links = crosslink.build_links(docs)
    anchor_aliases = anchor_aliases_by_page(build.parent, docs)  # each page's own (aliases.yml)
    issues = sorted(results, key=lambda r: (r.meta.year, r.meta.date or "9999", r.meta.number or 0, r.meta.id))
    years: dict[int, list[IssueResult]] = defaultdict(list)
    for r in issues:
        years[r.meta.year].append(r)
    site_url = config.site_url.rstrip("/") + "/" if config.site_url else ""

    def kept(path: str, key: str | None, lookups=None) -> bool:
        """The page is the last build's (memo.py), and is kept as it is on disk."""
        if memo is not None and key is not None and memo.kept(path, key, lookups):
            pages.kept.add(path)
            return True
        return False

    def render(template: str, path: str, meta: dict, toc: PageToc | None = None, remember: bool = False,
               **ctx) -> None:
        """Render `template` to the page `path`; with `remember`, keep the last build's page when its
        inputs (the template, the path, `meta` and `ctx`) are the same."""
        key = memo.key(template, path, meta, ctx) if remember and memo is not None else None
        if kept(path, key):
            return
        if key is not None and memo is not None:
            memo.record(path, key)
        base = base_for(path)
        toc = toc or PageToc()
        body = env.get_template(template).render(base=base, data=base + DATA_ROOT, site_name=config.site_name,
                                                  toc=toc, **ctx)
        if "description" not in meta and meta.get("title"):  # every page describes itself (search results, links)
            meta = {**meta, "description": f"《{config.site_name}》{meta['title']}"}
        pages.add(path, {**meta, "toc": toc.as_meta()}, body)

    # home, years, issues
    latest = issues[-1] if issues else None
    # no title of its own: the theme names the home page after the site (once)
    render("home.html.j2", "index.md", {"hide": ["toc"], "description": f"《{config.site_name}》全文档案：历年各期公报所载文件的全文，条款可逐条引用，简体、繁体两种字形。"},
           latest=latest, years=sorted(years.items(), reverse=True), issue_count=len(issues), doc_count=len(docs))
    for year, rs in years.items():
        render("year.html.j2", f"year/{year}.md", {"title": f"{year}年",
               "description": f"《{config.site_name}》{year}年各期目录。"}, year=year, issues=rs)
    for r in issues:
        # the contents by category, each category once, in the order the issue first prints it (a
        # category printed again further on is the same one); a category's anchor is its name's
        # (the same in every issue)
        by_category: dict[str, list[Document]] = {}
        for d in sorted(r.documents, key=lambda d: d.order):
            by_category.setdefault(d.category or "其他", []).append(d)
        groups: list[tuple[str, str, list[Document]]] = []
        anchors: set[str] = set()
        for cat, members in by_category.items():
            anchor = name_slug(cat)
            while anchor in anchors:
                anchor += "-2"
            anchors.add(anchor)
            groups.append((cat, anchor, members))
        render("issue.html.j2", page_file(r.meta.url),
               {"title": f"{issue_label(r.meta)}",
                "description": f"《{config.site_name}》{issue_label(r.meta)}目录，共{len(r.documents)}件。"},
               issue=r, groups=groups)

    # documents: what each changes (the statuses it gives others), where its source lines end
    changes: dict[str, list] = defaultdict(list)
    for number, sts in links.statuses.items():
        for st in sts:
            changes[st.by.id].append((number, st, links.by_number.get(number)))
    sources = {s.meta.id: s for s in load_archive(build.parent / "docs_src")}
    ends = source_line_ends(issues, build.parent)

    def lookups(numbers: list[str]) -> str | None:
        return memo.key.lookups(numbers, links.by_number) if memo is not None else None

    for r in issues:
        ordered = sorted(r.documents, key=lambda d: d.order)
        for n, doc in enumerate(ordered):
            path = page_file(doc.url)
            base = base_for(path)
            statuses = links.statuses.get(doc.doc_number or "", [])
            citers = [c for c in links.cited_by.get(doc.doc_number or "", []) if c.doc.id != doc.id]
            cites = [(num, links.by_number.get(num)) for num in doc.cites]
            all_citers = None
            if len(citers) > CITED_BY_ON_PAGE:
                all_citers = list_pages(f"{doc.url}cited-by/", citers)
                for current, (url, chunk) in enumerate(all_citers, 1):
                    render("cited_by.html.j2", page_file(url), {"title": f"被引用：{doc.title}", "template": "cited.html"},
                           remember=True, doc=doc, citers=chunk, total=len(citers), urls=[u for u, _ in all_citers],
                           current=current)
            # everything the page below is made of, before any of it is rendered (memo.py)
            key = memo.key("doc.html.j2", path, doc, r, statuses, citers, cites, ordered[n - 1] if n else None,
                             ordered[n + 1] if n + 1 < len(ordered) else None, changes.get(doc.id, []),
                             anchor_aliases.get(doc.id, ""), sources.get(r.meta.id), ends.get(doc.id),
                             site_url) if memo is not None else None
            if kept(path, key, lookups):
                continue
            toc = PageToc()
            recording = RecordingLinks(links) if key is not None else None
            rendered = render_document(doc, toc, recording or links, base)
            if key is not None and memo is not None and recording is not None:
                memo.record(path, key, recording.looked_up, lookups(recording.looked_up))
            description, head = document_head(doc, config, site_url, changes.get(doc.id, []))
            render("doc.html.j2", path, {"title": document_label(doc), "searchable": True, "doc_id": doc.id,
                                         "description": description, "official": head}, toc=toc,
                   doc=doc, rendered=rendered, issue=r, statuses=statuses, citers=citers[-CITED_BY_ON_PAGE:],
                   citer_count=len(citers), all_citers_url=all_citers[0][0] if all_citers else None, cites=cites,
                   prev=ordered[n - 1] if n else None, next=ordered[n + 1] if n + 1 < len(ordered) else None,
                   cite=cite_data(doc, config.site_name),
                   provenance=provenance(doc, r, config, sources.get(r.meta.id), ends.get(doc.id)),
                   changes=changes.get(doc.id, []), anchor_aliases=anchor_aliases.get(doc.id, ""))

    # documents cited but not in the archive
    external = links.external_numbers()
    for number in external:
        citers = links.cited_by.get(number, [])
        chunks = list_pages(cited_url(number), citers)
        for current, (url, chunk) in enumerate(chunks, 1):
            render("cited.html.j2", page_file(url), {"title": number, "template": "cited.html"}, remember=True,
                   number=number, citers=chunk, total=len(citers), urls=[u for u, _ in chunks], current=current,
                   statuses=links.statuses.get(number, []), title=links.titles.get(number),
                   title_cited=links.titles_cited.get(number))

    # indexes: an overview (one row per category, issuer or number series, with its years) and one
    # page per year, so that no page lists the whole archive (a year holds a few hundred documents)
    browse_pages(render, docs, external, links)

    render("about.html.j2", "about.md", {"title": "关于本站",
           "description": f"《{config.site_name}》开源全文档案：资料来源、转换方法、引用格式和纠错。"},
           issues=issues, repo_url=config.repo_url, formats=SOURCE_FORMATS,
           source_urls={i: s.source_url for i, s in sources.items() if s.source_url})

    # statistics and search
    stats, series = statistics_table(docs)
    labels = [period_label(d) for d in stats]
    # the tables are one page per year (a column per period, the year the period is in)
    columns: dict[int, list[int]] = defaultdict(list)
    for col, d in enumerate(stats):
        span = period_span(d.period)
        columns[int(span[0][:4]) if span else d.issue.year].append(col)
    render("statistics.html.j2", "statistics.md", {"title": "经济指标",
           "description": f"《{config.site_name}》所载主要经济指标：同比增长按期别、累计值按各年同期比较，附数据表。"},
           figures=overview(stats, series), years=sorted(columns), periods=CHART_PERIODS)
    for year, cols in columns.items():
        rows = [{"name": s.label, "known": s.known, "values": [s.values[c] for c in cols],
                 "growth": [s.growth[c] for c in cols], "printed": [s.converted.get(c) for c in cols]}
                for s in series]
        render("statistics_year.html.j2", f"statistics/{year}.md", {"title": f"经济指标：{year}年"},
               year=year, years=sorted(columns), stats=[stats[c] for c in cols], labels=[labels[c] for c in cols],
               series=[r for r in rows if any(v is not None for v in r["values"] + r["growth"])])
    # a cited number the archive does not hold is found as its cited/ page: the search page makes its
    # slug from the initials of its prefix (ids.number_slug), which need pinyin, so it gets them here
    cited_prefixes = {parts[0]: number_slug(n).split("-")[0] for n in external if (parts := number_parts(n))}
    render("search.html.j2", "search.md", {"title": "全文检索", "hide": ["toc"]},
           cited_prefixes=dict(sorted(cited_prefixes.items())))

    # The years sit in one section: with navigation.prune a page outside it (every document page)
    # carries one collapsed entry, not one per year, so its size does not grow with the archive.
    nav = [{"首页": "index.md"}]
    if years:
        nav.append({"历年公报": [
            {f"{year}年": [f"year/{year}.md"]
             + [{issue_label(r.meta) + (f"（{r.meta.date}）" if r.meta.date and r.meta.number else ""):
                 page_file(r.meta.url)}
                for r in years[year]]}
            for year in sorted(years, reverse=True)]})
    nav.append({"索引": ["browse/category.md", "browse/issuer.md", "browse/number.md"]})
    nav += [{"经济指标": "statistics.md"}, {"全文检索": "search.md"}]
    data = {"docs": docs, "stats": stats, "issues": issues, "links": links, "site_url": site_url,
            "search_urls": [d.url for r in issues for d in sorted(r.documents, key=lambda d: d.order)]}
    return pages, nav, data
