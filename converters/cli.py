"""The `gazette` command: add, check, build, bench."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .archive import load_archive
from .config import ConfigError, load_config
from .errors import GazetteError
from .model import ConversionError, IssueResult
from .options import BuildOptions, default_jobs


def project_root() -> Path:
    """The project folder: the nearest folder upwards holding gazette.yml or docs_src/."""
    here = Path.cwd()
    for folder in [here, *here.parents]:
        if (folder / "gazette.yml").exists() or (folder / "docs_src").is_dir():
            return folder
    return here


def convert_archive(root: Path, progress: bool = True, cache: bool = False,
                    counts: dict | None = None) -> list[IssueResult]:
    """Convert every issue under root/docs_src/, in parallel (GAZETTE_JOBS); `counts`, when given,
    receives how many issues came from the cache and how many were converted.
    With `cache`, results are reused from build/cache/convert/ (see converters/cache.py)."""
    from .cache import convert_issues

    config = load_config(root / "gazette.yml")
    issues = load_archive(root / "docs_src")

    def show(n: int, total: int, result: IssueResult, seconds: float | None) -> None:
        took = "cached" if seconds is None else f"{seconds:.2f}s"
        print(f"[{n + 1}/{total}] {result.meta.id}: {len(result.documents)} documents ({took})", file=sys.stderr)

    cache_dir = root / "build" / "cache" / "convert" if cache else None
    results, done = convert_issues(root, issues, config.furniture_patterns, cache_dir,
                                     progress=show if progress else None)
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


def cmd_check(args: argparse.Namespace) -> int:
    root = project_root()
    from .anchors_check import check_anchors, new_since_snapshot, snapshot_at

    # the base's snapshot first: a wrong REF is reported before the conversion, not after
    against = (args.against, snapshot_at(root, args.against)) if args.against else None
    # cached like `gazette build` (the key holds the converter's code): publishing checks, then builds,
    # converting each issue once
    results = convert_archive(root, progress=not args.quiet, cache=True)
    for result in results:
        print(report(result))
    from .indicators import unknown_rows

    for line in unknown_rows(results):  # a statistics row converters/indicators.yml does not name
        print(f"   warning: {line}")
    total = sum(len(r.documents) for r in results)
    print(f"{len(results)} issues, {total} documents converted")
    summaries = [d.summary() for r in results for d in r.documents]
    problems = check_anchors(root, summaries, against)
    for problem in problems:
        print(f"   error: {problem}")
    added = new_since_snapshot(root, summaries)
    if added:
        print(f"{len(added)} documents not yet in the published snapshot (run `gazette snapshot`): {', '.join(added)}")
    if problems:
        print(f"gazette: error: {len(problems)} problem{'s' if len(problems) > 1 else ''} with published ids, "
              f"URLs or anchors or their aliases (listed above; see CONTRIBUTING.md on aliases)", file=sys.stderr)
        return 1
    return 0


def build_archive(root: Path, options: BuildOptions = BuildOptions(), stage=None, counts: dict | None = None) -> int:
    """What `gazette build` does, for the project at `root`: root/docs_src -> root/build -> root/site.
    `stage(name)` (optional) returns a context manager wrapped around each stage, and `counts` receives
    the conversion counts (converters/bench.py)."""
    from . import site  # the site stage; imported here so `check` does not need MkDocs

    site.build_site(root, load_config(root / "gazette.yml"), lambda: convert_for_site(root, counts), options,
                    stage=stage)
    return 0


def convert_for_site(root: Path, counts: dict | None = None) -> list[IssueResult]:
    """The archive converted for publishing: the site serves redirects from aliases.yml, so a wrong
    entry stops the build before anything is built."""
    from .anchors_check import ALIASES, alias_file_problems

    results = convert_archive(root, cache=True, counts=counts)
    wrong = (alias_file_problems(root, [{"id": d.id, "anchors": d.anchors} for r in results for d in r.documents])
             if (root / ALIASES).exists() else [])
    if wrong:
        more = f" (and {len(wrong) - 1} more: run `gazette check`)" if len(wrong) > 1 else ""
        raise ConversionError(wrong[0] + more)
    return results


def build_options(args: argparse.Namespace) -> BuildOptions:
    """The build's run options: the command line's, else GAZETTE_FULL / GAZETTE_JOBS (the workflows')."""
    full = args.full or os.environ.get("GAZETTE_FULL", "") not in ("", "0")
    jobs = args.jobs or int(os.environ.get("GAZETTE_JOBS", "").strip() or 0) or default_jobs()
    return BuildOptions(full=full, jobs=max(1, jobs))


def cmd_build(args: argparse.Namespace) -> int:
    return build_archive(project_root(), build_options(args))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="gazette", description="连云港市人民政府公报 archive")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="convert every issue and print the report; non-zero on errors")
    check.add_argument("--quiet", action="store_true")
    check.add_argument("--against", metavar="REF",
                       help="also keep the promise of the snapshot committed at git revision REF "
                            "(a pull request's base)")
    check.set_defaults(func=cmd_check)
    build = sub.add_parser("build", help="convert every issue and build the site into site/")
    build.add_argument("--full", action="store_true",
                       help="rebuild the whole site, reusing nothing from the last build (default: GAZETTE_FULL)")
    build.add_argument("--jobs", type=int, default=0,
                       help="worker processes (default: GAZETTE_JOBS, else the machine's cores)")
    build.set_defaults(func=cmd_build)
    from .bench import register as register_bench

    register_bench(sub)
    from .add import register as register_add

    register_add(sub)
    from .anchors_check import register as register_snapshot

    register_snapshot(sub)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (ConversionError, ConfigError, GazetteError) as exc:
        print(f"gazette: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
