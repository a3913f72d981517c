"""What a first search query downloads, measured in the system Chromium on both scripts' search pages."""

from __future__ import annotations

import gzip
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
    Traditional (`variant`) as its reader types it —; the files under pagefind/ that the page fetched
    for it, by kind. The search UI's own JS and CSS load with the page and are left out."""
    if browser is None:
        with _chromium() as launched:
            return measured_queries(site, queries, variant, launched)

    from playwright.sync_api import TimeoutError as PlaywrightTimeout

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
                try:  # a result's link is drawn from its fragment: the results shown first are loaded
                    page.wait_for_selector(".pagefind-ui__result-link", timeout=30_000)
                except PlaywrightTimeout:  # a query without results
                    pass
                page.wait_for_load_state("networkidle")
                files = sorted({u[len(base):].split("?")[0] for u in fetched
                                if u.startswith(base + "pagefind/") and not u.endswith(("-ui.js", "-ui.css"))})
                kinds: dict[str, int] = {}
                for rel in files:
                    kind = ("fragments" if "/fragment/" in rel else "index" if "/index/" in rel else
                            "meta" if rel.endswith(".pf_meta") else "wasm" if "/wasm." in rel else
                            "js" if rel.endswith(".js") else "entry")
                    kinds[kind] = kinds.get(kind, 0) + served_size(site / rel)
                out.setdefault(query, {})[script] = {"query": typed, "total": sum(kinds.values()),
                                                     "files": len(files), **kinds}
                context.close()
    return out


# Phrases in no document: the issue's own example, and made-up ones checked against every text.
ABSENT = ["量子计算机", "火星移民局", "区块链养猪场"]


def indexed_texts(site: Path) -> dict[str, str]:
    """{fragment id: the text the search index holds for that page}, read from the compact fragments
    (site/search.py) as the search page reads them: a run's end as a line break."""
    from ..search_view import RUN_END

    texts = {}
    for path in sorted(site.glob("pagefind/**/fragment/*.pf_fragment")):
        data = json.loads(gzip.decompress(path.read_bytes())[len(b"pagefind_dcd"):])
        texts[path.stem] = "".join("\n" if not w else w[:-1] + "\n" if w.endswith(RUN_END) else w
                                   for w in data["content"].split(" "))
    return texts


def sampled_phrases(texts: dict[str, str], count: int, seed: int = 17) -> list[str]:
    """`count` phrases copied at random from the archive: a random page, a random offset, 2–7
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
    phrases in no document return. What a query returns is what the page lists for it (its candidates,
    window.gazetteSearch); the truth is every page whose indexed text contains the phrase."""
    if browser is None:
        with _chromium() as launched:
            return phrase_accuracy(site, count, variant, launched)
    from ..variant import get_converter

    to_hant = get_converter(variant).convert
    texts = indexed_texts(site)
    phrases = sampled_phrases(texts, count)
    absent = [p for p in ABSENT if not any(p in t for t in texts.values())]
    out: dict = {"phrases": len(phrases), "documents": len(texts)}
    with serve(site) as url:
        for script, page_path, convert in (("zh-Hans", "search/", str), ("zh-Hant", "zh-Hant/search/", to_hant)):
            page = browser.new_page()
            page.goto(f"{url}/{page_path}")
            page.wait_for_function("() => window.gazetteSearch !== undefined")
            found = right = expected = 0
            misses: list[str] = []
            for phrase in phrases:
                truth = {i for i, t in texts.items() if phrase in t}
                got = set(page.evaluate("q => window.gazetteSearch.candidates(q)", convert(phrase)))
                found += len(got)
                right += len(got & truth)
                expected += len(truth)
                if truth - got or got - truth:
                    misses.append(phrase)
            wrong = {p: len(page.evaluate("q => window.gazetteSearch.candidates(q)", convert(p))) for p in absent}
            out[script] = {"recall": right / max(expected, 1), "precision": right / max(found, 1),
                           "expected": expected, "returned": found, "absent": wrong, "inexact": misses[:10]}
            page.close()
    return out

