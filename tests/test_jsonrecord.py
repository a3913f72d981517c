"""The model's JSON round trip (jsonrecord.py) against its plain definition: the compiled encoders give
the data the plain recursive `encode` gives for any value (so cache entries are byte-identical), the
decoders refuse exactly what a plain check of every value against its hint refuses and build the
record its constructor builds, and any model value round-trips."""

from __future__ import annotations

import dataclasses
import json
import types
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from converters import model
from converters.jsonrecord import JsonRecord, encode
from converters.model import Block, PageMark

MODEL_TYPES = sorted((t for t in vars(model).values() if isinstance(t, type) and issubclass(t, JsonRecord)
                      and t is not JsonRecord), key=lambda t: t.__name__)
SCALARS = (str, int, float, bool, type(None))
REQUIRED = object()


# --- the plain definitions --------------------------------------------------------------------------

def plain_encode(value: object) -> object:
    """A dataclass as a mapping of its fields not at their default, tuples as lists, values of any type."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {}
        for f in dataclasses.fields(value):
            if not f.init:
                continue
            default = (f.default if f.default is not dataclasses.MISSING else f.default_factory()
                       if f.default_factory is not dataclasses.MISSING else REQUIRED)
            item = getattr(value, f.name)
            if default is REQUIRED or type(item) is not type(default) or item != default:
                out[f.name] = plain_encode(item)
        return out
    if isinstance(value, (list, tuple)):
        return [plain_encode(item) for item in value]
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise TypeError("a mapping key that is not a string")
        return {key: plain_encode(item) for key, item in value.items()}
    if isinstance(value, SCALARS):
        return value
    raise TypeError(f"{type(value).__name__} does not round-trip through JSON")


def json_value(value: object) -> object:
    if isinstance(value, list):
        for item in value:
            json_value(item)
    elif isinstance(value, dict):
        for item in value.values():
            json_value(item)
    elif not isinstance(value, SCALARS):
        raise ValueError("not JSON data")
    return value


def plain_decode(hint, value):
    """`value` checked against `hint`, exactly (bool is no int; a float takes an int), and rebuilt."""
    origin, args = get_origin(hint), get_args(hint)
    if hint is Any:
        return json_value(value)
    if hint is None or hint in SCALARS:
        kind = type(None) if hint is None else hint
        if type(value) is kind or (kind is float and type(value) is int):
            return value
    elif origin in (Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        for option in args:
            if option is not type(None):
                try:
                    return plain_decode(option, value)
                except ValueError:
                    pass
    elif origin is Literal:
        if type(value) in SCALARS and value in set(args):
            return value
    elif hint in (list, tuple) or origin in (list, tuple):
        if type(value) is list:
            if not args:
                items = [json_value(x) for x in value]
            elif origin is list or args[-1] is Ellipsis:
                items = [plain_decode(args[0], x) for x in value]
            elif len(args) == len(value):
                items = [plain_decode(a, x) for a, x in zip(args, value)]
            else:
                raise ValueError("a list of another length")
            return items if hint is list or origin is list else tuple(items)
    elif hint is dict or origin is dict:
        if type(value) is dict:
            if not args or args[1] is Any:
                return json_value(value)
            return {plain_decode(args[0], k): plain_decode(args[1], v) for k, v in value.items()}
    elif dataclasses.is_dataclass(hint):
        fields = {f.name: f for f in dataclasses.fields(hint) if f.init}
        required = {name for name, f in fields.items()
                    if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING}
        if type(value) is dict and required <= value.keys() <= fields.keys():
            hints = get_type_hints(hint)
            return hint(**{name: plain_decode(hints[name], item) for name, item in value.items()})
    raise ValueError(f"{value!r} is no {hint}")


# --- model values -----------------------------------------------------------------------------------

JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=4)
JSON = st.recursive(JSON_SCALARS, lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=3), inner, max_size=3), max_leaves=6)


def values(hint) -> st.SearchStrategy:
    """Values of the type `hint` (floats finite: NaN is not equal to itself)."""
    origin, args = get_origin(hint), get_args(hint)
    if hint is str:
        return st.text(max_size=6)
    if hint is bool:
        return st.booleans()
    if hint is int:
        return st.integers()
    if hint is float:
        return st.floats(allow_nan=False, allow_infinity=False)
    if hint is None or hint is type(None):
        return st.none()
    if origin in (Union, types.UnionType):
        return st.one_of([values(a) for a in args])
    if origin is Literal:
        return st.sampled_from(args)
    if origin is list:
        return st.lists(values(args[0]), max_size=3)
    if origin is tuple:
        if args[-1] is Ellipsis:
            return st.lists(values(args[0]), max_size=3).map(tuple)
        return st.tuples(*[values(a) for a in args])
    if hint is dict or hint is Any:
        return st.dictionaries(st.text(max_size=3), JSON, max_size=3)
    if dataclasses.is_dataclass(hint):
        return records(hint)
    raise AssertionError(f"no strategy for {hint!r}")


def records(cls) -> st.SearchStrategy:
    """Records of `cls`, each field with a default given or left at it."""
    hints = get_type_hints(cls)
    fields = [f for f in dataclasses.fields(cls) if f.init]
    required = {f.name: st.deferred(lambda h=hints[f.name]: values(h)) for f in fields
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING}
    optional = {f.name: st.deferred(lambda h=hints[f.name]: values(h)) for f in fields if f.name not in required}
    return st.fixed_dictionaries(required, optional=optional).map(lambda given: cls(**given))


ANY_RECORD = st.sampled_from(MODEL_TYPES).flatmap(records)
# as many examples as the run's hypothesis profile gives (tests/conftest.py: make test 300, make test-fast 40)
PROPERTY = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def outcome(function, *args):
    """What `function` gives, as JSON text (True and 1, 1 and 1.0 differ), or the error it raises."""
    try:
        return json.dumps(function(*args), ensure_ascii=False)
    except (TypeError, ValueError) as error:
        return type(error)


# --- encoding ---------------------------------------------------------------------------------------

@PROPERTY
@given(record=ANY_RECORD)
def test_a_model_value_encodes_as_the_plain_definition_says(record):
    assert json.dumps(record.to_json(), ensure_ascii=False) == json.dumps(plain_encode(record), ensure_ascii=False)


class Tag(str):
    """A value of a subclass of a field's type."""


