"""A faithful JSON round trip for the model's dataclasses, generic over their fields and type hints.

`record.to_json()` gives JSON-native data (dicts, lists, strings, numbers, booleans, None) and
`Type.from_json(data)` rebuilds an equal record (fields at their default are left out of the data
and given their default again). A field added to a model type round-trips without any edit here,
as long as its type hint is built from str, int, float, bool, None, Literal, list, tuple, dict with
string keys, a union of those, or another such dataclass. Decoding checks every
value against its hint and raises ValueError on anything else, so data from a file (the conversion
cache) is only ever data: it never names a type to build or code to run.

Speed (the conversion cache writes and reads every issue through here): what depends only on a type
is worked out once per type, on first use, and kept: each dataclass gets an encoder and a decoder
made of closures built from its fields and type hints (no source code is generated). Encoding a
record costs one attrgetter call for its attributes, a default comparison per field and a call per
nested record or list; a list of scalars (table cells, events) is checked in one C-level pass, both
ways. `encode` stays the definition of the data: the encoder built for a field takes a shortcut only
for a value of exactly the type its hint names and hands anything else to `encode`, so it gives the
same data for every value (same cache bytes). Decoding fills a list of the constructor's arguments
(its defaults, overwritten by the fields the data holds, each checked) and calls the constructor with
them positionally: a call by keyword costs about three times as much. Filling the instance's __dict__
instead was measured slower in a build (one more dict per record for the garbage collector).

Hand-rolled rather than a serialisation library (msgspec, cattrs, pydantic): the guarantees above are
the point (no type is ever named by data, every value is checked against the model's own hints, fields
at their default are left out, cache entries stay byte-identical), and the model stays plain
dataclasses with no new dependency.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import operator
import types
from typing import Any, Callable, Literal, Union, get_args, get_origin, get_type_hints

_SCALARS = (str, int, float, bool, type(None))
_SCALAR_TYPES = frozenset(_SCALARS)  # exact types: a value of one encodes and decodes as itself


class JsonRecord:
    """Mixin of the model's dataclasses: to_json() and from_json() (not the contract's `as_json`)."""

    def to_json(self) -> dict:
        return _record_encoder(type(self))(self)  # type: ignore[arg-type]  # a class is hashable

    @classmethod
    def from_json(cls, data: object):
        return decoder(cls)(data)  # type: ignore[arg-type]  # a class is hashable: decoder caches by type


def encode(value: object) -> object:
    """`value` as JSON-native data: a dataclass as a mapping of its fields (those still at their
    default left out: from_json gives them the default again), tuples as lists."""
    kind = type(value)
    if kind in _SCALAR_TYPES:
        return value
    if kind is list or kind is tuple:
        return [item if type(item) in _SCALAR_TYPES else encode(item) for item in value]  # type: ignore[attr-defined]

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _record_encoder(kind)(value)  # type: ignore[arg-type]  # a class is hashable
    if isinstance(value, (list, tuple)):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"a mapping key must be a string to round-trip through JSON, not {key!r}")
            out[key] = encode(item)
        return out
    if isinstance(value, _SCALARS):
        return value
    raise TypeError(f"{type(value).__name__} does not round-trip through JSON")


_REQUIRED = object()


@functools.cache
def _defaults(cls: type) -> tuple[tuple[str, object], ...]:
    """(name, default value) of each field of `cls` given to its constructor; _REQUIRED when none."""
    out = []
    for f in dataclasses.fields(cls):
        if not f.init:
            continue
        if f.default is not dataclasses.MISSING:
            out.append((f.name, f.default))
        elif f.default_factory is not dataclasses.MISSING:
            out.append((f.name, f.default_factory()))
        else:
            out.append((f.name, _REQUIRED))
    return tuple(out)


def _attributes(names: tuple[str, ...]) -> Callable[[object], tuple]:
    """The function giving a record's attributes `names` as a tuple (one C call for all of them)."""
    if not names:
        return lambda value: ()
    if len(names) == 1:
        (name,) = names
        return lambda value: (getattr(value, name),)
    return operator.attrgetter(*names)


