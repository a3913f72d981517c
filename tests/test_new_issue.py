"""A maintainer's pull request as CONTRIBUTING.md describes it passes the tests: an issue filed with
`gazette add`, the published snapshot updated with `gazette snapshot`, then every test marked `archive`
run on that archive (`--project`). The new issue is one of the project's own with every document number
rewritten as the benchmark's synthetic archive rewrites them (converters/bench.py `rewrite`), so it is a
genuinely different issue: new numbers, new ids, its own unnumbered issue id."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from converters import bench
from converters.archive import load_archive

from conftest import ROOT


def _gazette(project: Path, *args: str) -> str:
    result = subprocess.run([sys.executable, "-m", "converters.cli", *args], cwd=project, capture_output=True,
                            text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, f"gazette {' '.join(args)}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


def test_an_added_issue_passes_the_archive_tests(project, tmp_path):
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
    received = tmp_path / f"received{sample.source.suffix}"
    # copy 1 of the sample: every document number, its own and the ones it cites, gets 1000 added
    received.write_text(bench.rewrite(sample.read_text(), 1, {}), encoding="utf-8")

    added = _gazette(copy, "add", str(received), "--year", str(sample.meta.year))
    _gazette(copy, "snapshot")
    [new] = {p.name for p in (copy / "docs_src").iterdir()} - before
    assert f"added docs_src/{new}/" in added

    tests = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "archive",
                            "--project", str(copy), str(ROOT / "tests")],
                           cwd=ROOT, capture_output=True, text=True)
    assert tests.returncode == 0, tests.stdout[-5000:] + tests.stderr[-2000:]
    assert " passed" in tests.stdout and " failed" not in tests.stdout
