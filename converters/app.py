"""The application: what each `gazette` command does for a project folder.

The command line (cli.py) only parses arguments and turns errors into one line; `gazette add`
(add.py), the anchor snapshot (anchors_check.py) and the benchmark (bench/) use the functions here.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
from pathlib import Path

from .archive import load_archive, refuse_duplicates
from .config import load_config
from .errors import ConversionError, GazetteError
from .model import IssueResult
from .options import BuildOptions, default_jobs


def project_root() -> Path:
    """The project folder: the nearest folder upwards holding gazette.yml or docs_src/."""
    here = Path.cwd()
    for folder in [here, *here.parents]:
        if (folder / "gazette.yml").exists() or (folder / "docs_src").is_dir():
            return folder
    return here


def convert_archive(root: Path, progress: bool = True, cache: bool = False,
                    counts: dict | None = None, jobs: int | None = None, keys: dict | None = None) -> list[IssueResult]:
    """Convert every issue under root/docs_src/, in `jobs` processes (default: the machine's cores); `counts`, when given,
    receives how many issues came from the cache and how many were converted, and `keys` (with `cache`)
    each issue's conversion key (cache.convert_issues). An issue filed twice is refused
    (archive.refuse_duplicates).
    With `cache`, results are reused from build/cache/convert/ (see converters/cache.py)."""
    from .cache import convert_issues

    config = load_config(root / "gazette.yml")
    issues = load_archive(root / "docs_src")

    def show(n: int, total: int, result: IssueResult, seconds: float | None) -> None:
        took = "cached" if seconds is None else f"{seconds:.2f}s"
        print(f"[{n + 1}/{total}] {result.meta.id}: {len(result.documents)} documents ({took})", file=sys.stderr)

    cache_dir = root / "build" / "cache" / "convert" if cache else None
    results, done = convert_issues(root, issues, config.furniture_patterns, cache_dir,
                                     progress=show if progress else None, workers=jobs or default_jobs(), keys=keys)
    refuse_duplicates(issues, results, root)
    if progress and cache:
        print(f"converted {done['converted']} issues, {done['cached']} from the cache", file=sys.stderr)
    if counts is not None:
        counts.update(done)
    return results


def report(result: IssueResult) -> str:
    meta = result.meta
    number = meta.number_label
    lines = [f"== {meta.id} ({meta.year}年 {number}, {meta.date or '出版日期未载明'}) {result.source} [{result.format}]",
             f"   documents: {len(result.documents)}"]
    for doc in result.documents:
        label = doc.doc_number or doc.kind
        extra = []
        if doc.articles:
            extra.append(f"{doc.articles} articles")
        if doc.chapters:
            extra.append(f"{doc.chapters} chapters")
        if doc.rows is not None:
            extra.append(f"{len(doc.rows)} rows")
        if doc.days is not None:
            extra.append(f"{len(doc.days)} days, {sum(d['events'] for d in doc.days)} events")
        lines.append(f"   - {doc.id}: {label} {doc.title} | {doc.issuer or '-'} {doc.date or '-'}"
                     + (f" | {', '.join(extra)}" if extra else "")
                     + f" ({result.source}:{doc.lineno})")
    lines.append(f"   furniture removed: {len(result.furniture)} lines ({furniture_summary(result)})")
    lines.append(f"   body text kept: {result.characters - sum(result.lost.values())}/{result.characters} characters")
    warnings = [(w.lineno, w.message) for w in result.warnings]
    warnings += [(w.lineno, w.message) for d in result.documents for w in d.warnings]
    for lineno, message in sorted(warnings):
        lines.append(f"   warning: {result.source}:{lineno}: {message}")
    return "\n".join(lines)


def furniture_summary(result: IssueResult, most: int = 8) -> str:
    """The furniture removed, by place: a running header with its page number, or a block of
    lines (the cover and contents) with its line range."""
    groups: list[list] = []
    for item in result.furniture:
        if groups and item.lineno - groups[-1][-1].lineno <= 3:
            groups[-1].append(item)
        else:
            groups.append([item])
    shown = []
    for group in groups[:most]:
        text = " / ".join(f.text for f in group)
        if len(group) > 3 or len(text) > 40:
            text = f"{group[0].text[:16]}… ({len(group)} lines)"
        span = f"{group[0].lineno}" if len(group) == 1 else f"{group[0].lineno}-{group[-1].lineno}"
        shown.append(f"{span}: {text}")
    more = len(groups) - most
    return "; ".join(shown) + (f"; … {more} more" if more > 0 else "")


def check(root: Path, against: str | None = None, quiet: bool = False) -> int:
    """`gazette check`: convert every issue (cached as `gazette build` caches), print the report and the
    problems with published ids, URLs, anchors and aliases; 1 when there are any (held also to the
    snapshot committed at git revision `against`, a pull request's base), else 0."""
    from .anchors_check import (
        check_anchors,
        current_entry,
        new_since_snapshot,
        recorded_moves,
        snapshot_at,
        texts_not_in_snapshot,
    )

    # the base's snapshot first: a wrong REF is reported before the conversion, not after
    promised = (against, snapshot_at(root, against)) if against else None
    # cached like `gazette build` (the key holds the converter's code): publishing checks, then builds,
    # converting each issue once
    results = convert_archive(root, progress=not quiet, cache=True)
    for result in results:
        print(report(result))
    from .indicators import unknown_rows

    for line in unknown_rows(results):  # a statistics row converters/indicators.yml does not name
        print(f"   warning: {line}")
    total = sum(len(r.documents) for r in results)
    print(f"{len(results)} issues, {total} documents converted")
    summaries = [current_entry(d) for r in results for d in r.documents]
    problems = check_anchors(root, summaries, promised)
    for problem in problems:
        print(f"   error: {problem}")
    for moved in recorded_moves(root, summaries, promised) if promised else ():
        print(f"   moved: {moved.describe(f' (published at {against})')}, recorded in the snapshot")
    added = new_since_snapshot(root, summaries)
    if added:
        print(f"{len(added)} documents not yet in the published snapshot (run `gazette snapshot`): {', '.join(added)}")
    untexted = texts_not_in_snapshot(root, summaries)
    if untexted:
        print(f"{len(untexted)} documents without their anchors' texts in the published snapshot (run `gazette snapshot`)")
    if problems:
        print(f"gazette: error: {len(problems)} problem{'s' if len(problems) > 1 else ''} with published ids, "
              f"URLs or anchors or their aliases (listed above; see CONTRIBUTING.md on aliases)", file=sys.stderr)
        return 1
    return 0


def snapshot(root: Path, force: bool = False, accept_moved: bool = False) -> int:
    """`gazette snapshot`: record the current conversion's ids, URLs, anchors and the text each anchor
    points at as published (anchors_check.record_snapshot)."""
    from .anchors_check import current_entry, record_snapshot

    results = convert_archive(root, progress=False)
    return record_snapshot(root, [current_entry(d) for r in results for d in r.documents], force, accept_moved)


@contextlib.contextmanager
def build_lock(build: Path):
    """Hold build/.lock while building: a second build of the same project is refused in one sentence
    instead of interleaving with the first (two builds rewriting build/ and site/ at once can both
    succeed with pages missing). The kernel releases the lock when the process ends, however it ends."""
    lock = build / ".lock"
    try:
        build.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise GazetteError(f"{lock}: cannot be opened ({exc.strerror or exc.__class__.__name__})") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise GazetteError(f"{lock}: another build of this project is running; "
                           f"build again when it has finished.") from None
    try:
        yield
    finally:
        os.close(fd)


def build_archive(root: Path, options: BuildOptions | None = None, stage=None, counts: dict | None = None) -> int:
    """What `gazette build` does, for the project at `root`: root/docs_src -> root/build -> root/site,
    holding build/.lock (build_lock). `stage(name)` (optional) returns a context manager wrapped around
    each stage, and `counts` receives the conversion counts (converters/bench)."""
    options = options or BuildOptions()
    use_engine(options.engine)
    from . import site  # the site stage; imported here so `check` does not need MkDocs

    with build_lock(root / "build"):
        site.build_site(root, load_config(root / "gazette.yml"), lambda: convert_for_site(root, counts, options.jobs),
                        options, stage=stage)
    return 0


def use_engine(name: str) -> None:
    """Make every MkDocs import of this process (engine.py's, the theme's, the plugin's) load `name`.
    ProperDocs, the maintained fork of MkDocs 1.x, answers for `mkdocs` once properdocs.replacement is
    imported, which must happen before MkDocs itself is first imported."""
    if name == "mkdocs":
        return
    loaded = sys.modules.get("mkdocs")
    if loaded is not None and loaded.__name__ != name:
        raise GazetteError(f"--engine {name}: MkDocs is already loaded in this process; run a new `gazette build`")
    try:
        import properdocs.replacement  # noqa: F401  (every mkdocs import from here on is ProperDocs')
    except ImportError:
        raise GazetteError(f"--engine {name} needs ProperDocs installed (pip install properdocs)") from None


def convert_for_site(root: Path, counts: dict | None = None,
                     jobs: int | None = None) -> tuple[list[IssueResult], dict[str, str]]:
    """The archive converted for publishing, and each issue's conversion key (the site keeps the pages
    of issues whose key is the last build's: site/memo.py). The site serves redirects from aliases.yml,
    so a wrong entry stops the build before anything is built."""
    from .anchors_check import ALIASES, alias_file_problems

    keys: dict[str, str] = {}
    results = convert_archive(root, cache=True, counts=counts, jobs=jobs, keys=keys)
    wrong = (alias_file_problems(root, [{"id": d.id, "anchors": d.anchors} for r in results for d in r.documents])
             if (root / ALIASES).exists() else [])
    if wrong:
        more = f" (and {len(wrong) - 1} more: run `gazette check`)" if len(wrong) > 1 else ""
        raise ConversionError(wrong[0] + more)
    return results, keys


