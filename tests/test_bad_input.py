"""Bad input from a pull request: a source outside its folder, impossible facts. Each is refused in one
sentence naming the file (and line), by `gazette check` and `gazette add`, and nothing is written."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from converters.archive import check_facts, load_archive
from converters.cli import main
from converters.errors import ConversionError, GazetteError
from projects import CONTENTS, NOTICE, add_issue, make_project, tree


@pytest.fixture
def bad_project(tmp_path, monkeypatch) -> Path:
    root = make_project(tmp_path / "project")
    monkeypatch.chdir(root)
    return root


def one_line_error(capsys, *argv: str) -> str:
    """Run `gazette …` and return its refusal, checking it is one line, exit 1, no traceback."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 1, (out, err)
    assert err.startswith("gazette: error: ") and err.count("\n") == 1, err
    assert "Traceback" not in out + err
    return err.strip()


def refused_everywhere(project: Path, capsys, *words: str) -> None:
    """`gazette check` and `gazette add` both refuse with a sentence holding `words`; nothing is written."""
    before = tree(project / "docs_src")
    message = one_line_error(capsys, "check", "--quiet")
    assert all(w in message for w in words), message
    shutil.copy(CONTENTS, project / "new.md")
    added = main(["add", "new.md", "--year", "2032", "--number", "3"])
    out, err = capsys.readouterr()
    # a broken issue elsewhere does not block adding a good one: it is named, and not compared
    assert added == 0 and "Traceback" not in out + err, err
    assert all(w in err for w in words), err
    shutil.rmtree(project / "docs_src" / "2032-03")
    assert tree(project / "docs_src") == before
    assert not (project / "build" / "site_src").exists()


def set_source(project: Path, folder: str, value: str) -> Path:
    meta = project / "docs_src" / folder / "issue.yml"
    text = meta.read_text(encoding="utf-8")
    meta.write_text(text.replace("source: source.txt", f"source: '{value}'"), encoding="utf-8")
    return meta


# --- 1. the source lies inside its own folder -----------------------------------------------------

@pytest.mark.parametrize("value,word", [
    ("../../gazette.yml", "no absolute path, no '..'"),
    ("../2031-02/source.txt", "no absolute path, no '..'"),
    ("sub/../source.txt", "no absolute path, no '..'"),
    ("/etc/hostname", "no absolute path, no '..'"),
    ("missing.txt", "not a file in"),
])
def test_source_outside_the_folder_is_refused(bad_project, capsys, value, word):
    meta = set_source(bad_project, "2030-01", value)
    refused_everywhere(bad_project, capsys, f"{meta}:4:", word)


def test_symlinked_source_file_is_refused(bad_project, capsys, tmp_path):
    outside = tmp_path / "secret.txt"
    shutil.copy(NOTICE, outside)
    source = bad_project / "docs_src" / "2030-01" / "source.txt"
    source.unlink()
    source.symlink_to(outside)
    refused_everywhere(bad_project, capsys, "2030-01", "symlink")


def test_source_in_a_symlinked_subfolder_is_refused(bad_project, capsys, tmp_path):
    (tmp_path / "elsewhere").mkdir()
    shutil.copy(NOTICE, tmp_path / "elsewhere" / "source.txt")
    (bad_project / "docs_src" / "2030-01" / "sub").symlink_to(tmp_path / "elsewhere")
    set_source(bad_project, "2030-01", "sub/source.txt")
    refused_everywhere(bad_project, capsys, "2030-01", "symlink")


def test_symlinked_issue_folder_is_refused(bad_project, capsys, tmp_path):
    real = add_issue(tmp_path / "outside", "2033-04", NOTICE.with_name("cell_per_line_table.pdf-text.in"))
    (bad_project / "docs_src" / "2033-04").symlink_to(real)
    refused_everywhere(bad_project, capsys, "2033-04", "not a symlink")


def test_symlinked_issue_yml_is_refused(bad_project, capsys, tmp_path):
    meta = bad_project / "docs_src" / "2030-01" / "issue.yml"
    (tmp_path / "issue.yml").write_bytes(meta.read_bytes())
    meta.unlink()
    meta.symlink_to(tmp_path / "issue.yml")
    refused_everywhere(bad_project, capsys, "2030-01", "not a symlink")


def test_a_source_in_a_subfolder_of_its_own_is_read(bad_project):
    folder = bad_project / "docs_src" / "2030-01"
    (folder / "dump").mkdir()
    (folder / "source.txt").rename(folder / "dump" / "source.txt")
    set_source(bad_project, "2030-01", "dump/source.txt")
    issue = load_archive(bad_project / "docs_src")[0]
    assert issue.source == folder / "dump" / "source.txt" and issue.read_text() == NOTICE.read_text(encoding="utf-8")