class Cells(list):
    pass


@dataclasses.dataclass
class Marked(PageMark):
    """A record of a subclass of a field's type."""

    colour: str = "red"


ANYTHING = st.recursive(
    JSON_SCALARS | st.floats() | st.text(max_size=3).map(Tag) | st.builds(PageMark, st.integers(), st.integers())
    | st.builds(Marked, st.integers(), st.integers(), st.text(max_size=3)) | st.just(object()) | st.just(1j),
    lambda inner: st.lists(inner, max_size=3) | st.lists(inner, max_size=3).map(Cells) | st.tuples(inner, inner)
    | st.dictionaries(st.text(max_size=3) | st.integers(), inner, max_size=2), max_leaves=6)


@PROPERTY
@given(record=ANY_RECORD, data=st.data())
def test_any_value_in_any_field_encodes_as_the_plain_definition_says(record, data):
    """Values of the wrong type, subclasses, tuples for lists, unencodable objects: the compiled encoders
    take a shortcut only for the type a hint names, and give `encode`'s data (or its error) for the rest."""
    names = [f.name for f in dataclasses.fields(record)]
    for name in data.draw(st.lists(st.sampled_from(names), max_size=3)):
        object.__setattr__(record, name, data.draw(ANYTHING))  # frozen records too
    assert outcome(type(record).to_json, record) == outcome(plain_encode, record)
    assert outcome(encode, [record, (record,)]) == outcome(plain_encode, [record, (record,)])


# --- decoding ---------------------------------------------------------------------------------------

@PROPERTY
@given(record=ANY_RECORD)
def test_any_model_value_round_trips(record):
    """Through JSON text, as the cache stores it; the record is the one its constructor builds, with
    the same attributes in the same order."""
    data = json.loads(json.dumps(record.to_json(), ensure_ascii=False))
    again = type(record).from_json(data)
    assert again == record and type(again) is type(record)
    assert list(vars(again).items()) == list(vars(record).items())


DELETE = object()


@st.composite
def spoiled(draw, node):
    """`node` (JSON data) with one value somewhere in it replaced, deleted or a key added."""
    if isinstance(node, dict) and node and draw(st.booleans()):
        key = draw(st.sampled_from(sorted(node)))
        inner = draw(spoiled(node[key]))
        return {k: v for k, v in {**node, key: inner}.items() if v is not DELETE}
    if isinstance(node, list) and node and draw(st.booleans()):
        at = draw(st.integers(0, len(node) - 1))
        inner = draw(spoiled(node[at]))
        return [v for v in node[:at] + [inner] + node[at + 1:] if v is not DELETE]
    if isinstance(node, dict) and draw(st.booleans()):
        return {**node, draw(st.text(max_size=8)): draw(JSON)}
    return draw(JSON | st.just(DELETE))


@PROPERTY
@given(record=ANY_RECORD, data=st.data())
def test_spoiled_data_is_refused_as_the_plain_check_refuses_it(record, data):
    """Whatever is changed in a record's data, from_json refuses it exactly when a plain check of every
    value against its hint does, and otherwise builds what the constructor builds from the checked values."""
    cls = type(record)
    spoilt = data.draw(spoiled(json.loads(json.dumps(record.to_json()))))
    expected = outcome(lambda: plain_encode(plain_decode(cls, spoilt)))
    assert outcome(lambda: plain_encode(cls.from_json(spoilt))) == expected
    assert expected is ValueError or isinstance(expected, str)  # a wrong value is a ValueError, never another error
    if isinstance(expected, str):  # accepted
        assert list(vars(cls.from_json(spoilt)).items()) == list(vars(plain_decode(cls, spoilt)).items())


def test_each_decoded_record_gets_its_own_default_lists():
    first, second = Block.from_json({"type": "paragraph"}), Block.from_json({"type": "paragraph"})
    first.pages.append(PageMark(0, 1))
    assert second.pages == [] and Block(type="paragraph").pages == []


@dataclasses.dataclass
class Checked(JsonRecord):
    """A record whose constructor does more than store its fields: from_json calls it."""

    text: str
    length: int = 0

    def __post_init__(self):
        if self.length != len(self.text):
            raise ValueError("length does not match the text")


@dataclasses.dataclass(frozen=True, slots=True)
class Slotted(JsonRecord):
    text: str
    pages: list[int] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Keyed(JsonRecord):
    """A record whose constructor takes some fields by keyword only."""

    text: str
    _: dataclasses.KW_ONLY
    level: int = 0
    pages: list[int] = dataclasses.field(default_factory=list)


def test_records_of_other_constructors_are_built_by_them():
    assert Checked.from_json({"text": "abc", "length": 3}) == Checked("abc", 3)
    with pytest.raises(ValueError):
        Checked.from_json({"text": "abc", "length": 2})
    assert Slotted.from_json({"text": "a", "pages": [1]}) == Slotted("a", [1])
    assert Slotted.from_json({"text": "a"}).pages == []
    keyed = Keyed("a", level=2, pages=[3])
    assert Keyed.from_json(keyed.to_json()) == keyed and Keyed.from_json({"text": "b"}) == Keyed("b")
