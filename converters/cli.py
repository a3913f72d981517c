"""The `gazette` command line (add, check, build, bench, snapshot, report): arguments in, one line out on
error. What each command does is in app.py (and add.py, anchors_check.py, pr_report.py, bench/); every
GazetteError becomes `gazette: error: …`, exit 1."""

from __future__ import annotations

import argparse
import sys

from . import app
from .errors import GazetteError
from .options import ENGINES, command_line_options


def cmd_check(args: argparse.Namespace) -> int:
    return app.check(app.project_root(), args.against, args.quiet)


def cmd_build(args: argparse.Namespace) -> int:
    return app.build_archive(app.project_root(), command_line_options(args.full, args.jobs, args.engine))


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
    build.add_argument("--engine", choices=ENGINES, default="mkdocs",
                       help="the static-site engine: MkDocs, or its maintained fork ProperDocs (pip install properdocs)")
    build.set_defaults(func=cmd_build)
    from .bench import register as register_bench

    register_bench(sub)
    from .add import register as register_add

    register_add(sub)
    snapshot = sub.add_parser("snapshot", help="record the current ids, URLs, anchors and their texts as "
                                               "published (docs_src/_published/documents.json)")
    snapshot.add_argument("--force", action="store_true",
                          help="write the snapshot even when published anchors would disappear")
    snapshot.add_argument("--accept-moved", action="store_true",
                          help="record published anchors that now point at other text (listed), deliberately")
    snapshot.set_defaults(func=lambda args: app.snapshot(app.project_root(), args.force, args.accept_moved))
    from .pr_report import register as register_report

    register_report(sub)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except GazetteError as exc:
        message = str(exc).replace("\r", " ").replace("\n", " ")  # one line, whatever a file name holds
        print(f"gazette: error: {message}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
