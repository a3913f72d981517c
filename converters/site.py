"""The site stage: converted documents -> MkDocs sources (zh-Hans, zh-Hant) -> site/ + search + data.

    build/site_src/zh-Hans/   Markdown pages generated from converters/templates/ (jinja2)
    build/site_src/zh-Hant/   the same pages converted to Traditional characters (same paths, same ids)
    build/nav.yml             the generated nav (home, years, issues), INHERITed by ./mkdocs.yml
    build/mkdocs.zh-Hant.yml  the Traditional site's config (INHERITs ./mkdocs.yml)
    build/search_view/        what Pagefind indexes: a lean copy of each Simplified document page
    build/search_index/<n>/   each search shard's index as last built, reused while its pages are the same
    site/                     zh-Hans; site/zh-Hant/ the Traditional site; site/pagefind/ the search
                              index (one, in Simplified, for both sites); site/api/ the data; site/feed.xml

Every page is rendered from facts computed once for the archive (crosslink.build_links); a
document page only looks up its own neighbours, citations and status.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import jinja2
import yaml

from . import crosslink
from .cache import jobs
from .config import Config
from .emit import YAML_DUMPER, markdown_body
from .ids import cited_url, name_slug
from .model import Document, IssueResult
from .variant import get_converter
from .search_map import count_aligned, write_script_map
from .search_view import search_view
from .text import number_parts
from .workers import child_setup, worker_pool

HANS = "zh-Hans"
HANT = "zh-Hant"
TEMPLATES = Path(__file__).parent / "templates"
# Data files (api/, feed.xml) exist once, at the Simplified root: Traditional pages reach them one level up.
DATA_ROOT = "__DATA_ROOT__"
# api/ JSON without indentation or spaces after separators (readers parse it; −11 % of api/docs/*.json)
COMPACT = (",", ":")
STATUS_CSS = {"废止": "abolished", "修改": "amended", "保留": "kept"}
# No page grows with the archive, even for a regulation that hundreds of later documents cite: a
# document page shows its latest citers, and every full list is split into pages of a fixed length.
CITED_BY_ON_PAGE = 20
CITED_BY_PER_PAGE = 100


def log(message: str) -> None:
    print(f"site: {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- helpers for templates

def issue_label(meta) -> str:
    return f"{meta.year}年第{meta.number}期" if meta.number else f"{meta.year}年（期号未载明）"


def issue_date(meta) -> str:
    return meta.date or "出版日期未载明"


def page_range(pages) -> str:
    if not pages:
        return ""
    first, last = pages
    return f"第{first}页" if first == last else f"第{first}–{last}页"


def esc(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=False,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                             undefined=jinja2.StrictUndefined)
    env.filters.update(e=esc, issue_label=issue_label, issue_date=issue_date, page_range=page_range,
                       cited_url=cited_url)
    env.globals.update(STATUS_CSS=STATUS_CSS, STATUS_LABEL=crosslink.STATUS_LABEL)
    return env


# ---------------------------------------------------------------- statistics

INDICATOR_PREFIX = re.compile(r"^[一二三四五六七八九十]+、")


def indicator_key(name: str) -> str:
    name = INDICATOR_PREFIX.sub("", name.strip())
    name = name.replace("（", "(").replace("）", ")")
    # the unit stays part of the key: a series never mixes 万美元 with 亿美元
    return re.sub(r"\s+", "", name)


def statistics_table(docs: list[Document]) -> tuple[list[Document], list[dict]]:
    """The statistics documents in time order and one series per indicator across them."""
    stats = sorted((d for d in docs if d.kind == "statistics" and d.rows),
                   key=lambda d: (d.issue.year, d.issue.date or "", d.issue.number or 0, d.period or ""))
    series: dict[str, dict] = {}
    for col, doc in enumerate(stats):
        for row in doc.rows or []:
            key = indicator_key(row["indicator"])
            if not key:
                continue
            s = series.setdefault(key, {"name": INDICATOR_PREFIX.sub("", row["indicator"]).strip(),
                                        "values": [None] * len(stats), "growth": [None] * len(stats)})
            s["values"][col] = row.get("value")
            s["growth"][col] = row.get("growth")
    return stats, list(series.values())


def yearly(stats: list[Document], values: list) -> tuple[list[int], list, list[str]]:
    """One point a year for the overview chart: the value of the year's latest period. The figures are
    cumulative from January (1-10月), so consecutive periods are not comparable, the latest is the year's
    fullest; and one point a year keeps the page from growing with every issue (≈ 1.3 MB at 500 issues)."""
    latest: dict[int, tuple[object, str]] = {}
    for doc, value in zip(stats, values):
        if value is not None:
            year = int(doc.period[:4]) if doc.period and doc.period[:4].isdigit() else doc.issue.year
            latest[year] = (value, doc.period or issue_label(doc.issue))
    years = sorted(latest)
    return years, [latest[y][0] for y in years], [latest[y][1] for y in years]


CHART_TICKS = 4  # period labels that fit under a 320-pixel chart


def svg_chart(values: list, labels: list[str], title: str, tips: list[str] | None = None) -> str:
    """A small line chart (inline SVG, no script) of one indicator: a point per value, `labels` under
    the axis (at most CHART_TICKS of them), `tips` (default: the labels) in each point's tooltip."""
    tips = tips or labels
    w, h, pad_l, pad_r, pad_t, pad_b = 320, 150, 46, 12, 14, 34
    points = [(i, v) for i, v in enumerate(values) if isinstance(v, (int, float))]
    parts = [f'<svg class="stat-chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
             f'aria-label="{esc(title)}" xmlns="http://www.w3.org/2000/svg">']
    parts.append(f'<line x1="{pad_l}" y1="{h - pad_b}" x2="{w - pad_r}" y2="{h - pad_b}" class="axis"/>')
    n = max(len(values), 1)

    def x(i):
        return pad_l + (w - pad_l - pad_r) * (i + 0.5) / n

    # at most CHART_TICKS labels under the axis, evenly spread (every point keeps its own in its tooltip)
    step = -(-len(labels) // CHART_TICKS) if labels else 1
    for i in range(0, len(labels), step):
        parts.append(f'<text x="{x(i):.1f}" y="{h - pad_b + 14}" text-anchor="middle" class="tick">{esc(labels[i])}</text>')
    if points:
        lo = min(v for _, v in points)
        hi = max(v for _, v in points)
        if hi == lo:
            lo, hi = lo - 1, hi + 1

        def y(v):
            return pad_t + (h - pad_t - pad_b) * (1 - (v - lo) / (hi - lo))

        parts.append(f'<text x="{pad_l - 4}" y="{y(hi) + 4:.1f}" text-anchor="end" class="tick">{hi:g}</text>')
        parts.append(f'<text x="{pad_l - 4}" y="{y(lo) + 4:.1f}" text-anchor="end" class="tick">{lo:g}</text>')
        if len(points) > 1:
            path = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in points)
            parts.append(f'<polyline points="{path}" class="line"/>')
        for i, v in points:
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3.5" class="dot">'
                         f'<title>{esc(tips[i])}：{v:g}</title></circle>')
    else:
        parts.append(f'<text x="{w / 2}" y="{h / 2}" text-anchor="middle" class="tick">无数值</text>')
    parts.append("</svg>")
    return "".join(parts)


