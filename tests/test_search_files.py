"""The search index is reproducible: Pagefind's filter files, its meta and its entry rewritten in sorted
order under the names Pagefind gives that content (site/pagefind_files.py), so that two runs of Pagefind
over the same pages write the same bytes."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from converters.errors import GazetteError
from converters.site import pagefind_files, search
from converters.site.pagefind_files import PagefindFormatError, content_hash, encode, read, sort_filters

PAGES = 24
PER_SHARD = 12


def test_content_hash_is_pagefinds():
    """SHA-1 in hex with each byte's leading zero left out, as Pagefind names its files."""
    # SHA-1 of nothing: da39a3ee5e6b4b0d3255bfef95601890afd80709
    assert content_hash(b"") == "da39a3ee5e6b4bd3255bfef95601890afd879"


CBOR = st.recursive(st.one_of(st.integers(min_value=0, max_value=2**64 - 1), st.text()),
                    lambda inner: st.lists(inner, max_size=5), max_leaves=30)


@settings(deadline=None)
@given(CBOR)
def test_cbor_reads_back_what_it_writes(value):
    data = pagefind_files.HEADER + encode(value)
    assert pagefind_files._decode(data, len(pagefind_files.HEADER)) == (value, len(data))


def test_cbor_is_written_as_pagefinds_encoder_writes_it():
    """Shortest lengths, definite arrays (RFC 8949 examples)."""
    assert encode(0) == bytes([0x00]) and encode(23) == bytes([0x17]) and encode(24) == bytes([0x18, 0x18])
    assert encode(1000) == bytes([0x19, 0x03, 0xE8]) and encode(2**32) == bytes([0x1B, 0, 0, 0, 1, 0, 0, 0, 0])
    assert encode("") == bytes([0x60]) and encode("年") == bytes([0x63]) + "年".encode()
    assert encode([1, [2, 3]]) == bytes([0x82, 0x01, 0x82, 0x02, 0x03])


def _views(folder: Path) -> list[str]:
    """PAGES search views, each with its own value of the filters (so that Pagefind's random order
    could not come out sorted by chance) and a sort key."""
    views = []
    for n in range(PAGES):
        view = f"doc/d{n:02d}/index.html"
        (folder / view).parent.mkdir(parents=True)
        (folder / view).write_text(
            '<!doctype html><html lang="und"><head><meta charset="utf-8"><title>t</title></head><body>'
            f'<div hidden><p data-pagefind-meta="title">文件{n}</p><p data-pagefind-filter="year">{1990 + n}</p>'
            f'<p data-pagefind-filter="issuer">机关{n % 7}</p><p data-pagefind-filter="category">类别{n % 5}</p>'
            f'<p data-pagefind-sort="date">{1990 + n}-01-01</p></div>'
            f'<div data-search-body><h1 id="_1">文件{n}</h1><p>城乡 乡⁠ 居民 民⁠ </p></div></body></html>',
            encoding="utf-8")
        views.append(view)
    return views


def _index(root: Path, views_dir: Path, views: list[str]) -> Path:
    """site/ of `root` with the search index of `views`, in shards, as the build makes it."""
    shards = search.search_shards([view.removesuffix("index.html") for view in views], PER_SHARD)
    assert search.pagefind(root / "site", views_dir, shards, root / "cache", reuse=False) == 0
    return root / "site"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def two_indexes(tmp_path_factory) -> tuple[Path, Path]:
    """The search index of the same pages made twice, by two runs of Pagefind for each shard."""
    views_dir = tmp_path_factory.mktemp("views")
    views = _views(views_dir)
    return (_index(tmp_path_factory.mktemp("first"), views_dir, views),
            _index(tmp_path_factory.mktemp("second"), views_dir, views))


def test_two_indexes_of_the_same_pages_are_the_same_bytes(two_indexes):
    first, second = (_files(site / "pagefind") for site in two_indexes)
    assert sum(name.endswith(".pf_filter") for name in first) == 6  # three filters in each of two shards
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_filters_are_sorted_under_names_of_their_content(two_indexes):
    site = two_indexes[0]
    for bundle in ("pagefind", "pagefind/shard-2"):
        index = site / bundle
        (meta_path,) = index.glob("pagefind.*.pf_meta")
        meta_data = gzip.decompress(meta_path.read_bytes())[len(pagefind_files.HEADER):]
        meta_hash = meta_path.name.split(".")[1]
        assert meta_hash == "und_" + content_hash(meta_data)[:11]
        entry = json.loads((index / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert entry["languages"]["und"]["hash"] == meta_hash
        filters = read(meta_path)[pagefind_files.META_FILTERS]
        assert [name for name, _ in filters] == ["category", "issuer", "year"]
        assert sorted(p.stem for p in (index / "filter").iterdir()) == sorted(file for _, file in filters)
        for name, file in filters:
            path = index / "filter" / f"{file}.pf_filter"
            assert file == "und_" + content_hash(gzip.decompress(path.read_bytes())[len(pagefind_files.HEADER):])[:7]
            values = read(path)[1]
            assert [value for value, _ in values] == sorted(value for value, _ in values)
            assert len(values) == {"category": 5, "issuer": 7, "year": PER_SHARD}[name]


def test_an_index_this_build_cannot_read_is_refused_and_left_as_it_is(two_indexes, tmp_path):
    index = tmp_path / "index"
    (index / "filter").mkdir(parents=True)
    for name, data in _files(two_indexes[0] / "pagefind").items():
        if "/" not in name or name.startswith("filter/"):
            (index / name).write_bytes(data)
    broken = next((index / "filter").iterdir())
    broken.write_bytes(gzip.compress(pagefind_files.HEADER + bytes([0xBF]), mtime=0))  # an indefinite map
    before = _files(index)
    with pytest.raises(PagefindFormatError, match=f"{broken.name}: not a Pagefind index file") as refused:
        sort_filters(index)
    assert isinstance(refused.value, GazetteError) and "\n" not in str(refused.value)
    assert _files(index) == before


def test_a_filter_name_taken_already_is_made_longer():
    full = "und_" + content_hash(b"x")
    assert pagefind_files._filter_name("und", b"x", set()) == full[:11]
    assert pagefind_files._filter_name("und", b"x", {full[:11]}) == full[:12]
