"""Exact-phrase search in the system Chromium (search_view.py, site/search.py, gazette-search.js), on an
archive of its own built in a temporary folder from two stage fixtures: a phrase is found in every
document that contains it and in no other, across the words a Chinese segmenter would cut it into, typed
in either script, with a filter, and a phrase in no document finds nothing."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest

from converters.bench.query import indexed_texts, phrase_accuracy
from conftest import build
from converters.serve import serve
from projects import CONTENTS, NOTICE, make_project

pytestmark = pytest.mark.browser



@pytest.fixture(scope="module")
def exact_site(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("exact") / "project", {"2030-03": NOTICE, "2030-04": CONTENTS})
    build(project)
    return project / "site"


@pytest.fixture(scope="module")
def server(exact_site):
    with serve(exact_site) as url:
        yield url


def _search(browser, url: str) -> tuple:
    page = browser.new_page()
    page.goto(url)
    page.wait_for_function("() => /[0-9]|未找到|找不到/.test(document.querySelector('.pagefind-ui__message')"
                           ".textContent) && !/正在搜/.test(document.querySelector('.pagefind-ui__message').textContent)",
                           timeout=15000)
    results = page.eval_on_selector_all(
        ".pagefind-ui__result > .pagefind-ui__result-inner > .pagefind-ui__result-title a",
        "els => els.map(e => e.getAttribute('href'))")
    marks = page.eval_on_selector_all(".pagefind-ui__result mark", "els => els.map(e => e.textContent)")
    return page, results, marks


def test_sampled_phrases_find_exactly_their_documents(exact_site, browser):
    """Phrases copied at random from the indexed text (2–7 characters, any offset): every document
    that contains one is returned and no other, in both scripts; phrases in no document return none."""
    texts = indexed_texts(exact_site)
    assert len(texts) >= 5
    measured = phrase_accuracy(exact_site, 60, browser=browser)
    for script in ("zh-Hans", "zh-Hant"):
        m = measured[script]
        assert m["recall"] == 1 and m["precision"] == 1, (script, m["inexact"], m)
        assert m["absent"] and not any(m["absent"].values()), m


def test_phrase_across_word_boundaries(server, browser):
    # 测试|数据|管理|办法 as a segmenter cuts it: the phrase takes the end of one word and the start of others
    page, results, marks = _search(browser, f"{server}/search/?q={quote('据管理办')}")
    assert results and all("/doc/" in r for r in results), results
    assert marks and set(marks) == {"据管理办"}, marks
    page.close()


def test_absent_phrase_finds_nothing(server, browser):
    page, results, _ = _search(browser, f"{server}/search/?q={quote('量子计算机')}")
    assert results == []
    assert "量子计算机" in page.text_content(".pagefind-ui__message")
    page.close()


def test_traditional_phrase_on_the_traditional_site(server, browser):
    hans, hans_results, _ = _search(browser, f"{server}/search/?q={quote('测试数据管理')}")
    hant, hant_results, marks = _search(browser, f"{server}/zh-Hant/search/?q={quote('測試數據管理')}")
    assert hant_results and [r.replace("/zh-Hant/", "/") for r in hant_results] == hans_results
    assert set(marks) == {"測試數據管理"}, marks  # shown in Traditional
    assert hant.input_value(".pagefind-ui__search-input") == "測試數據管理"
    hans.close()
    hant.close()


def test_filter_narrows_and_is_kept_in_the_url(server, browser):
    page, everything, _ = _search(browser, f"{server}/search/?q={quote('连云港')}")
    page.close()
    category = quote("市政府办公室文件")
    page, filtered, _ = _search(browser, f"{server}/search/?q={quote('连云港')}&category={category}")
    assert filtered and set(filtered) < set(everything), (filtered, everything)
    for href in filtered:  # each result is a document of that category
        doc = browser.new_page()
        doc.goto(f"{server}{href}")
        assert "市政府办公室文件" in doc.text_content(".doc-meta")
        doc.close()
    assert page.input_value("select[name=category]") == "市政府办公室文件"
    # the state stays in the URL, and switching script keeps it
    assert f"category={category}" in page.url
    switch = page.get_attribute("a.script-switch[hreflang=zh-Hant]", "href")
    assert "q=" in switch and "category=" in switch, switch
    page.close()


def test_document_number_in_any_brackets_finds_its_document_first(server, browser):
    page, results, _ = _search(browser, f"{server}/search/?q={quote('连政规发(2030)7号')}")
    assert results, results
    assert "连政规发〔2030〕7号" in page.text_content(".pagefind-ui__result .gazette-search__facts")
    page.close()


@pytest.mark.parametrize("path", ["search/", "zh-Hant/search/"])
def test_number_the_archive_does_not_hold_finds_its_cited_page(server, browser, path):
    page, results, _ = _search(browser, f"{server}/{path}?q={quote('国发〔2015〕50号')}")
    assert results and "/cited/" in results[0] and results[0].startswith("/zh-Hant/") == path.startswith("zh-Hant")
    cited = browser.new_page()
    assert cited.goto(f"{server}{results[0]}").ok
    cited.close()
    page.close()
