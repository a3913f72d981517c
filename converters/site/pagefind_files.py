"""Pagefind's meta and filter files, rewritten so that the same pages always give the same index.

Pagefind (1.5) writes each filter's values (`filter/<hash>.pf_filter`) in the order of a hash map that
is seeded at random in every run, and lists the filters in the meta file (`pagefind.<hash>.pf_meta`)
in the same random order. A file's name is the hash of its content, the meta names the filter files,
and `pagefind-entry.json` names the meta: two builds of the same pages wrote different files.

sort_filters rewrites them as Pagefind would have written them had its maps been sorted: the values of
each filter and the filters of the meta in sorted order, each file under the name Pagefind gives
that content. Pagefind's browser side reads the values and the filters into maps, so their order
changes nothing a reader gets; the names still refer to the content (a cached file stays right).

The files are gzip'd `pagefind_dcd` + CBOR, of which Pagefind writes arrays, text strings and
unsigned integers only. They are decoded and checked to encode back to the very same bytes before
anything is changed, so a Pagefind that writes them otherwise is refused, never half rewritten.
"""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

from ..errors import GazetteError

HEADER = b"pagefind_dcd"  # what Pagefind's gzip'd files start with, once unpacked
ENTRY = "pagefind-entry.json"
# the meta's fields that sort_filters rewrites: [[filter, file hash], …] and [[sort key, pages], …]
META_FILTERS, META_SORTS = 3, 4

# CBOR major types (RFC 8949) that Pagefind's files use
UNSIGNED, TEXT, ARRAY = 0, 3, 4

CBORValue = int | str | list


class PagefindFormatError(GazetteError):
    """An index file is not written as the Pagefind this archive pins writes it."""


def _decode(data: bytes, at: int = 0) -> tuple[CBORValue, int]:
    """The CBOR item at `at` and where it ends (arrays, text strings, unsigned integers only)."""
    if at >= len(data):
        raise ValueError("ends early")
    major, info = data[at] >> 5, data[at] & 31
    at += 1
    if info < 24:
        length = info
    elif info <= 27:
        size = 1 << (info - 24)
        if at + size > len(data):
            raise ValueError("ends early")
        length, at = int.from_bytes(data[at:at + size], "big"), at + size
    else:
        raise ValueError(f"item of indefinite or reserved length at byte {at - 1}")
    if major == UNSIGNED:
        return length, at
    if major == TEXT:
        if at + length > len(data):
            raise ValueError("ends early")
        return data[at:at + length].decode("utf-8"), at + length
    if major == ARRAY:
        items = []
        for _ in range(length):
            item, at = _decode(data, at)
            items.append(item)
        return items, at
    raise ValueError(f"CBOR major type {major} at byte {at - 1}")


def _head(major: int, length: int) -> bytes:
    if length < 24:
        return bytes([major << 5 | length])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if length < 1 << (8 * size):
            return bytes([major << 5 | info]) + length.to_bytes(size, "big")
    raise ValueError(f"{length} does not fit in CBOR")


def encode(value: CBORValue) -> bytes:
    """`value` in CBOR as Pagefind's encoder (minicbor) writes it: shortest lengths, definite arrays."""
    if isinstance(value, bool) or not isinstance(value, (int, str, list)):
        raise TypeError(f"not a Pagefind CBOR value: {value!r}")
    if isinstance(value, int):
        return _head(UNSIGNED, value)
    if isinstance(value, str):
        data = value.encode("utf-8")
        return _head(TEXT, len(data)) + data
    return _head(ARRAY, len(value)) + b"".join(encode(item) for item in value)


def read(path: Path) -> CBORValue:
    """The CBOR content of a gzip'd Pagefind file, checked to encode back to the same bytes."""
    try:
        data = gzip.decompress(path.read_bytes())
        if not data.startswith(HEADER):
            raise ValueError(f"does not start with {HEADER.decode()}")
        value, end = _decode(data, len(HEADER))
        if end != len(data) or HEADER + encode(value) != data:
            raise ValueError("holds more than one CBOR item, or items not in their shortest form")
    except (OSError, EOFError, ValueError, UnicodeDecodeError) as exc:
        raise PagefindFormatError(f"{path}: not a Pagefind index file as this build reads it ({exc})") from None
    return value


