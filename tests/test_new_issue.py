"""A maintainer's pull request as CONTRIBUTING.md describes it passes the tests: an issue filed with
`gazette add`, the published snapshot updated with `gazette snapshot`, then every test marked `archive`
run on that archive (`--project`). The new issue is one of the project's own with every document number
rewritten as the benchmark's synthetic archive rewrites them (converters/bench.py `rewrite`), in the first copy
whose numbers the archive does not hold yet, so it is a genuinely different issue: new numbers, new ids, its
own unnumbered issue id."""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
from pathlib import Path

from converters.bench import synthetic as bench
from converters.archive import IssueSource, issue_id, load_archive
from converters.model import IssueResult
from converters.text import number_parts

from conftest import ROOT


def _gazette(project: Path, *args: str) -> str:
    result = subprocess.run([sys.executable, "-m", "converters.cli", *args], cwd=project, capture_output=True,
                            text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, f"gazette {' '.join(args)}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


def new_issue(sample: IssueSource, results: list[IssueResult]) -> tuple[str, int]:
    """(source, year) of the first copy of `sample` (bench.rewrite: every document number, its own and the
    ones it cites, moved by bench.shifts) whose document numbers and issue id the archive does not hold."""
    held = {number_parts(d.doc_number) for r in results for d in r.documents if d.doc_number}
    own = [number_parts(d.doc_number) for r in results if r.meta.id == sample.meta.id
           for d in r.documents if d.doc_number]
    ids = {r.meta.id for r in results}
    for copy in itertools.count(1):
        years, offset = bench.shifts(copy)
        text = bench.rewrite(sample.read_text(), copy, {})
        moved = {(prefix, year + years, number + offset) for prefix, year, number in filter(None, own)}
        if not moved & held and issue_id(sample.meta.year + years, None, text) not in ids:
            return text, sample.meta.year + years
    raise AssertionError("unreachable")


def test_an_added_issue_passes_the_archive_tests(project, archive_results, tmp_path):
    copy = tmp_path / "project"
    copy.mkdir()
    for name in (*bench.COPIED, "docs_src"):
        src = project / name
        if src.is_dir():
            shutil.copytree(src, copy / name)
        else:
            shutil.copy2(src, copy / name)
    before = {p.name for p in (copy / "docs_src").iterdir()}
    sample = load_archive(copy / "docs_src")[-1]
    text, year = new_issue(sample, archive_results)
    received = tmp_path / f"received{sample.source.suffix}"
    received.write_text(text, encoding="utf-8")

    added = _gazette(copy, "add", str(received), "--year", str(year))
    _gazette(copy, "snapshot")
    [new] = {p.name for p in (copy / "docs_src").iterdir()} - before
    assert f"added docs_src/{new}/" in added

    tests = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "archive",
                            "--project", str(copy), str(ROOT / "tests")],
                           cwd=ROOT, capture_output=True, text=True)
    assert tests.returncode == 0, tests.stdout[-5000:] + tests.stderr[-2000:]
    assert " passed" in tests.stdout and " failed" not in tests.stdout
