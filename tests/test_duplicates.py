"""The same issue filed twice (another folder, another number) is refused by `gazette add`, `gazette
check` and `gazette build`, naming both folders. "The same" is the same source bytes, or a document both
issues contain (the same document id: it comes from the document number, and is one page of the site)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from converters.cli import main
from projects import CONTENTS, NOTICE, SECTIONS, add_issue, make_project, tree


@pytest.fixture
def dup_project(tmp_path, monkeypatch) -> Path:
    root = make_project(tmp_path / "project")
    monkeypatch.chdir(root)
    return root


def one_line_error(capsys, *argv: str) -> str:
    """The refusal: exit 1, one line (after the build's progress lines, if any), no traceback."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    errors = [line for line in err.splitlines() if "error" in line]
    assert code == 1 and len(errors) == 1 and err.endswith(errors[0] + "\n"), (code, err)
    assert errors[0].startswith("gazette: error: ") and "Traceback" not in out + err
    return errors[0]


@pytest.mark.parametrize("command", [["check", "--quiet"], ["build"]])
def test_the_same_source_in_two_folders(dup_project, capsys, command):
    add_issue(dup_project, "2032-05", NOTICE)  # the first issue's source again, as another number
    before = tree(dup_project / "docs_src")
    message = one_line_error(capsys, *command)
    assert "docs_src/2030-01 and docs_src/2032-05 hold the same source" in message
    assert tree(dup_project / "docs_src") == before and not (dup_project / "site").exists()


@pytest.mark.parametrize("command", [["check", "--quiet"], ["build"]])
def test_a_document_in_two_issues(dup_project, capsys, command):
    # another dump of the same issue: other bytes (a blank line more), the same documents
    folder = add_issue(dup_project, "2029-1a2b3c4d", NOTICE, number=None)
    (folder / "source.txt").write_text(NOTICE.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")
    message = one_line_error(capsys, *command)
    assert "docs_src/2029-1a2b3c4d and docs_src/2030-01 both contain" in message
    assert "document lzgf-2030-7" in message and "docs_src/2030-01/source.txt:" in message
    assert not (dup_project / "site").exists()


def test_distinct_issues_pass(dup_project, capsys):
    add_issue(dup_project, "2032-03", CONTENTS)
    assert main(["check", "--quiet"]) == 0


def test_add_refuses_an_issue_already_filed_under_another_number(dup_project, capsys):
    shutil.copy(SECTIONS, dup_project / "again.txt")
    before = tree(dup_project / "docs_src")
    message = one_line_error(capsys, "add", "again.txt", "--year", "2031", "--number", "7")
    assert "same source as issue 2031-02" in message and "docs_src/2031-02 and docs_src/2031-07" in message
    (dup_project / "again.txt").write_text(SECTIONS.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    message = one_line_error(capsys, "add", "again.txt", "--year", "2031")
    assert "lzgf-2031-1" in message and "docs_src/2031-02 and docs_src/2031-" in message
    assert tree(dup_project / "docs_src") == before
