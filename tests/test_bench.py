"""`gazette bench` (a small synthetic archive builds, ids distinct, cross-references resolve, docs_src
untouched) and the conversion cache (a second conversion hits it; a changed source re-converts only itself).
The samples are the seed archive's issues (conftest.seed_project)."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from converters import bench, cache
from converters.app import convert_archive

from conftest import copy_seed_project, seed_issue_ids


def tree_hash(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def small_bench(seed_project, tmp_path_factory):
    before = tree_hash(seed_project / "docs_src")
    out = tmp_path_factory.mktemp("bench")
    # one more issue than there are samples: the extra one is a copy that cites the first copy
    result = bench.run(seed_project, out, len(seed_issue_ids()) + 1)
    return out, result, before


def test_bench_builds(small_bench):
    out, result, _ = small_bench
    assert result["exit"] == 0
    assert set(result["stages"]) >= {"convert", "variant", "mkdocs", "search"}
    assert (out / "site" / "index.html").exists() and (out / "site" / "zh-Hant" / "index.html").exists()
    assert (out / "site" / "search-index" / "meta.json").exists()
    sizes = result["sizes"]
    assert sizes["doc_pages"] == 2 * result["documents"]
    # the first query's bound: meta.json, the largest buckets and the largest document texts
    bound = sizes["first_query"]
    assert bound["meta"] > 0 and bound["buckets"] > 0 and bound["documents"] > 0
    assert bound["total"] == bound["meta"] + bound["buckets"] + bound["documents"]
    assert 0 < bound["bucket_median"] and bound["bucket_files"] >= 16
    assert 0 < sizes["artifact"]["tar_gz_bytes"] < sizes["site_bytes"] < sizes["artifact"]["tar_bytes"]
    # the projection's arithmetic: assets + documents × bytes + cited numbers × bytes
    x = result["projection"]
    assert x["documents"] == 10_000 and x["cited_numbers"] == round(10_000 * 35 / 33 + 25 * 177)
    parts = x["fixed_bytes"] + x["documents"] * x["bytes_per_document"] + x["cited_numbers"] * x["bytes_per_cited_number"]
    assert abs(x["site_bytes"] - parts) <= x["documents"] + x["cited_numbers"]  # rounding of the per-item bytes
    assert 20_000 < x["bytes_per_document"] < 200_000 and 1_000 < x["bytes_per_cited_number"] < 20_000


def test_bench_leaves_docs_src_untouched(seed_project, small_bench):
    _, _, before = small_bench
    assert tree_hash(seed_project / "docs_src") == before


def test_bench_ids_distinct(small_bench):
    out, result, _ = small_bench
    ids = result["issue_ids"]
    assert len(ids) == len(set(ids)) == result["issues"]
    assert sorted(p.name for p in (out / "docs_src").iterdir()) == sorted(ids)
    docs = json.loads((out / "site" / "api" / "documents.json").read_text(encoding="utf-8"))
    doc_ids = [d["id"] for d in docs]
    assert len(doc_ids) == len(set(doc_ids))
    numbers = [d["doc_number"] for d in docs if d["doc_number"]]
    assert len(numbers) == len(set(numbers))


def test_bench_cross_references_resolve(small_bench):
    out, _, _ = small_bench
    docs = json.loads((out / "site" / "api" / "documents.json").read_text(encoding="utf-8"))
    by_number = {d["doc_number"]: d for d in docs if d["doc_number"]}
    pairs = [(d, by_number[n]) for d in docs for n in d["cites"] if n in by_number and by_number[n] is not d]
    assert pairs, "the synthetic archive should cite its own documents"
    for citing, cited in pairs:
        page = (out / "site" / "doc" / citing["id"] / "index.html").read_text(encoding="utf-8")
        assert re.search(rf'href="[./]*doc/{re.escape(cited["id"])}/(#[^"]*)?"', page), \
            f"{citing['id']} cites {cited['doc_number']} without a link to doc/{cited['id']}/"


def _project(tmp_path: Path) -> Path:
    return copy_seed_project(tmp_path / "project")


def _convert(root: Path):
    from converters.archive import load_archive
    from converters.config import load_config

    issues = load_archive(root / "docs_src")
    return cache.convert_issues(root, issues, load_config(root / "gazette.yml").furniture_patterns,
                                root / "build" / "cache" / "convert")


def test_cache_second_conversion_hits(tmp_path):
    root = _project(tmp_path)
    first, counts = _convert(root)
    assert counts == {"cached": 0, "converted": len(first)}
    second, counts = _convert(root)
    assert counts == {"cached": len(first), "converted": 0}
    assert [d.summary() for r in second for d in r.documents] == [d.summary() for r in first for d in r.documents]
    # what `gazette build` converts is what an uncached conversion gives
    plain = convert_archive(root, progress=False)
    assert [d.as_json() for r in plain for d in r.documents] == [d.as_json() for r in second for d in r.documents]


def test_cache_changed_source_reconverts_only_it(tmp_path, monkeypatch):
    root = _project(tmp_path)
    results, _ = _convert(root)
    changed = sorted((root / "docs_src").glob("*/source.*"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    again, counts = _convert(root)
    assert counts == {"cached": len(results) - 1, "converted": 1}
    # a converter change (another code hash) invalidates every entry
    monkeypatch.setattr(cache, "code_hash", lambda: "another converter")
    _, counts = _convert(root)
    assert counts == {"cached": 0, "converted": len(results)}


def test_a_conversion_library_update_reconverts(monkeypatch):
    """The cache outlives dependency updates (the publish workflow restores it): a new version of a
    library whose output is part of a converted issue changes every key."""
    import importlib.metadata

    before = cache.code_hash.__wrapped__()
    real = importlib.metadata.version
    monkeypatch.setattr(importlib.metadata, "version", lambda name: "0.0.test" if name == "pypinyin" else real(name))
    assert cache.code_hash.__wrapped__() != before


def test_incremental_build_matches_cold_build(seed_project, small_bench, tmp_path, comparable_site):
    """Adding one issue to a built archive: only that issue is converted, and the site is the one a
    cold build makes (MkDocs rebuilds only changed pages and the pages in the nav)."""
    cold, result, _ = small_bench
    out = tmp_path / "incremental"
    bench.run(seed_project, out, result["issues"] - 1)
    again = bench.run(seed_project, out, result["issues"], clean=False)
    assert again["exit"] == 0
    assert again["conversions"] == {"cached": result["issues"] - 1, "converted": 1}

    def files(site: Path) -> dict[str, bytes]:  # all of them (the feed and sitemaps are dated by the issues)
        return comparable_site(site)

    a, b = files(cold / "site"), files(out / "site")
    assert sorted(a) == sorted(b)
    assert [k for k in a if a[k] != b[k]] == []
    assert any(k.startswith("search-index/") for k in a)  # the search index too


@pytest.mark.browser
def test_bench_measures_a_first_query_in_chromium(small_bench, browser):
    """`gazette bench --query`: the bytes a first query fetches, on both scripts' search pages, within
    the bound computed from the files."""
    out, result, _ = small_bench
    measured = bench.measured_queries(out / "site", ["预警信息"], browser=browser)["预警信息"]
    assert measured["zh-Hant"]["query"] == "預警信息"
    for m in measured.values():
        assert m["meta"] > 0 and m["buckets"] > 0 and m["documents"] > 0 and "filters" not in m
        assert m["total"] == sum(v for k, v in m.items() if k not in ("query", "total", "files"))
        assert m["total"] <= result["sizes"]["first_query"]["total"]


def test_incremental_build_after_removing_a_cited_issue(seed_project, small_bench, tmp_path, comparable_site, capsys):
    """Pages kept from the last build (site/memo.py) are only those whose inputs did not change: when
    the issue a later one cites is removed, the citing page links to cited/ pages instead, and the
    site is again the one a cold build of what is left makes."""
    import shutil

    from converters.app import build_archive
    from converters.options import BuildOptions

    _, result, _ = small_bench
    out = tmp_path / "incremental"
    bench.run(seed_project, out, result["issues"])
    pages = out / "build" / "site_src" / "zh-Hans"
    before = {p: p.read_bytes() for p in pages.rglob("*.md")}
    shutil.rmtree(out / "docs_src" / result["issue_ids"][0])  # the issue the last one cites
    capsys.readouterr()
    assert build_archive(out, BuildOptions(jobs=2)) == 0
    kept = re.search(r"generated \d+ pages, (\d+) kept from the last build", capsys.readouterr().err)
    assert kept and int(kept.group(1)) > 0  # not rendered again
    after = {p: p.read_bytes() for p in pages.rglob("*.md")}
    assert any(p in before and after[p] != before[p] for p in after if p.parent.name == "doc")  # its citers

    cold = tmp_path / "cold"
    shutil.copytree(out, cold, ignore=lambda folder, names: {"build", "site"} & set(names) if folder == str(out) else set())
    assert build_archive(cold, BuildOptions(jobs=2)) == 0
    a, b = comparable_site(cold / "site"), comparable_site(out / "site")
    assert sorted(a) == sorted(b)
    assert [k for k in a if a[k] != b[k]] == []
