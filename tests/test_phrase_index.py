"""The exact-phrase index (converters/phrase_index.py): fixture pairs pin its format (tests/fixtures/
phrase_index/), properties check that its lists hold every document containing a phrase (and exactly
those for a phrase of up to three characters), that its numpy paths write what the plain definitions
say, and that the search page's JavaScript computes the same hashes and reads the same lists."""

from __future__ import annotations

import gzip
import json
import random
import re
from functools import reduce
from pathlib import Path

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from converters import phrase_index
from converters.phrase_index import (MAX_GRAM, MIN_BUCKETS, POSTINGS_PER_BUCKET, RUN_END, PhraseIndex, bucket_count,
                                     decode_list, encode_list, gram_hash, lookup_grams, normalize, read_bucket)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "phrase_index"
SEARCH_JS = ROOT / "overrides" / "assets" / "gazette-search.js"


def read_fixture_file(path: Path) -> list[tuple[int, str, str, str]]:
    """The cases of a fixture file (markdown-it-py's format): a title line, `.`, the input, `.`, what is
    expected, `.`; lines starting with `#` before a case are comments. Each as (line, title, input, expected)."""
    cases, lines, at = [], path.read_text(encoding="utf-8").split("\n"), 0
    while at < len(lines):
        if not lines[at].strip() or lines[at].startswith("#"):
            at += 1
            continue
        title, start = lines[at], at + 1
        parts, part = [], []
        assert lines[start] == ".", f"{path.name}:{start + 1}: expected '.' after the title"
        at = start + 1
        while len(parts) < 2:
            if lines[at] == ".":
                parts.append("\n".join(part))
                part = []
            else:
                part.append(lines[at])
            at += 1
        cases.append((start, title, parts[0], parts[1]))
    return cases


def fixture_cases(name: str):
    return [pytest.param(text, expected, id=f"{name}:{line}") for line, _, text, expected in read_fixture_file(FIXTURES / name)]


def index_of(documents: list[tuple[str, str]]) -> tuple[int, int, dict[str, tuple[bytes, bytes]]]:
    """The index of (text, title) documents: its count, its number of buckets and every gram's entry,
    each read back from the bucket file it is in (checked to be the one its hash names)."""
    index = PhraseIndex()
    for text, title in documents:
        index.add(text, title)
    buckets, files = index.buckets()
    entries: dict[str, tuple[bytes, bytes]] = {}
    for bucket, data in files:
        read = read_bucket(data)
        assert all(gram_hash(gram) & (buckets - 1) == bucket for gram in read), bucket
        # entries in the order of their grams' UTF-8 bytes (the format)
        assert list(read) == sorted(read, key=lambda gram: gram.encode("utf-8"))
        assert not set(read) & set(entries)
        entries.update(read)
    return index.count, buckets, entries


def candidates(phrase: str, count: int, entries: dict[str, tuple[bytes, bytes]], part: int = 0) -> list[int]:
    """The documents a phrase's grams' lists intersected give (body lists: part 0; title lists: 1)."""
    lists = [set(decode_list(entries.get(gram, (b"", b""))[part], count)) for gram in lookup_grams(normalize(phrase))]
    return sorted(reduce(set.__and__, lists)) if lists else []


# ------------------------------------------------------------------------------ fixture pairs

@pytest.mark.parametrize("text,expected", fixture_cases("lists.txt"))
def test_list_fixture(text, expected):
    documents, count = re.fullmatch(r"(\[.*\]) of (\d+)", text).groups()
    documents, count = json.loads(documents), int(count)
    assert encode_list(documents, count).hex(" ") == expected
    assert decode_list(bytes.fromhex(expected), count) == documents


@pytest.mark.parametrize("text,expected", fixture_cases("lookups.txt"))
def test_lookup_fixture(text, expected):
    documents = [(line.partition("|")[0].replace(" ", RUN_END), line.partition("|")[2]) for line in text.split("\n")]
    count, _, entries = index_of(documents)
    for line in expected.split("\n"):
        phrase, _, numbers = line.partition(" ->")
        assert candidates(phrase, count, entries) == [int(n) for n in numbers.split()], line


def test_the_fixture_files_hold_cases():
    assert len(read_fixture_file(FIXTURES / "lists.txt")) >= 5 and len(read_fixture_file(FIXTURES / "lookups.txt")) >= 5


