"""`gazette add`: file a new issue under docs_src/ after converting it (placeholder, see issue 5)."""

from __future__ import annotations


def register(sub) -> None:
    parser = sub.add_parser("add", help="add one gazette issue (validated and converted first)")
    parser.add_argument("source")
    parser.add_argument("--year", type=int, required=True)
    parser.add_argument("--number", type=int)
    parser.add_argument("--date")
    parser.set_defaults(func=lambda args: 1)
