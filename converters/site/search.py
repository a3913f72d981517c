"""The search index: the exact-phrase index (phrase_index.py) over the search records of the Simplified
document pages (search_view.py), in site/search-index/.

    meta.json            the format, the number of documents and buckets, each filter's values, a version
    keys/<b>.bin         bucket b of the n-gram lists (phrase_index.py)
    doc/<n>.json         document n: its URL, title, the facts a result shows, its text and headings
    filters.json         {filter: {value: gaps between the numbers of its documents}}, loaded when one is set

Documents are numbered by date (the record's sort date, then archive order), so ordering results by
date is ordering them by number; adding an issue whose documents are dated after every other keeps the
numbers already given (an older one renumbers those after it, and their texts are written again).
Both sites search this one index: the Traditional search page rewrites its query into Simplified and
its results back into Traditional (search_map.py, gazette-search.js). The files' URLs carry the
version (`?v=`), so a browser never mixes files of two builds.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterable
from pathlib import Path

from ..fingerprint import fingerprint
from .. import phrase_index
from ..phrase_index import FORMAT, RUN_END, PhraseIndex
from .common import log

INDEX_DIR = "search-index"
RECORD = "index.json"  # a document page's search record in build/search_view/<url>
FILTERS = ("year", "category", "issuer")
STAMP = "stamp.txt"  # in the cache folder: what the published index was made of


def _compact(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _write_if_changed(path: Path, data: bytes) -> bool:
    """Write `data` unless the file holds it already (an incremental build rewrites only what changed)."""
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def _gaps(numbers: list[int]) -> list[int]:
    return [b - a for a, b in zip([0] + numbers, numbers)]


def read_records(search_dir: Path, urls: Iterable[str]) -> list[dict]:
    """The search record of each of `urls` (archive order) that has one, with its URL, in the order
    the index numbers them: by date, then archive order."""
    records = []
    for position, url in enumerate(urls):
        path = search_dir / url / RECORD
        if not path.is_file():  # a page without an indexed body has none
            continue
        record = json.loads(path.read_text(encoding="utf-8"))
        record["url"] = url
        records.append((record.get("sort") or "", position, record))
    records.sort(key=lambda item: item[:2])
    return [record for _, _, record in records]


def build_index(site: Path, records: list[dict], cache: Path, reuse: bool = True) -> int:
    """Write site/search-index/ for `records` (read_records); returns the number of documents. When the
    records and this code are what the published index was made of (the stamp in `cache`), nothing is
    written."""
    out = site / INDEX_DIR
    stamp = fingerprint(FORMAT, Path(__file__).read_bytes(), Path(phrase_index.__file__).read_bytes(),
                        *(_compact(record) for record in records))
    stamp_file = cache / STAMP
    if reuse and (out / "meta.json").is_file() and stamp_file.is_file() \
            and stamp_file.read_text(encoding="utf-8") == stamp:
        log(f"search index: {len(records)} documents unchanged, kept")
        return len(records)
    stamp_file.unlink(missing_ok=True)
    if not reuse:
        shutil.rmtree(out, ignore_errors=True)
    index = PhraseIndex()
    filters: dict[str, dict[str, list[int]]] = {name: {} for name in FILTERS}
    written, shown_texts = 0, hashlib.sha256()
    for record in records:
        title = record.get("title", "")
        number = index.add(record["text"], title + RUN_END + record.get("meta", {}).get("doc_number", ""))
        for name, value in record.get("filters", {}).items():
            if name in filters:
                filters[name].setdefault(value, []).append(number)
        shown = {"url": record["url"], "title": title, "meta": record.get("meta", {}),
                 "text": record["text"], "anchors": record.get("anchors", [])}
        data = _compact(shown).encode("utf-8")
        shown_texts.update(data + b"\0")
        written += _write_if_changed(out / "doc" / f"{number}.json", data)
        if (number + 1) % 2000 == 0:
            log(f"search index: {number + 1}/{len(records)} documents read")
    for stale in (out / "doc").glob("*.json"):
        if not (stale.stem.isdigit() and int(stale.stem) < index.count):
            stale.unlink()
    log(f"search index: {index.count} documents ({written} written), {index.postings:,} postings")
    buckets, files = index.buckets()
    kept = set()
    version = [FORMAT, buckets, index.count]
    for bucket, data in files:
        name = f"{bucket}.bin"
        kept.add(name)
        _write_if_changed(out / "keys" / name, data)
        version.append(fingerprint(data))
    for stale in (out / "keys").glob("*"):
        if stale.name not in kept:
            stale.unlink()
    filter_data = {name: {value: _gaps(numbers) for value, numbers in sorted(values.items())}
                   for name, values in filters.items()}
    filter_bytes = _compact(filter_data).encode("utf-8")
    _write_if_changed(out / "filters.json", filter_bytes)
    meta = {"format": FORMAT, "count": index.count, "buckets": buckets,
            "filters": {name: sorted(values) for name, values in filters.items()},
            "version": fingerprint(version, filter_bytes, shown_texts.hexdigest())[:16]}
    _write_if_changed(out / "meta.json", _compact(meta).encode("utf-8"))
    cache.mkdir(parents=True, exist_ok=True)
    for stale in cache.iterdir():  # what an earlier build kept there (the shards of the index before this one)
        if stale.name != STAMP:
            shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
    stamp_file.write_text(stamp, encoding="utf-8")
    return index.count