def test_a_source_swapped_for_a_symlink_after_loading_is_not_read(bad_project, tmp_path):
    issue = load_archive(bad_project / "docs_src")[0]
    (tmp_path / "other.txt").write_text("elsewhere", encoding="utf-8")
    issue.source.unlink()
    issue.source.symlink_to(tmp_path / "other.txt")
    with pytest.raises(ConversionError, match="cannot be read"):
        issue.read_bytes()


def test_a_source_that_is_not_utf8_is_one_sentence(bad_project, capsys):
    source = bad_project / "docs_src" / "2030-01" / "source.txt"
    source.write_bytes(NOTICE.read_bytes() + "第九条".encode("gb18030"))
    message = one_line_error(capsys, "check", "--quiet")
    assert f"{source}:" in message and "not UTF-8" in message


# --- 3. impossible facts ----------------------------------------------------------------------------

@pytest.mark.parametrize("line,word", [
    ("date: 2030-02-30", "'date' 2030-02-30 is not a day of the calendar"),
    ("date: '2030-02-30'", "'date' 2030-02-30 is not a day of the calendar"),
    ("date: 2030-13-01", "is not a day of the calendar"),
    ("date: 20300101", "'date' must be YYYY-MM-DD"),
    ("date: '20300101'", "'date' must be YYYY-MM-DD"),
    ("date: 2030-01-01 10:00:00", "'date' must be YYYY-MM-DD"),
    ("date: !!timestamp 2030-02-30", "not valid YAML"),
    ("date: 2031-W01-1", "'date' must be YYYY-MM-DD"),
    ("date: [2030, 1, 1]", "'date' must be YYYY-MM-DD"),
    ("number: 0", "'number' must be an issue number"),
    ("year: 1e9", "'year' must be a year"),
    ("format: pdf", "'format' must be one of"),
    ("colour: red", "unknown key 'colour'"),
    ("date: [unclosed", "not valid YAML"),
])
def test_impossible_facts_are_one_sentence(bad_project, capsys, line, word):
    meta = bad_project / "docs_src" / "2030-01" / "issue.yml"
    key = line.split(":")[0]
    lines = [ln for ln in meta.read_text(encoding="utf-8").splitlines() if not ln.startswith(f"{key}:")]
    meta.write_text("\n".join(lines + [line]) + "\n", encoding="utf-8")
    where = f"{meta}:{len(lines) + 1}" if "YAML" not in word or "unclosed" in word else str(meta)
    refused_everywhere(bad_project, capsys, where, word)


def test_a_real_date_unquoted_is_read(bad_project):
    meta = bad_project / "docs_src" / "2030-01" / "issue.yml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("date: null", "date: 2030-02-28"), encoding="utf-8")
    assert load_archive(bad_project / "docs_src")[0].meta.date == "2030-02-28"


@pytest.mark.parametrize("date", ["20300101", "2030-1-1", "2030-01-01T00:00", "2030-W01-1", "2030-02-30", " 2030-01-01",
                                  "２０３０-０１-０１"])
def test_add_date_is_yyyy_mm_dd_only(bad_project, capsys, date):
    shutil.copy(CONTENTS, bad_project / "new.md")
    before = tree(bad_project / "docs_src")
    message = one_line_error(capsys, "add", "new.md", "--year", "2030", "--date", date)
    assert "'date'" in message and "new.md" in message
    assert tree(bad_project / "docs_src") == before


def test_check_facts_takes_only_text_dates():
    assert check_facts(2030, 1, "2030-12-31", "x") == (2030, 1, "2030-12-31")
    with pytest.raises(GazetteError):
        check_facts(2030, 1, __import__("datetime").date(2030, 1, 1), "x")


def test_every_error_is_a_gazette_error():
    from converters.config import ConfigError
    from converters.model import ConversionError as FromModel

    assert FromModel is ConversionError and issubclass(ConfigError, GazetteError)


def test_a_broken_gazette_yml_is_one_line(bad_project, capsys):
    (bad_project / "gazette.yml").write_text("variant: [\n", encoding="utf-8")
    assert "gazette.yml" in one_line_error(capsys, "check")


def test_an_unreadable_source_is_one_sentence(bad_project, capsys):
    if os.geteuid() == 0:
        pytest.skip("root reads any file")
    source = bad_project / "docs_src" / "2030-01" / "source.txt"
    source.chmod(0)
    assert "cannot be read" in one_line_error(capsys, "check", "--quiet")


def test_a_converter_failure_is_one_sentence(bad_project, capsys, monkeypatch):
    """A converter bug some source meets is reported against that source, not as a traceback."""
    from converters import pipeline

    def broken(lines):
        raise IndexError("list index out of range")

    monkeypatch.setattr(pipeline, "segment", broken)
    message = one_line_error(capsys, "check", "--quiet")
    assert "docs_src/2030-01/source.txt: the converter failed (IndexError: list index out of range)" in message
