"""Reading a long document in the system Chromium: its own contents, going to an article, previous and next,
the header's search box, assistive technology (headings, names, labels, axe-core), wide tables, print, 404.

The site is built in a temporary folder from an issue written here (a 30-article regulation in three
chapters, a clean-up list of 60 rows and seven columns, a notice whose last two numbered items run into
their text) and the statistics stage fixture, so nothing depends on which issues the archive holds.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import is_local

from conftest import build
from converters.serve import QuietHandler, serve
from projects import CONTENTS, add_text_issue, make_project

pytestmark = pytest.mark.browser

DESKTOP = {"viewport": {"width": 1400, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
CN = "零一二三四五六七八九"
ARTICLES, CLEANUP_ROWS = 30, 60
COLUMNS = ["序号", "文件名称", "发文主体", "文号", "发文时间", "实施主体", "备注"]


def chinese(n: int) -> str:
    tens, ones = divmod(n, 10)
    return (("" if tens < 2 else CN[tens]) + "十" if tens else "") + (CN[ones] if ones or not tens else "")


def reading_issue() -> str:
    """A PDF-to-Markdown dump of one issue: a long regulation, a wide clean-up list, a numbered notice."""
    out = ["# 连云港市人民政府公报", "", "**2031**", "", "第5期", "", "2031 年 3 月 15 日", "",
           "# 市政府关于印发连云港市阅读测试管理办法的通知", "", "连政规发〔2031〕1号", "", "各县、区人民政府：", "",
           "现将《连云港市阅读测试管理办法》印发给你们，请认真贯彻执行。", "", "连云港市人民政府  ", "2031年3月1日", "",
           "## 连云港市阅读测试管理办法", ""]
    for n in range(1, ARTICLES + 1):
        if n % 10 == 1:
            out += [f"第{chinese(n // 10 + 1)}章　第{n // 10 + 1}章的名称", ""]
        out += [f"第{chinese(n)}条　这是第{n}条的正文，用来测试长文件的阅读。" + "条文内容。" * 20, ""]
    out += ["# 市政府办公室关于印发阅读测试清理结果的通知", "", "连政办发〔2031〕2号", "", "各县、区人民政府：", "",
            "现将清理结果予以公布。", "", "连云港市人民政府办公室  ", "2031年3月2日", "", "## 附件", "", "## 清理结果目录", "",
            "\t".join(COLUMNS)]
    for r in range(1, CLEANUP_ROWS + 1):
        out.append("\t".join([str(r), f"连云港市第{r}号测试文件的一个相当长的名称用于检验打印时的换行", "市政府",
                              f"连政发〔2001〕{r}号", "2001年5月30日", "市测试局", "修改" if r % 3 == 0 else ""]))
    out += ["", "# 市政府办公室关于进一步完善阅读测试政策的通知", "", "连政办发〔2031〕3号", "", "各县、区人民政府：", "",
            "现就有关事项通知如下：", ""]
    for k in range(1, 6):
        out += [f"{CN[k]}、第{k}项的标题", "", f"第{k}项的内容。" * 30, ""]
    out += ["六、施行日期。本通知自2031年4月1日起施行，以前有关规定与本通知不一致的，按本通知执行。", "",
            "七、本通知由市测试局负责解释。", "", "连云港市人民政府办公室  ", "2031年3月3日", ""]
    return "\n".join(out)


REGULATION, CLEANUP, NOTICE = "doc/lzgf-2031-1/", "doc/lzbf-2031-2/", "doc/lzbf-2031-3/"


@pytest.fixture(scope="module")
def reading_site(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("reading") / "project", {"2030-03": CONTENTS})
    add_text_issue(project, "2031-05", "pdf-markdown", reading_issue())
    build(project)
    return project / "site"


@pytest.fixture(scope="module")
def site_url(reading_site):
    with serve(reading_site) as url:
        yield url


@pytest.fixture
def open_page(browser):
    contexts = []

    def opener(url: str, device: dict = DESKTOP):
        ctx = browser.new_context(**device)
        contexts.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(8000)
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url)
        page.wait_for_load_state("load")
        page.wait_for_timeout(150)
        page.errors = errors
        return page

    yield opener
    for ctx in contexts:
        ctx.close()


def _contents_hrefs(page, scope: str) -> list[str]:
    return page.eval_on_selector_all(f"{scope} .doc-contents a", "els => els.map(a => a.getAttribute('href'))")


# ---------------------------------------------------------------- the document's own contents


def test_contents_list_chapters_and_every_article_in_the_sidebar(site_url, open_page):
    page = open_page(f"{site_url}/{REGULATION}")
    hrefs = _contents_hrefs(page, ".md-sidebar--secondary")
    assert page.locator(".md-sidebar--secondary .doc-contents").is_visible()
    assert [h for h in hrefs if h.startswith("#chp_")] == ["#chp_1", "#chp_2", "#chp_3"]
    assert [h for h in hrefs if h.startswith("#art_")] == [f"#art_{n}" for n in range(1, ARTICLES + 1)]
    # collapsible per chapter: a chapter's articles are under its toggle, shut until opened or read
    toggle = page.get_by_role("button", name="第三章 第3章的名称：下级条目")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not page.locator(".md-sidebar--secondary a[href='#art_25']").is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.locator(".md-sidebar--secondary a[href='#art_25']").is_visible()
    assert page.errors == []


def test_contents_follow_the_reading(site_url, open_page):
    page = open_page(f"{site_url}/{REGULATION}#art_17")
    page.wait_for_timeout(200)
    current = page.locator(".md-sidebar--secondary .doc-contents a[aria-current]")
    assert current.get_attribute("href") == "#art_17"
    assert current.is_visible()  # its chapter opened
    page.evaluate("document.getElementById('art_12').scrollIntoView()")
    page.wait_for_timeout(200)
    assert current.get_attribute("href") == "#art_12"


def test_a_notice_lists_all_its_numbered_items(site_url, open_page):
    """Items that run into their text (六、施行日期。…) are in the contents like those that are headings."""
    page = open_page(f"{site_url}/{NOTICE}")
    assert _contents_hrefs(page, ".md-sidebar--secondary") == [f"#hd_{n}" for n in range(1, 8)]
    texts = page.eval_on_selector_all(".md-sidebar--secondary .doc-contents a", "els => els.map(a => a.textContent)")
    assert texts[5].startswith("六、") and texts[6].startswith("七、")


def test_contents_on_a_phone(site_url, open_page):
    page = open_page(f"{site_url}/{REGULATION}", PHONE)
    button = page.get_by_role("button", name="目录")
    assert button.is_visible()
    box = button.bounding_box()
    assert box["y"] + box["height"] <= 844 and box["y"] > 700  # at the bottom, within reach
    button.click()
    dialog = page.locator("dialog.doc-contents-dialog")
    assert dialog.is_visible()
    page.get_by_role("button", name="第二章 第2章的名称：下级条目").click()
    dialog.locator("a[href='#art_12']").click()
    page.wait_for_timeout(300)
    assert not dialog.is_visible() and page.url.endswith("#art_12")
    top = page.locator("#art_12").bounding_box()["y"]
    header = page.locator(".md-header").bounding_box()
    assert header["y"] + header["height"] - 1 <= top < 844 / 2


# ---------------------------------------------------------------- going to an article


@pytest.mark.parametrize("typed, device", [("15", DESKTOP), ("十五", PHONE), ("第十五条", DESKTOP), ("１５", PHONE)],
                         ids=["digits-desktop", "chinese-phone", "as-printed-desktop", "full-width-phone"])
def test_go_to_an_article_by_number(site_url, open_page, typed, device):
    page = open_page(f"{site_url}/{REGULATION}", device)
    page.locator("#goto-article-n").fill(typed)
    page.locator("#goto-article-n").press("Enter")
    page.wait_for_timeout(300)
    assert page.url.endswith("#art_15")
    assert page.evaluate("document.activeElement.id") == "art_15"  # the keyboard continues from there
    top = page.locator("#art_15").bounding_box()["y"]
    bars = page.evaluate("""() => [...document.querySelectorAll('.md-header, .reading-bar')]
        .map(e => e.getBoundingClientRect()).filter(r => r.top < innerHeight / 2).map(r => r.bottom)""")
    assert max(bars) - 1 <= top < device["viewport"]["height"] / 2, (top, bars)


def test_go_to_a_missing_article_says_so(site_url, open_page):
    page = open_page(f"{site_url}/{REGULATION}")
    page.locator("#goto-article-n").fill("99")
    page.locator("#goto-article-n").press("Enter")
    assert page.get_by_role("status").inner_text() == "本文没有第99条"
    page = open_page(f"{site_url}/zh-Hant/{REGULATION}")
    assert page.get_by_label("轉到第").count() == 1
    page.locator("#goto-article-n").fill("九十九")
    page.locator("#goto-article-n").press("Enter")
    assert page.get_by_role("status").inner_text() == "本文沒有第99條"


@pytest.mark.parametrize("device", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_previous_and_next_article(site_url, open_page, device):
    page = open_page(f"{site_url}/{REGULATION}#art_15", device)
    nxt, prev = page.get_by_role("button", name="下一条"), page.get_by_role("button", name="上一条")
    nxt.click()
    page.wait_for_timeout(200)
    assert page.url.endswith("#art_16")
    nxt.click()
    page.wait_for_timeout(200)
    assert page.url.endswith("#art_17")
    prev.click()
    page.wait_for_timeout(200)
    assert page.url.endswith("#art_16")


def test_keyboard_reaches_an_article_in_a_few_keys(site_url, open_page):
    """Skip link, a few tabs to the go-to box, the number: 第十五条 has the focus (it took 76 tabs)."""
    page = open_page(f"{site_url}/{REGULATION}")
    keys = 0
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # Material's skip link: to the content
    keys += 2
    while page.evaluate("document.activeElement.id") != "goto-article-n":
        page.keyboard.press("Tab")
        keys += 1
        assert keys < 15, page.evaluate("document.activeElement.outerHTML.slice(0, 200)")
    page.keyboard.type("15")
    page.keyboard.press("Enter")
    page.wait_for_timeout(200)
    assert page.evaluate("document.activeElement.id") == "art_15"
    assert keys + 3 <= 15


# ---------------------------------------------------------------- the header's search box


PAGES = ["", "year/2031/", "issue/2031-05/", REGULATION, "statistics/", "browse/category/", "cited/lzf-2001-3/"]


def test_search_box_on_every_page(site_url, open_page):
    page = open_page(f"{site_url}/")
    for path in PAGES:
        page.goto(f"{site_url}/{path}")
        box = page.get_by_role("searchbox", name="搜索本站公文")
        assert box.count() == 1 and box.is_visible(), path
    box.fill("阅读测试")
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")
    page.wait_for_selector(".gazette-search__result-link", timeout=15000)
    assert page.locator(".gazette-search__input").input_value() == "阅读测试"


def test_search_box_in_traditional_on_a_phone(site_url, open_page):
    page = open_page(f"{site_url}/zh-Hant/{REGULATION}", PHONE)
    box = page.get_by_role("searchbox", name="搜尋本站公文")
    assert box.is_visible() and box.bounding_box()["width"] >= 150
    box.fill("閱讀測試")
    box.press("Enter")
    page.wait_for_url("**/zh-Hant/search/?q=*")
    page.wait_for_selector(".gazette-search__result-link", timeout=15000)


# ---------------------------------------------------------------- assistive technology


def test_articles_are_headings_and_permalinks_have_their_own_names(site_url, open_page):
    page = open_page(f"{site_url}/{REGULATION}")
    assert page.get_by_role("heading", name="第十五条", exact=True).count() == 1
    # one level below their chapter
    chapter = page.locator("#chp_2").evaluate("h => +h.tagName[1]")
    assert page.get_by_role("heading", name="第十五条", exact=True).get_attribute("aria-level") == str(chapter + 1)
    assert page.get_by_role("heading", name="第3章的名称").count() == 1
    names = page.eval_on_selector_all("article a.pilcrow, article a.headerlink",
                                      "els => els.map(a => a.getAttribute('aria-label'))")
    assert names and all(names) and len(set(names)) == len(names), names
    assert "链接到：第三章 第3章的名称" in names
    page = open_page(f"{site_url}/{CLEANUP}")
    names = page.eval_on_selector_all("article a.pilcrow", "els => els.map(a => a.getAttribute('aria-label'))")
    assert len(set(names)) == len(names) >= 2 and all(n.startswith("链接：") for n in names), names


def test_links_are_underlined_in_text(site_url, open_page):
    page = open_page(f"{site_url}/{REGULATION}")
    decoration = page.locator(".doc-meta dd a").first.evaluate("a => getComputedStyle(a).textDecorationLine")
    assert decoration == "underline"


def test_statistics_are_a_table_too(site_url, open_page):
    """Every value a chart draws (a bar's title: its period, or its year beside the same months, and its
    value) is in its indicator's table, which is shown, named by its caption, on that period's row."""
    page = open_page(f"{site_url}/statistics/")
    figures = page.locator("section.stat-figure")
    charted = 0
    for i in range(figures.count()):
        figure = figures.nth(i)
        table = figure.get_by_role("table", name=figure.get_by_role("heading").inner_text() + "：各期数值")
        assert table.is_visible()
        assert table.locator("thead th").first.inner_text() == "期别"
        rows = table.locator("tbody tr").evaluate_all(
            "rows => rows.map(r => Array.from(r.children).map(c => c.textContent.trim()))")
        numbers = [(row[0], {f"{float(m.group()):g}" for cell in row[1:] if (m := re.match(r"-?\d+(\.\d+)?", cell))})
                   for row in rows]
        for title in figure.locator("svg.stat-chart title").all_text_contents():
            label, value = title.split("：")
            drawn = re.match(r"-?\d+(\.\d+)?(e[+-]\d+)?", value).group()
            assert any(period.startswith(label) and drawn in cells for period, cells in numbers), (title, rows)
            charted += 1
    assert charted >= 1


AXE_PAGES = ["", "year/2031/", "issue/2031-05/", REGULATION, CLEANUP, "search/?q=阅读", "statistics/"]


@pytest.mark.parametrize("script, device", [("", DESKTOP), ("zh-Hant/", DESKTOP), ("", PHONE)],
                         ids=["zh-Hans", "zh-Hant", "zh-Hans-phone"])
def test_axe_finds_no_serious_violation(site_url, open_page, script, device):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()  # axe-core as the package ships it: nothing is downloaded
    found = {}
    for path in AXE_PAGES:
        page = open_page(f"{site_url}/{script}{path}", device)
        if path.startswith("search/"):
            page.wait_for_selector(".gazette-search__result-link", timeout=15000)
        result = axe.run(page)
        serious = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result.response["violations"]
                   if v["impact"] in ("serious", "critical")]
        if serious:
            found[path] = serious
        page.context.close()
    assert found == {}


# ---------------------------------------------------------------- wide tables


def test_a_wide_table_says_it_scrolls_and_keeps_its_first_column_on_a_phone(site_url, open_page):
    page = open_page(f"{site_url}/{CLEANUP}", PHONE)
    wrap = page.locator(".scrollable").last  # the box that scrolls (gazette.js)
    cue = wrap.evaluate("w => getComputedStyle(w, '::before').content")
    assert "左右滑动" in cue
    first = wrap.locator("tbody tr").first.locator("td").first
    before = first.bounding_box()["x"]
    wrap.evaluate("w => { w.scrollLeft = 300; }")
    page.wait_for_timeout(100)
    assert wrap.evaluate("w => w.scrollLeft") > 0
    after, left = first.bounding_box()["x"], wrap.bounding_box()["x"]
    assert left - 1 <= after <= before + 1, (left, before, after)  # the first column stayed in view
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


# ---------------------------------------------------------------- print


def _printed_text(page) -> tuple[str, int]:
    from pypdf import PdfReader

    page.emulate_media(media="print")
    reader = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    return "\n".join(p.extract_text() for p in reader.pages), len(reader.pages)


def test_a_wide_table_prints_every_column_on_each_page(site_url, open_page):
    page = open_page(f"{site_url}/{CLEANUP}")
    text, pages = _printed_text(page)
    compact = re.sub(r"\s+", "", text)
    # the last column is printed, its words whole, after the one before it (the facts box says 未见修改 too)
    assert compact.count("市测试局修改") == CLEANUP_ROWS // 3
    assert compact.count("市测试局") == CLEANUP_ROWS  # and the one before it
    assert 2 <= pages <= 8, pages
    # the header row is repeated on every page the table runs over
    assert compact.count("实施主体备注") >= pages - 1
    for chrome in ("复制引用", "本文目录", "转到", "下一条", "搜索", "首页", "历年公报", "表格可左右滑动"):
        assert chrome not in compact, chrome
    assert "引用：《连云港市人民政府公报》2031年第5期" in compact
    assert re.search(r"网址：\S*doc/lzbf-2031-2/", compact) and re.search(r"打印日期：\d{4}-\d\d-\d\d", compact)


def test_a_regulation_prints_as_a_document(site_url, open_page):
    page = open_page(f"{site_url}/zh-Hant/{REGULATION}")
    text, _ = _printed_text(page)
    compact = re.sub(r"\s+", "", text)
    assert "第十五條" in compact and "第三十條" in compact
    for chrome in ("複製引用", "本文目錄", "轉到", "下一條", "搜尋"):
        assert chrome not in compact, chrome
    # the citation is the official one, in Simplified on both scripts' pages (as its copy button gives it)
    assert "引用：《连云港市人民政府公报》2031年第5期" in compact and "列印日期：" in compact


# ---------------------------------------------------------------- 404


class _PagesLikeHandler(QuietHandler):
    """A static host as GitHub Pages is one: the site under a folder, the root 404.html for any missing path."""

    prefix = "/"

    def translate_path(self, path):
        path = path.split("?")[0]
        return super().translate_path("/" + path[len(self.prefix):] if path.startswith(self.prefix) else "/\0missing")

    def send_error(self, code, message=None, explain=None):
        if code != 404:
            return super().send_error(code, message, explain)
        body = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _pages_host(site: Path, prefix: str):
    return serve(site, type("Handler", (_PagesLikeHandler,), {"prefix": prefix}))


@pytest.mark.parametrize("prefix, missing, hant", [
    ("/", "doc/lzgf-2031-999/", False),
    ("/archive/", "no-such-page", False),  # the published folder (gazette.yml's site_url)
    ("/some/other/base/", "no-such-page", False),  # a copy served elsewhere
    ("/some/other/base/", "doc/lzgf-2031-999/#art_3", False),
    ("/", "zh-Hant/doc/lzgf-2031-1/missing/deeper/", True),
    ("/some/other/base/", "zh-Hant/no-such-page", True),
])
def test_404_in_chinese_with_search_and_years_at_any_base_path(reading_site, chromium, prefix, missing, hant):
    """The page answers with its own 404 status, and, at a top-level address, probes folders for the site's
    root (a 404 each above it): the watched browser would fail both, so its requests are checked here. Every
    request stays on the host, and every style and script the page needs loads (none is asked for first
    relative to the missing address, at any depth)."""
    with _pages_host(reading_site, prefix) as host:
        ctx = chromium.new_context(**DESKTOP)
        requests, errors = [], []
        ctx.on("request", lambda r: requests.append(r))
        page = ctx.new_page()
        page.set_default_timeout(8000)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{host}{prefix}{missing}")
        page.wait_for_load_state("load")
        if hant:
            page.wait_for_function("document.documentElement.lang === 'zh-Hant'", timeout=5000)
        heading = page.locator("article h1").inner_text()
        assert heading.startswith("找不到此頁" if hant else "找不到此页"), heading
        root = f"{host}{prefix}" + ("zh-Hant/" if hant else "")
        # the theme's styles came (the header is laid out as a bar), and the links lead into the site
        assert page.locator(".md-header").evaluate("h => getComputedStyle(h).position") == "sticky"
        links = page.eval_on_selector_all(".not-found-links a", "els => els.map(a => a.href)")
        assert links[0] == root and f"{root}year/2031/" in links and f"{root}year/2030/" in links, links
        assets = [r for r in requests if r.resource_type in ("stylesheet", "script")]
        assert {urlsplit(r.url).path.rsplit("/", 1)[-1] for r in assets} >= {"gazette.css", "reading.css",
                                                                              "gazette.js", "reading.js"}
        for r in assets:
            answer = r.response()
            assert answer is not None and answer.status == 200, (r.url, answer and answer.status)
        box = page.get_by_role("searchbox", name="搜尋本站公文" if hant else "搜索本站公文").first
        box.fill("阅读")
        box.press("Enter")
        page.wait_for_url(f"{root}search/?q=*")
        page.wait_for_selector(".gazette-search__result-link", timeout=15000)  # the search works from there
        assert [r.url for r in requests if not is_local(r.url)] == []
        assert errors == []
        ctx.close()  # before the host stops: nothing is left loading from it
