"""The conversion cache holds data, never code: JSON with a format version, read back through the
model's from_json, which checks every value; a corrupt, foreign or planted entry is ignored and the
issue converted again. The round trip is faithful and generic over the model's fields."""

from __future__ import annotations

import gc
import json
import pickle
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from converters import cache
from converters.archive import load_archive
from converters.config import load_config
from converters.errors import ConversionError
from converters.model import Block, IssueMeta, PageMark
from converters.pipeline import convert_text
from projects import STAGES, fixture_format, make_project

META = IssueMeta("2099-01", 2099, 1, "2099-03-01")


def round_trip(record):
    """Through JSON text, as the cache stores it."""
    return type(record).from_json(json.loads(json.dumps(record.to_json(), ensure_ascii=False)))


@pytest.mark.parametrize("fixture", sorted(STAGES.glob("*.in")), ids=lambda p: p.name)
def test_a_converted_issue_survives_the_round_trip(fixture):
    result = convert_text(fixture.read_text(encoding="utf-8"), "docs_src/2099-01/source.txt", META,
                          fixture_format(fixture))
    assert round_trip(result) == result


FIXTURES = [(p.read_text(encoding="utf-8").splitlines(keepends=True), fixture_format(p))
            for p in sorted(STAGES.glob("*.in"))]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_conversion_survives_the_round_trip(data):
    """Sources made of the fixtures' lines in any order, with any text between: whatever converts
    round-trips."""
    lines, fmt = data.draw(st.sampled_from(FIXTURES))
    pieces = data.draw(st.lists(st.one_of(st.sampled_from(lines), st.text(max_size=6)), max_size=3 * len(lines)))
    try:
        result = convert_text("".join(pieces), "generated", META, fmt)
    except ConversionError:
        return
    assert round_trip(result) == result


@dataclass
class Extended(Block):
    """A model type with fields the round trip was never told about."""

    spans: list[tuple[int, int, str]] = field(default_factory=list)
    weight: float | None = None
    flags: dict[str, bool] = field(default_factory=dict)
    marks: tuple[PageMark, ...] = ()


def test_a_new_field_round_trips_without_edits():
    block = Extended(type="paragraph", text="第一条", spans=[(0, 3, "em")], weight=2.0,
                     flags={"bold": True, "zero": False}, marks=(PageMark(0, 7),), pages=[PageMark(1, 8)])
    assert round_trip(block) == block
    assert round_trip(Extended(type="lines", weight=3)) == Extended(type="lines", weight=3.0)


@pytest.mark.parametrize("data", [
    {"type": "paragraph", "lineno": "1"},          # a string for an int
    {"type": "paragraph", "lineno": True},         # a boolean is no int
    {"type": "paragraph", "colour": "red"},        # a field the type does not have
    {"text": "no type"},                           # a required field missing
    {"type": "paragraph", "pages": [{"offset": 0}]},
    {"type": "paragraph", "rows": [["a", 1]]},
    {"type": "paragraph", "events": "not a list"},
    ["type", "paragraph"],
    {"type": {"__reduce__": "os.system"}},
])
def test_data_of_the_wrong_shape_is_refused(data):
    with pytest.raises(ValueError):
        Block.from_json(data)


# --- the cache on disk ------------------------------------------------------------------------------

@pytest.fixture
def project(tmp_path) -> Path:
    return make_project(tmp_path / "project")


def convert(root: Path):
    issues = load_archive(root / "docs_src")
    return cache.convert_issues(root, issues, load_config(root / "gazette.yml").furniture_patterns,
                                root / "build" / "cache" / "convert")


def entries(root: Path) -> list[Path]:
    return sorted((root / "build" / "cache" / "convert").rglob("*.json"))


def test_entries_are_versioned_json(project):
    first, counts = convert(project)
    assert counts == {"cached": 0, "converted": 2}
    files = entries(project)
    assert len(files) == 2
    for path in files:
        entry = json.loads(path.read_text(encoding="utf-8"))
        assert entry["format"] == cache.CACHE_FORMAT and entry["key"] == path.stem
    again, counts = convert(project)
    assert counts == {"cached": 2, "converted": 0} and again == first


class Planted:
    """Unpickling this runs code: it writes a file."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.write_text, (self.marker, "ran"))


@pytest.mark.parametrize("spoil", ["pickle", "not json", "truncated", "format", "key", "foreign", "types", "empty"])
def test_a_bad_entry_is_ignored_and_rebuilt(project, spoil):
    first, _ = convert(project)
    path = entries(project)[0]
    entry = json.loads(path.read_text(encoding="utf-8"))
    marker = project / "ran"
    other = json.loads(entries(project)[1].read_text(encoding="utf-8"))
    spoiled = {
        "pickle": pickle.dumps(Planted(marker)),
        "not json": b"\x80\x04garbage",
        "truncated": path.read_bytes()[:1000],
        "format": json.dumps({**entry, "format": cache.CACHE_FORMAT + 1}).encode(),
        "key": json.dumps({**entry, "key": "0" * 64}).encode(),
        "foreign": json.dumps({**other, "key": entry["key"]}).encode(),  # another issue's conversion
        "types": json.dumps({**entry, "issue": {**entry["issue"], "characters": "many"}}).encode(),
        "empty": b"",
    }[spoil]
    path.write_bytes(spoiled)
    again, counts = convert(project)
    assert counts == {"cached": 1, "converted": 1}
    assert again == first and not marker.exists()
    assert json.loads(path.read_text(encoding="utf-8")) == entry  # rewritten


def test_an_old_pickle_entry_is_never_read(project):
    """Entries of the pickle era sit beside the JSON ones under the same key: they are not opened."""
    convert(project)
    marker = project / "ran"
    for path in entries(project):
        path.with_suffix(".pickle").write_bytes(pickle.dumps(Planted(marker)))
        path.unlink()
    _, counts = convert(project)
    assert counts == {"cached": 0, "converted": 2} and not marker.exists()


def test_reading_leaves_the_garbage_collector_as_it_was(project):
    """Entries are read with the collector paused (they hold no cycles); it runs again afterwards,
    after a bad entry too, and stays off for a caller that had turned it off."""
    first, _ = convert(project)
    entries(project)[0].write_bytes(b"\x80 not json")
    try:
        for enabled in (True, False):
            (gc.enable if enabled else gc.disable)()
            again, counts = convert(project)
            assert gc.isenabled() is enabled and again == first and counts["cached"] >= 1
        gc.enable()
        with pytest.raises(KeyError), cache.collector_paused():
            assert not gc.isenabled()
            raise KeyError("a failure inside")
        assert gc.isenabled()
    finally:
        gc.enable()
