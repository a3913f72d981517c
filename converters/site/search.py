"""The search index: Pagefind over the search views of the Simplified document pages, in shards."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

from ..fingerprint import fingerprint, package_version
from ..workers import child_setup
from ..search_view import INDEX_LANGUAGE, RUN_END, interleave
from . import pagefind_files
from .common import chunked, log
from .pagefind_files import HEADER, sort_filters

def search_shards(urls: list[str], per_shard: int) -> list[tuple[str, list[str]]]:
    """The search index's folders and the document pages each indexes: pagefind/ alone, or above
    `per_shard` pages pagefind/, pagefind/shard-2/… (merged by the search page, gazette-search.js).
    `urls` are in archive order (oldest issue first) and each folder takes the next `per_shard`, so
    adding the newest issue changes the last folder only, and the others are reused (pagefind())."""
    return [(search_bundle(n), [url + "index.html" for url in chunk])
            for n, chunk in enumerate(chunked(urls, per_shard), 1)]


def search_bundle(n: int) -> str:
    """The site-relative folder of the n-th search shard's index (from 1)."""
    return "pagefind/" if n == 1 else f"pagefind/shard-{n}/"


# Pagefind's allocator (jemalloc) gives freed memory back at once: −14 % of its peak, output unchanged,
# no time lost (measured: 1,814 pages 1,195 → 1,024 MB).
PAGEFIND_ENV = {"_RJEM_MALLOC_CONF": "dirty_decay_ms:0,muzzy_decay_ms:0"}


PAGEFIND_ARGS = ["--glob", "doc/*/index.html", "--force-language", INDEX_LANGUAGE]
INDEX_STAMP = ".gazette-stamp"


# Unicode blocks whose punctuation and symbols a gazette prints: ASCII and Latin-1, general punctuation,
# letterlike symbols (℃ №), arrows, mathematical operators (≤ ±), enclosed numbers, box drawing, geometric
# shapes (■ ●), miscellaneous symbols (★), CJK symbols and punctuation (、。〔〕), enclosed CJK (㈠), CJK
# compatibility (㎡), CJK compatibility and small forms, full-width forms (，：（）), full-width signs (￥).
PUNCTUATION_BLOCKS = ((0x21, 0x7E), (0xA1, 0xBF), (0xD7, 0xD7), (0xF7, 0xF7), (0x2010, 0x205E), (0x2100, 0x214F),
                      (0x2190, 0x21FF), (0x2200, 0x22FF), (0x2460, 0x24FF), (0x2500, 0x257F), (0x25A0, 0x25FF),
                      (0x2600, 0x26FF), (0x3000, 0x303F), (0x3200, 0x32FF), (0x3300, 0x33FF), (0xFE30, 0xFE6F),
                      (0xFF01, 0xFF65), (0xFFE0, 0xFFEE))


def include_characters() -> str:
    """The punctuation and symbols of PUNCTUATION_BLOCKS, and RUN_END: Pagefind keeps them in the
    position words instead of dropping them, so a phrase with punctuation (城乡，居民) or a symbol (℃) is
    matched exactly. A fixed set, so that no new issue changes every shard's index. The quotation mark is
    left out: a query in quotes is Pagefind's exact search (gazette-search.js drops it from words, as
    Pagefind drops it here, like any character outside the set: the page's own check of the text then
    decides)."""
    return RUN_END + "".join(chr(c) for first, last in PUNCTUATION_BLOCKS for c in range(first, last + 1)
                             if unicodedata.category(chr(c))[0] in "PS" and chr(c) != '"')


def compact_fragment(data: dict) -> dict:
    """A fragment as the browser needs it: each position word (search_view.position_words) reduced
    to its character (and RUN_END), so a phrase's positions are its characters' and the fragment is
    no larger than the text. A word Pagefind added between blocks (one character, no RUN_END) becomes
    an empty position: it keeps its place, shows nothing."""
    data["content"] = compact_words(data["content"])
    for anchor in data.get("anchors", []):
        anchor["text"] = compact_words(anchor["text"]).replace(" ", "").replace(RUN_END, " ").strip()
    return data


def compact_word(word: str) -> str:
    """One word of a fragment as compact_fragment writes it."""
    return word[0] + RUN_END if word.endswith(RUN_END) else word[0] if len(word) > 1 else ""


