"""The Traditional-Chinese pages: every generated page converted with variant.py (same paths, same ids),
in parallel chunks, and the character pairs of the conversion counted for the search map."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from ..fingerprint import fingerprint, package_version
from ..search_map import count_aligned
from ..variant import get_converter
from ..workers import worker_pool
from .common import DATA_ROOT

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


def to_traditional(files: dict[str, str], profile: str, kept: dict[str, str] | None = None, workers: int = 1
                   ) -> tuple[dict[str, str], Counter]:
    """Every page converted (data links one level up), in parallel chunks, same order as `files`;
    and the character pairs of the conversion, counted line by line, for the search map. `kept`
    holds conversions still valid (an incremental build): they are counted, not converted again."""
    kept = kept or {}
    aligned: Counter = Counter()
    for path, hant in kept.items():
        _count_page_pairs(files[path], hant, aligned)
    items = [(path, text) for path, text in files.items() if path not in kept]
    out: dict[str, str] = {}
    if workers == 1 or len(items) < 200:
        parts = [_to_traditional((profile, items))]
    else:
        size = -(-len(items) // (workers * 4))
        with worker_pool(workers) as pool:
            parts = list(pool.map(_to_traditional, [(profile, items[i:i + size])
                                                    for i in range(0, len(items), size)]))
    for pages, counts in parts:
        out.update(pages)
        aligned.update(counts)
    return {path: kept[path] if path in kept else out[path] for path in files}, aligned


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
