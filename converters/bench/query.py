"""What a first search query downloads, measured in the system Chromium on both scripts' search pages."""

from __future__ import annotations

import json
import random
import shutil
from contextlib import contextmanager
from pathlib import Path

from ..serve import serve
from .sizes import served_size

@contextmanager
def _chromium():
    """The system Chromium, through playwright (from the test extra)."""
    chromium = shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        chromium = None
    if not chromium:
        raise SystemExit("gazette bench: --query and --phrases need the system Chromium (make browser) and "
                         "playwright (pip install -e '.[test]')")
    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        try:
            yield launched
        finally:
            launched.close()


def measured_queries(site: Path, queries: list[str], variant: str = "s2tw", browser=None) -> dict:
    """What a first query really downloads: each query typed on a fresh search page of `site` served
    locally, in the system Chromium (playwright, from the test extra; or `browser`, a playwright
    browser already open) — on the Simplified page as given, on the Traditional page converted to
    Traditional (`variant`) as its reader types it —; the files under search-index/ that the page
    fetched for it, by kind. The page's own script, styles and script map load with the page and are
    left out (sizes.search_bytes counts them apart)."""
    if browser is None:
        with _chromium() as launched:
            return measured_queries(site, queries, variant, launched)

    from ..site.search import INDEX_DIR
    from ..variant import get_converter

    to_hant = get_converter(variant).convert
    out: dict = {}
    with serve(site) as url:
        base = url + "/"
        for query in queries:
            for script, page_path, typed in (("zh-Hans", "search/", query),
                                             ("zh-Hant", "zh-Hant/search/", to_hant(query))):
                context = browser.new_context()
                page = context.new_page()
                fetched: list[str] = []
                page.on("request", lambda request, fetched=fetched: fetched.append(request.url))
                page.goto(f"{base}{page_path}?q={typed}")
                page.wait_for_function(SEARCH_DONE, timeout=60_000)
                page.wait_for_load_state("networkidle")
                files = sorted({u[len(base):].split("?")[0] for u in fetched if u.startswith(base + INDEX_DIR + "/")})
                kinds: dict[str, int] = {}
                for rel in files:
                    kind = ("buckets" if "/keys/" in rel else "documents" if "/doc/" in rel else
                            "filters" if rel.endswith("filters.json") else "meta")
                    kinds[kind] = kinds.get(kind, 0) + served_size(site / rel)
                out.setdefault(query, {})[script] = {"query": typed, "total": sum(kinds.values()),
                                                     "files": len(files), **kinds}
                context.close()
    return out


# the search page has answered: its message names a count or no result, and its list is not loading
SEARCH_DONE = ("() => { const m = document.querySelector('.gazette-search__message'), "
               "l = document.querySelector('.gazette-search__results'); "
               "return m && /[0-9]|未找到|找不到|失败|失敗/.test(m.textContent) && !/正在搜/.test(m.textContent) "
               "&& l.getAttribute('aria-busy') === 'false'; }")

# Phrases in no document: the issue's own example, and made-up ones checked against every text.
ABSENT = ["量子计算机", "火星移民局", "区块链养猪场"]


def indexed_texts(site: Path) -> dict[int, str]:
    """{document number: the text the search index holds for it} (search-index/doc/<n>.json)."""
    from ..site.search import INDEX_DIR

    return {int(path.stem): json.loads(path.read_text(encoding="utf-8"))["text"]
            for path in sorted((site / INDEX_DIR / "doc").glob("*.json"))}


def sampled_phrases(texts: dict[int, str], count: int, seed: int = 17) -> list[str]:
    """`count` phrases copied at random from the archive: a random document, a random offset, 2–7
    characters, within one run of text (no line break or space)."""
    rng = random.Random(seed)
    ids = sorted(texts)
    phrases: list[str] = []
    while len(phrases) < count:
        text = texts[rng.choice(ids)]
        length = rng.randint(2, 7)
        if len(text) <= length:
            continue
        start = rng.randrange(len(text) - length)
        phrase = text[start:start + length]
        if not any(c.isspace() for c in phrase):
            phrases.append(phrase)
    return phrases


def phrase_accuracy(site: Path, count: int, variant: str = "s2tw", browser=None) -> dict:
    """Recall and precision of the search page on `count` phrases sampled from the archive, on the
    Simplified page and, converted to Traditional, on the Traditional page; and how many documents
    phrases in no document return. What the page shows for a query is its results, each checked
    against the document's text (window.gazetteSearch.results); the index's own candidates are
    measured beside them. The truth is every document whose indexed text contains the phrase
    (compared as the index compares: ASCII letters in lower case)."""
    if browser is None:
        with _chromium() as launched:
            return phrase_accuracy(site, count, variant, launched)
    from ..phrase_index import normalize
    from ..variant import get_converter

    to_hant = get_converter(variant).convert
    texts = indexed_texts(site)
    phrases = sampled_phrases(texts, count)
    lowered = {n: normalize(t) for n, t in texts.items()}
    absent = [p for p in ABSENT if not any(p in t for t in texts.values())]
    out: dict = {"phrases": len(phrases), "documents": len(texts)}
    with serve(site) as url:
        for script, page_path, convert in (("zh-Hans", "search/", str), ("zh-Hant", "zh-Hant/search/", to_hant)):
            page = browser.new_page()
            page.goto(f"{url}/{page_path}")
            page.wait_for_function("() => window.gazetteSearch !== undefined")
            shown = right = expected = candidates = right_candidates = 0
            misses: list[str] = []
            for phrase in phrases:
                truth = {n for n, t in lowered.items() if normalize(phrase) in t}
                got = set(page.evaluate("q => window.gazetteSearch.results(q)", convert(phrase)))
                index = set(page.evaluate("q => window.gazetteSearch.candidates(q)", convert(phrase)))
                shown += len(got)
                right += len(got & truth)
                expected += len(truth)
                candidates += len(index)
                right_candidates += len(index & truth)
                if truth - got or got - truth:
                    misses.append(phrase)
            wrong = {p: len(page.evaluate("q => window.gazetteSearch.results(q)", convert(p))) for p in absent}
            out[script] = {"recall": right / max(expected, 1), "precision": right / max(shown, 1),
                           "expected": expected, "returned": shown, "absent": wrong, "inexact": misses[:10],
                           "index_recall": right_candidates / max(expected, 1),
                           "index_precision": right_candidates / max(candidates, 1), "candidates": candidates}
            page.close()
    return out
