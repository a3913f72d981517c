"""Search across scripts: a query typed in either script finds documents in both sites.

One search index, built from the Simplified pages, serves both sites (the index knows characters
but knows nothing of Simplified and Traditional). So the search page rewrites a query into
Simplified before searching, and on the Traditional site rewrites the results' titles and
excerpts into Traditional, character by character, with a map learnt from the archive itself:
every line of every Simplified page next to its Traditional conversion, counted by the variant stage
as it converts the pages (site/traditional.py: no text is converted twice). Where a character is
converted differently in different words (发 -> 發/髮), the most frequent choice wins. Only the
characters the archive uses are in the map, so it stays small (about 20 KB for three issues; it
grows with the archive's vocabulary, not with its size) and is loaded by the search page only.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from .text import code_points

MAP_FILE = "assets/gazette/script-map.js"


# The characters the maps hold: CJK Unified Ideographs and Extension A.
_CJK_FIRST, _CJK_LAST = 0x3400, 0x9FFF


def _is_cjk(c: str) -> bool:
    return _CJK_FIRST <= ord(c) <= _CJK_LAST


def count_aligned(pairs: Iterable[tuple[str, str]], aligned: Counter | None = None) -> Counter:
    """Add to `aligned` each (Simplified, Traditional) pair of CJK characters (the only ones the maps
    hold) at the same position in the (text, conversion) pairs.

    Pairs of unequal length (a conversion that changed the length) cannot be aligned and are
    skipped; OpenCC's character profiles keep lengths, so that is rare. Counted with numpy, as code
    points (seven times faster than counting tuples of characters: every page is counted)."""
    aligned = Counter() if aligned is None else aligned
    for hans, hant in pairs:
        if len(hans) != len(hant) or not hans:
            continue
        simplified, traditional = code_points(hans), code_points(hant)
        cjk = ((simplified >= _CJK_FIRST) & (simplified <= _CJK_LAST)
               & (traditional >= _CJK_FIRST) & (traditional <= _CJK_LAST))
        keys, counts = np.unique((simplified[cjk] << np.uint32(16)) | (traditional[cjk] - _CJK_FIRST),
                                 return_counts=True)
        aligned.update({(chr(k >> 16), chr((k & 0xFFFF) + _CJK_FIRST)): n
                        for k, n in zip(keys.tolist(), counts.tolist())})
    return aligned


def script_maps(pairs: Iterable[tuple[str, str]] | Counter) -> dict[str, dict[str, str]]:
    """{"toHant": {简: 繁}, "toHans": {繁: 简}} from (Simplified, Traditional) text pairs, or from
    character pairs already counted by count_aligned."""
    aligned = pairs if isinstance(pairs, Counter) else count_aligned(pairs)
    forward: dict[str, Counter] = defaultdict(Counter)
    backward: dict[str, Counter] = defaultdict(Counter)
    for (s, t), n in aligned.items():
        if _is_cjk(s) and _is_cjk(t):
            forward[s][t] += n
            backward[t][s] += n

    def best(table: dict[str, Counter]) -> dict[str, str]:
        out = {}
        for char, counts in sorted(table.items()):
            # the most frequent; on a tie the lowest code point, so the map does not depend on the
            # order in which pages were counted
            choice = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
            if choice != char:
                out[char] = choice
        return out

    return {"toHant": best(forward), "toHans": best(backward)}


def write_script_map(site_dir: Path, pairs: Iterable[tuple[str, str]] | Counter) -> Path:
    """Write the maps as a small script that sets window.GAZETTE_SCRIPT_MAP."""
    path = site_dir / MAP_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(script_maps(pairs), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    path.write_text(f"window.GAZETTE_SCRIPT_MAP={data};\n", encoding="utf-8")
    return path


def convert_query(query: str, mapping: dict[str, str]) -> str:
    """What the search page does with a query (the same rule, for tests)."""
    return "".join(mapping.get(c, c) for c in query)
