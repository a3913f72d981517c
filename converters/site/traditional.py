"""The Traditional-Chinese pages: every generated page converted with variant.py (same paths, same ids),
in parallel chunks, and the character pairs of the conversion counted for the search map."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from ..fingerprint import fingerprint, package_version
from ..search_map import count_aligned
from ..variant import get_converter
from ..workers import worker_pool
from .common import DATA_ROOT, write_tree

def _count_page_pairs(hans: str, hant: str, aligned: Counter) -> None:
    """The character pairs of a page and its conversion, line by line (the search map's input)."""
    lines, hant_lines = hans.replace(DATA_ROOT, "../").splitlines(), hant.splitlines()
    if len(lines) == len(hant_lines):
        count_aligned(zip(lines, hant_lines), aligned)


def _to_traditional(args: tuple[str, list[tuple[str, str]]]) -> tuple[list[tuple[str, str]], Counter]:
    profile, items = args
    conv = get_converter(profile)
    out, aligned = [], Counter()
    for path, text in items:
        hant = conv.convert_markdown(text).replace(DATA_ROOT, "../")
        _count_page_pairs(text, hant, aligned)
        out.append((path, hant))
    return out, aligned


# Pages a worker converts at once: small enough that the chunks in flight hold little text (with a
# chunk per worker and four per worker, 10,000 documents' pages held 3.6 GB, the build's peak).
CHUNK_PAGES = 300


def write_traditional(folder: Path, files: dict[str, str], profile: str, reuse: set[str], workers: int = 1
                      ) -> tuple[list[str], Counter]:
    """Make `folder` hold every page of `files` converted (same paths; data links one level up),
    written chunk by chunk as the workers return them, so that the build never holds the whole
    Traditional site in memory; pages in `reuse` are still valid on disk (an incremental build): they
    are read to count their pairs, not converted again. Returns the files removed from `folder` and
    the character pairs of the conversion, counted line by line, for the search map."""
    aligned: Counter = Counter()
    for path in reuse:
        _count_page_pairs(files[path], (folder / path).read_text(encoding="utf-8"), aligned)
    items = [(path, text) for path, text in files.items() if path not in reuse]
    chunks = [(profile, items[i:i + CHUNK_PAGES]) for i in range(0, len(items), CHUNK_PAGES)]

    def converted(parts):
        for pages, counts in parts:
            aligned.update(counts)
            yield from pages

    if workers == 1 or len(items) < 200:
        removed, _ = write_tree(folder, converted(map(_to_traditional, chunks)), keep=reuse)
    else:
        with worker_pool(workers) as pool:
            removed, _ = write_tree(folder, converted(pool.map(_to_traditional, chunks)), keep=reuse)
    return removed, aligned


def convert_nav(nav, conv):
    if isinstance(nav, list):
        return [convert_nav(x, conv) for x in nav]
    if isinstance(nav, dict):
        return {conv.convert(k): convert_nav(v, conv) for k, v in nav.items()}
    return nav


def variant_stamp(profile: str) -> str:
    """What a page's Traditional text depends on besides the page: the profile, OpenCC's version,
    variant.py, variant_data.py and the data files."""
    package = Path(__file__).resolve().parent.parent
    files = [package / "variant.py", package / "variant_data.py", *sorted((package / "data").glob("*"))]
    return fingerprint(profile, package_version("opencc"), *(p.name.encode() + b"\0" + p.read_bytes() for p in files))
