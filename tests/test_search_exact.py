"""Exact-phrase search in the system Chromium (search_view.py, phrase_index.py, site/search.py,
gazette-search.js), on an archive of its own built in a temporary folder from the stage fixtures: a
phrase is found in every document that contains it and in no other, across the words a Chinese
segmenter would cut it into, typed in either script, with a filter, in either order by date; a
phrase in no document finds nothing; a document whose trigrams hold a phrase's but not the phrase is
never shown, and the count says so until every candidate is checked."""

from __future__ import annotations

import json
import random
from pathlib import Path
from urllib.parse import quote, urljoin

import pytest

from conftest import build
from converters.phrase_index import MAX_GRAM, RUN_END, normalize
from converters.serve import serve
from converters.variant import convert
from projects import CONTENTS, NOTICE, add_text_issue, make_project

pytestmark = pytest.mark.browser

# A third issue, made from the notice fixture: in one document the trigrams of 城乡居民医保 each occur,
# apart; another holds the phrase itself (and ASCII letters, found in either case, and a character
# outside the BMP, two UTF-16 units, before its articles).
APART = "城乡居，乡居民，居民医，民医保"
PHRASE = "城乡居民医保"


def _trigrams_apart_issue(project: Path) -> None:
    text = NOTICE.read_text(encoding="utf-8")
    for old, new in (("测试", "试点"), ("〔2030〕7号", "〔2030〕8号"), ("〔2030〕12号", "〔2030〕13号"),
                     ("（一）政务数据；", f"（一）{APART}；"), ("各地要高度重视。", f"各地要对{PHRASE}高度重视。"),
                     ("（二）公共数据。", "（二）公共数据GDP。"), ("结合本市实际", "结合本市𠀀实际"),
                     ("2030年1月8日", "2030年3月8日"), ("2030年1月9日", "2030年3月9日")):
        assert old in text, old
        text = text.replace(old, new)
    add_text_issue(project, "2030-05", "pdf-text", text)


@pytest.fixture(scope="module")
def exact_site(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("exact") / "project", {"2030-03": NOTICE, "2030-04": CONTENTS})
    _trigrams_apart_issue(project)
    build(project)
    return project / "site"


@pytest.fixture(scope="module")
def server(exact_site):
    with serve(exact_site) as url:
        yield url


def indexed(site: Path) -> list[dict]:
    """The documents as the index numbers them (search-index/doc/<n>.json)."""
    count = json.loads((site / "search-index" / "meta.json").read_text(encoding="utf-8"))["count"]
    return [json.loads((site / "search-index" / "doc" / f"{n}.json").read_text(encoding="utf-8")) for n in range(count)]


SETTLED = ("() => { const m = document.querySelector('.gazette-search__message');"
           " const l = document.querySelector('.gazette-search__results');"
           " return m && /[0-9]|未找到|找不到/.test(m.textContent) && !/正在搜/.test(m.textContent)"
           " && l.getAttribute('aria-busy') === 'false'; }")
RESULT_LINKS = ".gazette-search__result > .gazette-search__result-title a"


def hrefs(page) -> list[str]:
    return page.eval_on_selector_all(RESULT_LINKS, "els => els.map(e => e.getAttribute('href'))")


def _search(browser, url: str, everything: bool = False) -> tuple:
    """The search page at `url` once its results are in (with `everything`, each “load more” clicked):
    the page, the results' links, the marked phrases."""
    page = browser.new_page()
    page.goto(url)
    page.wait_for_function(SETTLED, timeout=15000)
    while everything and page.query_selector(".gazette-search__more"):
        page.click(".gazette-search__more")
        page.wait_for_function(SETTLED, timeout=15000)
    marks = page.eval_on_selector_all(".gazette-search__result mark", "els => els.map(e => e.textContent)")
    return page, hrefs(page), marks


def message(page) -> str:
    return page.text_content(".gazette-search__message")


def sampled_phrases(texts: list[str], count: int, seed: int = 17) -> list[str]:
    """`count` phrases copied at random from the indexed texts: 2–7 characters within one run."""
    rng = random.Random(seed)
    phrases: list[str] = []
    while len(phrases) < count:
        run = rng.choice(rng.choice(texts).split(RUN_END))
        length = rng.randint(2, 7)
        if len(run) > length:
            start = rng.randrange(len(run) - length + 1)
            phrases.append(run[start:start + length])
    return phrases