def statistics_csv(stats: list[Document]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["issue", "issue_year", "issue_number", "issue_date", "document", "period",
                     "indicator", "value", "growth"])
    for doc in stats:
        for row in doc.rows or []:
            writer.writerow([doc.issue.id, doc.issue.year, doc.issue.number or "", doc.issue.date or "",
                             doc.id, doc.period or "", row["indicator"],
                             "" if row.get("value") is None else row["value"],
                             "" if row.get("growth") is None else row["growth"]])
    return buf.getvalue()


# ---------------------------------------------------------------- the pages

class Pages:
    """Collects the generated pages: docs_dir-relative path -> Markdown text."""

    def __init__(self) -> None:
        self.files: dict[str, str] = {}

    def add(self, path: str, meta: dict, body: str) -> None:
        head = yaml.dump(meta, Dumper=YAML_DUMPER, allow_unicode=True, sort_keys=False).strip()
        self.files[path] = f"---\n{head}\n---\n\n{body.strip()}\n"


def page_file(url: str) -> str:
    """The generated Markdown file of a page URL: doc/lzgf-2019-2/ -> doc/lzgf-2019-2.md."""
    return url.rstrip("/") + ".md"


def chunked(items: list, size: int) -> list[list]:
    """`items` in consecutive runs of `size`, the last one shorter; never none (an empty list is one
    empty run). Items come in archive order, so a new issue changes the last run only."""
    return [items[i:i + size] for i in range(0, len(items), size)] or [[]]


def list_pages(url: str, items: list, size: int = CITED_BY_PER_PAGE) -> list[tuple[str, list]]:
    """`items` in pages of `size`: the first at `url`, the n-th at `url` + "n/"."""
    return [(url if n == 1 else f"{url}{n}/", chunk) for n, chunk in enumerate(chunked(items, size), 1)]


def base_for(path: str) -> str:
    """Relative path from the page that `path` (docs_dir-relative .md) becomes, to the site root."""
    if path == "index.md":
        return ""
    depth = path.count("/") + 1  # doc/x.md -> doc/x/ (2 levels); search.md -> search/ (1)
    return "../" * depth


def _split_title(body: str) -> tuple[str, str]:
    """The body's H1 (with any page marks before it) and the rest."""
    m = re.search(r"^# .*$", body, flags=re.M)
    if not m:
        return "", body
    return body[:m.end()], body[m.end():]


PILCROW_RE = re.compile(r'<a class="provision-link" href="(#[^"]+)" title="[^"]*">¶</a>')
PERMALINK_TITLE = ' title="链接到此处"'
PAGE_MARK_RE = re.compile(r'<span class="page-mark" id="page_(\d+)" data-page="\1"></span>')


