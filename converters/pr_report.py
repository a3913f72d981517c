"""`gazette report --added-since REF`: what a change adds under docs_src/, as Markdown for a pull
request's job summary — each added issue's conversion report (as `gazette check` prints it) and, with
`--check FILE`, the totals and errors of a saved `gazette check` output.

Folder names, titles and messages come from whoever opened the pull request: every piece of them is
escaped once where the Markdown is written (ASCII punctuation backslashed, control characters shown as
\\xNN, reports in a code fence longer than any run of backticks they hold), so nothing they contain
becomes a link, an image, HTML or the end of the fence."""

from __future__ import annotations

import argparse
import re
import subprocess
from pathlib import Path

from .model import ConversionError
from .workers import child_setup

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character (CommonMark escapes)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def escape(text: str) -> str:
    """`text` as literal Markdown inline text, on one line."""
    text = _PUNCTUATION.sub(r"\\\1", text)
    return _CONTROL.sub(lambda m: f"\\\\x{ord(m[0]):02x}", text)


def fenced(text: str, info: str = "text") -> str:
    """`text` in a code fence that no line of it can close."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{text}\n{fence}"


def added_issue_folders(root: Path, ref: str) -> list[str]:
    """Names of the docs_src/ issue folders holding a file added since the merge base of `ref` and HEAD."""
    if not ref or ref.startswith("-"):
        raise ConversionError(f"--added-since needs a git revision, not {ref!r}")
    result = subprocess.run(["git", "diff", "-z", "--name-only", "--diff-filter=A", f"{ref}...HEAD", "--",
                             "docs_src/"], cwd=root, capture_output=True, preexec_fn=child_setup())
    if result.returncode != 0:
        reason = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ConversionError(f"git diff {ref}...HEAD failed: {reason[0] if reason else 'no reason given'}")
    folders = set()
    for path in result.stdout.decode("utf-8", "surrogateescape").split("\0"):
        parts = path.split("/")
        if len(parts) > 2 and parts[0] == "docs_src" and not parts[1].startswith(("_", ".")):
            folders.add(parts[1])
    return sorted(folders)


def issue_section(root: Path, name: str, furniture_patterns) -> str:
    """One added issue: its report, or the one-line reason it does not convert."""
    from .archive import load_issue
    from .app import report
    from .pipeline import convert_text

    try:
        issue = load_issue(root / "docs_src" / name)
        result = convert_text(issue.read_text(), str(issue.source), issue.meta, issue.format, furniture_patterns)
    except (ConversionError, OSError, UnicodeError, ValueError) as exc:  # `gazette check` fails on it too
        return f"### {escape(name)}\n\n**error:** {escape(str(exc))}\n"
    return f"### {escape(name)}: {len(result.documents)} documents\n\n{fenced(report(result))}\n"


def check_section(output: str) -> str:
    """The totals, the published anchors the pull request moves (recorded in its snapshot) and the errors
    of a `gazette check` output."""
    lines = [line.strip() for line in output.splitlines()]
    totals = [line for line in lines if "documents converted" in line or "published snapshot" in line]
    moved = [line for line in lines if line.startswith("moved:")]
    errors = [line for line in lines if line.startswith("error:")]
    items = [f"- {escape(line)}" for line in totals + moved] + [f"- **{escape(line)}**" for line in errors]
    return "## gazette check\n\n" + ("\n".join(items) if items else "No output.") + "\n"


def markdown_report(root: Path, ref: str, check_output: str | None = None) -> str:
    from .config import load_config

    folders = added_issue_folders(root, ref)
    parts = ["## Issues added by this pull request\n"]
    if not folders:
        parts.append("This pull request adds no issue under `docs_src/`.\n")
    else:
        patterns = load_config(root / "gazette.yml").furniture_patterns
        parts += [issue_section(root, name, patterns) for name in folders]
    if check_output is not None:
        parts.append(check_section(check_output))
    return "\n".join(parts)


def cmd_report(args: argparse.Namespace) -> int:
    from .app import project_root

    check_output = None
    if args.check:
        try:
            check_output = Path(args.check).read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise ConversionError(f"cannot read {args.check}: {exc.strerror}") from None
    print(markdown_report(project_root(), args.added_since, check_output), end="")
    return 0


def register(sub) -> None:
    p = sub.add_parser("report", help="Markdown summary of the issues added since a git revision (pull requests)")
    p.add_argument("--added-since", required=True, metavar="REF",
                   help="git revision the change is compared with (its merge base with HEAD)")
    p.add_argument("--check", metavar="FILE", help="a saved `gazette check` output to summarise as well")
    p.set_defaults(func=cmd_report)