# Stands for a dropped character while compact_words works: a noncharacter, and checked to be absent
DROPPED = "\uffff"


def compact_words(text: str) -> str:
    """compact_word of each word of `text` (the words between single spaces), between the same spaces.
    What Pagefind writes from the position words has two characters in every word: such a text is cut
    into its words' first and second characters by string operations in C (a fragment has 10,000s of
    words; no step in Python for each), and any other text word by word."""
    count = text.count(" ") + 1
    # every word two characters: a space at every third place, and nowhere else
    if len(text) == 3 * count - 1 and text[2::3] == " " * (count - 1) and DROPPED not in text:
        firsts, seconds = text[0::3], text[1::3]
        # a word's second character stays where it is RUN_END, and is dropped everywhere else
        kept = RUN_END.join([DROPPED * len(part) for part in seconds.split(RUN_END)])
        return interleave(firsts, kept, " " * count)[:-1].replace(DROPPED, "")
    return " ".join([compact_word(word) for word in text.split(" ")])


def compact_fragments(index: Path) -> None:
    """Rewrite every fragment of a freshly built index with compact_fragment (same file, same name)."""
    for path in sorted((index / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(path.read_bytes())
        data = compact_fragment(json.loads(raw[len(HEADER):]))
        packed = HEADER + json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        path.write_bytes(gzip.compress(packed, mtime=0))


def shard_stamp(search_dir: Path, views: list[str], first: bool, characters: str) -> str:
    """What a shard's index is made of: its search views (paths and bytes), whether it is the first
    (which keeps Pagefind's scripts), Pagefind's version and arguments, the include characters, and
    the code that finishes Pagefind's output (this module's and pagefind_files')."""
    return fingerprint([package_version("pagefind"), PAGEFIND_ARGS, first, characters],
                       Path(__file__).read_bytes(), Path(pagefind_files.__file__).read_bytes(),
                       *(view.encode() + b"\0" + (search_dir / view).read_bytes() for view in views))


def _finish_index(index: Path, n: int, stamp: str, published: Path) -> None:
    """A fresh shard index made ready: fragments compacted, filters in sorted order (pagefind_files),
    the shared assets of a later shard removed (a merged index uses the first one's scripts, styles and
    wasm), stamped, published."""
    compact_fragments(index)
    sort_filters(index)
    if n > 1:
        for path in index.iterdir():
            if path.is_file() and (path.suffix in (".js", ".css") or path.name.startswith("wasm.")):
                path.unlink()
    (index / INDEX_STAMP).write_text(stamp, encoding="utf-8")
    _publish_index(index, published)


def _publish_index(index: Path, published: Path) -> None:
    """Make `published` (a shard's folder in site/) hold the index and nothing else of its own (the
    first shard's folder also holds the later shards' folders, left alone)."""
    if published.is_dir():
        for path in published.iterdir():
            if path.is_dir() and path.name.startswith("shard-"):
                continue
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    # copies, not links: the Pages artifact must hold no hard links
    shutil.copytree(index, published, ignore=shutil.ignore_patterns(INDEX_STAMP), dirs_exist_ok=True)


PUBLISHED = "published.json"  # in the shards' cache: {folder in site/: the stamp of the index it holds}


def pagefind(site: Path, search_dir: Path, shards: list[tuple[str, list[str]]], cache: Path,
             reuse: bool = True) -> int:
    """The search index over the search views of the Simplified document pages (search_view.py: the
    indexed text and the ids of headings only, ≈ −40 % of the index's bytes), in site/<folder> for
    each of `shards` (search_shards). Returns 0, or Pagefind's exit code after printing its output.

    Both sites search this one index: the Traditional search page rewrites its query into
    Simplified and its results back into Traditional with the archive's character map
    (search_map.py, gazette-search.js). One index instead of two halves the index's bytes and
    Pagefind's time and memory; a Traditional page's text is its Simplified page's, converted.

    Pagefind keeps every page it indexes in memory until it writes the index (≈ 0.55 MB a page with
    PAGEFIND_ENV: 5.5 GB for 10,000), so a large archive is indexed in shards, one Pagefind run after
    another (each over hard links in build/search_shards/); the search page merges them. Each shard
    adds an index chunk per query word to a first query (≈ 9–35 KB).

    Each shard's index is kept in `cache`/<n> with the stamp of what it was made of (shard_stamp):
    a shard whose pages did not change is copied from there (Pagefind's output is the same for the
    same input), so adding an issue re-indexes the last shard only; `reuse=False` re-indexes all."""
    # What site/ holds from the last build (an incremental build keeps site/): a shard whose index is
    # the one published there is left as it is, not removed and copied again (20 s at 10,000 documents).
    try:
        published = json.loads((cache / PUBLISHED).read_text(encoding="utf-8")) if reuse else {}
    except (OSError, ValueError):
        published = {}
    (cache / PUBLISHED).unlink(missing_ok=True)  # written again once every shard is published
    if not isinstance(published, dict) or not published:
        shutil.rmtree(site / "pagefind", ignore_errors=True)
        published = {}
    shard_root = search_dir.parent / "search_shards"
    shutil.rmtree(shard_root, ignore_errors=True)
    env = {**os.environ, **PAGEFIND_ENV}
    shards = [(bundle, [view for view in views if (search_dir / view).is_file()])  # a page without a body has none
              for bundle, views in shards]
    characters = include_characters()
    # A fresh shard's index is finished (fragments compacted, published) while Pagefind indexes the
    # next shard: the two overlap, as Pagefind runs in its own process (no thread is started).
    unfinished = None
    for n, (bundle, views) in enumerate(shards, 1):
        label = f" {n}/{len(shards)}" if len(shards) > 1 else ""
        index, stamp = cache / str(n), shard_stamp(search_dir, views, n == 1, characters)
        stamp_file = index / INDEX_STAMP
        if reuse and stamp_file.is_file() and stamp_file.read_text(encoding="utf-8") == stamp:
            log(f"pagefind{label}: {len(views)} pages unchanged, index reused")
            if published.get(bundle) != stamp or not (site / bundle / "pagefind-entry.json").is_file():
                _publish_index(index, site / bundle)
            continue
        source = search_dir
        if len(shards) > 1:
            source = shard_root / str(n)
            for view in views:
                (source / view).parent.mkdir(parents=True, exist_ok=True)
                os.link(search_dir / view, source / view)
        shutil.rmtree(index, ignore_errors=True)
        # its output goes to a file, not a pipe: a pipe left unread while the last shard is finished could fill
        with tempfile.TemporaryFile("w+", encoding="utf-8") as output:
            proc = subprocess.Popen([sys.executable, "-m", "pagefind", "--site", str(source), *PAGEFIND_ARGS,
                                     "--include-characters", characters, "--output-path", str(index)],
                                    stdout=output, stderr=subprocess.STDOUT, text=True, env=env,
                                    preexec_fn=child_setup())
            if unfinished:
                try:
                    _finish_index(*unfinished)
                except BaseException:  # an index this build cannot finish: no Pagefind left running
                    proc.kill()
                    proc.wait()
                    raise
                unfinished = None
            proc.wait()
            output.seek(0)
            printed = output.read()
        if proc.returncode != 0:
            print(printed[-6000:], file=sys.stderr)
            return proc.returncode
        for line in printed.splitlines():
            if "Indexed" in line and "pages" in line:
                log(f"pagefind{label}: {line.strip()}")
        unfinished = (index, n, stamp, site / bundle)
    if unfinished:
        _finish_index(*unfinished)
    folders = {bundle for bundle, _ in shards}
    for stale in (site / "pagefind").glob("shard-*"):  # shards the archive no longer has
        if f"pagefind/{stale.name}/" not in folders:
            shutil.rmtree(stale, ignore_errors=True)
    for stale in cache.glob("*"):  # their indexes
        if stale.is_dir() and stale.name not in {str(n) for n in range(1, len(shards) + 1)}:
            shutil.rmtree(stale, ignore_errors=True)
    shutil.rmtree(shard_root, ignore_errors=True)
    stamps = {bundle: (cache / str(n) / INDEX_STAMP).read_text(encoding="utf-8")
              for n, (bundle, _) in enumerate(shards, 1)}
    (cache / PUBLISHED).write_text(json.dumps(stamps, sort_keys=True), encoding="utf-8")
    return 0