def test_lookup_grams():
    assert lookup_grams("") == []
    assert lookup_grams("城乡居") == ["城乡居"]
    assert lookup_grams("城乡居民") == ["城乡居", "乡居民"]
    assert lookup_grams("𠀀a城乡") == ["𠀀a城", "a城乡"]  # characters, not UTF-16 units


def test_normalize_lowers_ascii_letters_only():
    assert normalize("GDP İ Ｇ Ä ß") == "gdp İ Ｇ Ä ß"  # lengths never change (the page's offsets hold)


def test_gram_hash_is_fnv_1a_then_the_murmur_finaliser():
    # FNV-1a's published test vectors (over code points: for ASCII, its bytes)
    assert gram_hash("a") == phrase_index._fmix(0xE40C292C)
    assert gram_hash("foobar") == phrase_index._fmix(0xBF9CF968)
    assert phrase_index._fmix(0) == 0


def test_bucket_count_keeps_buckets_near_their_size():
    assert bucket_count(0) == bucket_count(MIN_BUCKETS * POSTINGS_PER_BUCKET) == MIN_BUCKETS
    assert bucket_count(MIN_BUCKETS * POSTINGS_PER_BUCKET + 1) == 2 * MIN_BUCKETS
    # measured at 10,000 documents: ≈ 13 million postings
    assert bucket_count(13_000_000) == 2048


def test_buckets_are_gzip_without_a_time_stamp():
    index = PhraseIndex()
    index.add("城乡", "标题")
    for _, data in index.buckets()[1]:
        assert data[:2] == b"\x1f\x8b" and data[4:8] == b"\0\0\0\0"  # mtime 0: the same bytes every build
        gzip.decompress(data)


# ------------------------------------------------------------------------------ properties

# a small alphabet, so that phrases occur often: ASCII in both cases, a character outside the BMP
# (two UTF-16 units), Chinese, and RUN_END between runs
CHARACTERS = ["a", "b", "A", "B", "𠀀", "城", "乡", "居"]
TEXT = st.lists(st.sampled_from(CHARACTERS + [RUN_END]), max_size=30).map("".join)
DOCUMENTS = st.lists(st.tuples(TEXT, TEXT), min_size=1, max_size=8)
PHRASE = st.lists(st.sampled_from(CHARACTERS), min_size=1, max_size=6).map("".join)


def grams_of(text: str) -> set[str]:
    """Every gram of a text's runs, by the plain definition."""
    return {run[i:i + n] for run in normalize(text).split(RUN_END) for n in range(1, MAX_GRAM + 1)
            for i in range(len(run) - n + 1)}


@settings(deadline=None)
@given(DOCUMENTS, st.data())
@example([("城乡居\n乡居民\n居民医\n民医保", ""), ("城乡居民医保", "")], None)
def test_every_document_containing_a_phrase_is_a_candidate(documents, data):
    """Recall 100 %: the lists intersected hold every document whose text or title holds the phrase;
    for a phrase of up to three characters, those documents only (body and title lists alike)."""
    count, _, entries = index_of(documents)
    phrases = ["城乡居民医保"] if data is None else [data.draw(PHRASE)]
    if data is not None:  # and a phrase taken from a document, so that most are found
        text, title = documents[data.draw(st.integers(0, len(documents) - 1))]
        run = data.draw(st.sampled_from((text + RUN_END + title).split(RUN_END)))
        start = data.draw(st.integers(0, len(run)))
        if run[start:start + 6]:
            phrases.append(run[start:start + 6])
    for phrase in phrases:
        key = normalize(phrase)
        # (a phrase holds no RUN_END: found in a text, it is within one run)
        holding = [n for n, (text, title) in enumerate(documents) if key in normalize(text + RUN_END + title)]
        in_title = [n for n, (_, title) in enumerate(documents) if key in normalize(title)]
        found = candidates(phrase, count, entries)
        assert set(holding) <= set(found), phrase
        assert set(in_title) <= set(candidates(phrase, count, entries, part=1)), phrase
        if len(phrase) <= MAX_GRAM:
            assert found == holding and candidates(phrase, count, entries, part=1) == in_title, phrase


@settings(deadline=None)
@given(DOCUMENTS)
def test_the_index_lists_are_the_plain_definition(documents):
    """PhraseIndex's vectorised grams and lists are what encode_list writes for every gram of every
    run (a title's grams are its document's too), each in the bucket gram_hash names (index_of)."""
    count, buckets, entries = index_of(documents)
    body = [grams_of(text) | grams_of(title) for text, title in documents]
    titles = [grams_of(title) for _, title in documents]
    assert set(entries) == set().union(*body)
    for gram, (body_list, title_list) in entries.items():
        assert body_list == encode_list([n for n, grams in enumerate(body) if gram in grams], count), gram
        assert title_list == encode_list([n for n, grams in enumerate(titles) if gram in grams], count), gram
    assert buckets == bucket_count(sum(map(len, body)))


