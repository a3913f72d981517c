"""Anchors are a promise: published ids, URLs and anchors disappear only through a recorded alias."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from converters.aliases import load_aliases
from converters.anchors_check import (
    ALIASES,
    SNAPSHOT,
    check_anchors,
    current_entry,
    new_since_snapshot,
    texts_not_in_snapshot,
    write_snapshot,
)
from converters.cli import main
from converters.model import ConversionError

from conftest import ROOT

def doc(id_: str, *anchors: str) -> dict:
    return {"id": id_, "url": f"doc/{id_}/", "issue": {"id": "2019-d73dbd3f"}, "anchors": list(anchors)}


PUBLISHED = [doc("lzgf-2019-2", "chp_1", "art_1", "art_2", "art_2__para_2"), doc("2019-d73dbd3f-statistics", "page_7")]


@pytest.fixture
def site_root(tmp_path) -> Path:
    write_snapshot(tmp_path, PUBLISHED)
    return tmp_path


def aliases(root: Path, text: str) -> None:
    (root / ALIASES).write_text(text, encoding="utf-8")


def test_nothing_published_nothing_promised(tmp_path):
    assert check_anchors(tmp_path, [doc("a-1")]) == []


def test_same_or_more_is_fine(site_root):
    assert check_anchors(site_root, PUBLISHED) == []
    grown = [doc("lzgf-2019-2", "chp_1", "art_1", "art_2", "art_2__para_2", "art_3"), PUBLISHED[1], doc("new-1")]
    assert check_anchors(site_root, grown) == []


def test_removed_anchor_fails(site_root):
    current = [doc("lzgf-2019-2", "chp_1", "art_1", "art_2"), PUBLISHED[1]]
    problems = check_anchors(site_root, current)
    assert len(problems) == 1
    assert "lzgf-2019-2" in problems[0] and "art_2__para_2" in problems[0] and "aliases.yml" in problems[0]


def test_recorded_anchor_alias_passes(site_root):
    current = [doc("lzgf-2019-2", "chp_1", "art_1", "art_2"), PUBLISHED[1]]
    aliases(site_root, "lzgf-2019-2#art_2__para_2: lzgf-2019-2#art_2\n")
    assert check_anchors(site_root, current) == []


def test_removed_document_fails(site_root):
    problems = check_anchors(site_root, [PUBLISHED[0]])
    assert len(problems) == 1 and "2019-d73dbd3f-statistics" in problems[0] and "no longer produced" in problems[0]


def test_recorded_document_alias_carries_its_anchors(site_root):
    renamed = doc("2019-d73dbd3f-stats", "page_7")
    aliases(site_root, "2019-d73dbd3f-statistics: 2019-d73dbd3f-stats\n")
    assert check_anchors(site_root, [PUBLISHED[0], renamed]) == []
    # the renamed document lost an anchor too: that still needs its own alias
    problems = check_anchors(site_root, [PUBLISHED[0], doc("2019-d73dbd3f-stats")])
    assert len(problems) == 1 and "page_7" in problems[0]


def test_alias_chain_is_followed(site_root):
    # art_2 was published, then aliased to art_2b, which was published in turn and is gone now too
    write_snapshot(site_root, [doc("lzgf-2019-2", "chp_1", "art_1", "art_2", "art_2b", "art_2__para_2"),
                               PUBLISHED[1]])
    current = [doc("lzgf-2019-2", "chp_1", "art_1", "art_3"), PUBLISHED[1]]
    aliases(site_root, "lzgf-2019-2#art_2: lzgf-2019-2#art_2b\nlzgf-2019-2#art_2b: lzgf-2019-2#art_3\n"
                       "lzgf-2019-2#art_2__para_2: lzgf-2019-2#art_3\n")
    assert check_anchors(site_root, current) == []


def test_alias_to_nothing_fails(site_root):
    current = [doc("lzgf-2019-2", "chp_1", "art_1", "art_2"), PUBLISHED[1]]
    aliases(site_root, "lzgf-2019-2#art_2__para_2: lzgf-2019-2#art_99\n")
    problems = check_anchors(site_root, current)
    assert any("art_99" in p and "does not have" in p for p in problems)
    assert any("art_2__para_2" in p and "would disappear" in p for p in problems)


def test_changed_url_fails(site_root):
    moved = dict(PUBLISHED[0], url="documents/lzgf-2019-2.html")
    problems = check_anchors(site_root, [moved, PUBLISHED[1]])
    assert len(problems) == 1 and "URLs must not change" in problems[0]


@pytest.mark.parametrize("text", ["- a\n- b\n", "a: [b]\n", "a: 'b#c'\n", "'a b': c\n", "a: ':'\n", "a: 'b#c#d'\n",
                                  "a: [unclosed\n"])
def test_bad_aliases_file_names_itself(site_root, text):
    aliases(site_root, text)
    with pytest.raises(ConversionError, match="aliases.yml"):
        load_aliases(site_root)


@pytest.mark.archive
def test_committed_snapshot_matches_the_archive(project, archive_results):
    """The promise as committed: the current conversion keeps every published id, URL and anchor, each
    anchor on the text it pointed at, and every document and its texts are promised (`gazette snapshot`
    was run)."""
    assert (project / SNAPSHOT).is_file(), "docs_src/_published/documents.json is the committed promise"
    current = [current_entry(d) for r in archive_results for d in r.documents]
    assert check_anchors(project, current) == []
    assert new_since_snapshot(project, current) == [], "run `gazette snapshot` and commit its result"
    assert texts_not_in_snapshot(project, current) == [], "run `gazette snapshot` and commit its result"


def test_gazette_check_fails_then_alias_passes(seed_project, tmp_path, monkeypatch, capsys):
    shutil.copy(seed_project / "gazette.yml", tmp_path / "gazette.yml")
    shutil.copytree(seed_project / "docs_src", tmp_path / "docs_src")
    monkeypatch.chdir(tmp_path)
    # pretend the site once published an anchor the converter no longer gives
    path = tmp_path / SNAPSHOT
    snapshot = json.loads(path.read_text(encoding="utf-8"))
    entry = next(d for d in snapshot if d["id"] == "lzgf-2019-2")
    entry["anchors"].append("art_99")
    path.write_text(json.dumps(snapshot, ensure_ascii=False), encoding="utf-8")
    assert main(["check", "--quiet"]) == 1
    out, err = capsys.readouterr()
    assert "error: document lzgf-2019-2: published anchor art_99 would disappear" in out
    assert err.startswith("gazette: error: 1 problem with published") and err.count("\n") == 1
    # `gazette snapshot` refuses to forget it silently
    assert main(["snapshot"]) == 1
    capsys.readouterr()
    # added to the archive's own aliases (whatever the copied archive already records)
    path = tmp_path / ALIASES
    kept = path.read_text(encoding="utf-8") if path.exists() else ""
    path.write_text(kept + "\nlzgf-2019-2#art_99: lzgf-2019-2#art_1\n", encoding="utf-8")
    assert main(["check", "--quiet"]) == 0
    assert main(["snapshot"]) == 0
    # the aliased anchor stays promised: its old link is still served (and the alias needs it published)
    written = json.loads((tmp_path / SNAPSHOT).read_text(encoding="utf-8"))
    assert "art_99" in next(d for d in written if d["id"] == "lzgf-2019-2")["anchors"]
    assert main(["check", "--quiet"]) == 0 and main(["snapshot"]) == 0


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args], cwd=repo,
                          capture_output=True, text=True, check=True).stdout.strip()


def _fixture_project(folder: Path) -> Path:
    """A project of one issue made from a stage fixture (independent of what docs_src/ holds)."""
    shutil.copy(ROOT / "gazette.yml", folder / "gazette.yml")
    issue = folder / "docs_src" / "2030-03"
    issue.mkdir(parents=True)
    shutil.copy(ROOT / "tests" / "fixtures" / "stages" / "notice_regulation.pdf-text.in", issue / "source.txt")
    (issue / "issue.yml").write_text("year: 2030\nnumber: 3\ndate: '2030-02-15'\nsource: source.txt\n"
                                     "format: pdf-text\n", encoding="utf-8")
    return folder


def test_a_pull_request_cannot_waive_the_promise_of_its_base(tmp_path, monkeypatch, capsys):
    """`gazette check --against BASE`: anchors the base published stay promised even when the pull
    request drops them from its own snapshot with `gazette snapshot --force`."""
    project = _fixture_project(tmp_path)
    monkeypatch.chdir(project)
    _git(project, "init", "-q")
    _git(project, "commit", "-q", "--allow-empty", "-m", "before anything was published")
    unpublished = _git(project, "rev-parse", "HEAD")
    assert main(["snapshot"]) == 0
    # the base published an anchor the converter no longer gives
    path = project / SNAPSHOT
    snapshot = json.loads(path.read_text(encoding="utf-8"))
    document, kept = snapshot[0]["id"], snapshot[0]["anchors"][0]
    snapshot[0]["anchors"].append("art_99")
    path.write_text(json.dumps(snapshot, ensure_ascii=False), encoding="utf-8")
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "base")
    base = _git(project, "rev-parse", "HEAD")
    # the pull request forgets it
    assert main(["snapshot", "--force"]) == 0
    _git(project, "commit", "-q", "-am", "drop art_99")
    capsys.readouterr()
    assert main(["check", "--quiet"]) == 0
    assert main(["check", "--quiet", "--against", unpublished]) == 0  # nothing published there
    assert main(["check", "--quiet", "--against", base]) == 1
    out, err = capsys.readouterr()
    assert f"error: document {document}: published anchor art_99 (published at {base}) would disappear" in out
    assert err.count("\n") == 1 and err.startswith("gazette: error: 1 problem")
    # an alias keeps the promise; its source counts as published because the base published it
    aliases(project, f"{document}#art_99: {document}#{kept}\n")
    assert main(["check", "--quiet", "--against", base]) == 0
    assert main(["check", "--quiet"]) == 1  # without the base, art_99 was never published
    capsys.readouterr()


@pytest.mark.parametrize("ref", ["no-such-branch", "--output=x", "HEAD~5"])
def test_against_an_unknown_revision_is_one_line(tmp_path, monkeypatch, capsys, ref):
    project = _fixture_project(tmp_path)
    monkeypatch.chdir(project)
    _git(project, "init", "-q")
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "base")
    assert main(["check", "--quiet", f"--against={ref}"]) == 1
    out, err = capsys.readouterr()
    assert err.startswith(f"gazette: error: --against {ref}: not a commit") and err.count("\n") == 1
    assert out == ""  # reported before converting anything
    assert not (project / "x").exists()
