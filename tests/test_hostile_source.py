"""A hostile gazette issue: markup planted in every position a source's text reaches, in both source formats.

The archive is built from outsiders' files, so source text must stay data: escaped once where HTML is
written, never read as Markdown, HTML, attribute lists or a template. This builds a small archive of its
own in a temporary folder (two issues made from the stage fixtures, with payloads added), opens its pages
in the system Chromium in both scripts and checks that nothing the payloads would create exists, that no
dialog opens, that the payload text is shown as text, and that search results carry the real titles.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from urllib.parse import quote

import pytest

from conftest import build
from converters.serve import serve
from converters.variant import convert
from projects import CONTENTS, NOTICE, add_text_issue, make_project


# (fixture line as printed, the same line with a payload): every payload stays in the text as printed.
TEXT_PAYLOADS = [
    (" 市政府关于印发连云港市测试数据", " 市政府关于印发连云港市测试数据<svg onload=alert(1)>"),
    ("管理办法的通知", "管理办法的通知</title><img src=x onerror=alert(2)>"),
    ("第一章　总　则", "第一章　总　则<img src=x onerror=alert(3)>"),
    ("一、总体要求", "一、总体要求 {tabindex=0 autofocus onfocus=alert(4)"),
    ("二、保障措施", "二、保障措施[点此](javascript:alert(5))`代码` {data-search-ignore}<h2 id=\"spoof\">伪造标题</h2>"),
    ("（一）加强领导。各地要高度重视。", "（一）加强领导。各地要高度重视。<script>alert(6)</script>{{ 7*7 }}"),
]
MARKDOWN_PAYLOADS = [
    ("# 市政府关于公布测试 名单的通知", "# 市政府关于公布测试 名单的通知 {#x onclick=alert(8)}"),
    ("1\t甲\t海州区", "1\t甲<img src=x onerror=alert(9)//\t=cmd|' /C calc'!A0"),
    ("现将测试名单公布如下，请遵照执行。", "现将测试名单公布如下，请遵照执行。<img src=x onerror=alert(10)//"),
]
# what a reader must see, literally, on the pages of the text-dump issue
# (in both scripts: the Chinese around them is converted on the Traditional pages)
VISIBLE = ["<svg onload=alert(1)>", "则<img src=x onerror=alert(3)>", "{tabindex=0 autofocus onfocus=alert(4)",
           "](javascript:alert(5))`", "<script>alert(6)</script>{{ 7*7 }}"]
# anything the payloads would have created, anywhere in a page
CREATED = """() => {
  const all = [...document.querySelectorAll('*')];
  return {
    handlers: all.filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).map(e => e.outerHTML.slice(0, 80)),
    autofocus: document.querySelectorAll('[autofocus]').length,
    javascript: document.querySelectorAll('a[href^="javascript:"]').length,
    images: document.querySelectorAll('img[src="x"], svg[onload]').length,
    code: document.querySelectorAll('article code').length,
    spoofed: document.querySelectorAll('#spoof').length,
    inline_scripts: [...document.querySelectorAll('article script')].length,
    titles: document.querySelectorAll('title').length,
  };
}"""


def _plant(text: str, payloads: list[tuple[str, str]]) -> str:
    for plain, hostile in payloads:
        assert plain in text, plain  # the fixture still has the line the payload goes into
        text = text.replace(plain, hostile, 1)
    return text


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("hostile") / "project", {})
    add_text_issue(project, "2030-03", "pdf-text", _plant(NOTICE.read_text(encoding="utf-8"), TEXT_PAYLOADS))
    add_text_issue(project, "2030-04", "pdf-markdown", _plant(CONTENTS.read_text(encoding="utf-8"), MARKDOWN_PAYLOADS))
    build(project)
    return project / "site"


def test_statistics_csv_cells_cannot_run_as_formulas():
    from converters.model import Document, IssueMeta
    from converters.site.statistics import statistics_csv

    doc = Document(id="s", kind="statistics", title="", issue=IssueMeta("2030-03", 2030, 3, None), source="x",
                   lineno=1, period="=2030年1月", rows=[{"indicator": "=cmd|' /C calc'!A0", "value": -1.5, "growth": None},
                                                       {"indicator": "@SUM(1)", "value": 2, "growth": -0.5}])
    rows = list(csv.DictReader(io.StringIO(statistics_csv([doc]))))
    assert [r["indicator"] for r in rows] == ["'=cmd|' /C calc'!A0", "'@SUM(1)"]
    assert rows[0]["period"] == "'=2030年1月"
    assert rows[0]["value"] == "-1.5" and rows[1]["growth"] == "-0.5"  # numbers stay numbers


def test_rendered_body_escapes_source_text_once():
    from converters.model import Block, Document, IssueMeta, PageMark
    from converters.render import PageToc, render_document

    doc = Document(id="d", kind="document", title="t", issue=IssueMeta("2030-03", 2030, 3, None), source="x", lineno=1,
                   blocks=[Block(type="title", text="标题<b>&amp;"),
                           Block(type="heading", text="总则<i>", label="第一章", anchor="chp_1", role="chapter", level=2),
                           Block(type="paragraph", text="甲<img src=x>乙", anchor="p_1", role="paragraph",
                                 pages=[PageMark(1, 7)]),
                           Block(type="table", rows=[["<th>", "&lt;"], ["1", "<td>"]], role="table")])
    toc = PageToc()
    out = render_document(doc, toc)
    html = out.title + out.body
    assert "<b>" not in html and "<i>" not in html and "<img" not in html and '<th scope="col">&lt;th&gt;' in html
    assert "标题&lt;b&gt;&amp;amp;" in html  # escaped once: &amp; in the source shows as &amp;
    assert '甲<a class="page-mark" id="page_7"' in html and "&lt;img src=x&gt;乙" in html
    assert [h.title for h in toc.headings] == ["标题<b>&amp;", "第一章　总则<i>"]  # text; escaped where shown


@pytest.mark.browser
@pytest.mark.parametrize("script", ["", "zh-Hant/"])
def test_hostile_pages_show_the_text_and_run_nothing(hostile_site, browser, script):
    import json

    docs = json.loads((hostile_site / "api" / "documents.json").read_text(encoding="utf-8"))
    with serve(hostile_site) as url:
        page = browser.new_page()
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        pages = [f"{script}{d['url']}" for d in docs] + [f"{script}issue/2030-03/", f"{script}issue/2030-04/",
                                                          f"{script}", f"{script}browse/category/"]
        texts = {}
        for path in pages:
            page.goto(f"{url}/{path}")
            page.wait_for_load_state("load")
            created = page.evaluate(CREATED)
            assert created == {"handlers": [], "autofocus": 0, "javascript": 0, "images": 0, "code": 0,
                               "spoofed": 0, "inline_scripts": 0, "titles": 1}, (path, created)
            texts[path] = page.inner_text("article")
        page.wait_for_timeout(300)
        assert dialogs == []
        shown = "\n".join(texts.values())
        for text in VISIBLE:
            assert text.removeprefix("则") in shown and (script or text in shown), text
        notice = next(d for d in docs if d["doc_number"] == "连政规发〔2030〕7号")
        page.goto(f"{url}/{script}{notice['url']}")
        assert "</title><img src=x onerror=alert(2)>" in page.title()  # the title as printed, as text
        page.close()


@pytest.mark.browser
@pytest.mark.parametrize("script", ["", "zh-Hant/"])
def test_search_results_show_hostile_text_as_text(hostile_site, browser, script):
    """A search result's title, facts and excerpts are text: the payloads are shown as printed, none
    is markup, and the heading planted in the text is neither the title nor a sub-result."""
    with serve(hostile_site) as url:
        page = browser.new_page()
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for query, shown in [("保障措施", None), ("onerror=alert(3)>", "<img src=x onerror=alert(3)>"),
                             ("通知</title><img", "</title><img src=x onerror=alert(2)>"),
                             ("alert(6)</script>{{", "<script>alert(6)</script>{{ 7*7 }}"), ("伪造标题", None)]:
            page.goto(f"{url}/{script}search/?q={quote(query)}")
            page.wait_for_selector(".gazette-search__results[aria-busy=false] .gazette-search__result-link", timeout=15000)
            results = page.inner_text(".gazette-search__results")
            titles = page.eval_on_selector_all(".gazette-search__result > .gazette-search__result-title a",
                                               "els => els.map(e => e.textContent)")
            assert titles and not any("伪造标题" in t for t in titles), titles
            assert shown is None or shown in results, (query, results)
            assert not page.query_selector(".gazette-search__sub a[href$='#spoof']")
            if query == "保障措施":  # the real title of the document holding it
                assert any(("测试工作" if not script else convert("测试工作")) in t for t in titles), titles
            created = page.evaluate(CREATED)
            assert (created["handlers"], created["images"], created["javascript"], created["spoofed"]) == ([], 0, 0, 0)
            assert page.query_selector_all(".gazette-search__results script, .gazette-search__results img") == []
        page.wait_for_timeout(300)
        assert dialogs == []
        page.close()
