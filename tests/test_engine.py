"""The site engine is replaceable: MkDocs 1.6 is unmaintained, so the seed archive is also built with
ProperDocs (the maintained fork of MkDocs 1.x, `gazette build --engine properdocs`) and must come out
the same, but for the generator's name. Every MkDocs call is in converters/site/engine.py."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def _files(site: Path, comparable_site) -> dict[str, bytes]:
    """The site's files as comparable_site gives them, without the generator's name."""
    return {name: GENERATOR.sub(b"", content) for name, content in comparable_site(site).items()}


def test_the_site_builds_the_same_with_properdocs(seed_project, seed_site, tmp_path, comparable_site):
    pytest.importorskip("properdocs")
    project = tmp_path / "project"
    shutil.copytree(seed_project, project, ignore=shutil.ignore_patterns("site", "build"))
    done = subprocess.run([sys.executable, "-m", "converters.cli", "build", "--engine", "properdocs"], cwd=project,
                          capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr[-3000:]
    assert b"ProperDocs" in (project / "site" / "index.html").read_bytes()
    mkdocs, properdocs = _files(seed_site, comparable_site), _files(project / "site", comparable_site)
    assert sorted(properdocs) == sorted(mkdocs)
    assert [name for name in mkdocs if mkdocs[name] != properdocs[name]] == []


def test_switching_engine_after_mkdocs_is_loaded_is_refused_in_one_sentence():
    code = ("import mkdocs.plugins\n"
            "from converters.app import use_engine\n"
            "from converters.errors import GazetteError\n"
            "try:\n    use_engine('properdocs')\nexcept GazetteError as exc:\n    print(exc)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0 and "already loaded" in done.stdout and done.stdout.count("\n") == 1, done
