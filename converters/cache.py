"""Conversion cache and parallel conversion.

    build/cache/convert/<key>.pickle   one converted issue (IssueResult)

The key is the SHA-256 of the converter's code (every module of the package that takes part in
conversion, see CODE_EXCLUDE, the Python version and CONVERSION_LIBRARIES' versions), the issue's
facts, its source path and format, the furniture patterns, and the source's bytes. Editing a source,
its issue.yml, gazette.yml's furniture patterns or any conversion module, or updating such a library,
therefore re-converts; nothing else does. A cache
entry that cannot be read is converted again (and rewritten).

Issues are independent, so cache misses are converted in parallel (GAZETTE_JOBS processes,
default os.cpu_count()); results come back in archive order whatever finishes first.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import pickle
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .model import IssueResult

PACKAGE = Path(__file__).parent
PARALLEL_MIN_CHARS = 1_000_000
# Modules that run after conversion (emit, site, variant, crosslink, search…) or around it: editing them
# does not change what an issue converts to. Everything else in the package (readers included) is hashed,
# so that a module conversion comes to depend on is never left out of the key.
CODE_EXCLUDE = {"site.py", "bench.py", "cli.py", "add.py", "anchors_check.py", "variant.py", "crosslink.py",
                "cache.py", "emit.py", "search_map.py", "search_view.py", "__main__.py",
                "pdf_extract.py"}




def jobs() -> int:
    """Worker processes: GAZETTE_JOBS, default the machine's cores."""
    value = os.environ.get("GAZETTE_JOBS", "").strip()
    if value:
        try:
            return max(1, int(value))
        except ValueError:
            pass
    return max(1, os.cpu_count() or 1)


# Libraries whose output is part of a converted issue (ids.py: pinyin ids): a new version re-converts,
# which matters once build/cache/ outlives a dependency update (the publish workflow restores it).
CONVERSION_LIBRARIES = ("pypinyin",)


@functools.cache
def code_hash() -> str:
    from importlib.metadata import version

    libraries = " ".join(f"{name} {version(name)}" for name in CONVERSION_LIBRARIES)
    h = hashlib.sha256(f"python {sys.version_info[:2]} {libraries}".encode())
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel in CODE_EXCLUDE or "__pycache__" in rel:
            continue
        h.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def cache_key(source_bytes: bytes, source: str, meta_json: dict, fmt: str, patterns) -> str:
    h = hashlib.sha256(code_hash().encode())
    h.update(json.dumps({"source": source, "meta": meta_json, "format": fmt,
                         "furniture": [p.pattern for p in patterns]}, sort_keys=True).encode())
    h.update(b"\0")
    h.update(source_bytes)
    return h.hexdigest()


def _convert(args) -> IssueResult:
    from .pipeline import convert_text

    text, source, meta, fmt, patterns = args
    return convert_text(text, source, meta, fmt, patterns)


def convert_issues(root: Path, issues: list, patterns, cache_dir: Path | None = None,
                   progress=None) -> tuple[list[IssueResult], dict]:
    """Convert `issues` (archive.IssueSource) in order. With `cache_dir`, reuse and store results there.

    Returns the results and counts {"cached": n, "converted": n}. `progress(n, total, result, seconds)`
    is called once per issue, in archive order."""
    import time

    workers = jobs()
    results: list[IssueResult | None] = [None] * len(issues)
    todo: list[tuple[int, tuple, Path | None]] = []
    for n, issue in enumerate(issues):
        raw = issue.source.read_bytes()
        source = str(issue.source.relative_to(root))
        path = None
        if cache_dir is not None:
            key = cache_key(raw, source, issue.meta.as_json(), issue.format, patterns)
            path = cache_dir / key[:2] / f"{key}.pickle"
            if path.exists():
                try:
                    results[n] = pickle.loads(path.read_bytes())
                    if progress:
                        progress(n, len(issues), results[n], None)
                    continue
                except Exception:  # a broken entry is converted again
                    pass
        todo.append((n, (raw.decode("utf-8"), source, issue.meta, issue.format, tuple(patterns)), path))

    def store(n: int, result: IssueResult, path: Path | None, seconds: float | None) -> None:
        results[n] = result
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
            tmp.replace(path)
        if progress:
            progress(n, len(issues), result, seconds)

    # Starting worker processes costs about half a second (importing the package in each):
    # worth it only for more text than one process converts in that time (~2 MB/s).
    if len(todo) > 1 and workers > 1 and sum(len(a[0]) for _, a, _ in todo) > PARALLEL_MIN_CHARS:
        started = time.perf_counter()
        with ProcessPoolExecutor(min(workers, len(todo))) as pool:
            # map keeps archive order; the first ConversionError is raised here, as in a serial run
            for (n, _, path), result in zip(todo, pool.map(_convert, [a for _, a, _ in todo], chunksize=1)):
                store(n, result, path, time.perf_counter() - started)
    else:
        for n, args, path in todo:
            started = time.perf_counter()
            result = _convert(args)
            store(n, result, path, time.perf_counter() - started)
    return results, {"cached": len(issues) - len(todo), "converted": len(todo)}
