"""A published anchor keeps pointing at the same text: the snapshot records each anchor's first characters,
and a change of them is reported, refused, and recorded only when accepted (converters/anchors_check.py).

Every project is written here, in a temporary folder (a notice of plain paragraphs, p_1 … p_5), so nothing
depends on which issues the archive holds."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from projects import NOTICE, add_issue, add_text_issue, make_project

from converters.anchors_check import (
    SNAPSHOT,
    TEXT_CHARS,
    anchored_text,
    check_anchors,
    same_beginning,
    write_snapshot,
)
from converters.cli import main
from converters.model import Block, PageMark

PARAGRAPHS = ["各县、区人民政府，市各委、办、局，市各直属单位：", "第一段讲的是为什么要做这件事。这一段写得比较长。",
              "第二段讲的是由谁来做这件事，也写得比较长。", "第三段讲的是什么时候做完。", "第四段讲的是做不好怎么办。"]
DOC = "lzf-2031-7"
SOURCE = "docs_src/2031-05/source.md"


def notice(paragraphs: list[str]) -> str:
    """A PDF-to-Markdown dump of one issue: one numbered notice whose paragraphs are `paragraphs`."""
    out = ["# 连云港市人民政府公报", "", "第5期", "", "# 市政府关于测试锚点含义的通知", "", "连政发〔2031〕7号", ""]
    for paragraph in paragraphs:
        out += [paragraph, ""]
    return "\n".join(out + ["连云港市人民政府  ", "2031年3月1日", ""])


def split_second_paragraph() -> list[str]:
    """PARAGRAPHS with the second split after its first sentence: p_3 … p_5 shift by one."""
    first, _, rest = PARAGRAPHS[1].partition("。")
    return [PARAGRAPHS[0], first + "。", rest, *PARAGRAPHS[2:]]


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A project of one issue, its snapshot written by `gazette snapshot`, the current folder."""
    root = make_project(tmp_path / "project", {})
    add_text_issue(root, "2031-05", "pdf-markdown", notice(PARAGRAPHS))
    monkeypatch.chdir(root)
    assert main(["snapshot"]) == 0
    return root


def rewrite_source(root: Path, paragraphs: list[str]) -> None:
    (root / SOURCE).write_text(notice(paragraphs), encoding="utf-8")


def snapshot(root: Path) -> list[dict]:
    return json.loads((root / SNAPSHOT).read_text(encoding="utf-8"))


def texts(root: Path) -> dict[str, str]:
    return next(d for d in snapshot(root) if d["id"] == DOC)["texts"]


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args], cwd=repo,
                          capture_output=True, text=True, check=True).stdout.strip()


# ---------------------------------------------------------------- what is recorded

def test_anchored_text_is_the_beginning_a_link_lands_on():
    article = Block("paragraph", text="为了 规范\n管理，\x1b制定本办法。" + "根据" * 20, anchor="art_1", label="第一条", sep="　")
    assert anchored_text(article) == "第一条为了规范管理，制定本办法。根据"[:TEXT_CHARS]
    # a page mark is an offset beside the text: where it falls changes nothing
    paged = Block("paragraph", text=article.text, anchor="art_1", label="第一条", pages=[PageMark(3, 7)])
    assert anchored_text(paged) == anchored_text(article)
    day = Block("day", text="11月1日：", anchor="day_2031-11-01", events=["市长出席会议。", "副市长调研。"])
    assert anchored_text(day) == "11月1日：市长出席会议。副市长"
    table = Block("table", anchor="p_3", rows=[["序号", "名称"], ["1", "办法"]])
    assert anchored_text(table) == "序号名称1办法"


@pytest.mark.parametrize("old,new,same", [
    ("第一段讲的是", "第一段讲的是", True),
    ("第一段讲的是为什么要做这件事，写", "第一段讲的是为什么要做这件事，", True),  # its tail split off
    ("连云港市人民政府（盖章）年月日", "连云港市人民政府（盖章）", True),  # a short block lost its tail
    ("第二段讲的是由谁来做", "这一段写得比较长。", False),
    ("第二段讲的是由谁来做", "", False),
])
def test_same_beginning(old, new, same):
    assert same_beginning(old, new) is same


def test_snapshot_records_each_block_anchor_in_document_order(project):
    recorded = texts(project)
    assert list(recorded) == ["p_1", "p_2", "p_3", "p_4", "p_5"]
    assert recorded["p_3"] == PARAGRAPHS[2][:TEXT_CHARS]
    # page anchors name a printed page, not a text
    assert not [a for d in snapshot(project) for a in d.get("texts", {}) if a.startswith("page_")]


def test_snapshot_is_deterministic(project):
    first = (project / SNAPSHOT).read_bytes()
    assert main(["check", "--quiet"]) == 0  # converts through the cache
    assert main(["snapshot"]) == 0
    assert (project / SNAPSHOT).read_bytes() == first


# ---------------------------------------------------------------- a move is seen, refused, accepted

