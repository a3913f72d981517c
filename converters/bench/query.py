"""What a first search query downloads, measured in the system Chromium on both scripts' search pages."""

from __future__ import annotations

import shutil
from pathlib import Path

from ..serve import serve
from .sizes import served_size

def measured_queries(site: Path, queries: list[str], variant: str = "s2tw", browser=None) -> dict:
    """What a first query really downloads: each query typed on a fresh search page of `site` served
    locally, in the system Chromium (playwright, from the test extra; or `browser`, a playwright
    browser already open) — on the Simplified page as given, on the Traditional page converted to
    Traditional (`variant`) as its reader types it —; the files under pagefind/ that the page fetched
    for it, by kind. The search UI's own JS and CSS load with the page and are left out."""
    if browser is None:
        chromium = shutil.which("chromium")
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            chromium = None
        if not chromium:
            raise SystemExit("gazette bench: --query needs the system Chromium (make browser) and playwright "
                             "(pip install -e '.[test]')")
        with sync_playwright() as pw:
            launched = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
            try:
                return measured_queries(site, queries, variant, launched)
            finally:
                launched.close()

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
