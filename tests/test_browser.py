"""The built site in the system Chromium: anchors under the sticky header, citations, copy, search, script switch."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output clean
        pass


@pytest.fixture(scope="module")
def server(built_site: Path):
    handler = functools.partial(_Quiet, directory=str(built_site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("system Chromium not installed (make browser)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


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


def test_copy_citation(server, browser):
    ctx = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = ctx.new_page()
    page.goto(f"{server}/doc/lzbf-2018-160/#art_15")
    button = page.locator("#art_15 button.copy-cite")
    button.click()
    page.wait_for_function("document.querySelector('#art_15 button.copy-cite').dataset.citation")
    text = button.get_attribute("data-citation")
    assert text.startswith("《连云港市人民政府公报》2018年第16期"), text
    assert "连政办发〔2018〕160号 第十五条" in text and text.endswith("doc/lzbf-2018-160/#art_15"), text
    try:
        clip = page.evaluate("navigator.clipboard.readText()")
    except Exception:  # clipboard not readable in this browser build: the attribute is what was copied
        clip = text
    assert clip == text
    ctx.close()


def test_pagefind_search_finds_document(server, browser):
    page = browser.new_page()
    page.goto(f"{server}/search/?q=公共数据开放")
    page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
    hrefs = page.eval_on_selector_all(".pagefind-ui__result-link", "els => els.map(e => e.getAttribute('href'))")
    assert any("lzgf-2019-2" in h for h in hrefs), hrefs
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
    assert page.evaluate("document.documentElement.lang") == "zh"
    page.close()
