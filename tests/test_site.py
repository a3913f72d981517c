"""The built site: contract data, anchors in both scripts, no broken internal links, a small nav (tests marked
`archive`: the project's site, whatever issues it holds), and what particular seed documents look like (the
seed archive's site)."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlparse

import pytest

pytestmark = pytest.mark.site

CONTRACT_KEYS = {"id", "url", "issue", "kind", "title", "doc_number", "issuer", "date", "anchors", "cites"}


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []  # (tag, url)
        self.nav_links: list[str] = []
        self._nav_depth = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a and a["id"]:
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        if tag == "nav" and "md-nav--primary" in (a.get("class") or ""):
            self._nav_depth = 1
        elif tag == "nav" and self._nav_depth:
            self._nav_depth += 1
        if tag == "a" and a.get("href"):
            self.links.append((tag, a["href"]))
            if self._nav_depth:
                self.nav_links.append(a["href"])
        if tag == "link" and a.get("href") and a.get("rel") in ("stylesheet", "alternate"):
            self.links.append((tag, a["href"]))
        if tag == "script" and a.get("src"):
            self.links.append((tag, a["src"]))

    def handle_endtag(self, tag):
        if tag == "nav" and self._nav_depth:
            self._nav_depth -= 1


_parsed: dict[Path, _Collect] = {}


def parse(path: Path) -> _Collect:
    if path not in _parsed:
        c = _Collect()
        c.feed(path.read_text(encoding="utf-8"))
        _parsed[path] = c
    return _parsed[path]


@pytest.fixture(scope="module")
def documents(archive_site: Path) -> list[dict]:
    return json.loads((archive_site / "api" / "documents.json").read_text(encoding="utf-8"))


@pytest.mark.archive
def test_documents_json_follows_contract(archive_site, documents):
    assert documents, "api/documents.json is empty"
    ids = [d["id"] for d in documents]
    assert len(ids) == len(set(ids))
    for d in documents:
        assert CONTRACT_KEYS <= set(d), f"{d['id']}: missing {CONTRACT_KEYS - set(d)}"
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", d["id"]), d["id"]
        assert d["url"] == f"doc/{d['id']}/"
        assert set(d["issue"]) >= {"id", "year", "number", "date"}
        assert d["kind"] in ("document", "statistics", "chronicle")
        if d["doc_number"]:
            assert "〔" in d["doc_number"] and "〕" in d["doc_number"]
        if d["date"]:
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", d["date"])
        if d["kind"] == "statistics":
            assert isinstance(d["rows"], list)
            for row in d["rows"]:
                assert set(row) >= {"indicator", "value", "growth"}
        if d["kind"] == "chronicle":
            for day in d["days"]:
                assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", day["date"]) and isinstance(day["events"], int)
        full = json.loads((archive_site / "api" / "docs" / f"{d['id']}.json").read_text(encoding="utf-8"))
        assert full["id"] == d["id"] and full["anchors"] == d["anchors"]
        assert "blocks" in full


@pytest.mark.parametrize("script", ["", "zh-Hant"])
@pytest.mark.archive
def test_every_anchor_exists_in_both_scripts(archive_site, documents, script):
    base = archive_site / script if script else archive_site
    missing = []
    for d in documents:
        page = base / d["url"] / "index.html"
        assert page.exists(), f"no page {page}"
        ids = parse(page).ids
        missing += [f"{script or 'zh-Hans'}/{d['url']}#{a}" for a in d["anchors"] if a not in ids]
    assert not missing, f"{len(missing)} anchors missing, e.g. {missing[:10]}"


@pytest.mark.archive
def test_no_broken_internal_links(archive_site):
    pages = sorted(archive_site.rglob("*.html"))
    assert pages
    broken = []
    for page in pages:
        if page.name == "404.html":  # served for any path: its links are absolute from site_url
            continue
        for _tag, href in parse(page).links:
            if urlparse(href).scheme or href.startswith(("//", "mailto:", "javascript:", "data:")):
                continue
            url, frag = urldefrag(href)
            if not url:
                target = page
            else:
                rel = unquote(urlparse(urljoin("http://x/" + page.relative_to(archive_site).as_posix(), url)).path)
                target = archive_site / rel.lstrip("/")
                if rel.endswith("/") or target.is_dir():
                    target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(archive_site)} -> {href}")
                continue
            if frag and target.suffix == ".html" and unquote(frag) not in parse(target).ids:
                broken.append(f"{page.relative_to(archive_site)} -> {href} (no #{frag})")
    assert not broken, f"{len(broken)} broken links, e.g. {broken[:15]}"


@pytest.mark.archive
def test_nav_lists_years_and_issues_not_documents(archive_site, project):
    import yaml

    nav = yaml.safe_load((project / "build" / "nav.yml").read_text(encoding="utf-8"))["nav"]
    flat = json.dumps(nav, ensure_ascii=False)
    assert "doc/" not in flat and "cited/" not in flat
    assert "issue/" in flat and "year/" in flat
    doc_pages = sorted((archive_site / "doc").glob("*/index.html"))
    for page in [doc_pages[0], archive_site / "index.html"]:
        nav_links = parse(page).nav_links
        assert not [h for h in nav_links if "/doc/" in h or h.startswith("doc/")], nav_links
    # a document page does not carry the archive-wide list: it stays small next to the archive
    smallest_links = min(len(parse(p).links) for p in doc_pages)
    assert smallest_links < len(doc_pages) + 60


def test_pages_status_and_citations(seed_site):
    text = (seed_site / "doc" / "lzbf-2018-160" / "index.html").read_text(encoding="utf-8")
    assert 'data-search-body' in text and 'hreflang="zh-Hant"' in text
    # the clean-up list marks documents 废止: their cited/ pages say so
    cited = list((seed_site / "cited").glob("*/index.html"))
    assert cited
    statuses = [p.read_text(encoding="utf-8") for p in cited]
    assert any('data-status="废止"' in s for s in statuses)
    assert any('data-status="修改"' in s for s in statuses)
    assert any('data-status="保留"' in s for s in statuses)
    hant = (seed_site / "zh-Hant" / "doc" / "lzbf-2018-160" / "index.html").read_text(encoding="utf-8")
    assert 'class="hant-note"' in hant and 'lang="zh-Hant"' in hant


def test_data_files(seed_site):
    csv_text = (seed_site / "api" / "statistics.csv").read_text(encoding="utf-8")
    assert csv_text.startswith("issue,") and len(csv_text.splitlines()) > 10
    feed = (seed_site / "feed.xml").read_text(encoding="utf-8")
    assert feed.count("<entry>") >= 3
    assert "<svg" in (seed_site / "statistics" / "index.html").read_text(encoding="utf-8")
    assert (seed_site / "search-index" / "meta.json").exists() and (seed_site / "assets" / "gazette-search.js").exists()


@pytest.mark.parametrize("script", ["", "zh-Hant/"])
@pytest.mark.archive
def test_sitemap_lists_pages_worth_crawling(archive_site, project, documents, script):
    from xml.etree import ElementTree

    sitemap = ElementTree.parse(archive_site / script / "sitemap.xml").getroot()
    locs = [e.text for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert len(locs) == len(set(locs))
    for d in documents:
        assert any(loc.endswith(f"/{script}{d['url']}") for loc in locs), d["url"]
    assert not any("/cited/" in loc for loc in locs)  # one page per cited number: not for crawlers
    # each page's alternates in both scripts are here, not in the pages' <head> (see overrides/sitemap.xml)
    from converters.config import load_config

    site_url = load_config(project / "gazette.yml").site_url
    if site_url:
        base = site_url.rstrip("/") + "/"
        ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
        for url in sitemap.iterfind("s:url", ns):
            links = {e.get("hreflang"): e.get("href") for e in url.iterfind("x:link", ns)}
            rel = links["zh-Hans"].removeprefix(base)
            assert links == {"zh-Hans": base + rel, "zh-Hant": base + "zh-Hant/" + rel, "x-default": base + rel}
            assert url.findtext("s:loc", namespaces=ns) == links["zh-Hant" if script else "zh-Hans"]
    page = (archive_site / script / documents[0]["url"] / "index.html").read_text(encoding="utf-8")
    assert 'rel="alternate" hreflang' not in page


@pytest.mark.parametrize("kind", ["category", "issuer", "number"])
@pytest.mark.archive
def test_browse_pages_are_split_by_year(archive_site, documents, kind):
    """No index page lists the whole archive: an overview by name and year, and one page per year."""
    browse = archive_site / "browse" / kind
    overview = (browse / "index.html").read_text(encoding="utf-8")
    years = sorted(p.parent.name for p in browse.glob("*/index.html"))
    assert years and all(f'href="{y}/#' in overview for y in years)
    assert "doc/" not in overview  # names and years only
    listed = []
    for y in years:
        page = (browse / y / "index.html").read_text(encoding="utf-8")
        assert (archive_site / "zh-Hant" / "browse" / kind / y / "index.html").exists()
        listed += re.findall(r'href="\.\./\.\./\.\./(doc/[^"#]+/)"', page)
    expected = [d["url"] for d in documents if kind != "number" or d["doc_number"]]
    assert sorted(listed) == sorted(expected)  # each document once
    if kind == "number":
        cited = {p.name for p in (archive_site / "cited").glob("*") if p.is_dir()}
        pages = "".join((browse / y / "index.html").read_text(encoding="utf-8") for y in years)
        assert all(f"cited/{c}/" in pages for c in cited)


def test_link_citations_rewrites_text_only():
    from converters import crosslink
    from converters.model import Block, Document, IssueMeta

    issue = IssueMeta("2018-16", 2018, 16, "2018-12-15")
    target = Document(id="lzbf-2018-160", kind="document", title="预警信息发布管理办法", issue=issue, source="x",
                      lineno=1, doc_number="连政办发〔2018〕160号",
                      blocks=[Block(type="paragraph", text="…", anchor="art_15", role="article")])
    citing = Document(id="lzf-2018-137", kind="document", title="关于修改连云港市某办法的决定", issue=issue, source="x",
                      lineno=1, doc_number="连政发〔2018〕137号", cites=["连政办发〔2018〕160号", "连政办发〔2017〕53号"],
                      blocks=[Block(type="paragraph", anchor="p_1",
                                    text="根据《办法》（连政办发〔2018〕160号）第十五条。原《预案》（连政办发〔2017〕53号）同时废止。")])
    links = crosslink.build_links([target, citing])
    markup = ('<p id="p_1" title="连政办发〔2018〕160号">根据《办法》（连政办发〔2018〕160号）第十五条。'
              '原《预案》（连政办发〔2017〕53号）同时废止。</p>')
    out = crosslink.link_citations(markup, links, "../../", citing.doc_number)
    assert 'title="连政办发〔2018〕160号"' in out  # attributes untouched
    assert 'href="../../doc/lzbf-2018-160/#art_15"' in out
    assert 'href="../../cited/lzbf-2017-53/"' in out
    assert [s.status for s in links.statuses["连政办发〔2017〕53号"]] == ["废止"]
    assert [s.status for s in links.statuses["连政办发〔2018〕160号"]] == ["修改"]
    assert [c.doc.id for c in links.cited_by["连政办发〔2018〕160号"]] == ["lzf-2018-137"]


def test_document_header_facts_and_reader_furniture(seed_site):
    """What a reader sees first: every fact of the header, 未载明 when unknown (never a blank); the
    落款 as a signature block; the pages the citation buttons need; tables that scroll on phones."""
    doc = (seed_site / "doc" / "lzbf-2018-160" / "index.html").read_text(encoding="utf-8")
    meta = doc[doc.index('<div class="doc-meta"'):]
    meta = meta[:meta.index("</dl>")]
    for label in ("文号", "发文机关", "成文日期", "刊载", "原刊页码", "类别"):
        assert f"<dt>{label}</dt>" in meta, label
    assert "连政办发〔2018〕160号" in meta and "第14–22页" in meta
    cite = json.loads(html.unescape(doc.split('data-cite="', 1)[1].split('"', 1)[0]))
    assert cite["pages"] == [14, 22] and cite["issue"] == "2018年第16期"
    assert cite["provisions"]["art_15"] == ["第十五条", None, "《连云港市突发事件预警信息发布管理办法》"]
    assert re.search(r'<div class="signature"><p>连云港市人民政府办公室</p><p>2018年11月12日</p></div>', doc)
    # statistics and chronicle: no number, issuer or date printed -> said so, not left out
    for doc_id in ("2018-16-statistics", "2019-d73dbd3f-chronicle"):
        page = (seed_site / "doc" / doc_id / "index.html").read_text(encoding="utf-8")
        meta = page[page.index('<div class="doc-meta"'):]
        meta = meta[:meta.index("</dl>")]
        assert meta.count('<span class="unknown">未载明</span>') >= 3, doc_id
        assert re.search(r"<dd>\s*</dd>", meta) is None, doc_id
    # the Traditional page cites the official facts as printed (an attribute the conversion leaves alone)
    hant = (seed_site / "zh-Hant" / "doc" / "lzbf-2018-160" / "index.html").read_text(encoding="utf-8")
    assert json.loads(html.unescape(hant.split('data-cite="', 1)[1].split('"', 1)[0])) == cite
    # the economic-indicator table scrolls inside the column; whole numbers are printed as printed
    stats = (seed_site / "statistics" / "2018" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<div class="table-scroll" tabindex="0" role="region" aria-label="[^"]+">\s*<table class="stat-table">',
                     stats)
    # one series per indicator, in its unit: 799701 万美元 shown as 79.9701 亿美元, with what was printed
    assert "79.9701<span class=\"muted\">（原刊 799701万美元）</span> / 19.6" in stats and "799701.0" not in stats
    # the issue contents: a page column with a header, 未载明 pages marked as such
    issue = (seed_site / "issue" / "2018-16" / "index.html").read_text(encoding="utf-8")
    assert '<th scope="col" class="toc-page">页码</th>' in issue
    assert re.search(r'<td class="toc-page">14</td>', issue)


def test_site_makes_no_third_party_requests(seed_site):
    """An archive page loads nothing from elsewhere (no web fonts from Google)."""
    for page in ("index.html", "doc/lzbf-2018-160/index.html", "zh-Hant/doc/lzbf-2018-160/index.html"):
        text = (seed_site / page).read_text(encoding="utf-8")
        assert "fonts.googleapis.com" not in text and "fonts.gstatic.com" not in text, page


def test_cited_pages_are_small_and_styled(seed_site):
    # cited/ pages have a frame of their own (overrides/cited.html): the stylesheets it names must exist
    for page in [next((seed_site / "cited").glob("*/index.html")),
                 next((seed_site / "zh-Hant" / "cited").glob("*/index.html"))]:
        text = page.read_text(encoding="utf-8")
        sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', text)
        assert len(sheets) == 4, sheets  # the theme's two, gazette.css, reading.css
        for href in sheets:
            assert (page.parent / href).resolve().is_file(), f"{page}: {href} missing"
        assert 'id="cited-by"' in text and "script-switch" in text
        assert page.stat().st_size < 4000 + 400 * text.count("<li>")


def test_frame_parts_kept_once_per_build_are_every_pages_own(seed_site, seed_project, tmp_path):
    """overrides/partials/memo.html renders once per build the parts of the frame that document pages, and
    cited/ pages, share (navigation, styles, footer, scripts): MkDocs with a memo that keeps nothing writes
    the same pages, in both scripts."""
    import shutil

    from converters.config import load_config
    from converters.site.engine import build_script

    project = tmp_path / "project"
    shutil.copytree(seed_project / "overrides", project / "overrides")
    shutil.copy(seed_project / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(seed_project / "build" / "site_src", project / "build" / "site_src")
    for name in ("nav.yml", "mkdocs.zh-Hant.yml"):
        shutil.copy(seed_project / "build" / name, project / "build" / name)
    (project / "overrides" / "partials" / "memo.html").write_text(
        "{% macro keep(shared, name) -%}{{ caller() }}{%- endmacro %}\n", encoding="utf-8")
    build_script(project / "mkdocs.yml", {"site_name": load_config(seed_project / "gazette.yml").site_name})
    build_script(project / "build" / "mkdocs.zh-Hant.yml", {})
    site = project / "site"
    pages = sorted(p.relative_to(site) for p in site.rglob("*.html"))
    assert any(p.parts[0] == "doc" for p in pages) and any(p.parts[:2] == ("zh-Hant", "cited") for p in pages)
    differ = [str(p) for p in pages if (site / p).read_bytes() != (seed_site / p).read_bytes()]
    assert not differ, f"{len(differ)} pages differ, e.g. {differ[:5]}"


@pytest.mark.parametrize("number_head, note_head, name_head", [
    ("文号", "备注", "文件名称"),           # the 2018 sample's clean-up list
    ("发文字号", "清理意见", "文件标题"),   # other gazettes' wording
])
def test_clean_up_list_columns_by_their_usual_heads(number_head, note_head, name_head):
    from converters import crosslink
    from converters.model import Block, Document, IssueMeta

    issue = IssueMeta("2030-03", 2030, 3, None)
    rows = [["序号", name_head, number_head, note_head],
            ["1", "某甲办法", "连政发〔2010〕1号", "废止"],
            ["2", "《某乙办法》", "连政发〔2011〕2号", "修改"],
            ["3", "某丙办法", "连政发〔2012〕3号", ""]]
    cleanup = Document(id="lzbf-2030-9", kind="document", title="关于规范性文件清理结果的通知", issue=issue,
                       source="x", lineno=1, doc_number="连政办发〔2030〕9号",
                       blocks=[Block(type="table", rows=rows, anchor="att_1")])
    links = crosslink.build_links([cleanup])
    assert {n: [s.status for s in links.statuses[n]] for n in links.statuses} == {
        "连政发〔2010〕1号": ["废止"], "连政发〔2011〕2号": ["修改"], "连政发〔2012〕3号": ["保留"]}
    assert links.titles["连政发〔2010〕1号"] == "某甲办法"
    assert links.titles["连政发〔2011〕2号"] == "某乙办法"  # the pages put the 《》 round it


def test_feed_and_charts_stay_small_as_the_archive_grows():
    from converters.site import data, statistics
    from converters.config import Config
    from converters.model import IssueMeta, IssueResult

    issues = [IssueResult(meta=IssueMeta(f"{2000 + n // 20}-{n % 20 + 1:02d}", 2000 + n // 20, n % 20 + 1, None),
                          source="x", format="pdf-text", documents=[], furniture=[], warnings=[])
              for n in range(400)]
    feed = data.atom_feed(issues, Config(site_name="公报"), "https://example.org/")
    assert feed.count("<entry>") == data.FEED_ISSUES and "2019年第20期" in feed  # the latest first
    # the overview charts the latest CHART_PERIODS periods, whatever the archive holds
    from converters.model import Document

    stats = [Document(id=f"s{n}", kind="statistics", title="", issue=IssueMeta(f"i{n}", 2000 + n // 12, None, None),
                      source="x", lineno=1, period=f"{2000 + n // 12}年1-{n % 12 + 1}月",
                      rows=[{"indicator": "一、全社会用电量(亿千瓦时)", "value": float(n), "growth": 1.0}])
             for n in range(700)]
    figures = statistics.overview(*statistics.statistics_table(stats))
    assert len(figures[0]["rows"]) == statistics.CHART_PERIODS
    assert figures[0]["charts"][0]["svg"].count("<rect") == statistics.CHART_PERIODS


def test_cited_by_lists_are_paged_so_no_page_grows(tmp_path):
    """A regulation that 250 later documents cite: its page shows the latest CITED_BY_ON_PAGE citers and
    links to the full list, which (like a cited/ page) holds at most CITED_BY_PER_PAGE citers a page."""
    from converters.site import pages
    from converters.config import Config
    from converters.ids import cited_url
    from converters.model import Block, Document, IssueMeta, IssueResult

    meta = IssueMeta("2030-01", 2030, 1, "2030-01-15")

    def doc(n: int, text: str, cites: list[str]) -> Document:
        return Document(id=f"lzf-2030-{n}", kind="document", title=f"文件{n}", issue=meta, source="x", lineno=n,
                        doc_number=f"连政发〔2030〕{n}号", order=n, cites=cites,
                        blocks=[Block(type="paragraph", anchor="p_1", role="paragraph", text=text)])

    cited, external = "连政发〔2030〕1号", "国发〔2001〕9号"
    docs = [doc(1, "正文。", [])] + [doc(n, f"根据{cited}和{external}执行。", [cited, external]) for n in range(2, 252)]
    result = IssueResult(meta=meta, source="x", format="pdf-text", documents=docs, furniture=[], warnings=[])
    files = pages.generate([result], Config(site_name="公报"), tmp_path)[0].files

    def entries(path: str) -> list[str]:
        return re.findall(r'<li><a href="[^"]*(lzf-2030-\d+)/', files[path].split('id="cited-by"', 1)[-1])

    assert pages.CITED_BY_ON_PAGE == 20 and pages.CITED_BY_PER_PAGE == 100
    page = files["doc/lzf-2030-1.md"]
    assert entries("doc/lzf-2030-1.md") == [f"lzf-2030-{n}" for n in range(232, 252)]  # the latest, in order
    assert "共 250 件" in page and 'href="../../doc/lzf-2030-1/cited-by/"' in page
    full = ["doc/lzf-2030-1/cited-by.md", "doc/lzf-2030-1/cited-by/2.md", "doc/lzf-2030-1/cited-by/3.md"]
    assert [len(re.findall(r"<li>", files[p])) for p in full] == [100, 100, 50]
    assert "doc/lzf-2030-1/cited-by/4.md" not in files
    assert 'href="../../../../doc/lzf-2030-1/cited-by/3/"' in files[full[1]]  # the pager, from page 2
    first = pages.page_file(cited_url(external))
    assert [len(re.findall(r"<li>", files[p])) for p in (first, first[:-3] + "/2.md", first[:-3] + "/3.md")] == [100, 100, 50]
    assert pages.list_pages("cited/x/", []) == [("cited/x/", [])]

