"""The search index's files (converters/site/search.py): on records made up here (no site), and on a tiny
archive built in a temporary folder: meta.json, one doc/<n>.json per document page numbered by date,
filters.json partitioning the documents, the same bytes from two builds, nothing rewritten when nothing
changed, and a new version when an issue is added."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import build
from converters.phrase_index import FORMAT, MIN_BUCKETS, RUN_END, read_bucket
from converters.site.search import FILTERS, INDEX_DIR, RECORD, STAMP, build_index, read_records
from projects import CONTENTS, NOTICE, SECTIONS, add_issue, make_project


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in sorted(folder.rglob("*")) if p.is_file()}


def filter_numbers(index: Path) -> dict[str, dict[str, list[int]]]:
    """filters.json decoded: {filter: {value: document numbers}}."""
    out: dict[str, dict[str, list[int]]] = {}
    for name, values in json.loads((index / "filters.json").read_text(encoding="utf-8")).items():
        out[name] = {}
        for value, gaps in values.items():
            numbers, last = [], 0
            for gap in gaps:
                last += gap
                numbers.append(last)
            out[name][value] = numbers
    return out


def check_index(index: Path, records: list[dict]) -> dict:
    """What holds for any index of `records` (read_records' order); returns its meta.json."""
    meta = json.loads((index / "meta.json").read_text(encoding="utf-8"))
    assert set(meta) == {"format", "count", "buckets", "filters", "version"}
    assert meta["format"] == FORMAT and meta["count"] == len(records)
    assert meta["buckets"] >= MIN_BUCKETS and meta["buckets"] & (meta["buckets"] - 1) == 0  # a power of two
    assert re.fullmatch(r"[0-9a-f]{16}", meta["version"])
    # one file a document, numbered as read_records orders them, each what a result shows of its record
    assert sorted(p.name for p in (index / "doc").iterdir()) == sorted(f"{n}.json" for n in range(len(records)))
    for n, record in enumerate(records):
        shown = json.loads((index / "doc" / f"{n}.json").read_text(encoding="utf-8"))
        assert shown == {"url": record["url"], "title": record["title"], "meta": record["meta"],
                         "text": record["text"], "anchors": record["anchors"]}
    # the buckets: each within the count, each a readable bucket file
    for path in (index / "keys").iterdir():
        assert re.fullmatch(r"\d+\.bin", path.name) and int(path.stem) < meta["buckets"]
        assert read_bucket(path.read_bytes())
    # filters.json: per filter, its values' lists are a partition of the documents that have one
    numbers = filter_numbers(index)
    assert sorted(numbers) == sorted(FILTERS)
    for name in FILTERS:
        assert meta["filters"][name] == sorted(numbers[name])
        expected: dict[str, list[int]] = {}
        for n, record in enumerate(records):
            if name in record["filters"]:
                expected.setdefault(record["filters"][name], []).append(n)
        assert numbers[name] == expected, name
    return meta


# ------------------------------------------------------------------------------ on made-up records

def record(url: str, sort: str | None, text: str = "城乡\n居民", **filters: str) -> dict:
    return {"title": f"标题{url}", "meta": {"doc_number": f"连政发〔2030〕{len(url)}号"}, "filters": filters,
            "sort": sort, "text": text, "anchors": [[0, "art_1", "第一条"]]}


def write_records(folder: Path, records: dict[str, dict]) -> Path:
    for url, data in records.items():
        (folder / url).mkdir(parents=True)
        (folder / url / RECORD).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return folder


def test_records_are_numbered_by_date_then_archive_order(tmp_path):
    views = write_records(tmp_path, {"doc/a/": record("a", "2030-02-01"), "doc/b/": record("b", "2030"),
                                     "doc/c/": record("c", "2030-02-01"), "doc/d/": record("d", None),
                                     "doc/e/": record("e", "2029-12-31")})
    # a page without a record (no indexed body) is left out
    records = read_records(views, ["doc/a/", "doc/b/", "doc/missing/", "doc/c/", "doc/d/", "doc/e/"])
    assert [r["url"] for r in records] == ["doc/d/", "doc/e/", "doc/b/", "doc/a/", "doc/c/"]


@pytest.fixture
def made_up(tmp_path) -> tuple[Path, Path, list[dict]]:
    """A site folder, a cache folder and six records (four with an issuer, all with a year)."""
    records = [{**record(f"{n}", f"2030-01-{n + 1:02d}", text=f"第{n}件{RUN_END}城乡居民",
                         year="2030" if n % 2 else "2031", **({"issuer": f"机关{n % 3}"} if n < 4 else {})),
                "url": f"doc/d{n}/"} for n in range(6)]
    return tmp_path / "site", tmp_path / "cache", records


def test_the_index_of_records(made_up):
    site, cache, records = made_up
    assert build_index(site, records, cache) == 6
    check_index(site / INDEX_DIR, records)
    assert (cache / STAMP).is_file()


def test_the_same_records_make_the_same_bytes(made_up, tmp_path):
    site, cache, records = made_up
    build_index(site, records, cache)
    build_index(tmp_path / "other", records, tmp_path / "other-cache")
    assert files(site / INDEX_DIR) == files(tmp_path / "other" / INDEX_DIR)


def test_unchanged_records_keep_the_files(made_up, capsys):
    site, cache, records = made_up
    build_index(site, records, cache)
    before, stamps = files(site / INDEX_DIR), mtimes(site / INDEX_DIR)
    capsys.readouterr()
    assert build_index(site, records, cache) == 6
    assert "6 documents unchanged, kept" in capsys.readouterr().err
    assert files(site / INDEX_DIR) == before and mtimes(site / INDEX_DIR) == stamps
    # without reuse (a full build) it is made again: the same bytes
    assert build_index(site, records, cache, reuse=False) == 6
    assert files(site / INDEX_DIR) == before


def test_a_changed_record_rewrites_what_changed_and_removes_what_is_gone(made_up):
    site, cache, records = made_up
    build_index(site, records, cache)
    before, stamps = files(site / INDEX_DIR), mtimes(site / INDEX_DIR)
    meta = json.loads(before["meta.json"])
    # a fact a result shows, changed: the same grams, but a new version (the browser must not mix files)
    records[5] = {**records[5], "meta": {**records[5]["meta"], "date": "2030-01-06"}}
    build_index(site, records, cache)
    after = files(site / INDEX_DIR)
    assert json.loads(after["meta.json"])["version"] != meta["version"]
    assert [name for name in after if after[name] != before[name]] == ["doc/5.json", "meta.json"]
    assert all(mtimes(site / INDEX_DIR)[name] == stamps[name] for name in after if after[name] == before[name])
    # fewer documents: the files of the numbers gone are removed
    build_index(site, records[:3], cache)
    check_index(site / INDEX_DIR, records[:3])


def test_a_stamp_from_another_index_is_not_trusted(made_up):
    """The stamp is checked against the records: a cache holding the stamp of other records rebuilds."""
    site, cache, records = made_up
    build_index(site, records, cache)
    build_index(site, records[:2], cache)
    check_index(site / INDEX_DIR, records[:2])
    build_index(site, records, cache)
    check_index(site / INDEX_DIR, records)


# ------------------------------------------------------------------------------ on a built archive

ISSUES = {"2030-03": NOTICE, "2031-02": SECTIONS}


def site_records(project: Path) -> list[dict]:
    """The records of a built project's document pages, in archive order (as the site lists them)."""
    documents = json.loads((project / "site" / "api" / "documents.json").read_text(encoding="utf-8"))
    return read_records(project / "build" / "search_view", [d["url"] for d in documents])


@pytest.fixture(scope="module")
def built_site(tmp_path_factory) -> Path:
    """A project of two issues, its site built (the project folder: its build/ holds the records)."""
    project = make_project(tmp_path_factory.mktemp("index") / "project", ISSUES)
    build(project)
    return project


def test_the_built_index(built_site):
    index = built_site / "site" / INDEX_DIR
    records = site_records(built_site)
    pages = sorted(p.parent.relative_to(built_site / "site").as_posix() + "/" for p in (built_site / "site" / "doc").glob("*/index.html"))
    assert len(records) >= 4 and sorted(r["url"] for r in records) == pages  # every document page, once
    meta = check_index(index, records)
    for n in range(meta["count"]):  # each URL is a page of the site, in both scripts
        url = json.loads((index / "doc" / f"{n}.json").read_text(encoding="utf-8"))["url"]
        assert (built_site / "site" / url / "index.html").is_file() and (built_site / "site" / "zh-Hant" / url / "index.html").is_file()
    dates = [r["sort"] or "" for r in records]
    assert dates == sorted(dates) and len(set(dates)) > 1  # numbered by date
    assert {name for name in FILTERS if meta["filters"][name]} == set(FILTERS)


def test_two_builds_write_the_same_index(built_site, tmp_path):
    other = make_project(tmp_path / "elsewhere", ISSUES)
    build(other)
    assert files(other / "site" / INDEX_DIR) == files(built_site / "site" / INDEX_DIR)


def test_an_unchanged_build_keeps_the_index_and_a_new_issue_changes_its_version(built_site, tmp_path):
    index = built_site / "site" / INDEX_DIR
    before, stamps = files(index), mtimes(index)
    log = build(built_site, full=False)
    assert re.search(r"search index: \d+ documents unchanged, kept", log), log
    assert files(index) == before and mtimes(index) == stamps
    # a newer issue added (to a copy): a new version; the documents dated before all of its documents
    # keep their numbers and files (it also prints one dated among the older ones: numbered among them)
    project = tmp_path / "project"
    shutil.copytree(built_site, project, symlinks=True)
    add_issue(project, "2032-04", CONTENTS)
    build(project, full=False)
    after = files(project / "site" / INDEX_DIR)
    old, new = json.loads(before["meta.json"]), json.loads(after["meta.json"])
    assert new["version"] != old["version"] and new["count"] > old["count"]
    records = site_records(project)
    check_index(project / "site" / INDEX_DIR, records)
    first_new = min(n for n, r in enumerate(records) if r["url"] not in {json.loads(before[f"doc/{k}.json"])["url"]
                                                                          for k in range(old["count"])})
    assert first_new > 0 and all(after[f"doc/{n}.json"] == before[f"doc/{n}.json"] for n in range(first_new))
    # and the index is the one a cold build of that archive writes
    cold = make_project(tmp_path / "cold", {**ISSUES, "2032-04": CONTENTS})
    build(cold)
    assert files(cold / "site" / INDEX_DIR) == after
