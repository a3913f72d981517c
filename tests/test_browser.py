"""The seed archive's site in the system Chromium: anchors under the sticky header, citations, copy, search, script switch."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from converters.serve import serve
from converters.variant import convert

pytestmark = pytest.mark.browser

@pytest.fixture(scope="module")
def server(seed_site: Path):
    with serve(seed_site) as url:
        yield url


def _in_view_below_header(page, selector: str) -> dict:
    return page.evaluate(
        """(sel) => {
            const el = document.querySelector(sel);
            const r = el.getBoundingClientRect();
            const h = document.querySelector('.md-header').getBoundingClientRect();
            return {top: r.top, bottom: r.bottom, header: h.bottom, height: window.innerHeight};
        }""", selector)


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_anchor_lands_below_sticky_header(server, browser, device):
    if device == "desktop":
        ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    else:
        ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  device_scale_factor=2)
    page = ctx.new_page()
    page.goto(f"{server}/doc/lzbf-2018-160/#art_15")
    page.wait_for_selector("#art_15")
    page.wait_for_timeout(300)
    box = _in_view_below_header(page, "#art_15")
    assert box["top"] >= box["header"] - 1, box
    assert box["top"] < box["height"], box
    ctx.close()


def test_citation_link_leads_to_cited_by_page(server, browser):
    page = browser.new_page()
    page.goto(f"{server}/doc/lzbf-2018-160/")
    link = page.locator("article a.cite").first
    number = link.inner_text()
    link.click()
    page.wait_for_load_state()
    assert "/cited/" in page.url or "/doc/" in page.url
    assert number in page.locator("h1").inner_text() or "/doc/" in page.url
    assert page.locator('#cited-by ~ ul a[href*="lzbf-2018-160"]').count() >= 1
    page.close()


def _citation(page, anchor: str, form: str = "short") -> str:
    """Open a provision's citation (its 引用 button) and copy one form; the text copied."""
    page.locator(f"#{anchor} button.cite-toggle").click()
    button = page.locator(f"#cite-{anchor} button.copy-cite[data-form={form}]")
    button.click()
    page.wait_for_function("(sel) => document.querySelector(sel).dataset.citation",
                           arg=f"#cite-{anchor} button.copy-cite[data-form={form}]")
    return button.get_attribute("data-citation")


def test_copy_citation(server, browser):
    ctx = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = ctx.new_page()
    page.goto(f"{server}/doc/lzbf-2018-160/#art_15")
    text = _citation(page, "art_15")
    # a PDF-to-Markdown dump shows only the page a document starts on: the document's range, and the
    # article is the enclosed rules' article
    assert text.startswith("《连云港市人民政府公报》2018年第16期第14–22页，连政办发〔2018〕160号"
                           "《连云港市突发事件预警信息发布管理办法》第十五条 "), text
    assert text.endswith("doc/lzbf-2018-160/#art_15"), text
    try:
        clip = page.evaluate("navigator.clipboard.readText()")
    except Exception:  # clipboard not readable in this browser build: the attribute is what was copied
        clip = text
    assert clip == text
    ctx.close()


SETTLED = ("() => { const l = document.querySelector('.gazette-search__results');"
           " return l && l.getAttribute('aria-busy') === 'false' && !/正在搜/.test("
           "document.querySelector('.gazette-search__message').textContent); }")


def _search(browser, url: str):
    page = browser.new_page()
    page.goto(url)
    page.wait_for_function(SETTLED, timeout=15000)
    return page


def test_search_finds_document(server, browser):
    page = _search(browser, f"{server}/search/?q=公共数据开放")
    hrefs = page.eval_on_selector_all(".gazette-search__result-link", "els => els.map(e => e.getAttribute('href'))")
    assert any("lzgf-2019-2" in h for h in hrefs), hrefs
    page.close()


@pytest.mark.parametrize("path,query,label", [
    ("search/", "玩忽职守", "第二十条"),
    ("zh-Hant/search/", "玩忽職守", "第二十條"),
])
def test_search_offers_the_article(server, browser, path, query, label):
    """A hit inside an article is offered as a sub-result that opens the article (search_view.py)."""
    page = _search(browser, f"{server}/{path}?q={query}")
    subs = page.eval_on_selector_all(".gazette-search__sub .gazette-search__result-link",
                                     "els => els.map(e => [e.textContent.trim(), e.getAttribute('href')])")
    assert any(text == label and href.endswith("doc/lzbf-2018-160/#art_20") for text, href in subs), subs
    # the excerpt under it marks the phrase as the page's script writes it (OpenCC: 玩忽 -> 翫忽)
    marks = page.eval_on_selector_all(".gazette-search__sub mark", "els => els.map(e => e.textContent)")
    assert marks and set(marks) == {convert("玩忽职守") if path.startswith("zh-Hant") else "玩忽职守"}, marks
    page.close()


