"""Conversion cache and parallel conversion.

    build/cache/convert/<key[:2]>/<key>.json   one converted issue: {"format": CACHE_FORMAT, "key": key,
                                               "issue": IssueResult.to_json()}

The key is the SHA-256 of the converter's code (every module of the package that takes part in
conversion, see CODE_EXCLUDE, the Python version and CONVERSION_LIBRARIES' versions), the issue's
facts, its source path and format, the furniture patterns, and the source's bytes. Editing a source,
its issue.yml, gazette.yml's furniture patterns or any conversion module, or updating such a library,
therefore re-converts; nothing else does.

An entry is data, never code (JSON, rebuilt by the model's from_json, which checks every value against
its type): a planted or corrupt file can at worst be ignored. An entry that cannot be read, of another
CACHE_FORMAT, filed under another key or holding another issue is converted again (and rewritten).

Issues are independent, so cache misses are converted in parallel (`workers` processes, given by the caller:
default os.cpu_count()); results come back in archive order whatever finishes first.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import json
import os
import sys
from pathlib import Path

from .errors import ConversionError
from .fingerprint import fingerprint, package_version
from .model import IssueResult
from .workers import worker_pool

PACKAGE = Path(__file__).parent
# The layout of an entry; another value ignores every entry written before (they are converted again).
CACHE_FORMAT = 1
PARALLEL_MIN_CHARS = 1_000_000
# Modules that run after conversion (render, site, variant, crosslink, search…) or around it: editing them
# does not change what an issue converts to. Everything else in the package (readers included) is hashed,
# so that a module conversion comes to depend on is never left out of the key.
CODE_EXCLUDE = {"site", "bench", "cli.py", "app.py", "add.py", "anchors_check.py", "aliases.py", "redirects.py",
                "variant.py", "variant_data.py", "crosslink.py", "cache.py", "render.py", "fingerprint.py",
                "options.py", "search_map.py", "search_view.py", "phrase_index.py", "serve.py", "workers.py", "pdf_extract.py",
                "pdf_page.py", "pdf_running_heads.py", "pdf_body.py", "__main__.py"}




# Libraries whose output is part of a converted issue (ids.py: pinyin ids): a new version re-converts,
# which matters once build/cache/ outlives a dependency update (the publish workflow restores it).
CONVERSION_LIBRARIES = ("pypinyin",)


@functools.cache
def code_hash() -> str:
    """The fingerprint of the conversion's code: Python's version, CONVERSION_LIBRARIES' versions and every
    module of the package but CODE_EXCLUDE."""
    modules = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel in CODE_EXCLUDE or rel.split("/")[0] in CODE_EXCLUDE or "__pycache__" in rel:
            continue
        modules.append(rel.encode() + b"\0" + path.read_bytes())
    return fingerprint(list(sys.version_info[:2]), {name: package_version(name) for name in CONVERSION_LIBRARIES},
                       *modules)


def cache_key(source_bytes: bytes, source: str, meta_json: dict, fmt: str, patterns) -> str:
    """What a converted issue is made of: the code, the source's name, facts, format and bytes, and the
    furniture patterns."""
    return fingerprint(code_hash(), {"source": source, "meta": meta_json, "format": fmt,
                                     "furniture": [p.pattern for p in patterns]}, source_bytes)


def read_entry(path: Path, key: str, meta, source: str) -> IssueResult | None:
    """The issue cached at `path`, or None when there is none or it is not a faithful entry for `key`
    (unreadable, not JSON, another format, another key, another issue, a value of the wrong type)."""
    try:
        data = path.read_bytes()
        with collector_paused():
            entry = json.loads(data)
            if entry.get("format") != CACHE_FORMAT or entry.get("key") != key:
                return None
            result = IssueResult.from_json(entry["issue"])
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None
    return result if result.meta == meta and result.source == source else None


@contextlib.contextmanager
def collector_paused():
    """Python's cyclic garbage collector paused for the block. Reading an entry makes tens of thousands
    of containers (the JSON, then the records), and each batch of them set the collector going through
    every record read before: with the archive's earlier entries in memory that was 40% of the time
    of reading an entry. What json.loads and from_json make is a tree, never a cycle, so the
    collector has nothing to find in it; reference counting frees the JSON as usual."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _convert(args) -> IssueResult:
    from .pipeline import convert_text

    text, source, meta, fmt, patterns = args
    try:
        return convert_text(text, source, meta, fmt, patterns)
    except ConversionError:
        raise
    except Exception as exc:  # a converter bug met by some source: one sentence, not a traceback
        raise ConversionError(f"{source}: the converter failed ({exc.__class__.__name__}: {exc}); "
                              f"please report it with the source attached.") from None


def convert_issues(root: Path, issues: list, patterns, cache_dir: Path | None = None,
                   progress=None, workers: int = 1, keys: dict | None = None) -> tuple[list[IssueResult], dict]:
    """Convert `issues` (archive.IssueSource) in order. With `cache_dir`, reuse and store results there,
    and `keys`, when given, receives each issue's key ({issue id: key}: what its result is made of).

    Returns the results and counts {"cached": n, "converted": n}. `progress(n, total, result, seconds)`
    is called once per issue, in archive order."""
    import time

    results: list[IssueResult | None] = [None] * len(issues)
    todo: list[tuple[int, tuple, Path | None]] = []
    for n, issue in enumerate(issues):
        raw = issue.read_bytes()
        source = str(issue.source.relative_to(root))
        path = None
        if cache_dir is not None:
            key = cache_key(raw, source, issue.meta.as_json(), issue.format, patterns)
            path = cache_dir / key[:2] / f"{key}.json"
            if keys is not None:
                keys[issue.meta.id] = key
            cached = read_entry(path, key, issue.meta, source)
            if cached is not None:
                results[n] = cached
                if progress:
                    progress(n, len(issues), cached, None)
                continue
        todo.append((n, (issue.read_text(), source, issue.meta, issue.format, tuple(patterns)), path))

    def store(n: int, result: IssueResult, path: Path | None, seconds: float | None) -> None:
        results[n] = result
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            entry = {"format": CACHE_FORMAT, "key": path.stem, "issue": result.to_json()}
            tmp.write_bytes(json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
            tmp.replace(path)
        if progress:
            progress(n, len(issues), result, seconds)

    # Starting worker processes costs about half a second (importing the package in each):
    # worth it only for more text than one process converts in that time (~2 MB/s).
    if len(todo) > 1 and workers > 1 and sum(len(a[0]) for _, a, _ in todo) > PARALLEL_MIN_CHARS:
        started = time.perf_counter()
        with worker_pool(min(workers, len(todo))) as pool:
            # map keeps archive order; the first ConversionError is raised here, as in a serial run
            for (n, _, path), result in zip(todo, pool.map(_convert, [a for _, a, _ in todo], chunksize=1)):
                store(n, result, path, time.perf_counter() - started)
    else:
        for n, args, path in todo:
            started = time.perf_counter()
            result = _convert(args)
            store(n, result, path, time.perf_counter() - started)
    return results, {"cached": len(issues) - len(todo), "converted": len(todo)}
