"""`gazette add`: every bad input is refused with one sentence and leaves docs_src untouched;
a good source is filed as UTF-8 with its issue.yml and converts like the original."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from converters.cli import main

from conftest import SEED_ISSUES

ROOT = Path(__file__).resolve().parent.parent
SEED_2019 = SEED_ISSUES / "2019-d73dbd3f" / "source.txt"
SEED_2018 = SEED_ISSUES / "2018-16" / "source.md"


def tree(folder: Path) -> dict[str, bytes]:
    """Every file (and folder) under docs_src with its bytes, to prove nothing changed."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else b"<dir>")
            for p in sorted(folder.rglob("*"))}


@pytest.fixture
def project(seed_project, tmp_path, monkeypatch) -> Path:
    """A temporary copy of the seed archive with its published snapshot: gazette.yml and docs_src/."""
    shutil.copy(seed_project / "gazette.yml", tmp_path / "gazette.yml")
    shutil.copytree(seed_project / "docs_src", tmp_path / "docs_src")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def empty_project(tmp_path, monkeypatch) -> Path:
    """A project with settings but no issue yet."""
    shutil.copy(ROOT / "gazette.yml", tmp_path / "gazette.yml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def refused(project: Path, capsys, *args: str) -> str:
    before = tree(project / "docs_src")
    code = main(["add", *args])
    out, err = capsys.readouterr()
    assert code == 1
    assert err.startswith("gazette: error: ") and err.endswith("\n") and err.count("\n") == 1, err
    assert "Traceback" not in err + out
    assert tree(project / "docs_src") == before, "a refused add must not change docs_src"
    return err.strip()


# --- refusals -----------------------------------------------------------------------------------

def test_missing_file(project, capsys):
    assert "nothere.txt does not exist" in refused(project, capsys, "nothere.txt", "--year", "2019")


def test_folder_given(project, capsys):
    (project / "incoming").mkdir()
    assert "is a folder" in refused(project, capsys, "incoming", "--year", "2019")


def test_empty_file(project, capsys):
    (project / "empty.txt").write_bytes(b"")
    assert "empty.txt is empty" in refused(project, capsys, "empty.txt", "--year", "2019")


def test_whitespace_only_file(project, capsys):
    (project / "blank.txt").write_bytes(b"\n  \r\n\n")
    assert "blank.txt is empty" in refused(project, capsys, "blank.txt", "--year", "2019")


def test_binary_file(project, capsys):
    (project / "scan.txt").write_bytes(b"\x00\x01\x02garbage\x00\xff" * 100)
    assert "scan.txt looks like a binary file" in refused(project, capsys, "scan.txt", "--year", "2019")


def test_damaged_pdf(project, capsys):
    (project / "gazette.pdf").write_bytes(b"%PDF-1.5\n%\xd0\xd4\xc5\xd8\n1 0 obj\n<<>>\nendobj\n")
    message = refused(project, capsys, "gazette.pdf", "--year", "2019")
    assert "gazette.pdf is a damaged PDF that cannot be read (data format error)" in message


def test_undecodable_file(project, capsys):
    (project / "latin.txt").write_bytes("Übergröße – café résumé naïve façade\n".encode("cp1252") * 40)
    message = refused(project, capsys, "latin.txt", "--year", "2019")
    assert "latin.txt" in message and "UTF-8" in message


def test_no_document_found(project, capsys):
    (project / "notes.txt").write_text("连云港市人民政府公报\n\n这是一段没有文号的说明文字。\n", encoding="utf-8")
    assert "no document found" in refused(project, capsys, "notes.txt", "--year", "2019")


def test_duplicate_issue_folder(project, capsys):
    shutil.copy(SEED_2018, project / "again.md")
    message = refused(project, capsys, "again.md", "--year", "2018", "--number", "16")
    assert "issue 2018-16 is already in the archive" in message


def test_duplicate_same_source(project, capsys):
    (project / "again.txt").write_bytes(SEED_2019.read_text(encoding="utf-8").encode("gb18030"))
    message = refused(project, capsys, "again.txt", "--year", "2019", "--number", "12")
    assert "same source as issue 2019-d73dbd3f" in message


def test_duplicate_documents(project, capsys):
    # the same issue with one more blank line: a different file, but its documents are in the archive already
    (project / "again.txt").write_text(SEED_2019.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")
    message = refused(project, capsys, "again.txt", "--year", "2019")
    assert "lzgf-2019-2" in message and "2019-d73dbd3f already holds" in message


@pytest.mark.parametrize("args,word", [
    (["--year", "1850"], "'year'"),
    (["--year", "20x9"], "'year'"),
    (["--year", "2019", "--number", "0"], "'number'"),
    (["--year", "2019", "--number", "100"], "'number'"),
    (["--year", "2019", "--number", "three"], "'number'"),
    (["--year", "2019", "--date", "2019-13-01"], "'date'"),
    (["--year", "2019", "--date", "01/12/2019"], "'date'"),
    (["--year", "2019", "--date", "2016-05-01"], "'date' 2016-05-01 is not in year 2019"),
])
def test_bad_facts(project, capsys, args, word):
    (project / "new.txt").write_text(SEED_2019.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")
    assert word in refused(project, capsys, "new.txt", *args)


def test_no_traceback_from_the_console(project):
    """The real command line: one line on stderr, exit 1, for a missing file and a directory."""
    for source in ("missing.txt", "docs_src"):
        result = subprocess.run([sys.executable, "-m", "converters.cli", "add", source, "--year", "2019"],
                                cwd=project, capture_output=True, text=True)
        assert result.returncode == 1
        assert result.stderr.startswith("gazette: error: ") and result.stderr.count("\n") == 1, result.stderr
        assert "Traceback" not in result.stderr


# --- a good source ------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding,newline", [("gb18030", "\n"), ("utf-16", "\n"), ("utf-8-sig", "\n"),
                                              ("utf-8", "\r\n")])
def test_add_2019_issue(empty_project, capsys, encoding, newline):
    original = SEED_2019.read_text(encoding="utf-8")
    (empty_project / "received.txt").write_bytes(original.replace("\n", newline).encode(encoding))
    assert main(["add", "received.txt", "--year", "2019"]) == 0
    out, err = capsys.readouterr()
    folder = empty_project / "docs_src" / "2019-d73dbd3f"
    assert sorted(p.name for p in (empty_project / "docs_src").iterdir()) == ["2019-d73dbd3f"]
    assert (folder / "source.txt").read_bytes() == original.encode("utf-8")
    assert yaml.safe_load((folder / "issue.yml").read_text(encoding="utf-8")) == {
        "year": 2019, "number": None, "date": None, "source": "source.txt", "format": "pdf-text"}
    # what it found is printed for the maintainer to check
    assert "documents: 6" in out and "lzgf-2019-2" in out and "added docs_src/2019-d73dbd3f/" in out
    assert main(["check", "--quiet"]) == 0
    out, _ = capsys.readouterr()
    assert "1 issues, 6 documents converted" in out


def test_add_markdown_issue_with_facts(empty_project, capsys):
    (empty_project / "2018-16.md").write_bytes(SEED_2018.read_bytes())
    assert main(["add", "2018-16.md", "--year", "2018", "--number", "16", "--date", "2018-12-15"]) == 0
    capsys.readouterr()
    folder = empty_project / "docs_src" / "2018-16"
    assert (folder / "source.md").read_bytes() == SEED_2018.read_bytes()
    assert yaml.safe_load((folder / "issue.yml").read_text(encoding="utf-8")) == yaml.safe_load(
        (SEED_ISSUES / "2018-16" / "issue.yml").read_text(encoding="utf-8"))
    assert main(["check", "--quiet"]) == 0
    assert "1 issues, 12 documents converted" in capsys.readouterr().out


def test_add_next_to_existing_issues(project, capsys):
    """A new issue beside the seed issues: the archive grows by one folder, the others are untouched."""
    before = tree(project / "docs_src")
    shutil.move(project / "docs_src" / "2019-d73dbd3f", project / "incoming")
    (project / "incoming" / "source.txt").rename(project / "received.txt")
    assert main(["add", "received.txt", "--year", "2019"]) == 0
    capsys.readouterr()
    assert tree(project / "docs_src") == before
    assert not list((project / "docs_src").glob(".add-*"))


def test_failed_write_leaves_nothing(empty_project, capsys, monkeypatch):
    import converters.add as add

    def broken_rename(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(add.os, "rename", broken_rename)
    (empty_project / "received.txt").write_bytes(SEED_2019.read_bytes())
    assert main(["add", "received.txt", "--year", "2019"]) == 1
    _, err = capsys.readouterr()
    assert err.startswith("gazette: error: could not write docs_src/2019-d73dbd3f") and err.count("\n") == 1
    assert not (empty_project / "docs_src").exists()


def test_duplicate_documents_without_snapshot(project, capsys):
    """Issues the published snapshot does not list yet are converted to find their documents."""
    shutil.rmtree(project / "docs_src" / "_published")
    (project / "again.txt").write_text(SEED_2019.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")
    message = refused(project, capsys, "again.txt", "--year", "2019")
    assert "连政规发〔2019〕2号 (document lzgf-2019-2)" in message and "2019-d73dbd3f already holds" in message


def test_check_refuses_a_folder_whose_number_disagrees(project, capsys):
    """A YYYY-NN folder carries its own number; a hex-named one may learn its number later."""
    shutil.move(project / "docs_src" / "2018-16", project / "docs_src" / "2018-42")
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert "2018-42" in err and "'number' says 16" in err and "Traceback" not in err
    shutil.move(project / "docs_src" / "2018-42", project / "docs_src" / "2018-16")
    meta = project / "docs_src" / "2019-d73dbd3f" / "issue.yml"
    facts = yaml.safe_load(meta.read_text(encoding="utf-8"))
    meta.write_text(yaml.safe_dump({**facts, "number": 5}, allow_unicode=True), encoding="utf-8")
    assert main(["check"]) == 0