@functools.cache
def _record_encoder(cls: type) -> Callable[[object], dict]:
    """`encode` for an instance of the dataclass `cls`, with each field's encoder built once."""
    fields: list[tuple[str, object, type, Callable[[object], object]]] = []  # name, default, its type, encoder
    attributes = _attributes(tuple(name for name, _ in _defaults(cls)))

    def record(value):
        if not fields:  # resolved on first use: a record may refer to a type defined after it
            hints = get_type_hints(cls)
            fields[:] = [(name, default, type(default), _encoder(hints[name])) for name, default in _defaults(cls)]
        out = {}
        for (name, default, default_type, encoder), item in zip(fields, attributes(value)):
            if default is _REQUIRED or type(item) is not default_type or item != default:
                out[name] = item if type(item) in _SCALAR_TYPES else encoder(item)
        return out
    return record


@functools.cache
def _encoder(hint) -> Callable[[object], object]:
    """A function equal to `encode` on every value that is not a scalar, quickest on a value whose
    type is exactly the one `hint` names (a record, a list of scalars, a list of records)."""
    origin, args = get_origin(hint), get_args(hint)
    if origin in (Union, types.UnionType):
        structured = [a for a in args if _plain_types(a) is None]
        return _encoder(structured[0]) if len(structured) == 1 else encode
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        record = _record_encoder(hint)
        return lambda value: record(value) if type(value) is hint else encode(value)
    if hint is list or origin is list or hint is tuple or origin is tuple:
        items = [a for a in args if a is not Ellipsis]
        if items and all(_plain_types(a) is not None for a in items):  # table cells, events, spans
            return lambda value: (list(value) if (type(value) is list or type(value) is tuple)
                                  and _SCALAR_TYPES.issuperset(map(type, value)) else encode(value))
        if len(set(items)) == 1:  # a list of records, of lists…
            item = _encoder(items[0])
            return lambda value: ([x if type(x) in _SCALAR_TYPES else item(x) for x in value]
                                  if type(value) is list or type(value) is tuple else encode(value))
    return encode


def _fail(expected: str, value: object):
    raise ValueError(f"expected {expected}, not {type(value).__name__}")


def _scalar(kind: type) -> Callable[[object], object]:
    def check(value):
        # bool is an int to Python, never to the model; a float field takes JSON's 1 as well as 1.0
        if type(value) is kind or (kind is float and type(value) is int):
            return value
        return _fail(kind.__name__, value)
    return check


def _json_value(value: object) -> object:
    """A value under a bare `dict` or `Any` hint: JSON-native data, taken as it is."""
    if isinstance(value, list):
        for item in value:
            _json_value(item)
    elif isinstance(value, dict):
        for item in value.values():
            _json_value(item)
    elif not isinstance(value, _SCALARS):
        _fail("JSON data", value)
    return value


@functools.cache
def decoder(hint) -> Callable[[object], object]:
    """The function that rebuilds a value of type `hint` from its to_json() data, checking it."""
    origin, args = get_origin(hint), get_args(hint)
    if hint is Any:
        return _json_value
    if hint in _SCALARS:
        return _scalar(hint)
    if hint is None:
        return _scalar(type(None))
    if origin in (Union, types.UnionType):
        options = [decoder(a) for a in args if a is not type(None)]
        optional = type(None) in args

        def union(value):
            if value is None and optional:
                return None
            for option in options:
                try:
                    return option(value)
                except ValueError:
                    pass
            return _fail(str(hint), value)
        return union
    if origin is Literal:
        allowed = set(args)
        # the type first: a list or a mapping is a wrong value (ValueError), not an unhashable one
        return lambda value: value if type(value) in _SCALARS and value in allowed else _fail(str(hint), value)
    if hint is list or origin is list:
        plain = _plain_types(args[0]) if args else None
        if plain is not None:  # a list of strings (table cells, events): checked in one pass, without a call per item
            return lambda value: (list(value) if type(value) is list and plain.issuperset(map(type, value))
                                  else _fail(f"a list of {hint}", value))
        item = decoder(args[0]) if args else _json_value
        return lambda value: [item(x) for x in value] if type(value) is list else _fail("a list", value)
    if hint is tuple or origin is tuple:
        if not args or (len(args) == 2 and args[1] is Ellipsis):
            item = decoder(args[0]) if args else _json_value
            return lambda value: tuple(item(x) for x in value) if type(value) is list else _fail("a list", value)
        items = [decoder(a) for a in args]

        def fixed(value):
            if type(value) is not list or len(value) != len(items):
                return _fail(f"a list of {len(items)}", value)
            return tuple(d(x) for d, x in zip(items, value))
        return fixed
    if hint is dict or origin is dict:
        if not args or args[1] is Any:
            return lambda value: _json_value(value) if type(value) is dict else _fail("a mapping", value)
        key, item = decoder(args[0]), decoder(args[1])
        return lambda value: ({key(k): item(v) for k, v in value.items()} if type(value) is dict
                              else _fail("a mapping", value))
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _record_decoder(hint)
    raise TypeError(f"no JSON round trip for the type {hint!r}")