def _page_marks(markup: str) -> str:
    """Page starts become visible permalinks (the label is drawn by CSS, so it is not text)."""
    return PAGE_MARK_RE.sub(lambda m: f'<a class="page-mark" id="page_{m[1]}" data-page="{m[1]}" '
                                      f'href="#page_{m[1]}" aria-label="第{m[1]}页"></a>',
                            markup)


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
        render("browse_overview.md.j2", f"browse/{kind}.md", {"title": heading},
               heading=heading, column=column, intro=intro, groups=rows)
        for year, groups in by_year.items():
            for g in groups:
                g["docs"] = sorted(g.pop("items"), key=lambda d: (d.issue.date or "", d.issue.id, d.order))
            render("browse_year.md.j2", f"browse/{kind}/{year}.md", {"title": f"{heading}：{year}年"},
                   heading=heading, column=column, year=year, years=sorted(by_year), groups=groups)

    # numbers: by series (the prefix, 连政办发) and the year printed in the number, collected or only cited
    # (a number that does not parse is filed under itself and its issue's year; cited ones all parse)
    parts = []
    for number, issue_year in [(d.doc_number, d.issue.year) for d in docs if d.doc_number] + [(n, 0) for n in external]:
        prefix, year, num = number_parts(number) or (number, issue_year, 0)
        parts.append((prefix, year, (num, number)))
    rows, by_year = grouped(parts)
    render("browse_overview.md.j2", "browse/number.md", {"title": "按文号浏览"}, heading="按文号浏览",
           column="文号", intro="发文字号按字头归类，年份为文号中的年份；含本站收录的文件和被引用但未收录的文号。",
           groups=rows)
    for year, groups in by_year.items():
        for g in groups:
            numbers = list(dict.fromkeys(n for _, n in sorted(g.pop("items"))))
            g["docs"] = [links.by_number[n] for n in numbers if n in links.by_number]
            g["external"] = [n for n in numbers if n not in links.by_number]
        render("browse_number_year.md.j2", f"browse/number/{year}.md", {"title": f"按文号浏览：〔{year}〕"},
               year=year, years=sorted(by_year), groups=groups, links=links)


def generate(results: list[IssueResult], config: Config, build: Path) -> tuple[Pages, list, dict]:
    env = _env()
    pages = Pages()
    docs = [d for r in results for d in r.documents]
    links = crosslink.build_links(docs)
    issues = sorted(results, key=lambda r: (r.meta.year, r.meta.date or "9999", r.meta.number or 0, r.meta.id))
    years: dict[int, list[IssueResult]] = defaultdict(list)
    for r in issues:
        years[r.meta.year].append(r)
    site_url = config.site_url.rstrip("/") + "/" if config.site_url else ""

    def render(template: str, path: str, meta: dict, **ctx) -> None:
        base = base_for(path)
        body = env.get_template(template).render(base=base, data=base + DATA_ROOT, site_name=config.site_name, **ctx)
        pages.add(path, meta, body)

    # home, years, issues
    latest = issues[-1] if issues else None
    render("home.md.j2", "index.md", {"title": config.site_name, "hide": ["toc"]},
           latest=latest, years=sorted(years.items(), reverse=True), issue_count=len(issues), doc_count=len(docs))
    for year, rs in years.items():
        render("year.md.j2", f"year/{year}.md", {"title": f"{year}年"}, year=year, issues=rs)
    for r in issues:
        groups: list[tuple[str, list[Document]]] = []
        for d in sorted(r.documents, key=lambda d: d.order):
            cat = d.category or "其他"
            if not groups or groups[-1][0] != cat:
                groups.append((cat, []))
            groups[-1][1].append(d)
        render("issue.md.j2", page_file(r.meta.url), {"title": f"{issue_label(r.meta)}"},
               issue=r, groups=groups)

    # documents
    for r in issues:
        ordered = sorted(r.documents, key=lambda d: d.order)
        for n, doc in enumerate(ordered):
            path = page_file(doc.url)
            base = base_for(path)
            md = markdown_body(build / "docs" / f"{doc.id}.md")
            md = _page_marks(crosslink.link_citations(md, links, base, doc.doc_number))
            # A paragraph's pilcrow (its permalink) is added by gazette.js to every p.paragraph[id] and
            # p.attachments[id]: the id stays in the HTML, the ≈ 50 bytes of link per paragraph do not.
            # The same tooltip on every label link (1.7 KB a page with the pilcrows) is dropped too.
            md = PILCROW_RE.sub("", md).replace(PERMALINK_TITLE, "")
            h1, rest = _split_title(md)
            statuses = links.statuses.get(doc.doc_number or "", [])
            citers = [c for c in links.cited_by.get(doc.doc_number or "", []) if c.doc.id != doc.id]
            cites = [(num, links.by_number.get(num)) for num in doc.cites]
            all_citers = None
            if len(citers) > CITED_BY_ON_PAGE:
                all_citers = list_pages(f"{doc.url}cited-by/", citers)
                for current, (url, chunk) in enumerate(all_citers, 1):
                    render("cited_by.md.j2", page_file(url), {"title": f"被引用：{doc.title}", "template": "cited.html"},
                           doc=doc, citers=chunk, total=len(citers), urls=[u for u, _ in all_citers], current=current)
            render("doc.md.j2", path, {"title": doc.title, "pagefind": True, "doc_id": doc.id},
                   doc=doc, h1=h1, body=rest, issue=r, statuses=statuses, citers=citers[-CITED_BY_ON_PAGE:],
                   citer_count=len(citers), all_citers_url=all_citers[0][0] if all_citers else None, cites=cites,
                   prev=ordered[n - 1] if n else None, next=ordered[n + 1] if n + 1 < len(ordered) else None,
                   cite_prefix=f"《{config.site_name}》{issue_label(doc.issue)}")

    # documents cited but not in the archive
    external = links.external_numbers()
    for number in external:
        citers = links.cited_by.get(number, [])
        chunks = list_pages(cited_url(number), citers)
        for current, (url, chunk) in enumerate(chunks, 1):
            render("cited.md.j2", page_file(url), {"title": number, "template": "cited.html"},
                   number=number, citers=chunk, total=len(citers), urls=[u for u, _ in chunks], current=current,
                   statuses=links.statuses.get(number, []), title=links.titles.get(number))

    # indexes: an overview (one row per category, issuer or number series, with its years) and one
    # page per year, so that no page lists the whole archive (a year holds a few hundred documents)
    browse_pages(render, docs, external, links)

    # statistics and search
    stats, series = statistics_table(docs)
    labels = [d.period or issue_label(d.issue) for d in stats]
    for s in series:
        points_years, values, periods = yearly(stats, s["values"])
        s["svg"] = svg_chart(values, [f"{y}年" for y in points_years], s["name"], periods)
    # the charts have a point a year; the tables are one page per year (a column per period)
    columns: dict[int, list[int]] = defaultdict(list)
    for col, d in enumerate(stats):
        columns[d.issue.year].append(col)
    render("statistics.md.j2", "statistics.md", {"title": "经济指标"}, series=series, years=sorted(columns))
    for year, cols in columns.items():
        rows = [{"name": s["name"], "values": [s["values"][c] for c in cols], "growth": [s["growth"][c] for c in cols]}
                for s in series]
        render("statistics_year.md.j2", f"statistics/{year}.md", {"title": f"经济指标：{year}年"},
               year=year, years=sorted(columns), stats=[stats[c] for c in cols], labels=[labels[c] for c in cols],
               series=[r for r in rows if any(v is not None for v in r["values"] + r["growth"])])
    shards = search_shards([d.url for r in issues for d in sorted(r.documents, key=lambda d: d.order)],
                           config.search_shard_pages)
    render("search.md.j2", "search.md", {"title": "全文检索", "hide": ["toc"]}, bundles=[b for b, _ in shards])

    # The years sit in one section: with navigation.prune a page outside it (every document page)
    # carries one collapsed entry, not one per year, so its size does not grow with the archive.
    nav = [{"首页": "index.md"}]
    if years:
        nav.append({"历年公报": [
            {f"{year}年": [f"year/{year}.md"]
             + [{issue_label(r.meta) + (f"（{r.meta.date}）" if r.meta.date else ""): page_file(r.meta.url)}
                for r in years[year]]}
            for year in sorted(years, reverse=True)]})
    nav.append({"索引": ["browse/category.md", "browse/issuer.md", "browse/number.md"]})
    nav += [{"经济指标": "statistics.md"}, {"全文检索": "search.md"}]
    data = {"docs": docs, "stats": stats, "issues": issues, "links": links, "site_url": site_url,
            "search_shards": shards}
    return pages, nav, data


