"""The `gazette` command: add, check, build, bench, snapshot, report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .archive import load_archive
from .config import ConfigError, load_config
from .emit import write_issue
from .model import ConversionError, IssueResult


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
    # cached like `gazette build` (the key holds the converter's code): publishing checks, then builds,
    # converting each issue once
    results = convert_archive(root, progress=not args.quiet, cache=True)
    for result in results:
        print(report(result))
    total = sum(len(r.documents) for r in results)
    print(f"{len(results)} issues, {total} documents converted")
    from .anchors_check import check_anchors, new_since_snapshot

    summaries = [d.summary() for r in results for d in r.documents]
    problems = check_anchors(root, summaries)
    for problem in problems:
        print(f"   error: {problem}")
    added = new_since_snapshot(root, summaries)
    if added:
        print(f"{len(added)} documents not yet in the published snapshot (run `gazette snapshot`): {', '.join(added)}")
    if problems:
        print(f"gazette: error: {len(problems)} published ids, URLs or anchors would disappear "
              f"(listed above; see CONTRIBUTING.md on aliases)", file=sys.stderr)
        return 1
    return 0


def build_archive(root: Path, stage=None, counts: dict | None = None) -> int:
    """What `gazette build` does, for the project at `root`: root/docs_src -> root/build -> root/site.
    `stage(name)` (optional) returns a context manager wrapped around each stage, and `counts` receives
    the conversion counts (converters/bench.py)."""
    import contextlib

    stage = stage or (lambda name: contextlib.nullcontext())
    build = root / "build"
    with stage("convert"):
        results = convert_archive(root, cache=True, counts=counts)
        for result in results:
            write_issue(result, build)
    from . import site  # the site stage; imported here so `check` does not need MkDocs

    return site.build_site(root, results, load_config(root / "gazette.yml"), stage=stage)


def cmd_build(args: argparse.Namespace) -> int:
    return build_archive(project_root())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="gazette", description="连云港市人民政府公报 archive")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="convert every issue and print the report; non-zero on errors")
    check.add_argument("--quiet", action="store_true")
    check.set_defaults(func=cmd_check)
    build = sub.add_parser("build", help="convert every issue and build the site into site/")
    build.set_defaults(func=cmd_build)
    from .bench import register as register_bench

    register_bench(sub)
    from .add import register as register_add

    register_add(sub)
    from .anchors_check import register as register_snapshot

    register_snapshot(sub)
    from .pr_report import register as register_report

    register_report(sub)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (ConversionError, ConfigError) as exc:
        print(f"gazette: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
