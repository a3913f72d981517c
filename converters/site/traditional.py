"""The Traditional-Chinese pages: every generated page converted with variant.py (same paths, same ids),
in parallel chunks, and the character pairs of the conversion counted for the search map."""

from __future__ import annotations

import json
from collections import Counter, deque
from collections.abc import Iterable, Mapping
from pathlib import Path

from ..fingerprint import fingerprint, package_version
from .. import search_map
from ..search_map import count_aligned
from ..variant import get_converter
from ..workers import worker_pool
from .common import DATA_ROOT, TreeWriter, write_tree

def count_page_pairs(hans: str, hant: str, aligned: Counter) -> Counter:
    """Add to `aligned` the character pairs of a page and its conversion, as both are written in
    build/site_src/ (so that a page's pairs can be counted again from the files alone), line by line:
    a line whose lengths differ (a data link: none in Simplified, ../ in Traditional) is left out."""
    return count_line_pairs(Counter(aligned_lines(hans, hant)), aligned)


def aligned_lines(hans: str, hant: str) -> Iterable[tuple[str, str]]:
    """The (line, converted line) pairs of a page and its conversion; none when their lines do not
    line up."""
    lines, hant_lines = hans.splitlines(), hant.splitlines()
    return zip(lines, hant_lines) if len(lines) == len(hant_lines) else ()


def count_line_pairs(lines: Counter, aligned: Counter) -> Counter:
    """Add to `aligned` the character pairs of each (line, converted line) of `lines` times its count,
    lines of unequal lengths left out: what count_aligned gives line by line, in half the time, as
    each distinct line is counted once (the small pages repeat most of theirs), together with the
    lines that occur as often."""
    by_count: dict[int, tuple[list[str], list[str]]] = {}
    for (line, hant_line), n in lines.items():
        if len(line) == len(hant_line):
            same_count = by_count.setdefault(n, ([], []))
            same_count[0].append(line)
            same_count[1].append(hant_line)
    for n, (hans_lines, hant_lines) in by_count.items():
        counts = count_aligned([("".join(hans_lines), "".join(hant_lines))])
        aligned.update(counts if n == 1 else {pair: k * n for pair, k in counts.items()})
    return aligned


def _to_traditional(args: tuple[str, list[tuple[str, str]]]) -> tuple[list[tuple[str, str]], Counter]:
    profile, items = args
    conv = get_converter(profile)
    out, lines = [], Counter()
    for path, text in items:
        hant = conv.convert_markdown(text).replace(DATA_ROOT, "../")
        lines.update(aligned_lines(text.replace(DATA_ROOT, ""), hant))
        out.append((path, hant))
    return out, count_line_pairs(lines, Counter())


# Pages a worker converts at once: small enough that the chunks in flight hold little text (in four
# chunks a worker, all of them held until the last came back, 10,000 documents' pages took 3.6 GB).
CHUNK_PAGES = 300


class EarlyConversion:
    """The Traditional conversion of a build that converts every page (a cold build, a new profile),
    started while the Simplified pages are still being generated: each run of CHUNK_PAGES pages goes to
    the workers as soon as it is made (`add`, told by pages.Pages), so that they convert while the
    generate stage renders on the other core, and each chunk they return is written at once, in the
    order sent, so that the build holds only the chunks in flight. A page made again after it was sent
    is sent again: written later, its last text wins; its pairs are then counted again from the files."""

    def __init__(self, profile: str, pool, folder: Path) -> None:
        self.profile, self.pool, self.tree = profile, pool, TreeWriter(folder)
        self._run: list[tuple[str, str]] = []
        self._in_flight: deque = deque()
        self._pairs: Counter = Counter()
        self._made_again = False

    def add(self, path: str, text: str) -> None:
        self._made_again = self._made_again or path in self.tree.present
        self.tree.present.add(path)  # (written or not, the page is the folder's)
        self._run.append((path, text))
        if len(self._run) >= CHUNK_PAGES:
            self._send()
        self._take(wait=False)

    def _send(self) -> None:
        self._in_flight.append(self.pool.submit(_to_traditional, (self.profile, self._run)))
        self._run = []

    def _take(self, wait: bool) -> None:
        """Write the chunks the workers have returned, in the order sent (all of them when `wait`)."""
        while self._in_flight and (wait or self._in_flight[0].done()):
            pages, counts = self._in_flight.popleft().result()
            for path, text in pages:
                self.tree.write(path, text)
            self._pairs.update(counts)

    def finish(self, files: Mapping[str, str]) -> tuple[list[str], Counter]:
        """Every page of `files` written: the files removed from the folder, the character pairs."""
        if self._run:
            self._send()
        self._take(wait=True)
        removed, _ = self.tree.finish()
        if not self._made_again:
            return removed, +self._pairs
        pairs: Counter = Counter()
        for path, text in files.items():
            count_page_pairs(text.replace(DATA_ROOT, ""), (self.tree.folder / path).read_text(encoding="utf-8"), pairs)
        return removed, pairs