# ---------------------------------------------------------------- Traditional

def _count_page_pairs(hans: str, hant: str, aligned: Counter) -> None:
    """The character pairs of a page and its conversion, line by line (the search map's input)."""
    lines, hant_lines = hans.replace(DATA_ROOT, "../").splitlines(), hant.splitlines()
    if len(lines) == len(hant_lines):
        count_aligned(zip(lines, hant_lines), aligned)


def _to_traditional(args: tuple[str, list[tuple[str, str]]]) -> tuple[list[tuple[str, str]], Counter]:
    profile, items = args
    conv = get_converter(profile)
    out, aligned = [], Counter()
    for path, text in items:
        hant = conv.convert_markdown(text).replace(DATA_ROOT, "../")
        _count_page_pairs(text, hant, aligned)
        out.append((path, hant))
    return out, aligned


def to_traditional(files: dict[str, str], profile: str, kept: dict[str, str] | None = None
                   ) -> tuple[dict[str, str], Counter]:
    """Every page converted (data links one level up), in parallel chunks, same order as `files`;
    and the character pairs of the conversion, counted line by line, for the search map. `kept`
    holds conversions still valid (an incremental build): they are counted, not converted again."""
    kept = kept or {}
    aligned: Counter = Counter()
    for path, hant in kept.items():
        _count_page_pairs(files[path], hant, aligned)
    items = [(path, text) for path, text in files.items() if path not in kept]
    out: dict[str, str] = {}
    workers = jobs()
    if workers == 1 or len(items) < 200:
        parts = [_to_traditional((profile, items))]
    else:
        size = -(-len(items) // (workers * 4))
        with worker_pool(workers) as pool:
            parts = list(pool.map(_to_traditional, [(profile, items[i:i + size])
                                                    for i in range(0, len(items), size)]))
    for pages, counts in parts:
        out.update(pages)
        aligned.update(counts)
    return {path: kept[path] if path in kept else out[path] for path in files}, aligned


def _convert_values(value, conv):
    """Convert the string values of a config (never its keys)."""
    if isinstance(value, list):
        return [_convert_values(x, conv) for x in value]
    if isinstance(value, dict):
        return {k: _convert_values(v, conv) for k, v in value.items()}
    return conv.convert(value) if isinstance(value, str) and re.search(r"[\u4e00-\u9fff]", value) else value


def _convert_nav(nav, conv):
    if isinstance(nav, list):
        return [_convert_nav(x, conv) for x in nav]
    if isinstance(nav, dict):
        return {conv.convert(k): _convert_nav(v, conv) for k, v in nav.items()}
    return nav


# ---------------------------------------------------------------- data

def write_data(site: Path, data: dict, config: Config) -> None:
    api = site / "api"
    (api / "docs").mkdir(parents=True, exist_ok=True)
    docs: list[Document] = data["docs"]
    summaries = []
    for d in docs:
        s = d.summary()
        summaries.append(s)
        full = d.as_json()
        statuses = data["links"].statuses.get(d.doc_number or "", [])
        if statuses:
            full["status"] = [st.as_json() for st in statuses]
        (api / "docs" / f"{d.id}.json").write_text(json.dumps(full, ensure_ascii=False, separators=COMPACT), encoding="utf-8")
    (api / "documents.json").write_text(json.dumps(summaries, ensure_ascii=False, separators=COMPACT), encoding="utf-8")
    (api / "issues.json").write_text(json.dumps(
        [{**r.meta.as_json(), "url": r.meta.url, "documents": [d.id for d in r.documents]}
         for r in data["issues"]], ensure_ascii=False, separators=COMPACT), encoding="utf-8")
    status = {n: [s.as_json() for s in v] for n, v in data["links"].statuses.items()}
    (api / "status.json").write_text(json.dumps(status, ensure_ascii=False, separators=COMPACT), encoding="utf-8")
    (api / "statistics.csv").write_text(statistics_csv(data["stats"]), encoding="utf-8")
    (site / "feed.xml").write_text(atom_feed(data["issues"], config, data["site_url"]), encoding="utf-8")


FEED_ISSUES = 50  # the latest issues, as feeds do: a reader polls it, the archive is on the site


def issue_day(meta) -> str:
    """The day the data files date an issue by: its date, or 1 January of its year when it prints none."""
    return meta.date or f"{meta.year}-01-01"


def build_epoch(issues: list[IssueResult]) -> str:
    """SOURCE_DATE_EPOCH for MkDocs (its sitemap's dates, sitemap.xml.gz's time): the latest issue's
    day, so that a rebuild writes the same bytes whatever the clock says."""
    from datetime import date, datetime, time, timezone

    day = max((issue_day(r.meta) for r in issues), default="1970-01-01")
    return str(int(datetime.combine(date.fromisoformat(day), time(), timezone.utc).timestamp()))


def atom_feed(issues: list[IssueResult], config: Config, site_url: str) -> str:
    """The latest FEED_ISSUES issues as an Atom feed. Every date in it comes from the issues, never from
    the clock, so that a rebuild writes the same bytes: an entry is updated on its issue's date, or, when
    the issue prints none, on 1 January of its year (Atom requires a date; the page says 出版日期未载明);
    the feed on the latest of its entries'."""
    base = site_url or "./"
    latest = list(reversed(issues))[:FEED_ISSUES]
    updated = {r.meta.id: f"{issue_day(r.meta)}T00:00:00Z" for r in latest}
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<feed xmlns="http://www.w3.org/2005/Atom">',
           f"<title>{xml_escape(config.site_name)}</title>",
           f'<link href="{xml_escape(base)}"/>',
           f'<link rel="self" href="{xml_escape(base)}feed.xml"/>',
           f"<id>{xml_escape(base)}</id>", f"<updated>{max(updated.values(), default='1970-01-01T00:00:00Z')}</updated>"]
    for r in latest:
        url = base + r.meta.url
        titles = "".join(f"<li>{xml_escape(d.title)}</li>" for d in sorted(r.documents, key=lambda d: d.order))
        out += ["<entry>", f"<title>{xml_escape(issue_label(r.meta))}</title>", f'<link href="{xml_escape(url)}"/>',
                f"<id>{xml_escape(url)}</id>", f"<updated>{updated[r.meta.id]}</updated>",
                f'<content type="html">{xml_escape("<ul>" + titles + "</ul>")}</content>', "</entry>"]
    out.append("</feed>")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- build

