"""A large archive's search index in shards (site.py search_shards/pagefind): the seed archive built with
a shard size of 12 document pages, so its 34 documents make three Pagefind indexes that the search page
merges. Searching them must find what the single index of the seed archive's own build finds."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from converters.site import search
from converters.config import ConfigError, load_config
from converters.serve import serve

from conftest import ROOT, SEED_ISSUES, build, copy_seed_project, seed_issue_ids

SHARD_PAGES = 12


def _project(folder: Path, issues: list[str]) -> Path:
    """A project holding `issues` of the seed archive, with SHARD_PAGES pages a shard."""
    copy_seed_project(folder, issues)
    with (folder / "gazette.yml").open("a", encoding="utf-8") as f:
        f.write(f"\nsearch_shard_pages: {SHARD_PAGES}\n")
    return folder


def _build(project: Path) -> str:
    """An incremental build (the caches of the last one reused), as the publish workflow runs it."""
    return build(project, full=False)


@pytest.fixture(scope="module")
def sharded_site(tmp_path_factory) -> Path:
    project = _project(tmp_path_factory.mktemp("sharded"), seed_issue_ids())
    _build(project)
    return project / "site"


def test_adding_the_newest_issue_reindexes_the_last_shards_only(sharded_site, tmp_path, comparable_site):
    """The archive without its newest issue, built; then that issue added: the first shard's index is
    reused, and the search index is byte for byte the one a cold build of the whole archive makes (the
    re-indexed shards' filter files too, though Pagefind wrote their values in a random order)."""
    *older, newest = seed_issue_ids()  # ids start with the year: the newest issue sorts last
    project = _project(tmp_path, older)
    _build(project)
    shutil.copytree(SEED_ISSUES / newest, project / "docs_src" / newest)
    log = _build(project)
    assert "pagefind 1/3: 12 pages unchanged, index reused" in log, log
    assert "pagefind 2/3: Indexed 12 pages" in log and "pagefind 3/3: Indexed 10 pages" in log, log
    assert comparable_site(project / "site" / "pagefind") == comparable_site(sharded_site / "pagefind")
    assert sorted(p.name for p in (project / "build" / "search_index").iterdir() if p.is_dir()) == ["1", "2", "3"]


def test_shards_for_the_number_of_pages():
    per_shard = load_config(ROOT / "gazette.yml").search_shard_pages
    assert per_shard == 1500

    def folders(pages):
        return [bundle for bundle, _ in search.search_shards([f"doc/{n}/" for n in range(pages)], per_shard)]
    assert folders(0) == folders(1) == folders(1500) == ["pagefind/"]
    assert folders(1501) == ["pagefind/", "pagefind/shard-2/"]
    # measured at 10,000 documents in seven shards: Pagefind's peak 2.5 GB (a first query of 606–761 KB)
    assert len(folders(9_996)) == 7


def test_shards_take_the_pages_in_archive_order():
    """Adding the newest issue's pages changes the last shard only."""
    urls = [f"doc/{n}/" for n in range(25)]
    before = search.search_shards(urls, 10)
    after = search.search_shards(urls + ["doc/new/"], 10)
    assert [len(views) for _, views in before] == [10, 10, 5]
    assert before[:2] == after[:2] and after[2][1] == before[2][1] + ["doc/new/index.html"]


def test_every_document_is_indexed_once_across_the_shards(sharded_site):
    documents = json.loads((sharded_site / "api" / "documents.json").read_text(encoding="utf-8"))
    bundles = [bundle for bundle, _ in search.search_shards([d["url"] for d in documents], SHARD_PAGES)]
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
    # a result shows a loading placeholder, without its link, until its fragment has arrived: on a busy
    # machine counting links before that counted some of the results only
    loaded = "() => !document.querySelector('.pagefind-ui__result .pagefind-ui__loading')"
    # the list is aria-busy while a page of results comes in, and the “load more” button is out of the page
    # until then: so the button is looked for only once the list is no longer busy (waiting a fixed time
    # after each click stopped early on a busy machine: 36 results of 56)
    settled = "() => document.querySelector('.pagefind-ui__results').getAttribute('aria-busy') === 'false'"
    page.wait_for_function(settled, timeout=15000)
    while page.query_selector(".pagefind-ui__button"):  # “load more results”
        page.click(".pagefind-ui__button")
        page.wait_for_function(settled, timeout=15000)
    page.wait_for_function(loaded, timeout=15000)
    return sorted(page.eval_on_selector_all(".pagefind-ui__result-link", "els => els.map(e => e.getAttribute('href'))"))


@pytest.mark.browser
@pytest.mark.parametrize("path,query", [("search/", "人民政府"), ("zh-Hant/search/", "實施方案")])
def test_the_shards_find_what_one_index_finds(seed_site, sharded_site, browser, path, query):
    """The same results, in either script, from three merged indexes as from one."""
    page = browser.new_page()
    with serve(seed_site) as one, serve(sharded_site) as three:
        single = _result_urls(page, f"{one}/{path}?q={query}")
        merged = _result_urls(page, f"{three}/{path}?q={query}")
    page.close()
    assert len(single) > SHARD_PAGES  # so the results come from more than one shard
    assert merged == single, (len(single), len(merged))
