"""`gazette report --added-since REF` (converters/pr_report.py): the pull request's job summary, in a
temporary git repository: the issues a change adds, their reports, and nothing an outsider writes in a
folder name or a source becomes Markdown."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from converters.cli import main
from converters.pr_report import escape, fenced

from conftest import ROOT, SEED_ISSUES

HOSTILE = "2030-<img src=x onerror=alert(1)>[link](https:⁄⁄evil.example)*_`"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    """A project with one issue committed on `main` (the base), then a commit adding two issue
    folders: a seed issue and one with a hostile name and a broken issue.yml."""
    shutil.copy(ROOT / "gazette.yml", tmp_path / "gazette.yml")
    shutil.copytree(SEED_ISSUES / "2018-16", tmp_path / "docs_src" / "2018-16")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", ".")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "base")
    git(tmp_path, "checkout", "-qb", "pr")
    shutil.copytree(SEED_ISSUES / "2019-d73dbd3f", tmp_path / "docs_src" / "2019-d73dbd3f")
    hostile = tmp_path / "docs_src" / HOSTILE
    hostile.mkdir()
    (hostile / "issue.yml").write_text("year: '**bold** <b>x</b>'\n", encoding="utf-8")
    (hostile / "source.txt").write_text("x\n", encoding="utf-8")
    git(tmp_path, "add", ".")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "two issues")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_reports_the_added_issues_only(repo, capsys):
    assert main(["report", "--added-since", "main"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("## Issues added by this pull request\n")
    assert "### 2019\\-d73dbd3f: 6 documents\n\n```text\n== 2019-d73dbd3f " in out
    assert "lzgf-2019-2: 连政规发〔2019〕2号" in out  # the report as `gazette check` prints it
    assert "2018\\-16" not in out and "2018-16:" not in out  # on the base branch: not added


def test_outsiders_text_is_escaped(repo, capsys):
    assert main(["report", "--added-since", "main"]) == 0
    out = capsys.readouterr().out
    heading = next(line for line in out.splitlines() if line.startswith("### 2030"))
    assert heading == f"### {escape(HOSTILE)}"
    assert not re.search(r"(?<!\\)[<>\[\]()*_`]", heading.removeprefix("### "))  # each one escaped
    error = next(line for line in out.splitlines() if line.startswith("**error:**"))
    assert "\\*\\*bold\\*\\*" in error and not re.search(r"(?<!\\)[<>*]", error.removeprefix("**error:**"))


def test_nothing_added(repo, capsys):
    assert main(["report", "--added-since", "HEAD"]) == 0
    assert "This pull request adds no issue under `docs_src/`." in capsys.readouterr().out


def test_check_output_summarised(repo, capsys):
    moved = "moved: document a: anchor p_3 (published at main) now points at other text: was “*甲*”, now “乙”"
    (repo / "check.txt").write_text("== x\n   error: document <b>a</b>: published anchor art_9 would disappear\n"
                                    f"2 issues, 8 documents converted\n   {moved}, recorded in the snapshot\n",
                                    encoding="utf-8")
    assert main(["report", "--added-since", "main", "--check", "check.txt"]) == 0
    out = capsys.readouterr().out
    section = out[out.index("## gazette check"):]
    assert f"- {escape('2 issues, 8 documents converted')}" in section
    assert f"- {escape(moved)}" in section  # a move the pull request records is shown to its reviewer
    error = escape("error: document <b>a</b>: published anchor art_9 would disappear")
    assert f"- **{error}**" in section and "<b>" not in section


@pytest.mark.parametrize("args, message", [
    (["--added-since", "no-such-branch"], "git diff no-such-branch...HEAD failed"),
    (["--added-since=--output=x"], "needs a git revision"),
    (["--added-since", "main", "--check", "missing.txt"], "cannot read missing.txt"),
])
def test_bad_input_is_one_sentence(repo, capsys, args, message):
    assert main(["report", *args]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("gazette: error: ") and message in err and err.count("\n") == 1, err


def test_escape_and_fence():
    assert escape("a_b*c[d](e)<f>&#1;\n|") == "a\\_b\\*c\\[d\\]\\(e\\)\\<f\\>\\&\\#1\\;\\\\x0a\\|"
    assert escape("连政办发〔2018〕160号") == "连政办发〔2018〕160号"
    text = "title ```` closing\n```\nend"
    block = fenced(text)
    fence = block.splitlines()[0].removesuffix("text")
    assert fence == "`" * 5 and block.endswith("\n" + fence)
    assert all(not line.startswith(fence) for line in text.splitlines())