def write_traditional(folder: Path, files: Mapping[str, str], profile: str, reuse: set[str], workers: int = 1,
                      reused_pairs: Counter | None = None,
                      early: EarlyConversion | None = None) -> tuple[list[str], Counter]:
    """Make `folder` hold every page of `files` converted (same paths; data links one level up),
    written chunk by chunk as the workers return them, so that the build never holds the whole
    Traditional site in memory; pages in `reuse` are still valid on disk (an incremental build): they
    are not converted again, and their pairs are `reused_pairs` when known (PairTotals), else read
    and counted. With `early`, every page was sent to the workers as it was made (`reuse` is empty).
    Returns the files removed from `folder` and the character pairs of every page (count_page_pairs),
    for the search map."""
    if early is not None:
        return early.finish(files)
    aligned: Counter = Counter(reused_pairs or {})
    if reused_pairs is None:
        kept = list(reuse)
        for i in range(0, len(kept), CHUNK_PAGES):  # a chunk's lines at a time, as the workers count them
            lines: Counter = Counter()
            for path in kept[i:i + CHUNK_PAGES]:
                lines.update(aligned_lines(files[path].replace(DATA_ROOT, ""),
                                           (folder / path).read_text(encoding="utf-8")))
            count_line_pairs(lines, aligned)
    items = [(path, files[path]) for path in files if path not in reuse]  # a reused page's text is not read
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
    return removed, +aligned


class PairTotals:
    """The character pairs of the last build's pages, kept in build/variant_pairs.json with the
    variant stamp, so that an incremental build counts the pages it changes, not every page (at
    10,000 documents reading and counting the 54,000 kept pages took 46 s of a 155 s build).

    A page the build rewrites or removes has its old pairs taken out (`replaced`, given to the
    Simplified pages' write_tree: the old Simplified text, and the old Traditional one still on disk);
    what is left is the pairs of the pages kept. Anything unexpected (an unreadable or missing old
    page, a file of another stamp) drops the totals: every page is counted then, as in a full build."""

    def __init__(self, path: Path, variant_stamp: str, hant_folder: Path):
        # the pairs depend on the conversion and on how they are counted (this module, search_map.py)
        self.stamp = fingerprint(variant_stamp, Path(__file__), Path(search_map.__file__))
        self.path, self.hant_folder = path, hant_folder
        self.pairs: Counter | None = None

    def load(self) -> None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data["stamp"] == self.stamp:
                self.pairs = Counter({(s, t): n for s, t, n in data["pairs"]})
        except (OSError, ValueError, KeyError, TypeError):
            self.pairs = None
        self.path.unlink(missing_ok=True)  # written again when the Traditional pages are

    def replaced(self, rel: str, old_hans: str | None) -> None:
        old_hant = self.hant_folder / rel
        if self.pairs is None:
            return
        if old_hans is None or not old_hant.is_file():
            self.pairs = None
            return
        self.pairs.subtract(count_page_pairs(old_hans, old_hant.read_text(encoding="utf-8"), Counter()))

    def drop(self) -> None:
        self.pairs = None

    def save(self, pairs: Counter) -> None:
        rows = sorted([s, t, n] for (s, t), n in pairs.items())
        self.path.write_text(json.dumps({"stamp": self.stamp, "pairs": rows}, ensure_ascii=False,
                                        separators=(",", ":")), encoding="utf-8")


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