@pytest.mark.parametrize("path,query", [
    ("zh-Hant/search/", "公共數據開放"),   # Traditional query on the Traditional site
    ("zh-Hant/search/", "数据开放"),   # Simplified query typed there (no character shared)
    ("search/", "數據開放"),               # Traditional query on the Simplified site
])
def test_search_in_either_script(server, browser, path, query):
    page = _search(browser, f"{server}/{path}?q={query}")
    hrefs = page.eval_on_selector_all(".gazette-search__result-link", "els => els.map(e => e.getAttribute('href'))")
    assert any("lzgf-2019-2" in h for h in hrefs), hrefs
    # each script finds its own pages: the query was rewritten, not matched across scripts
    assert all(("/zh-Hant/" in h) == path.startswith("zh-Hant") for h in hrefs), hrefs
    assert page.input_value(".gazette-search__input") == query  # shown as typed
    # the page speaks its script, and its message names the query as typed
    hant = path.startswith("zh-Hant")
    message = page.text_content(".gazette-search__message")
    assert message.startswith(f"「{query}」") and message.endswith("個結果" if hant else "个结果"), message
    assert page.get_attribute(".gazette-search__input", "placeholder") == ("搜尋" if hant else "搜索")
    page.close()


def test_switch_script_keeps_article(server, browser):
    page = browser.new_page()
    page.goto(f"{server}/doc/lzbf-2018-160/#art_15")
    page.wait_for_selector("#art_15")
    page.locator('a.script-switch[data-script="zh-Hant"]').evaluate("a => a.click()")
    page.wait_for_url("**/zh-Hant/doc/lzbf-2018-160/#art_15")
    assert page.locator("#art_15").count() == 1
    assert page.evaluate("document.documentElement.lang") == "zh-Hant"
    assert page.locator(".hant-note a.hans-link").count() == 1
    page.locator('a.script-switch[data-script="zh-Hans"]').evaluate("a => a.click()")
    page.wait_for_url(lambda u: "/zh-Hant/" not in u and u.endswith("/doc/lzbf-2018-160/#art_15"))
    assert page.evaluate("document.documentElement.lang") == "zh-Hans"
    page.close()


def _phone(browser):
    return browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)


def test_copy_citation_uses_the_page_of_the_article(server, browser):
    """An article after a page start is cited with that page; the Traditional page cites the official
    number and title as printed, and the Simplified page's URL."""
    ctx = browser.new_context()
    page = ctx.new_page()
    # a document from a PDF-text dump knows where every page starts: each article is cited with its own page
    page.goto(f"{server}/doc/lzgf-2019-2/")
    for n in (1, 4, 8, 16, 23, 31):
        expected = page.evaluate("""(id) => {
            let last = null;
            for (const el of document.querySelectorAll('.page-mark[data-page], #' + id)) {
                if (el.id === id) return last;
                last = el.dataset.page;
            } }""", f"art_{n}")
        text = _citation(page, f"art_{n}")
        assert expected and f"）第{expected}页，连政规发〔2019〕2号《" in text, (n, expected, text)
    assert len({page.locator(f"#cite-art_{n} .cite-text[data-form=short]").inner_text().split("，")[0]
                for n in (1, 31)}) == 2  # not one page for the whole document
    page.goto(f"{server}/doc/lzbf-2019-106/")
    text = page.locator(".doc-meta .cite-text[data-form=short]").inner_text()
    assert re.match(r"《连云港市人民政府公报》2019年（期号未载明；文件日期[-\d至]+）第14–28页，连政办发〔2019〕106号《", text), text
    page.goto(f"{server}/zh-Hant/doc/lzbf-2018-160/#art_15")
    text = _citation(page, "art_15")
    assert text.startswith("《连云港市人民政府公报》2018年第16期第14–22页，连政办发〔2018〕160号"
                           "《连云港市突发事件预警信息发布管理办法》第十五条 "), text
    assert text.endswith("/doc/lzbf-2018-160/#art_15") and "zh-Hant" not in text, text
    ctx.close()


