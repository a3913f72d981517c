"""What the site asserts about a document is what the sources say: citations (short form and GB/T 7714,
a provision's page only where the source shows it, the enclosed text it belongs to, the official facts
on both scripts' pages), citation_* meta tags and JSON-LD, provenance and the about page, the name of
an issue whose number is not printed, a document's status and timeline, the title a citing text gives.

The site is built in a temp folder from two small sources: a numbered issue from a PDF-text dump (every
page start known) and an unnumbered one from a PDF-to-Markdown dump (only the page a document starts on)."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from converters.archive import load_issue
from converters.bench.synthetic import COPIED
from converters.crosslink import build_links
from converters.model import Block, ConversionError, Document, IssueMeta, PageMark
from converters.serve import serve
from converters.site.citing import provisions
from converters.site.labels import issue_label, with_document_dates

ROOT = Path(__file__).resolve().parent.parent
TEXT_SOURCE = ROOT / "tests" / "fixtures" / "stages" / "notice_regulation.pdf-text.in"
MD_SOURCE = ROOT / "tests" / "fixtures" / "citing" / "unnumbered.pdf-markdown.md"
OFFICIAL = "https://www.example.gov.cn/gazette/2030-3.pdf"
SITE = "https://lyg-gazette.github.io/archive/"


# ---------------------------------------------------------------- the rules, on the model


def _doc(blocks: list[Block], pages=(14, 16)) -> Document:
    return Document(id="x", kind="document", title="关于印发测试办法的通知", issue=IssueMeta("2030-03", 2030, 3),
                    source="docs_src/2030-03/source.txt", lineno=1, pages=pages, blocks=blocks)


def _article(n: int, marks=()) -> Block:
    return Block(type="paragraph", role="article", anchor=f"art_{n}", label=f"第{'一二三四'[n - 1]}条",
                 text="正文" * 5, pages=[PageMark(o, p) for o, p in marks])


def test_a_provision_is_cited_with_its_page_only_where_the_text_shows_the_page_starts():
    enclosure = Block(type="heading", role="enclosure", text="测试办法", level=2)
    # every page start of 14–16 marked: each article has its page (a start inside one is after it)
    located = _doc([Block(type="title", text="t", pages=[PageMark(0, 14)]), enclosure, _article(1),
                    _article(2, [(4, 15)]), _article(3, [(0, 16)]), _article(4)])
    assert provisions(located) == {"art_1": ["第一条", 14, "《测试办法》"], "art_2": ["第二条", 14, "《测试办法》"],
                                   "art_3": ["第三条", 16, "《测试办法》"], "art_4": ["第四条", 16, "《测试办法》"]}
    # only the page the document starts on (a PDF-to-Markdown dump's contents list): no article's page
    unlocated = _doc([Block(type="title", text="t", pages=[PageMark(0, 14)]), enclosure, _article(1), _article(2)])
    assert [p[1] for p in provisions(unlocated).values()] == [None, None]
    # page 15's start unknown: what follows page 14's start is not cited with a page, page 16 on is
    gap = _doc([_article(1), _article(2, [(0, 16)])])
    assert [p[1] for p in provisions(gap).values()] == [None, 16]
    # one page: known
    assert [p[1] for p in provisions(_doc([_article(1)], pages=(9, 9))).values()] == [9]


def test_an_attachment_article_names_the_attachment():
    att = Block(type="heading", role="attachment", anchor="att_1", label="附件", text="1", level=2)
    doc = _doc([Block(type="heading", role="enclosure", text="办法", level=2), _article(1), att, _article(2)])
    assert [p[2] for p in provisions(doc).values()] == ["《办法》", "附件1"]


def test_an_unnumbered_issue_is_named_by_the_dates_it_prints():
    class Result:
        def __init__(self, meta, dates):
            self.meta = meta
            self.documents = [_doc([]) for _ in dates]
            for d, date in zip(self.documents, dates):
                d.date = date

    a = Result(IssueMeta("2020-aaaaaaaa", 2020), ["2020-12-31", "2020-12-10", None])
    b = Result(IssueMeta("2020-bbbbbbbb", 2020), ["2020-11-02"])
    c = Result(IssueMeta("2020-cccccccc", 2020, date="2020-06-01"), [])
    n = Result(IssueMeta("2020-16", 2020, 16), ["2020-11-02"])
    with_document_dates([a, b, c, n])
    assert issue_label(a.meta) == "2020年（期号未载明；文件日期2020-12-10至12-31）"
    assert a.documents[0].issue is a.meta  # the documents name their issue the same way
    assert issue_label(b.meta) == "2020年（期号未载明；文件日期2020-11-02）"
    assert issue_label(c.meta) == "2020年（期号未载明；出版日期2020-06-01）"
    assert issue_label(n.meta) == "2020年第16期"


@pytest.mark.parametrize("value", ["http://example.gov.cn/a.pdf", "https://", "javascript:alert(1)",
                                   "https://example.gov.cn/a b", 7])
def test_a_wrong_source_url_is_refused_naming_the_file(tmp_path, value):
    folder = tmp_path / "2030-03"
    folder.mkdir()
    (folder / "source.txt").write_text("x", encoding="utf-8")
    (folder / "issue.yml").write_text(f"year: 2030\nnumber: 3\nformat: pdf-text\nsource_url: {json.dumps(value)}\n",
                                      encoding="utf-8")
    with pytest.raises(ConversionError, match=r"issue\.yml: 'source_url' must be an https"):
        load_issue(folder)


def test_a_cited_title_is_the_one_the_citing_text_prints():
    citing = _doc([Block(type="paragraph", anchor="p_1", text="根据《国务院关于印发测试纲要的通知》（国发〔2015〕50号）和国发〔2016〕1号")])
    links = build_links([citing])
    title, by = links.titles_cited["国发〔2015〕50号"]
    assert title == "国务院关于印发测试纲要的通知" and by is citing
    assert "国发〔2016〕1号" not in links.titles_cited


# ---------------------------------------------------------------- the built site


def _gazette(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "converters.cli", *args], cwd=project, capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("citing")
    for name in COPIED:
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy2)(ROOT / name, project / name)
    numbered = project / "docs_src" / "2030-03"
    numbered.mkdir(parents=True)
    shutil.copy(TEXT_SOURCE, numbered / "source.txt")
    (numbered / "issue.yml").write_text(f"year: 2030\nnumber: 3\ndate: '2030-02-15'\nsource: source.txt\n"
                                        f"format: pdf-text\nsource_url: {OFFICIAL}\n", encoding="utf-8")
    unnumbered = project / "docs_src" / "2031-0badcafe"
    unnumbered.mkdir(parents=True)
    shutil.copy(MD_SOURCE, unnumbered / "source.md")
    (unnumbered / "issue.yml").write_text("year: 2031\nnumber: null\ndate: null\nsource: source.md\n"
                                          "format: pdf-markdown\n", encoding="utf-8")
    result = _gazette(project, "build")
    if result.returncode != 0:
        pytest.fail(f"build failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return project / "site"


def _page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def _meta(page: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, content in re.findall(r'<meta (?:name|property)="([^"]+)" content="([^"]*)">', page):
        out.setdefault(name, []).append(html.unescape(content))
    return out


@pytest.mark.parametrize("prefix", ["", "zh-Hant/"])
def test_citation_meta_tags_and_json_ld_carry_the_official_facts(site, prefix):
    page = _page(site, f"{prefix}doc/lzgf-2030-7")
    meta = _meta(page)
    # the facts as printed, in Simplified on the Traditional page too
    assert meta["citation_title"] == ["市政府关于印发连云港市测试数据管理办法的通知"]
    assert meta["citation_journal_title"] == ["连云港市人民政府公报"]
    assert meta["citation_publication_date"] == ["2030/02/15"] and meta["citation_issue"] == ["3"]
    assert meta["citation_firstpage"] == ["6"] and meta["citation_lastpage"] == ["7"]
    assert meta["citation_publisher"] == ["连云港市人民政府"]
    assert meta["og:title"] and meta["description"] and meta["og:description"]
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert ld["@type"] == "Legislation" and ld["legislationIdentifier"] == "连政规发〔2030〕7号"
    assert ld["legislationDate"] == "2030-01-08" and ld["legislationPassedBy"]["name"] == "连云港市人民政府"
    assert ld["url"] == f"{SITE}doc/lzgf-2030-7/"
    # the repeal the document prints (原《…》（连政规发(2020)3号）同时废止) is a change it makes
    assert ld["legislationChanges"] == [{"@type": "Legislation", "legislationIdentifier": "连政规发〔2020〕3号"}]
    assert f'<html lang="{prefix.rstrip("/") or "zh-Hans"}"' in page


def test_an_unnumbered_issue_leaves_out_what_it_does_not_print(site):
    meta = _meta(_page(site, "doc/lzbf-2031-160"))
    assert "citation_issue" not in meta and meta["citation_publication_date"] == ["2031"]
    assert "出版日期" not in " ".join(meta["description"])
    label = "2031年（期号未载明；文件日期2031-11-12至12-20）"
    # named by its documents' dates wherever it is named
    assert label in _page(site, "year/2031") and label in _page(site, "issue/2031-0badcafe")
    assert f"<title>{label}</title>" in (site / "feed.xml").read_text(encoding="utf-8")


def test_the_home_page_is_named_once(site):
    assert "<title>连云港市人民政府公报</title>" in _page(site, "")


@pytest.mark.parametrize("prefix,about", [("", "关于本站"), ("zh-Hant/", "關於本站")])
def test_every_page_links_the_about_page_and_a_document_its_sources(site, prefix, about):
    for path in ("", "doc/lzgf-2030-7", "issue/2030-03", "cited/gf-2015-50"):
        page = _page(site, prefix + path)
        footer = page.split('class="md-footer gazette-footer"', 1)[1]
        assert re.search(r'<a href="[./]*about/">' + about, footer), path
    doc = _page(site, f"{prefix}doc/lzgf-2030-7")
    assert "https://github.com/lyg-gazette/archive/blob/main/docs_src/2030-03/source.txt#L1-L" in doc
    assert f'href="{OFFICIAL}"' in doc
    assert "/issues/new?title=" in doc  # the error report names the page
    assert ("以原刊為準" if prefix else "以原刊为准") in doc
    about_page = _page(site, f"{prefix}about")
    assert "docs_src/2031-0badcafe/source.md" in about_page and OFFICIAL in about_page


def test_status_and_timeline(site):
    page = _page(site, "doc/lzbf-2030-12")
    assert "本站所收文件中未见修改或废止" in page
    regulation = _page(site, "doc/lzgf-2030-7")
    timeline = regulation.split('class="doc-timeline"', 1)[1].split("</ol>", 1)[0]
    assert "2030-01-08" in timeline and "2030-02-15" in timeline and "列为废止" in timeline
    assert "cited/lzgf-2020-3/" in timeline


def test_a_cited_page_names_the_title_the_citing_text_gives(site):
    page = _page(site, "cited/gf-2015-50")
    assert "《国务院关于印发测试纲要的通知》" in page and 'href="../../doc/lzgf-2030-7/"' in page.split("cited-title", 1)[1]


# ---------------------------------------------------------------- in Chromium



@pytest.fixture(scope="module")
def server(site: Path):
    with serve(site) as url:
        yield url


def _open_citation(page, anchor: str) -> dict:
    toggle = page.locator(f"#{anchor} button.cite-toggle")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    panel = page.locator(f"#cite-{anchor}")
    assert panel.is_visible()
    return {form: panel.locator(f".cite-text[data-form={form}]").inner_text() for form in ("short", "gbt")}


@pytest.mark.browser
@pytest.mark.parametrize("prefix", ["", "zh-Hant/"])
def test_copy_a_provision_citation(server, browser, prefix):
    ctx = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = ctx.new_page()
    page.goto(f"{server}/{prefix}doc/lzgf-2030-7/")
    texts = _open_citation(page, "art_3")
    url = f"{SITE}doc/lzgf-2030-7/#art_3"  # the Simplified page's, on both scripts' pages
    # page 7 is where article 3 is printed (the source shows page 7 begins before it)
    assert texts["short"] == f"《连云港市人民政府公报》2030年第3期第7页，连政规发〔2030〕7号《连云港市测试数据管理办法》第三条 {url}"
    assert re.fullmatch(r"连云港市人民政府\. 市政府关于印发连云港市测试数据管理办法的通知: 连政规发〔2030〕7号: "
                        r"《连云港市测试数据管理办法》第三条\[J/OL\]\. 连云港市人民政府公报, 2030\(3\): 7"
                        r"\[\d{4}-\d\d-\d\d\]\. " + re.escape(url) + r"\.", texts["gbt"]), texts["gbt"]
    button = page.locator("#cite-art_3 button.copy-cite[data-form=short]")
    button.click()
    page.wait_for_function("document.querySelector('#cite-art_3 button.copy-cite').dataset.citation")
    assert button.get_attribute("data-citation") == texts["short"]
    try:
        assert page.evaluate("navigator.clipboard.readText()") == texts["short"]
    except Exception as exc:  # clipboard not readable in this browser build: the attribute is what was copied
        if "AssertionError" in type(exc).__name__:
            raise
    # the whole document, always shown in the facts box
    whole = page.locator(".doc-meta .cite-text[data-form=short]").inner_text()
    assert whole == f"《连云港市人民政府公报》2030年第3期第6–7页，连政规发〔2030〕7号《市政府关于印发连云港市测试数据管理办法的通知》 {SITE}doc/lzgf-2030-7/"
    ctx.close()


@pytest.mark.browser
def test_a_provision_page_the_source_does_not_show_is_the_document_range(server, browser):
    page = browser.new_page()
    page.goto(f"{server}/doc/lzbf-2031-160/")
    texts = _open_citation(page, "art_2")
    assert texts["short"].startswith("《连云港市人民政府公报》2031年（期号未载明；文件日期2031-11-12至12-20）第14–22页，"
                                     "连政办发〔2031〕160号《连云港市测试管理办法》第二条 "), texts["short"]
    assert ", 2031(期号未载明；文件日期2031-11-12至12-20): 14-22[" in texts["gbt"], texts["gbt"]
    page.close()


@pytest.mark.browser
def test_citation_by_keyboard_and_on_a_touch_screen(server, browser):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = ctx.new_page()
    page.goto(f"{server}/doc/lzgf-2030-7/#art_1")
    toggle = page.locator("#art_1 button.cite-toggle")
    assert toggle.is_visible() and toggle.evaluate("b => getComputedStyle(b).opacity") == "1"
    # it does not cover the article's text: it follows it
    label, box = page.locator("#art_1 > .provision-heading > a.provision-link").bounding_box(), toggle.bounding_box()
    assert box["y"] >= label["y"] + label["height"] - 1 or box["x"] >= label["x"] + label["width"]
    toggle.tap()
    assert page.locator("#cite-art_1").is_visible()
    ctx.close()
    page = browser.new_page()
    page.goto(f"{server}/doc/lzgf-2030-7/")
    page.locator("#art_2 button.cite-toggle").focus()
    page.keyboard.press("Enter")
    assert page.locator("#cite-art_2").is_visible()
    page.keyboard.press("Tab")  # the panel's first copy button comes next
    assert page.evaluate("document.activeElement.closest('#cite-art_2') !== null")
    page.close()