@given(st.integers(1, 3000).flatmap(lambda count: st.tuples(
    st.lists(st.integers(0, count - 1), unique=True, max_size=200).map(sorted), st.just(count))))
@example(([], 1))
@example(([0, 127, 128, 16_511, 16_512], 2_500_000))
def test_a_list_reads_back_as_written_and_never_longer_than_a_bitmap(case):
    documents, count = case
    data = encode_list(documents, count)
    assert decode_list(data, count) == documents
    assert len(data) <= 1 + (count + 7) // 8


# gram characters: any but U+0000 (_grams_of_text reads it as a run's end) and lone surrogates
GRAM_CHARACTER = st.characters(min_codepoint=1, blacklist_categories=("Cs",))


@given(st.lists(st.lists(GRAM_CHARACTER, min_size=1, max_size=MAX_GRAM).map("".join), min_size=1, max_size=50))
@example(["𠀀", "a", "A", "\U0010ffff", "城乡居", "𠀀a城"])
def test_the_numpy_hash_is_gram_hash(grams):
    """A gram as the index holds it (its code points, 21 bits each) hashes as gram_hash hashes it."""
    codes = np.array([reduce(lambda code, char: code << 21 | ord(char), gram, 0) for gram in grams], np.uint64)
    assert phrase_index._hash_codes(codes).tolist() == [gram_hash(gram) for gram in grams]
    assert [phrase_index._gram_text(code) for code in codes.tolist()] == grams


# ------------------------------------------------------------------------------ the page mirrors it

def js_function(name: str) -> str:
    """The source of a function of the search page (its declaration to its closing brace)."""
    source = SEARCH_JS.read_text(encoding="utf-8")
    match = re.search(rf"^( *)function {name}\(.*?^\1\}}$", source, re.M | re.S)
    assert match, f"gazette-search.js has no function {name}"
    return match.group(0)


@pytest.mark.browser
def test_the_page_hashes_normalizes_and_decodes_as_python_does(browser):
    """gazette-search.js's gramHash, normalize, lookupGrams and decodeList, taken from the file and run
    in Chromium, give what phrase_index.py gives (a bucket's file is named by the hash: a wrong one
    finds nothing)."""
    rng = random.Random(17)
    alphabet = ["a", "Z", "0", "城", "乡", "〔", "𠀀", "\U0010ffff", "\u00e9", "\u3000"]
    grams = ["𠀀", "a", "A", "城乡居", "𠀀a城", "\U0010ffff"] + [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 3))) for _ in range(200)]
    phrases = ["城乡居民医保", "GDP增长", "𠀀𠀁城乡", "Ab", "連政辦發〔2018〕160號"]
    lists = [(sorted(rng.sample(range(count), rng.randint(0, min(count, 40)))), count)
             for count in (1, 8, 9, 100, 1000, 100_000) for _ in range(5)]
    constants = re.search(r'var MAX_GRAM = (\d+), RUN_END = "(.*?)";', SEARCH_JS.read_text(encoding="utf-8"))
    assert constants and (int(constants.group(1)), json.loads(f'"{constants.group(2)}"')) == (MAX_GRAM, RUN_END)
    page = browser.new_page()
    got = page.evaluate(
        "(args) => { var info; " + "\n".join(js_function(name) for name in ("gramHash", "normalize", "lookupGrams",
                                                                            "readVarint", "decodeList"))
        + f"\n var MAX_GRAM = {MAX_GRAM};"
        "return { hashes: args.grams.map(gramHash), normalized: args.phrases.map(normalize),"
        "  looked: args.phrases.map(lookupGrams),"
        "  lists: args.lists.map(function (l) { info = { count: l[1] }; return decodeList(new Uint8Array(l[0])); }) }; }",
        {"grams": grams, "phrases": phrases, "lists": [[list(encode_list(d, c)), c] for d, c in lists]})
    page.close()
    assert got["hashes"] == [gram_hash(gram) for gram in grams]
    assert got["normalized"] == [normalize(phrase) for phrase in phrases]
    assert got["looked"] == [lookup_grams(normalize(phrase)) for phrase in phrases]
    assert got["lists"] == [documents for documents, _ in lists]
