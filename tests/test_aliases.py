"""aliases.yml: parsed with the line of every entry, resolved through chains, validated against the
published snapshot and the current conversion, and kept in the snapshot once published."""

from __future__ import annotations

import pytest

from converters.aliases import Aliases, Ref, alias_problems, parse_aliases
from converters.anchors_check import snapshot_entries


def aliases(text: str) -> Aliases:
    entries, problems = parse_aliases(text)
    assert problems == []
    return Aliases(entries)


def test_entries_keep_their_line():
    entries, problems = parse_aliases("# old -> new\n\na-1#x: a-1#y\n'b-2': c-3   # renamed\n")
    assert problems == []
    assert [(str(a.old), str(a.new), a.line) for a in entries] == [("a-1#x", "a-1#y", 3), ("b-2", "c-3", 4)]


@pytest.mark.parametrize("text,line,words", [
    ("a: b\nc: [d]\n", 2, "not `id` or `id#anchor`"),
    ("a: b\n'c d': e\n", 2, "not `id` or `id#anchor`"),
    ("a: b\nc: 'd#e#f'\n", 2, "not `id` or `id#anchor`"),
    ("a: b\nc: 'd#'\n", 2, "not `id` or `id#anchor`"),
    ("a: b\nc: 'doc/../x'\n", 2, "not `id` or `id#anchor`"),
    ("a: b\nc: '<script>'\n", 2, "not `id` or `id#anchor`"),
    ("a: b\n'c#\u7b2c1\u6761': d#art_1\n", 2, "not `id` or `id#anchor`"),  # ASCII only
    ("a: b\n2019: c\n", 2, "not `id` or `id#anchor`"),  # a YAML number, not a string
    ("a: b\nc: ~\n", 2, "not `id` or `id#anchor`"),
    ("a: b\nc: d#e\n", 2, "a whole document maps to a whole document"),
    ("a: b\na: c\n", 2, "already recorded on line 1"),
    ("a: b\nc#x: c#x\n", 2, "points to itself"),
    ("a: b\nc: [unclosed\n", 3, "not valid YAML"),
    ("- a\n- b\n", 1, "expected a mapping"),
])
def test_each_problem_names_the_file_and_line(text, line, words):
    entries, problems = parse_aliases(text)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"docs_src/_published/aliases.yml:{line}: ") and words in problems[0], problems
    assert "\n" not in problems[0]
    assert len(entries) == (1 if line == 2 and "YAML" not in words else 0)  # the good entry is kept


def test_an_anchor_follows_its_own_entry_then_its_documents():
    a = aliases("old-doc: new-doc\nold-doc#art_2: new-doc#art_3\nnew-doc#art_9: other#art_1\n")
    assert a.resolve(Ref("old-doc")) == Ref("new-doc")
    assert a.resolve(Ref("old-doc", "art_2")) == Ref("new-doc", "art_3")     # its own entry
    assert a.resolve(Ref("old-doc", "art_5")) == Ref("new-doc", "art_5")     # carried over by name
    assert a.resolve(Ref("old-doc", "art_9")) == Ref("other", "art_1")       # by name, then onward
    assert a.resolve(Ref("new-doc", "art_1")) == Ref("new-doc", "art_1")     # no entry: itself
    assert a.step(Ref("new-doc", "art_1")) is None


def test_chains_are_followed_and_circles_found():
    a = aliases("a#x: a#y\na#y: b#z\nb: c\n")
    assert a.resolve(Ref("a", "x")) == Ref("c", "z")
    assert a.chain(Ref("a", "x")) == ([Ref("a", "x"), Ref("a", "y"), Ref("b", "z"), Ref("c", "z")], False)
    circle = aliases("a: b\nb: a\n")
    assert circle.resolve(Ref("a")) is None and circle.resolve(Ref("a", "art_1")) is None
    assert circle.chain(Ref("a"))[1]


PUBLISHED = {"old-doc": {"art_1", "art_2"}, "doc-1": {"art_1", "art_2", "art_3"}, "doc-2": {"hd_1"}}
CURRENT = {"new-doc": {"art_1", "art_2"}, "doc-1": {"art_1", "art_3"}, "doc-2": {"hd_1"}}


def problems(text: str) -> list[str]:
    return alias_problems(aliases(text), CURRENT, PUBLISHED)


def test_a_good_file_has_no_problem():
    assert problems("old-doc: new-doc\ndoc-1#art_2: doc-1#art_3\n") == []


@pytest.mark.parametrize("text,words", [
    ("old-doc: new-doc\nnever-1: doc-1\n", "never-1 was never published"),
    ("old-doc: new-doc\ndoc-1#art_9: doc-1#art_1\n", "doc-1#art_9 was never published"),
    ("old-doc: new-doc\ndoc-2: doc-1\n", "the archive still has doc-2"),
    ("old-doc: new-doc\ndoc-1#art_1: doc-1#art_3\n", "the archive still has doc-1#art_1"),
    ("old-doc: new-doc\ndoc-1#art_2: doc-1#art_7\n", "points to doc-1#art_7, which the archive does not have"),
    ("old-doc: new-doc\ndoc-1#art_2: gone-9#art_1\n", "points to gone-9#art_1"),
    ("old-doc: new-doc\ndoc-1#art_2: old-doc#art_1\n", None),  # a chain through a renamed document
])
def test_wrong_entries_are_named_by_their_line(text, words):
    found = problems(text)
    if words is None:
        assert found == []
        return
    assert len(found) == 1 and found[0].startswith("docs_src/_published/aliases.yml:2: ") and words in found[0], found


def test_a_circle_is_reported_on_each_of_its_lines():
    found = alias_problems(aliases("doc-1#art_2: doc-9#x\ndoc-9#x: doc-1#art_2\n"), CURRENT,
                           {**PUBLISHED, "doc-9": {"x"}})
    assert [p.split(": ")[0] for p in found if "circle" in p] == ["docs_src/_published/aliases.yml:1",
                                                                   "docs_src/_published/aliases.yml:2"]
    assert "doc-1#art_2 -> doc-9#x -> doc-1#art_2" in found[0]


def entry(id_: str, *anchors: str) -> dict:
    return {"id": id_, "url": f"doc/{id_}/", "issue": {"id": "2030-01"}, "anchors": list(anchors)}


def test_the_snapshot_keeps_what_aliases_redirect():
    """Once published, an aliased id or anchor stays in the snapshot: its old URL is still served."""
    previous = [{"id": "old-doc", "url": "doc/old-doc/", "issue": "2030-01", "anchors": ["art_1"]},
                {"id": "doc-1", "url": "doc/doc-1/", "issue": "2030-01", "anchors": ["art_1", "art_2", "art_9"]}]
    current = [entry("new-doc", "art_1"), entry("doc-1", "art_1", "art_3")]
    kept = snapshot_entries(current, previous, aliases("old-doc: new-doc\ndoc-1#art_2: doc-1#art_3\n"))
    assert kept == [
        {"id": "doc-1", "url": "doc/doc-1/", "issue": "2030-01", "anchors": ["art_1", "art_3", "art_2"]},
        {"id": "new-doc", "url": "doc/new-doc/", "issue": "2030-01", "anchors": ["art_1"]},
        {"id": "old-doc", "url": "doc/old-doc/", "issue": "2030-01", "anchors": ["art_1"]},
    ]  # art_9 had no alias: only `--force` gets that far, and then it is dropped
    assert snapshot_entries(current, kept, aliases("old-doc: new-doc\ndoc-1#art_2: doc-1#art_3\n")) == kept