def write(path: Path, value: CBORValue) -> None:
    """`value` as a gzip'd Pagefind file (the same bytes for the same value: no time in the header)."""
    path.write_bytes(gzip.compress(HEADER + encode(value), mtime=0))


def content_hash(data: bytes) -> str:
    """Pagefind's hash of a file's content: SHA-1, each byte in hex without its leading zero."""
    return "".join(format(byte, "x") for byte in hashlib.sha1(data).digest())


def _filter_name(language: str, data: bytes, taken: set[str]) -> str:
    """A filter file's name as Pagefind gives it: `<language>_` and 7 characters of the content's hash,
    longer while the name is taken by another filter of the index, as Pagefind lengthens it (three
    filters share their first 7 characters once in about 90 million indexes)."""
    full = f"{language}_{content_hash(data)}"
    name = full[:len(language) + 8]
    while name in taken and len(name) < len(full):
        name = full[:len(name) + 1]
    return name


def _is_pairs(value: CBORValue, second: type) -> bool:
    """Whether `value` is a list of [text, `second`] pairs."""
    return isinstance(value, list) and all(isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)
                                           and isinstance(pair[1], second) for pair in value)


def sort_filters(index: Path) -> None:
    """Rewrite the filter files, the meta file of each language and pagefind-entry.json of a freshly
    built Pagefind `index` so that the same pages give the same bytes (see above). Everything is read
    and checked first: an index this build cannot read is left as it is (PagefindFormatError)."""
    entry_path = index / ENTRY
    try:
        entry = entry_path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PagefindFormatError(f"{entry_path}: not readable as Pagefind writes it ({exc})") from None
    removed: list[Path] = []
    written: list[tuple[Path, CBORValue]] = []
    for meta_path in sorted(index.glob("pagefind.*.pf_meta")):
        old_hash = meta_path.name.removeprefix("pagefind.").removesuffix(".pf_meta")
        language = old_hash.rsplit("_", 1)[0]
        meta = read(meta_path)
        if not (isinstance(meta, list) and len(meta) > META_SORTS and _is_pairs(meta[META_FILTERS], str)
                and _is_pairs(meta[META_SORTS], list)):
            raise PagefindFormatError(f"{meta_path}: its filters and sorts are not where this build reads them")
        filters, taken = [], set()
        for name, file_hash in sorted(meta[META_FILTERS]):
            filter_path = index / "filter" / f"{file_hash}.pf_filter"
            content = read(filter_path)
            if not (isinstance(content, list) and len(content) == 2 and content[0] == name
                    and _is_pairs(content[1], list)):
                raise PagefindFormatError(f"{filter_path}: not the values of the filter {name!r} as this build reads them")
            content = [name, sorted(content[1], key=lambda value: value[0])]
            new_hash = _filter_name(language, encode(content), taken)
            taken.add(new_hash)
            filters.append([name, new_hash])
            removed.append(filter_path)
            written.append((index / "filter" / f"{new_hash}.pf_filter", content))
        meta[META_FILTERS] = filters
        meta[META_SORTS] = sorted(meta[META_SORTS], key=lambda sort: sort[0])
        new_hash = f"{language}_{content_hash(encode(meta))[:len(language) + 8]}"
        reference = f'"hash":"{old_hash}"'
        if entry.count(reference) != 1:
            raise PagefindFormatError(f"{entry_path}: does not name {meta_path.name} once as this build reads it")
        entry = entry.replace(reference, f'"hash":"{new_hash}"')
        removed.append(meta_path)
        written.append((index / f"pagefind.{new_hash}.pf_meta", meta))
    for path in removed:
        path.unlink()
    for path, value in written:
        write(path, value)
    entry_path.write_bytes(entry.encode("utf-8"))