def test_a_split_paragraph_is_reported_refused_and_accepted(project, capsys):
    rewrite_source(project, split_second_paragraph())
    before = (project / SNAPSHOT).read_bytes()
    capsys.readouterr()
    assert main(["check", "--quiet"]) == 1
    out, err = capsys.readouterr()
    moved = [line for line in out.splitlines() if "now points at other text" in line]
    # p_2 keeps its beginning (only its tail went to the new p_3); p_3 … p_5 show the next paragraph
    assert [line.split("anchor ")[1].split(" ")[0] for line in moved] == ["p_3", "p_4", "p_5"]
    assert (f"error: document {DOC}: anchor p_4 now points at other text: was “{PARAGRAPHS[3]}”, "
            f"now “{PARAGRAPHS[2][:TEXT_CHARS]}” ({SOURCE}:15)") in out
    assert "--accept-moved" in moved[0]
    assert err.startswith("gazette: error: 3 problems with published") and err.count("\n") == 1
    # `gazette snapshot` refuses, listing them, and writes nothing
    assert main(["snapshot"]) == 1
    out, err = capsys.readouterr()
    assert out.count("now points at other text") == 3 and "--accept-moved" in err and err.count("\n") == 1
    assert (project / SNAPSHOT).read_bytes() == before
    # --force drops vanished anchors from the promise; it does not accept a move
    assert main(["snapshot", "--force"]) == 1
    assert (project / SNAPSHOT).read_bytes() == before
    capsys.readouterr()
    # accepted: the moves are listed and recorded (the pull request's diff shows them)
    assert main(["snapshot", "--accept-moved"]) == 0
    out, _ = capsys.readouterr()
    assert out.count("moved: document") == 3 and "3 moved anchors recorded" in out
    recorded = texts(project)
    assert recorded["p_3"] == "这一段写得比较长。" and recorded["p_6"] == PARAGRAPHS[4]
    assert recorded["p_2"] == "第一段讲的是为什么要做这件事。"  # a new tail is recorded without asking
    assert main(["check", "--quiet"]) == 0


def test_harmless_changes_and_a_new_issue_move_nothing(project, capsys):
    # layout spaces in a paragraph, another changed after its beginning, a new issue added
    changed = [PARAGRAPHS[0], PARAGRAPHS[1], PARAGRAPHS[2].replace("比较长", "很长很长"),
               PARAGRAPHS[3].replace("什么", "什 么 "), PARAGRAPHS[4]]
    assert PARAGRAPHS[2].index("比较长") >= TEXT_CHARS
    rewrite_source(project, changed)
    add_issue(project, "2030-01", NOTICE)
    capsys.readouterr()
    assert main(["check", "--quiet"]) == 0
    assert "now points at other text" not in capsys.readouterr().out
    assert main(["snapshot"]) == 0
    assert "moved:" not in capsys.readouterr().out


# ---------------------------------------------------------------- old snapshots, bad snapshots

def test_a_snapshot_without_texts_is_read_and_then_completed(project, capsys):
    # as written before texts were recorded
    old = [{k: v for k, v in d.items() if k != "texts"} for d in snapshot(project)]
    (project / SNAPSHOT).write_text(json.dumps(old, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    rewrite_source(project, split_second_paragraph())
    capsys.readouterr()
    assert main(["check", "--quiet"]) == 0  # nothing recorded, nothing to compare
    assert "1 documents without their anchors' texts in the published snapshot" in capsys.readouterr().out
    assert main(["snapshot"]) == 0
    assert texts(project)["p_3"] == "这一段写得比较长。"
    assert main(["check", "--quiet"]) == 0
    assert "without their anchors' texts" not in capsys.readouterr().out


def test_check_anchors_of_plain_summaries_compares_no_text(tmp_path):
    summary = {"id": "a-1", "url": "doc/a-1/", "issue": {"id": "2031-05"}, "anchors": ["p_1"]}
    write_snapshot(tmp_path, [summary])
    assert "texts" not in snapshot(tmp_path)[0]
    assert check_anchors(tmp_path, [{**summary, "texts": {"p_1": "别的文字"}}]) == []


@pytest.mark.parametrize("bad", [[1], {"p_1": 2}, "p_1"])
def test_a_snapshot_with_bad_texts_is_one_line(project, capsys, bad):
    broken = snapshot(project)
    broken[0]["texts"] = bad
    (project / SNAPSHOT).write_text(json.dumps(broken, ensure_ascii=False), encoding="utf-8")
    capsys.readouterr()
    assert main(["check", "--quiet"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"gazette: error: {SNAPSHOT}: document {DOC}: 'texts' must map") and err.count("\n") == 1


# ---------------------------------------------------------------- a pull request against its base

def test_a_pull_request_is_held_to_its_base_texts_unless_it_records_the_move(project, capsys):
    _git(project, "init", "-q")
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "base")
    base = _git(project, "rev-parse", "HEAD")
    rewrite_source(project, split_second_paragraph())
    capsys.readouterr()
    # not recorded: each move reported once, not once per snapshot
    assert main(["check", "--quiet", "--against", base]) == 1
    out, err = capsys.readouterr()
    assert out.count("now points at other text") == 3 and err.startswith("gazette: error: 3 problems")
    # recorded in the pull request's own snapshot: no error, but listed for the reviewer
    assert main(["snapshot", "--accept-moved"]) == 0
    _git(project, "commit", "-q", "-am", "split a paragraph, moves accepted")
    capsys.readouterr()
    assert main(["check", "--quiet", "--against", base]) == 0
    out, _ = capsys.readouterr()
    assert out.count(f"moved: document {DOC}: anchor ") == 3
    assert f"anchor p_3 (published at {base}) now points at other text" in out and "recorded in the snapshot" in out
    # a pull request that drops the texts from its own snapshot is still held to its base's
    stripped = [{k: v for k, v in d.items() if k != "texts"} for d in snapshot(project)]
    (project / SNAPSHOT).write_text(json.dumps(stripped, ensure_ascii=False), encoding="utf-8")
    assert main(["check", "--quiet"]) == 0
    assert main(["check", "--quiet", "--against", base]) == 1
    out, _ = capsys.readouterr()
    assert out.count(f"(published at {base}) now points at other text") == 3
