"""The exact-phrase index: for every character n-gram (one to three characters) of the archive's runs,
the documents that hold it, in static files a browser reads one bucket at a time.

A phrase of one to three characters is an n-gram itself: its list is exactly the documents holding it.
A longer phrase is looked up by its trigrams (lookup_grams), whose lists intersected hold every document
containing the phrase and few others (98.65 % of them contain it at 9,996 documents, 99.10 % at 1,814:
`gazette bench --phrases`); the search page checks each of those against the document's text before it
shows it (gazette-search.js), so what it shows is exact. A run is text between whitespace or block ends (search_view.py): no n-gram
crosses one, as no phrase typed without spaces does.

Hand-rolled because no maintained library writes a static index that a browser queries file by file
with exact (not word-segmented) matches — Pagefind, which this replaced, segments words and needed a
position per character (a first query at 10,000 documents loaded 0.6–0.8 MB); numpy does the counting.

The format (FORMAT), read by gazette-search.js, which mirrors gram_hash and decode_list:
- documents are numbered 0 … count−1 (site/search.py numbers them by date);
- a gram is in bucket gram_hash(gram) & (buckets − 1); bucket b is the file `<b>.bin`, the gzip of its
  entries in the order of their grams' UTF-8 bytes, each: varint length, the gram in UTF-8, varint
  length, the body list, varint length, the title list (the documents whose title or number holds it);
- a list is empty (no document), or a 0 byte then varints (the first document's number, then the
  gaps), or a 1 byte then a bitmap of `count` bits, lowest bit first (whichever is shorter).
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable

import numpy as np

from .text import code_points

FORMAT = 1
RUN_END = "\n"  # between runs in a record's text (search_view.py); never inside a gram
MAX_GRAM = 3
VARINTS, BITMAP = 0, 1  # a list's first byte
# the documents (on average) whose postings share one bucket file: ≈ 4 KB gzip'd
POSTINGS_PER_BUCKET = 8000
MIN_BUCKETS = 16  # at least PARTS: a bucket's lowest bits are its part
PARTS = 8  # the postings are sorted in this many parts, by bucket, to bound memory

_U64 = np.uint64
_BITS = 21  # a code point fits in 21 bits: a gram of up to three is one 63-bit integer
_MASK = (1 << _BITS) - 1
_ASCII_UPPER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def normalize(text: str) -> str:
    """What both the index and a query are compared as: ASCII letters in lower case, nothing else changed
    (a wider case folding can change a text's length, e.g. İ)."""
    return text.translate(_ASCII_UPPER)


def lookup_grams(phrase: str) -> list[str]:
    """The grams whose lists a phrase is looked up by: the phrase itself up to MAX_GRAM characters (the
    lookup is then exact), else each of its trigrams."""
    if len(phrase) <= MAX_GRAM:
        return [phrase] if phrase else []
    return [phrase[i:i + MAX_GRAM] for i in range(len(phrase) - MAX_GRAM + 1)]


def _fmix(h: int) -> int:
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & 0xFFFFFFFF
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & 0xFFFFFFFF
    return h ^ (h >> 16)


def gram_hash(gram: str) -> int:
    """A gram's 32-bit hash: FNV-1a over its code points, then MurmurHash3's finaliser (a bucket is
    its lowest bits). gazette-search.js computes the same with Math.imul."""
    h = 0x811C9DC5
    for char in gram:
        h = ((h ^ ord(char)) * 0x01000193) & 0xFFFFFFFF
    return _fmix(h)


def _hash_codes(codes: np.ndarray) -> np.ndarray:
    """gram_hash of each gram given as its integer (_grams_of_text), vectorised."""
    mask = _U64(_MASK)
    first = (codes >> _U64(2 * _BITS)).astype(np.uint32)
    second = ((codes >> _U64(_BITS)) & mask).astype(np.uint32)
    last = (codes & mask).astype(np.uint32)
    prime = np.uint32(0x01000193)
    h = np.full(codes.shape, 0x811C9DC5, np.uint32)
    for part in (first, second):  # 0 where the gram is shorter (no text holds U+0000: _grams_of_text)
        h = np.where(part != 0, (h ^ part) * prime, h)
    h = (h ^ last) * prime
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def _grams_of_text(text: str) -> np.ndarray:
    """The distinct grams of a text's runs, each as one integer (its code points, 21 bits each), sorted.
    ASCII letters are lowered here, on the code points (normalize, without a pass of str.translate), and
    the grams made distinct by a sort (numpy's hashing unique was 10× slower on these arrays)."""
    points = code_points(text)
    codes = (points + ((points >= 65) & (points <= 90)).astype(np.uint32) * np.uint32(32)).astype(_U64)
    inside = (points != ord(RUN_END)) & (points != 0)  # no text holds U+0000; it would end a run
    pairs = inside[:-1] & inside[1:]
    triples = pairs[:-1] & inside[2:]
    shift = _U64(_BITS)
    grams = np.concatenate([codes[inside], ((codes[:-1] << shift) | codes[1:])[pairs],
                            ((codes[:-2] << (shift + shift)) | (codes[1:-1] << shift) | codes[2:])[triples]])
    grams.sort()
    return grams[np.r_[True, grams[1:] != grams[:-1]]] if len(grams) else grams


def _gram_text(code: int) -> str:
    return "".join(chr(c) for c in (code >> 2 * _BITS, (code >> _BITS) & _MASK, code & _MASK) if c)


def _varints(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every value as a varint (7 bits a byte, lowest first), in one buffer, and where each one starts."""
    sizes = 1 + (values >= 1 << 7).astype(np.int64) + (values >= 1 << 14) + (values >= 1 << 21) + (values >= 1 << 28)
    ends = np.cumsum(sizes)
    starts = ends - sizes
    out = np.zeros(int(ends[-1]) if len(ends) else 0, np.uint8)
    for byte in range(5):
        more = sizes > byte
        chunk = (values[more] >> np.uint64(7 * byte)) & np.uint64(0x7F)
        out[starts[more] + byte] = chunk | np.where(sizes[more] > byte + 1, 0x80, 0).astype(np.uint64)
    return out, starts


def encode_list(documents: list[int], count: int) -> bytes:
    """One list as the format writes it (the plain definition; _encode_lists writes many at once)."""
    if not documents:
        return b""
    gaps = [documents[0]] + [b - a for a, b in zip(documents, documents[1:])]
    varints = bytes([VARINTS]) + b"".join(_varint(gap) for gap in gaps)
    if len(varints) <= 1 + (count + 7) // 8:
        return varints
    bitmap = bytearray((count + 7) // 8)
    for document in documents:
        bitmap[document >> 3] |= 1 << (document & 7)
    return bytes([BITMAP]) + bytes(bitmap)


def decode_list(data: bytes, count: int) -> list[int]:
    """The documents of one list (what gazette-search.js does)."""
    if not data:
        return []
    if data[0] == BITMAP:
        return [i for i in range(count) if data[1 + (i >> 3)] >> (i & 7) & 1]
    documents, at, last = [], 1, 0
    while at < len(data):
        gap, at = _read_varint(data, at)
        last += gap
        documents.append(last)
    return documents


def _encode_lists(codes: np.ndarray, documents: np.ndarray, count: int) -> tuple[np.ndarray, list[bytes]]:
    """The grams of (gram, document) pairs sorted by gram then document, and each gram's list, encoded."""
    if not len(codes):
        return codes, []
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    ends = np.r_[starts[1:], len(codes)]
    gaps = documents.astype(np.uint64) - np.r_[np.uint64(0), documents[:-1].astype(np.uint64)]
    gaps[starts] = documents[starts]
    buffer, offsets = _varints(gaps)
    offsets = np.r_[offsets, len(buffer)]
    raw = buffer.tobytes()
    bitmap_size = (count + 7) // 8
    lists = []
    for start, end, first, stop in zip(starts.tolist(), ends.tolist(), offsets[starts].tolist(), offsets[ends].tolist()):
        if stop - first <= bitmap_size:
            lists.append(b"\0" + raw[first:stop])
        else:
            bits = np.zeros(bitmap_size * 8, bool)
            bits[documents[start:end]] = True
            lists.append(b"\1" + np.packbits(bits, bitorder="little").tobytes())
    return codes[starts], lists


def _varint(value: int) -> bytes:
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _read_varint(data: bytes, at: int) -> tuple[int, int]:
    """The varint at `at` and where the next item starts."""
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, at


def bucket_count(postings: int) -> int:
    """How many bucket files an index of `postings` (gram, document) pairs is cut into: a power of two."""
    buckets = MIN_BUCKETS
    while buckets * POSTINGS_PER_BUCKET < postings:
        buckets *= 2
    return buckets


class PhraseIndex:
    """The index of a numbered set of documents: add() each document's text and title in number order,
    then buckets() gives the files. Each document's grams are kept as integers in PARTS parts by
    bucket (≈ 12 bytes a posting), so that each part is sorted on its own."""

    def __init__(self) -> None:
        self.count = 0
        self._body: list[list[tuple[np.ndarray, np.ndarray]]] = [[] for _ in range(PARTS)]
        self._title: list[np.ndarray] = []
        self._title_docs: list[np.ndarray] = []
        self._pending: list[np.ndarray] = []
        self.postings = 0

    def add(self, text: str, title: str) -> int:
        """Add the next document (its number is returned)."""
        number = self.count
        self.count += 1
        title_grams = _grams_of_text(title)
        grams = _grams_of_text(text + RUN_END + title)  # a title's grams are the document's too
        self.postings += len(grams)
        self._pending.append(grams)
        if len(self._pending) >= 256:
            self._flush()
        self._title.append(title_grams)
        self._title_docs.append(np.full(len(title_grams), number, np.uint32))
        return number

    def _flush(self) -> None:
        """Move the grams of the documents added since the last flush into their parts (one sort for all)."""
        if not self._pending:
            return
        first = self.count - len(self._pending)
        codes = np.concatenate(self._pending)
        docs = np.repeat(np.arange(first, self.count, dtype=np.uint32), [len(g) for g in self._pending])
        self._pending = []
        part = (_hash_codes(codes) & np.uint32(PARTS - 1)).astype(np.uint8)
        order = np.argsort(part, kind="stable")  # a radix sort, on 8 bits
        codes, docs, part = codes[order], docs[order], part[order]
        cuts = np.searchsorted(part, np.arange(PARTS + 1)).tolist()
        for p in range(PARTS):
            if cuts[p + 1] > cuts[p]:
                self._body[p].append((codes[cuts[p]:cuts[p + 1]], docs[cuts[p]:cuts[p + 1]]))

    def buckets(self) -> tuple[int, Iterable[tuple[int, bytes]]]:
        """The number of buckets, and every bucket's file content (gzip'd; a bucket no gram fell into is
        empty, so that the page never asks for a file that is not there), part by part. The index's memory
        is let go as it goes: buckets() is called once."""
        self._flush()
        total = bucket_count(self.postings)
        titles = {}
        if self._title:
            codes, docs = np.concatenate(self._title), np.concatenate(self._title_docs)
            order = np.argsort(codes, kind="stable")
            grams, lists = _encode_lists(codes[order], docs[order], self.count)
            titles = dict(zip(grams.tolist(), lists))
        self._title = self._title_docs = []
        return total, self._files(total, titles)

    def _files(self, total: int, titles: dict[int, bytes]) -> Iterable[tuple[int, bytes]]:
        for p in range(PARTS):
            pieces, self._body[p] = self._body[p], []
            codes = np.concatenate([c for c, _ in pieces]) if pieces else np.zeros(0, _U64)
            docs = np.concatenate([d for _, d in pieces]) if pieces else np.zeros(0, np.uint32)
            del pieces
            order = np.argsort(codes, kind="stable")  # documents stay in number order within a gram
            grams, lists = _encode_lists(codes[order], docs[order], self.count)
            del codes, docs, order
            buckets: dict[int, list[tuple[bytes, bytes, bytes]]] = {}
            for code, bucket, body in zip(grams.tolist(), (_hash_codes(grams) & np.uint32(total - 1)).tolist(), lists):
                key = _gram_text(code).encode("utf-8")
                buckets.setdefault(bucket, []).append((key, body, titles.get(code, b"")))
            for bucket in range(p, total, PARTS):  # a bucket's part is its lowest bits (total ≥ PARTS)
                entries = sorted(buckets.get(bucket, []))
                data = b"".join(_varint(len(key)) + key + _varint(len(body)) + body + _varint(len(title)) + title
                                for key, body, title in entries)
                yield bucket, gzip.compress(data, compresslevel=6, mtime=0)


def read_bucket(data: bytes) -> dict[str, tuple[bytes, bytes]]:
    """A bucket file's entries: {gram: (body list, title list)} (what gazette-search.js reads)."""
    raw = gzip.decompress(data)
    entries, at = {}, 0
    while at < len(raw):
        fields = []
        for _ in range(3):  # the gram, its body list, its title list: each a varint length and its bytes
            size, at = _read_varint(raw, at)
            fields.append(raw[at:at + size])
            at += size
        entries[fields[0].decode("utf-8")] = (fields[1], fields[2])
    return entries