def test_sampled_phrases_find_exactly_their_documents(exact_site, server, browser):
    """Phrases copied at random from the indexed text (2–7 characters, any offset): what the page
    finds (each candidate checked against its text) is every document that contains one and no other,
    in both scripts; the index's candidates hold them all; phrases in no document find none."""
    texts = [doc["text"] for doc in indexed(exact_site)]
    assert len(texts) >= 7
    phrases = sampled_phrases(texts, 60) + [PHRASE, "城乡居民", "Gdp", "据gdP"]
    absent = ["量子计算机", "火星移民局", "居民医保局", "城乡居民医疗"]
    assert not any(p in t for p in absent for t in texts) and "GDP" in "".join(texts)
    for path, typed in (("search/", str), ("zh-Hant/search/", convert)):
        page = browser.new_page()
        page.goto(f"{server}/{path}")
        page.wait_for_function("() => window.gazetteSearch !== undefined")
        found = page.evaluate("async qs => { const out = []; for (const q of qs) out.push([await window.gazetteSearch"
                              ".candidates(q), await window.gazetteSearch.results(q)]); return out; }",
                              [typed(p) for p in phrases + absent])
        page.close()
        for phrase, (candidates, results) in zip(phrases + absent, found):
            truth = [n for n, text in enumerate(texts) if normalize(phrase) in normalize(text)]  # as the index compares
            assert sorted(results) == truth, (path, phrase, results, truth)
            assert set(candidates) >= set(truth), (path, phrase)
            if len(phrase) <= MAX_GRAM:
                assert sorted(candidates) == truth, (path, phrase)


def test_trigrams_apart_are_a_candidate_but_never_a_result(exact_site, server, browser):
    """The document holding 城乡居, 乡居民, 居民医 and 民医保 apart is a candidate of the index for
    城乡居民医保, not a result: the page checks it against its text, and counts what is left."""
    docs = indexed(exact_site)
    apart = next(n for n, doc in enumerate(docs) if APART in doc["text"])
    holding = [n for n, doc in enumerate(docs) if PHRASE in doc["text"]]
    assert holding and apart not in holding
    page, results, marks = _search(browser, f"{server}/search/?q={quote(PHRASE)}")
    assert apart in page.evaluate("q => window.gazetteSearch.candidates(q)", PHRASE)
    assert sorted(page.evaluate("q => window.gazetteSearch.results(q)", PHRASE)) == holding
    assert results == ["/" + docs[n]["url"] for n in holding]
    assert set(marks) == {PHRASE}
    assert message(page) == f"「{PHRASE}」共 {len(holding)} 个结果"
    page.close()


def test_the_count_is_an_upper_bound_until_every_candidate_is_checked(exact_site, server, browser):
    """More candidates than a page of results: the first page says “at most”; once every one is
    loaded (each checked against its text), the count is exact and is the number of results."""
    query = "人民政府"
    truth = [n for n, doc in enumerate(indexed(exact_site)) if query in doc["text"]]
    assert len(truth) > 5  # the page shows five at once
    page, first, _ = _search(browser, f"{server}/search/?q={quote(query)}")
    assert len(first) == 5 and message(page).startswith(f"「{query}」至多 ") and "其余逐一核对后显示" in message(page)
    page.close()
    page, everything, _ = _search(browser, f"{server}/search/?q={quote(query)}", everything=True)
    assert message(page) == f"「{query}」共 {len(truth)} 个结果" and len(everything) == len(truth)
    assert not page.query_selector(".gazette-search__more")
    page.close()


@pytest.mark.parametrize("path", ["search/", "zh-Hant/search/"])
def test_a_character_outside_the_bmp_is_found_and_its_article_offered(server, browser, path):
    """𠀀 (a surrogate pair in JavaScript) in a phrase: found, marked whole, and the hit offered under
    its article; the articles after it are still offered as their own (the offsets count UTF-16 units)."""
    hant = path.startswith("zh-Hant")
    for query, article in (("𠀀实际", "art_1"), ("第三条", "art_3")):
        page, results, marks = _search(browser, f"{server}/{path}?q={quote(convert(query) if hant else query)}")
        assert results and set(marks) == {convert(query) if hant else query}, (query, marks)
        subs = page.eval_on_selector_all(".gazette-search__sub .gazette-search__result-link",
                                         "els => els.map(e => e.getAttribute('href'))")
        assert any(href.endswith(f"doc/lzgf-2030-8/#{article}") for href in subs), (query, subs)
        page.close()


def test_phrase_across_word_boundaries(server, browser):
    # 测试|数据|管理|办法 as a segmenter cuts it: the phrase takes the end of one word and the start of others
    page, results, marks = _search(browser, f"{server}/search/?q={quote('据管理办')}")
    assert results and all(r.startswith("/doc/") for r in results), results
    assert marks and set(marks) == {"据管理办"}, marks
    page.close()


def test_a_quoted_phrase_finds_what_the_phrase_finds(server, browser):
    """Quotes are not needed, and typed anyway (as other search engines want) they change nothing."""
    page, plain, _ = _search(browser, f"{server}/search/?q={quote('据管理办')}")
    page.close()
    page, quoted, marks = _search(browser, f"{server}/search/?q={quote(chr(34) + '据管理办' + chr(34))}")
    assert quoted == plain and plain, (quoted, plain)
    assert set(marks) == {"据管理办"}, marks
    page.close()