def write_tree(folder: Path, files: dict[str, str]) -> tuple[list[str], set[str]]:
    """Make `folder` hold exactly `files`. A file whose text is unchanged is not rewritten (it keeps its
    time, which is how an incremental MkDocs build knows to skip it). Returns the files removed and
    the files written."""
    old = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} if folder.exists() else set()
    written = set()
    for rel, text in files.items():
        path = folder / rel
        if rel in old:
            try:
                if path.read_text(encoding="utf-8") == text:
                    continue
            except (OSError, UnicodeDecodeError):
                pass
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.add(rel)
    removed = sorted(old - set(files))
    for rel in removed:
        (folder / rel).unlink()
    return removed, written


def variant_stamp(profile: str) -> str:
    """What a page's Traditional text depends on besides the page: the profile, OpenCC's version,
    variant.py and its data files."""
    import hashlib
    from importlib.metadata import version

    h = hashlib.sha256(f"{profile}\0{version('opencc')}".encode())
    for path in [Path(__file__).with_name("variant.py"), *sorted((Path(__file__).parent / "data").glob("*"))]:
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def mkdocs_build(config_file: Path, **overrides) -> str:
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logger = logging.getLogger("mkdocs")
    # an incremental build is dirty on purpose (build_site rebuilds what the skipped pages depend on)
    logging.getLogger("mkdocs.commands.build").addFilter(lambda r: "'dirty' build" not in r.getMessage())
    if not logger.handlers:  # surface MkDocs' warnings (in-process it has no handler of its own)
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("mkdocs: %(levelname)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.WARNING)

    dirty = overrides.pop("dirty", False)
    cfg = load_config(config_file=str(config_file), **overrides)
    cfg.plugins.on_startup(command="build", dirty=dirty)
    try:
        build(cfg, dirty=dirty)
    finally:
        cfg.plugins.on_shutdown()
    return cfg.site_dir


# Whitespace the theme's templates leave between tags (a third of a small page): runs of blank space
# with a line break become one line break, outside <pre>, <textarea> and <script>. Rendering is the same.
PRESERVE_RE = re.compile(r"(<pre\b.*?</pre>|<textarea\b.*?</textarea>|<script\b.*?</script>)", re.S | re.I)
BLANK_RE = re.compile(r"[ \t]*\n\s*")


def compact_html(text: str) -> str:
    parts = PRESERVE_RE.split(text)
    return "".join(p if n % 2 else BLANK_RE.sub("\n", p) for n, p in enumerate(parts))


def build_script(config_file: Path, overrides: dict, search_dir: Path | None = None) -> None:
    """One MkDocs build, then the HTML it wrote compacted (each script in its own process), and
    for the pages it wrote under doc/, their search view in `search_dir` (search_view.py)."""
    since = time.time() - 1
    site_dir = Path(mkdocs_build(config_file, **overrides))
    for page in site_dir.rglob("*.html"):
        if page.is_relative_to(site_dir / HANT) and site_dir.name != HANT:
            continue
        if page.stat().st_mtime < since:  # kept from the last build (incremental): compacted then
            continue
        text = page.read_text(encoding="utf-8")
        small = compact_html(text)
        if small != text:
            page.write_text(small, encoding="utf-8")
        rel = page.relative_to(site_dir)
        if search_dir and rel.parts[0] == "doc":
            view = search_view(small)
            if view:
                (search_dir / rel).parent.mkdir(parents=True, exist_ok=True)
                (search_dir / rel).write_text(view, encoding="utf-8")


def search_shards(urls: list[str], per_shard: int) -> list[tuple[str, list[str]]]:
    """The search index's folders and the document pages each indexes: pagefind/ alone, or above
    `per_shard` pages pagefind/, pagefind/shard-2/… (merged by the search page, gazette-search.js).
    `urls` are in archive order (oldest issue first) and each folder takes the next `per_shard`, so
    adding the newest issue changes the last folder only, and the others are reused (pagefind())."""
    return [(search_bundle(n), [url + "index.html" for url in chunk])
            for n, chunk in enumerate(chunked(urls, per_shard), 1)]


def search_bundle(n: int) -> str:
    """The site-relative folder of the n-th search shard's index (from 1)."""
    return "pagefind/" if n == 1 else f"pagefind/shard-{n}/"


# Pagefind's allocator (jemalloc) gives freed memory back at once: −14 % of its peak, output unchanged,
# no time lost (measured: 1,814 pages 1,195 → 1,024 MB).
PAGEFIND_ENV = {"_RJEM_MALLOC_CONF": "dirty_decay_ms:0,muzzy_decay_ms:0"}


PAGEFIND_ARGS = ["--glob", "doc/*/index.html"]
INDEX_STAMP = ".gazette-stamp"


def shard_stamp(search_dir: Path, views: list[str], first: bool) -> str:
    """What a shard's index is made of: its search views (paths and bytes), whether it is the first
    (which keeps Pagefind's scripts), Pagefind's version and arguments."""
    import hashlib
    from importlib.metadata import version

    h = hashlib.sha256(json.dumps([version("pagefind"), PAGEFIND_ARGS, first]).encode())
    for view in views:
        h.update(view.encode() + b"\0" + (search_dir / view).read_bytes() + b"\0")
    return h.hexdigest()


def pagefind(site: Path, search_dir: Path, shards: list[tuple[str, list[str]]], cache: Path,
             reuse: bool = True) -> int:
    """The search index over the search views of the Simplified document pages (search_view.py: the
    indexed text and the ids of headings only, ≈ −40 % of the index's bytes), in site/<folder> for
    each of `shards` (search_shards). Returns 0, or Pagefind's exit code after printing its output.

    Both sites search this one index: the Traditional search page rewrites its query into
    Simplified and its results back into Traditional with the archive's character map
    (search_map.py, gazette-search.js). One index instead of two halves the index's bytes and
    Pagefind's time and memory; a Traditional page's text is its Simplified page's, converted.

    Pagefind keeps every page it indexes in memory until it writes the index (≈ 0.55 MB a page with
    PAGEFIND_ENV: 5.5 GB for 10,000), so a large archive is indexed in shards, one Pagefind run after
    another (each over hard links in build/search_shards/); the search page merges them. Each shard
    adds an index chunk per query word to a first query (≈ 9–35 KB).

    Each shard's index is kept in `cache`/<n> with the stamp of what it was made of (shard_stamp):
    a shard whose pages did not change is copied from there (Pagefind's output is the same for the
    same input), so adding an issue re-indexes the last shard only; `reuse=False` re-indexes all."""
    shutil.rmtree(site / "pagefind", ignore_errors=True)
    shard_root = search_dir.parent / "search_shards"
    shutil.rmtree(shard_root, ignore_errors=True)
    env = {**os.environ, **PAGEFIND_ENV}
    for n, (bundle, views) in enumerate(shards, 1):
        label = f" {n}/{len(shards)}" if len(shards) > 1 else ""
        views = [view for view in views if (search_dir / view).is_file()]  # a page without a body has none
        index, stamp = cache / str(n), shard_stamp(search_dir, views, n == 1)
        stamp_file = index / INDEX_STAMP
        if reuse and stamp_file.is_file() and stamp_file.read_text(encoding="utf-8") == stamp:
            log(f"pagefind{label}: {len(views)} pages unchanged, index reused")
        else:
            source = search_dir
            if len(shards) > 1:
                source = shard_root / str(n)
                for view in views:
                    (source / view).parent.mkdir(parents=True, exist_ok=True)
                    os.link(search_dir / view, source / view)
            shutil.rmtree(index, ignore_errors=True)
            proc = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(source), *PAGEFIND_ARGS,
                                   "--output-path", str(index)], capture_output=True, text=True, env=env,
                                   preexec_fn=child_setup())
            if proc.returncode != 0:
                print(proc.stdout[-3000:], proc.stderr[-3000:], file=sys.stderr)
                return proc.returncode
            for line in proc.stdout.splitlines():
                if "Indexed" in line and "pages" in line:
                    log(f"pagefind{label}: {line.strip()}")
            if n > 1:  # a merged index uses the first one's scripts, styles and wasm: its own copies go
                for path in index.iterdir():
                    if path.is_file() and (path.suffix in (".js", ".css") or path.name.startswith("wasm.")):
                        path.unlink()
            stamp_file.write_text(stamp, encoding="utf-8")
        # copies, not links: the Pages artifact must hold no hard links
        shutil.copytree(index, site / bundle, ignore=shutil.ignore_patterns(INDEX_STAMP), dirs_exist_ok=True)
    for stale in cache.glob("*"):  # indexes of shards the archive no longer has
        if stale.name not in {str(n) for n in range(1, len(shards) + 1)}:
            shutil.rmtree(stale, ignore_errors=True)
    shutil.rmtree(shard_root, ignore_errors=True)
    return 0