def test_permalinks_on_hover_and_keyboard(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(f"{server}/doc/lzbf-2018-160/")
    pilcrow = page.locator("#art_2__para_2 a.pilcrow")
    opacity = "el => getComputedStyle(el).opacity"
    assert pilcrow.evaluate(opacity) == "0"
    assert pilcrow.get_attribute("aria-label")
    page.locator("#art_2__para_2").hover()
    page.wait_for_timeout(300)
    assert pilcrow.evaluate(opacity) == "1"
    page.mouse.move(0, 0)
    pilcrow.focus()  # reachable by keyboard, and visible when focused
    page.wait_for_timeout(300)
    assert pilcrow.evaluate(opacity) == "1"
    # the article label is itself the permalink, always visible
    label = page.locator("#art_15 .provision-heading > a.provision-link").first
    assert label.inner_text() == "第十五条" and label.get_attribute("href") == "#art_15"
    page.close()


@pytest.mark.parametrize("url, selector", [("doc/lzf-2018-141/", "article table")])
def test_phone_tables_scroll_in_their_box_not_the_page(server, browser, url, selector):
    ctx = _phone(browser)
    page = ctx.new_page()
    page.goto(f"{server}/{url}")
    page.wait_for_load_state("load")
    page.wait_for_timeout(200)
    box = page.locator(selector).first.evaluate("""t => {
        const w = t.closest('.table-scroll, .md-typeset__scrollwrap');
        return w && {scroll: w.scrollWidth, client: w.clientWidth, overflow: getComputedStyle(w).overflowX,
                     tabindex: w.getAttribute('tabindex')}; }""")
    assert box and box["scroll"] > box["client"] and box["overflow"] == "auto", box
    assert box["tabindex"] == "0", box  # a keyboard user can scroll it too
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    ctx.close()


def test_signature_block_right_aligned_and_printed_contents(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(f"{server}/doc/lzbf-2019-106/")
    sig = page.locator(".signature").first
    assert sig.evaluate("el => getComputedStyle(el).textAlign") == "right"
    assert "2019年11月14日" in sig.inner_text()
    toc = page.locator(".printed-toc")
    assert toc.evaluate("el => getComputedStyle(el.querySelector('li')).listStyleType") == "none"
    levels = toc.evaluate("el => [...el.querySelectorAll('li')].map(li => li.dataset.level)")
    assert levels[:3] == ["1", "2", "2"], levels
    # an entry leads to the heading it names
    href = toc.locator("li a").first.get_attribute("href")
    assert href.startswith("#hd_") and page.locator(href).count() == 1
    page.close()


def test_plan_headings_are_citable(server, browser):
    """A document without articles is cited by its numbered headings, with the page they are printed on."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(f"{server}/doc/lzbf-2019-106/#hd_1__hd_1")
    text = _citation(page, "hd_1__hd_1")
    # page 15's start is not shown by the source: a heading between pages 14 and 16 gets the document's range
    assert re.match(r"《连云港市人民政府公报》2019年（期号未载明；文件日期[-\d至]+）第(\d+|14–28)页，"
                    r"连政办发〔2019〕106号《连云港市重污染天气应急预案》1\.1 编制目的 ", text), text
    assert text.endswith("doc/lzbf-2019-106/#hd_1__hd_1"), text
    # a regulation is cited by its articles only
    page.goto(f"{server}/doc/lzbf-2018-160/")
    assert page.locator(".md-typeset h2 button.cite-toggle, .md-typeset h3 button.cite-toggle").count() == 0
    page.close()


@pytest.mark.parametrize("path", ["", "doc/lzbf-2018-160/", "zh-Hant/doc/lzbf-2018-160/", "search/?q=公共数据开放"])
def test_pages_make_no_failed_request(server, browser, path):
    """Every request a page makes once loaded (Material's scripts included) is answered by the site: the
    `browser` fixture fails the test on any failed or non-local request."""
    page = browser.new_page()
    page.goto(f"{server}/{path}")
    page.wait_for_load_state("networkidle")
    page.close()


def test_the_request_watch_sees_failures(server, chromium):
    """The watch is not vacuous: a missing file and another host are both reported."""
    from conftest import WatchedBrowser

    watched = WatchedBrowser(chromium)
    page = watched.new_page()
    page.goto(f"{server}/no-such-page/")
    page.evaluate("fetch('http://example.invalid/x').catch(() => null)")
    page.wait_for_load_state("networkidle")
    page.close()
    assert any(p.startswith("HTTP 404") for p in watched.problems), watched.problems
    assert any(p.startswith("not local: http://example.invalid/") for p in watched.problems), watched.problems