def test_absent_phrase_finds_nothing(server, browser):
    page, results, _ = _search(browser, f"{server}/search/?q={quote('量子计算机')}")
    assert results == []
    assert message(page) == "未找到「量子计算机」"
    page.close()


def test_traditional_phrase_on_both_pages(server, browser):
    hans, hans_results, _ = _search(browser, f"{server}/search/?q={quote('测试数据管理')}")
    hant, hant_results, marks = _search(browser, f"{server}/zh-Hant/search/?q={quote('測試數據管理')}")
    assert hant_results and [r.replace("/zh-Hant/", "/") for r in hant_results] == hans_results
    assert all(r.startswith("/zh-Hant/") for r in hant_results)
    assert set(marks) == {"測試數據管理"}, marks  # shown in Traditional
    assert hant.input_value(".gazette-search__input") == "測試數據管理"
    assert message(hant) == f"「測試數據管理」共 {len(hant_results)} 個結果"
    # typed in Traditional on the Simplified page: the same documents, shown in Simplified
    page, results, marks = _search(browser, f"{server}/search/?q={quote('測試數據管理')}")
    assert results == hans_results and set(marks) == {"测试数据管理"}
    for p in (hans, hant, page):
        p.close()


def test_filter_narrows_and_is_kept_in_the_url(server, browser):
    page, everything, _ = _search(browser, f"{server}/search/?q={quote('连云港')}", everything=True)
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
    # a filter chosen on the page goes into the URL
    page.select_option("select[name=category]", "")
    page.wait_for_function(SETTLED, timeout=15000)
    assert "category=" not in page.url and hrefs(page) == everything[:5]
    page.close()


@pytest.mark.parametrize("script", ["", "zh-Hant/"])
def test_sort_by_date(exact_site, server, browser, script):
    """Newest first or oldest first: the documents in the order of their dates (the index's numbers)."""
    url_number = {doc["url"]: n for n, doc in enumerate(indexed(exact_site))}
    orders = {}
    for sort in ("desc", "asc"):
        page, results, _ = _search(browser, f"{server}/{script}search/?q={quote('人民政府')}&sort={sort}", everything=True)
        assert page.input_value("select[name=sort]") == sort
        orders[sort] = [url_number[r.removeprefix(f"/{script}")] for r in results]
        page.close()
    assert len(orders["asc"]) >= 3
    assert orders["asc"] == sorted(orders["asc"]) and orders["desc"] == orders["asc"][::-1]
    dates = [indexed(exact_site)[n]["meta"].get("date") for n in orders["asc"]]
    known = [d for d in dates if d]
    assert known == sorted(known)


@pytest.mark.parametrize("typed", ["连政规发(2030)7号", "连政规发［2030］7号", "连政规发（2030）第7号", "連政規發[2030]7號"])
def test_document_number_in_any_brackets_finds_its_document_first(server, browser, typed):
    page, results, _ = _search(browser, f"{server}/search/?q={quote(typed)}")
    assert results and results[0] == "/doc/lzgf-2030-7/", results
    assert "连政规发〔2030〕7号" in page.text_content(".gazette-search__result .gazette-search__facts")
    page.close()


@pytest.mark.parametrize("path", ["search/", "zh-Hant/search/"])
def test_number_the_archive_does_not_hold_finds_its_cited_page(server, browser, path):
    page, results, _ = _search(browser, f"{server}/{path}?q={quote('国发〔2015〕50号')}")
    cited = page.eval_on_selector_all(".gazette-search__cited .gazette-search__result-link",
                                      "els => els.map(e => e.getAttribute('href'))")
    assert cited and results[0] == cited[0] and "/cited/" in cited[0]
    assert cited[0].startswith("/zh-Hant/") == path.startswith("zh-Hant")
    opened = browser.new_page()
    assert opened.goto(f"{server}{cited[0]}").ok
    opened.close()
    page.close()


def test_the_script_switch_keeps_the_query(server, browser):
    page, results, _ = _search(browser, f"{server}/search/?q={quote('测试数据管理')}&sort=asc")
    switch = page.get_attribute("a.script-switch[hreflang=zh-Hant]", "href")  # in the header's script menu
    page.goto(urljoin(page.url, switch))
    assert "/zh-Hant/search/?" in page.url
    page.wait_for_function(SETTLED, timeout=15000)
    assert page.input_value(".gazette-search__input") == "测试数据管理"
    assert page.input_value("select[name=sort]") == "asc"
    assert [r.replace("/zh-Hant/", "/") for r in hrefs(page)] == results
    page.close()
