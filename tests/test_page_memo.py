"""The page memo (converters/site/memo.py): a page is kept only when its inputs, the answers to its
lookups and its files in both scripts are the last build's; what it cannot key, it refuses."""

from __future__ import annotations

import pytest

from converters.site.memo import InputsKey, PageMemo, RecordingLinks

NO_INPUTS = InputsKey([], {})


class Unknown:
    pass


def memo_dirs(tmp_path, page="doc/a.md"):
    dirs = (tmp_path / "zh-Hans", tmp_path / "zh-Hant")
    for folder in dirs:
        (folder / page).parent.mkdir(parents=True, exist_ok=True)
        (folder / page).write_text("x", encoding="utf-8")
    return dirs


def test_a_value_it_cannot_key_is_refused(seed_results):
    results = list(seed_results.values())
    key = InputsKey(results, {r.meta.id: f"key-{r.meta.id}" for r in results})
    doc = results[0].documents[0]
    assert key.stand_in(doc) == ["doc", f"key-{results[0].meta.id}:{doc.id}"]  # its issue's key, not its text
    assert key("t", doc) == key("t", doc) != key("t", results[0].documents[1])
    assert key("t", Unknown()) is None  # no key: rendered every time, never kept
    with pytest.raises(TypeError):
        key.stand_in(Unknown())


def test_kept_only_with_the_same_key_lookups_and_files(tmp_path):
    dirs = memo_dirs(tmp_path)
    memo = PageMemo(tmp_path / "memo.json", "frame", dirs, NO_INPUTS)
    memo.record("doc/a.md", "k1", ["连政发〔2019〕1号"], "found")
    memo.save()

    def again(frame="frame"):
        return PageMemo(tmp_path / "memo.json", frame, dirs, NO_INPUTS)

    assert again().kept("doc/a.md", "k1", lambda numbers: "found")
    memo = again()
    assert not memo.kept("doc/a.md", "k2", lambda numbers: "found")  # other inputs
    assert not memo.kept("doc/a.md", "k1", lambda numbers: "now in the archive")  # another answer
    assert not again("another frame").kept("doc/a.md", "k1", lambda numbers: "found")
    memo.record("doc/a.md", "k1", ["连政发〔2019〕1号"], "found")
    memo.save()
    (dirs[1] / "doc/a.md").unlink()  # its Traditional twin is gone
    assert not again().kept("doc/a.md", "k1", lambda numbers: "found")


def test_a_page_without_a_key_is_never_kept(tmp_path):
    dirs = memo_dirs(tmp_path)
    memo = PageMemo(tmp_path / "memo.json", "frame", dirs, NO_INPUTS)
    memo.record("doc/a.md", None)
    memo.save()
    assert not PageMemo(tmp_path / "memo.json", "frame", dirs, NO_INPUTS).kept("doc/a.md", None)


def test_an_interrupted_build_leaves_no_memo(tmp_path):
    dirs = memo_dirs(tmp_path)
    memo = PageMemo(tmp_path / "memo.json", "frame", dirs, NO_INPUTS)
    memo.record("doc/a.md", "k1")
    memo.save()
    PageMemo(tmp_path / "memo.json", "frame", dirs, NO_INPUTS)  # a build starts, and stops before saving
    assert not PageMemo(tmp_path / "memo.json", "frame", dirs, NO_INPUTS).kept("doc/a.md", "k1")


def test_recording_links_note_each_number_looked_up():
    class Links:
        by_number = {"A": "doc A"}

        def has_anchor(self, doc, anchor):
            return anchor == "art_1"

    links = RecordingLinks(Links())
    assert links.by_number.get("A") == "doc A" and links.by_number.get("B") is None
    links.by_number.get("A")
    assert links.looked_up == ["A", "B"] and links.has_anchor("doc A", "art_1")
