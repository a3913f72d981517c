"""Anchors are a promise: published ids, URLs and anchors disappear only through a recorded alias."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from converters.anchors_check import ALIASES, SNAPSHOT, check_anchors, load_aliases, new_since_snapshot, write_snapshot
from converters.cli import main
from converters.model import ConversionError

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
    """The promise as committed: the current conversion keeps every published id, URL and anchor, and
    every document is promised (`gazette snapshot` was run)."""
    assert (project / SNAPSHOT).is_file(), "docs_src/_published/documents.json is the committed promise"
    current = [d.summary() for r in archive_results for d in r.documents]
    assert check_anchors(project, current) == []
    assert new_since_snapshot(project, current) == [], "run `gazette snapshot` and commit its result"


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
    assert err.startswith("gazette: error: 1 published") and err.count("\n") == 1
    # `gazette snapshot` refuses to forget it silently
    assert main(["snapshot"]) == 1
    capsys.readouterr()
    aliases(tmp_path, "# old -> new\nlzgf-2019-2#art_99: lzgf-2019-2#art_1\n")
    assert main(["check", "--quiet"]) == 0
    assert main(["snapshot"]) == 0
    assert "art_99" not in (tmp_path / SNAPSHOT).read_text(encoding="utf-8")
