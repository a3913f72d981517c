"""A large archive's search index in shards (site.py search_bundles/pagefind): the seed issues built with
a shard size of 12 document pages, so 34 documents make three Pagefind indexes that the search page
merges. Searching them must find what the single index of the main build finds."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from converters import site
from converters.bench import COPIED
from converters.config import ConfigError, load_config
from converters.bench import serve

ROOT = Path(__file__).resolve().parent.parent
SHARD_PAGES = 12


@pytest.fixture(scope="module")
def sharded_site(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("sharded")
    for name in (*COPIED, "docs_src"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, project / name)
        else:
            shutil.copy2(src, project / name)
    with (project / "gazette.yml").open("a", encoding="utf-8") as f:
        f.write(f"\nsearch_shard_pages: {SHARD_PAGES}\n")
    result = subprocess.run([sys.executable, "-m", "converters.cli", "build"], cwd=project,
                            capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    if result.returncode != 0:
        pytest.fail(f"sharded build failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return project / "site"


def test_bundles_for_the_number_of_pages():
    per_shard = load_config(ROOT / "gazette.yml").search_shard_pages
    assert per_shard == 6000
    assert site.search_bundles(1, per_shard) == site.search_bundles(6000, per_shard) == ["pagefind/"]
    assert site.search_bundles(6001, per_shard) == ["pagefind/", "pagefind/shard-2/"]
    # measured at 10,000 documents in two shards: a first query of 224–291 KB, Pagefind 2.8 GB a shard
    assert len(site.search_bundles(10_008, per_shard)) == 2
    assert len(site.search_bundles(12_001, per_shard)) == 3


def test_balanced_groups_by_bytes(tmp_path):
    paths = []
    for n, size in enumerate([900, 500, 400, 300, 300, 100]):
        paths.append(tmp_path / f"{n}.html")
        paths[-1].write_bytes(b"x" * size)
    groups = site.balanced(paths, 2)
    assert sorted(sum(p.stat().st_size for p in g) for g in groups) == [1200, 1300]
    assert site.balanced(list(reversed(paths)), 2) == groups  # the same pages, the same groups


def test_every_document_is_indexed_once_across_the_shards(sharded_site):
    documents = json.loads((sharded_site / "api" / "documents.json").read_text(encoding="utf-8"))
    bundles = site.search_bundles(len(documents), SHARD_PAGES)
    assert len(bundles) == 3
    counts = []
    for bundle in bundles:
        entry = json.loads((sharded_site / bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        counts.append(sum(lang["page_count"] for lang in entry["languages"].values()))
    assert sum(counts) == len(documents) and all(0 < c <= SHARD_PAGES for c in counts), counts
    for search_page in ("search/index.html", "zh-Hant/search/index.html"):
        html = (sharded_site / search_page).read_text(encoding="utf-8")
        assert f'data-bundles="{" ".join(bundles)}"' in html


@pytest.mark.parametrize("value", [0, -3, "many", 2.5, True])
def test_shard_size_is_validated(tmp_path, value):
    (tmp_path / "gazette.yml").write_text(f"search_shard_pages: {json.dumps(value)}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="'search_shard_pages'"):
        load_config(tmp_path / "gazette.yml")


def _result_urls(page, url: str) -> list[str]:
    page.goto(url)
    page.wait_for_selector(".pagefind-ui__message", timeout=15000)
    page.wait_for_function("() => !document.querySelector('.pagefind-ui__message').textContent.includes('…')"
                           " && document.querySelectorAll('.pagefind-ui__result-link').length > 0", timeout=15000)
    while page.query_selector(".pagefind-ui__button"):  # “load more results”
        page.click(".pagefind-ui__button")
        page.wait_for_timeout(200)
    return sorted(page.eval_on_selector_all(".pagefind-ui__result-link", "els => els.map(e => e.getAttribute('href'))"))


@pytest.mark.browser
@pytest.mark.parametrize("path,query", [("search/", "人民政府"), ("zh-Hant/search/", "實施方案")])
def test_the_shards_find_what_one_index_finds(built_site, sharded_site, browser, path, query):
    """The same results, in either script, from three merged indexes as from one."""
    page = browser.new_page()
    with serve(built_site) as one, serve(sharded_site) as three:
        single = _result_urls(page, f"{one}/{path}?q={query}")
        merged = _result_urls(page, f"{three}/{path}?q={query}")
    page.close()
    assert len(single) > SHARD_PAGES  # so the results come from more than one shard
    assert merged == single, (len(single), len(merged))