def site_stamp(root: Path, nav: list, hant_cfg: dict, conv) -> str:
    """What every page's frame depends on besides its own Markdown: the MkDocs config of both scripts
    (without the nav), the theme overrides, MkDocs and Material versions, this module, and the top
    level of the nav with the page each entry opens. When it changes, the next build is a full one."""
    import hashlib
    from importlib.metadata import version

    def first(item):
        if isinstance(item, dict):
            return first(next(iter(item.values())))
        if isinstance(item, list):
            return first(item[0]) if item else None
        return item

    top = [(label, first(value)) for entry in nav for label, value in entry.items()]
    h = hashlib.sha256()
    h.update(json.dumps({"top": top, "top_hant": [conv.convert(label) for label, _ in top],
                         "hant": {k: v for k, v in hant_cfg.items() if k != "nav"},
                         "versions": [version("mkdocs"), version("mkdocs-material")]},
                        ensure_ascii=False, sort_keys=True, default=str).encode())
    for path in [root / "mkdocs.yml", root / "build" / "nav.yml", Path(__file__),
                 *sorted(p for p in (root / "overrides").rglob("*") if p.is_file())]:
        if path.name == "nav.yml":  # only its extra and site_url: the nav itself is `top` above
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            h.update(json.dumps({k: v for k, v in data.items() if k != "nav"}, sort_keys=True).encode())
        elif path.exists():
            h.update(path.as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def full_build() -> bool:
    """GAZETTE_FULL=1: rebuild everything, reusing nothing from the last build."""
    return os.environ.get("GAZETTE_FULL", "") not in ("", "0")


def release_memory() -> None:
    """Collect garbage and give freed heap back to the system (glibc), so that the peak of the
    later stages does not include what the earlier ones let go."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def build_site(root: Path, results: list[IssueResult], config: Config, stage=None) -> int:
    """root/build -> root/site. `stage(name)` (optional) returns a context manager wrapped around
    each stage: generate, variant, mkdocs, data, search (converters/bench.py measures them).
    `results` is emptied before the search stage, so that its memory is freed while Pagefind runs."""
    import contextlib

    stage = stage or (lambda name: contextlib.nullcontext())
    started = time.perf_counter()
    build = root / "build"
    site = root / "site"
    with stage("generate"):
        pages, nav, data = generate(results, config, build)
        log(f"generated {len(pages.files)} pages ({time.perf_counter() - started:.1f}s)")
        # Traditional pages of unchanged Simplified pages can be kept when the converter is the one that
        # made them (build/variant.stamp). The stamp goes before anything is rewritten and comes back
        # once the Traditional pages are written: an interrupted build converts everything next time.
        variant_file, vstamp = build / "variant.stamp", variant_stamp(config.variant)
        same_variant = (not full_build() and variant_file.exists()
                        and variant_file.read_text(encoding="utf-8") == vstamp)
        variant_file.unlink(missing_ok=True)
        removed = {}
        removed[HANS], written_hans = write_tree(build / "site_src" / HANS,
                                                 {p: t.replace(DATA_ROOT, "") for p, t in pages.files.items()})

    with stage("variant"):
        conv = get_converter(config.variant)
        hant_src = build / "site_src" / HANT
        kept = {p: (hant_src / p).read_text(encoding="utf-8") for p in pages.files
                if same_variant and p not in written_hans and (hant_src / p).is_file()}
        hant, aligned = to_traditional(pages.files, config.variant, kept)
        removed[HANT], _ = write_tree(build / "site_src" / HANT, hant)
        variant_file.write_text(vstamp, encoding="utf-8")
        log(f"converted {len(hant) - len(kept)} pages to Traditional ({config.variant}), "
            f"{len(kept)} unchanged ({time.perf_counter() - started:.1f}s)")
        # the pages are on disk now: free them before MkDocs and Pagefind need the memory
        del hant, kept
        pages.files.clear()
        release_memory()

    site_url = data["site_url"]
    (build / "nav.yml").write_text(yaml.safe_dump({"nav": nav, "site_url": site_url or None,
                                                   "extra": {"hans_root": site_url, "hant_root": site_url and site_url + "zh-Hant/"}},
                                                  allow_unicode=True, sort_keys=False), encoding="utf-8")
    # Strings the Markdown extensions put into pages (permalink titles) must be Traditional too;
    # a list in the child replaces the parent's, so the whole extension list is restated.
    root_cfg = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8")) or {}
    extensions = _convert_values(root_cfg.get("markdown_extensions", []), conv)
    hant_cfg = {
        "INHERIT": "../mkdocs.yml",
        "markdown_extensions": extensions,
        "site_name": conv.convert(config.site_name),
        "site_url": (site_url + "zh-Hant/") if site_url else None,
        "docs_dir": f"site_src/{HANT}",
        "site_dir": "../site/zh-Hant",
        "theme": {"language": "zh-Hant", "custom_dir": "../overrides"},
        "extra": {"script": HANT},
        "nav": _convert_nav(nav, conv),
    }
    (build / "mkdocs.zh-Hant.yml").write_text(yaml.safe_dump(hant_cfg, allow_unicode=True, sort_keys=False),
                                              encoding="utf-8")

    with stage("mkdocs"):
        stamp_file = build / "site.stamp"
        search_dir = build / "search_view"  # what Pagefind indexes (search_view.py)
        stamp = site_stamp(root, nav, hant_cfg, conv)
        incremental = (not full_build() and stamp_file.exists()
                       and stamp_file.read_text(encoding="utf-8") == stamp
                       and (site / "index.html").exists() and (site / HANT / "index.html").exists())
        stamp_file.unlink(missing_ok=True)  # written again only when this build succeeds
        if incremental:
            # Same config, theme and top of the nav as the last build: MkDocs rewrites only the pages
            # whose Markdown changed (write_tree kept the others' times), plus every page in the nav
            # (home, years, issues, indexes), which show the nav. doc/ and cited/ pages show only its
            # top level, which is in the stamp.
            log("mkdocs build (incremental: changed pages and the pages in the nav)")
            now = time.time()
            for script, out in ((HANS, site), (HANT, site / HANT)):
                src = build / "site_src" / script
                for md in src.rglob("*.md"):
                    if md.relative_to(src).parts[0] not in ("doc", "cited"):
                        os.utime(md, (now, now))
                for rel in removed[script]:
                    shutil.rmtree(out / rel.removesuffix(".md"), ignore_errors=True)
                    if script == HANS:
                        shutil.rmtree(search_dir / rel.removesuffix(".md"), ignore_errors=True)
            builds = [(root / "mkdocs.yml", {"site_name": config.site_name, "dirty": True}, search_dir),
                      (build / "mkdocs.zh-Hant.yml", {"dirty": True}, None)]
        else:
            # The two scripts are built side by side (one process each); zh-Hant goes to build/ first
            # because the zh-Hans build empties site/.
            log("mkdocs build zh-Hans -> site/, zh-Hant -> site/zh-Hant/")
            hant_site = build / "site-zh-Hant"
            shutil.rmtree(search_dir, ignore_errors=True)
            builds = [(root / "mkdocs.yml", {"site_name": config.site_name}, search_dir),
                      (build / "mkdocs.zh-Hant.yml", {"site_dir": str(hant_site)}, None)]
        # MkDocs dates the sitemap by SOURCE_DATE_EPOCH when set (its workers inherit it)
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = epoch or build_epoch(data["issues"])
        try:
            if jobs() > 1:
                with worker_pool(2) as pool:
                    for done in [pool.submit(build_script, *b) for b in builds]:
                        done.result()
            else:
                for b in builds:
                    build_script(*b)
        finally:
            if epoch is None:
                del os.environ["SOURCE_DATE_EPOCH"]
        if not incremental:
            shutil.rmtree(site / HANT, ignore_errors=True)
            shutil.move(str(hant_site), str(site / HANT))
        log(f"mkdocs builds done ({time.perf_counter() - started:.1f}s)")
    with stage("data"):
        shutil.rmtree(site / "api", ignore_errors=True)  # an incremental build keeps site/: no stale data
        write_data(site, data, config)
        # Queries in either script: the search page rewrites them into its own (search_map.py).
        write_script_map(site, aligned)
        log(f"data written to site/api/ ({time.perf_counter() - started:.1f}s)")

    # The converted archive is not needed any more: let it go before Pagefind (a separate process) holds
    # the pages it indexes, so that their memory does not add up (≈ 0.9 GB at 10,000 documents).
    shards = data["search_shards"]
    data.clear()
    results.clear()
    release_memory()
    log("pagefind: indexing document pages")
    with stage("search"):
        failed = pagefind(site, search_dir, shards, build / "search_index",
                          reuse=not full_build())
    if failed:
        log("pagefind failed")
        return 1
    stamp_file.write_text(stamp, encoding="utf-8")
    html_pages = sum(1 for _ in site.rglob("*.html"))
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    log(f"done: {html_pages} HTML pages, {size / 1e6:.1f} MB in site/ ({time.perf_counter() - started:.1f}s)")
    return 0