def _plain_types(hint) -> frozenset | None:
    """The exact types a value of `hint` may have when it is a scalar or a union of scalars (checked
    inline by the record decoder, the common case), else None."""
    options = get_args(hint) if get_origin(hint) in (Union, types.UnionType) else (hint,)
    if not all(o in _SCALARS for o in options):
        return None
    allowed = set(options)
    if float in allowed:
        allowed.add(int)  # JSON's 1 for a float field's 1.0
    return frozenset(allowed)


_FRESH = object()  # stands for a field whose default factory gives each record a new value


def _record_decoder(cls: type) -> Callable[[object], object]:
    defaults = _defaults(cls)
    names = frozenset(name for name, _ in defaults)
    required = frozenset(name for name, default in defaults if default is _REQUIRED)
    # name -> (its position, the exact types it may have or None, else its decoder)
    spec: dict[str, tuple[int, frozenset | None, Callable | None]] = {}
    factories = {f.name: f.default_factory for f in dataclasses.fields(cls)  # type: ignore[arg-type]
                 if f.default_factory is not dataclasses.MISSING}
    # every argument of the constructor, at its default: a record's data overwrites some
    template = [_FRESH if name in factories else default for name, default in defaults]
    fresh = tuple((n, factories[name]) for n, (name, _) in enumerate(defaults) if name in factories)
    positional = _takes_fields_in_order(cls, [name for name, _ in defaults])

    def record(value):
        if not spec:  # resolved on first use: a record may refer to a type defined after it
            hints = get_type_hints(cls)
            for n, (name, _) in enumerate(defaults):
                plain = _plain_types(hints[name])
                spec[name] = (n, plain, None if plain else decoder(hints[name]))
        if type(value) is not dict or not required <= value.keys() <= names:
            return _fail(f"the fields of {cls.__name__}", value)
        args = template.copy()
        for name, item in value.items():
            n, plain, decode = spec[name]
            if plain is None:
                args[n] = decode(item)
            elif type(item) in plain:
                args[n] = item
            else:
                return _fail(f"{cls.__name__}.{name} of {sorted(t.__name__ for t in plain)}", item)
        if not positional:  # the fields the data holds, by keyword: the constructor does the rest
            return cls(**{name: args[spec[name][0]] for name in value})
        for n, factory in fresh:
            if args[n] is _FRESH:
                args[n] = factory()
        return cls(*args)
    return record


def _takes_fields_in_order(cls: type, names: list[str]) -> bool:
    """Whether the constructor of `cls` takes exactly the fields `names`, in order, as positional
    arguments (not when it has keyword-only fields, InitVars or a signature of its own): then the
    decoder passes them so, which is about three times quicker than by keyword."""
    try:
        parameters = list(inspect.signature(cls).parameters.values())
    except (TypeError, ValueError):
        return False
    return ([p.name for p in parameters] == names
            and all(p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD for p in parameters))


__all__ = ["JsonRecord", "decoder", "encode"]
