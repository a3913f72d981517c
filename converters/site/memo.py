"""Pages whose inputs did not change since the last build, kept instead of rendered again.

An incremental build after one new issue used to render every page again and compare it with the
file on disk (at 10,000 documents ≈ 40 s of a 155 s build, most of the pages unchanged). A page here
is known by what it is made of, and is rendered only when that changed:

- its **inputs**: the values the generator passes to the page's template and renderer, reduced to a
  fingerprint by `InputsKey`: a document or an issue by the conversion cache's key of its issue
  (cache.py: the source's bytes, its facts and the converter's code) and its id, never by walking its
  text; anything else (statuses, citers, neighbours, provenance) by its value. A page with a value of a
  type it does not know has no key, and is rendered every time: a page is never kept on a guess;
- the **lookups** its document body made while it was rendered (`RecordingLinks`): each document
  number it looked up in the archive, and what it found (a number that a new issue brings into the
  archive changes the link, so the page is rendered again);
- the **frame** (`frame_key`): every file of the package (code, templates, data), gazette.yml and the
  libraries that write pages. Any change there renders every page.

The same holds for a document's data file (site/api/docs/<id>.json, data.py). Kept: build/page_memo.json,
{"frame": …, "pages": {path: [inputs key, [numbers looked up], lookups key]}}, written once the pages and
data files are on disk (an interrupted build finds none and renders everything). A page is kept only
when its file is still in both scripts' build/site_src/ (its text read back from there only when a later
stage asks for it: KeptPages). The result is byte for byte the cold build's (tests/test_page_memo.py,
tests/test_bench.py).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterator, Mapping
from pathlib import Path

from ..config import Config
from ..fingerprint import fingerprint, package_version
from ..model import Document, IssueResult

PACKAGE = Path(__file__).resolve().parent.parent
MEMO_FORMAT = 1


def frame_key(config: Config) -> str:
    """What every page depends on besides its own inputs: the package's files (the renderer, the
    generator, the labels and citation forms they use, the templates, the data they read), gazette.yml's
    values and the libraries that write pages."""
    files = sorted(p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return fingerprint(MEMO_FORMAT, _plain(dataclasses.asdict(config)),
                       {name: package_version(name) for name in ("jinja2", "pypinyin")},
                       *[(p.relative_to(PACKAGE).as_posix(), p.read_bytes()) for p in files])


def _plain(value):
    """gazette.yml's values as JSON (compiled patterns by their text)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return getattr(value, "pattern", value)


class InputsKey:
    """Fingerprints of page inputs, a document or issue standing for its issue's conversion key."""

    def __init__(self, results: list[IssueResult], issue_keys: dict[str, str]):
        self.issue_keys = issue_keys
        self.doc_keys = {d.id: f"{issue_keys[r.meta.id]}:{d.id}" for r in results for d in r.documents}
        self.field_names: dict[type, tuple[str, ...]] = {}

    def stand_in(self, value):
        """What JSON cannot write itself: a document or issue as its key (KeyError when it has none),
        a path as its text, a dataclass as its name and fields; anything else is refused."""
        if isinstance(value, Document):
            return ["doc", self.doc_keys[value.id]]
        if isinstance(value, IssueResult):
            return ["issue", self.issue_keys[value.meta.id]]
        if isinstance(value, Path):
            return ["path", value.as_posix()]
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            kind = type(value)
            if kind not in self.field_names:
                self.field_names[kind] = tuple(f.name for f in dataclasses.fields(value))
            return [kind.__name__, [getattr(value, name) for name in self.field_names[kind]]]
        raise TypeError(f"page inputs: no key for a {type(value).__name__}")

    def __call__(self, *inputs) -> str | None:
        """The key of `inputs`, or None when one of them has none (the page is rendered, not kept)."""
        try:
            # JSON's C encoder walks strings, numbers, lists and dicts; only the rest reaches stand_in
            text = json.dumps(inputs, ensure_ascii=False, default=self.stand_in)
        except (TypeError, KeyError, ValueError):  # no key for a value, a document of no issue, a cycle
            return None
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def lookups(self, numbers: list[str], by_number: dict[str, Document]) -> str | None:
        """The key of what `numbers` find in the archive now."""
        return self(*[by_number.get(n) for n in numbers])


class RecordingLinks:
    """The archive's links as render.py's CitationLinker reads them, noting every number looked up."""

    def __init__(self, links):
        self._links = links
        self.looked_up: list[str] = []
        self.by_number = self  # CitationLinker reads links.by_number.get(number)

    def get(self, number: str):
        if number not in self.looked_up:
            self.looked_up.append(number)
        return self._links.by_number.get(number)

    def has_anchor(self, doc: Document, anchor: str) -> bool:
        return self._links.has_anchor(doc, anchor)  # the document's key covers its anchors


class PageMemo:
    """The last build's page keys (build/page_memo.json) and this build's."""

    def __init__(self, path: Path, frame: str, pages_dirs: tuple[Path, ...], inputs: InputsKey, use: bool = True):
        self.path, self.frame, self.pages_dirs, self.key = path, frame, pages_dirs, inputs
        self.previous: dict[str, list] = {}
        self.current: dict[str, list] = {}
        if use:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                if data.get("frame") == frame and isinstance(data.get("pages"), dict):
                    self.previous = data["pages"]
            except (OSError, ValueError, AttributeError):
                pass
        path.unlink(missing_ok=True)  # written again once this build's pages are on disk

    def kept(self, page: str, key: str | None, lookups=None, folders: tuple[Path, ...] | None = None) -> bool:
        """Whether `page` (a path in `folders`, by default `pages_dirs`: both scripts' pages) can be kept
        as the last build wrote it: the same inputs `key` (self.key(…)), the same answers to its lookups
        (`lookups(numbers)` -> key), its file still in each of `folders`."""
        entry = self.previous.get(page)
        if key is None or not (isinstance(entry, list) and len(entry) == 3 and entry[0] == key):
            return False
        numbers, answered = entry[1], entry[2]
        if numbers and (lookups is None or lookups(numbers) != answered):
            return False
        if not all((folder / page).is_file() for folder in folders or self.pages_dirs):
            return False
        self.current[page] = entry
        return True

    def record(self, page: str, key: str | None, numbers: list[str] | None = None, answered: str | None = "") -> None:
        """Note what `page` was made of (nothing when it has no key: it is rendered again next time)."""
        if key is not None:
            self.current[page] = [key, numbers or [], answered or ""]

    def save(self) -> None:
        self.path.write_text(json.dumps({"frame": self.frame, "pages": self.current}, ensure_ascii=False,
                                        separators=(",", ":")), encoding="utf-8")


class KeptPages(Mapping):
    """Every page's text: the pages rendered by this build (`rendered`), and the pages it kept, read
    from `folder` (the Simplified pages as last written) only when asked for."""

    def __init__(self, rendered: dict[str, str], kept: set[str], folder: Path):
        self.rendered, self.kept, self.folder = rendered, kept, folder

    def __getitem__(self, page: str) -> str:
        if page in self.rendered:
            return self.rendered[page]
        if page in self.kept:
            return (self.folder / page).read_text(encoding="utf-8")
        raise KeyError(page)

    def __iter__(self) -> Iterator[str]:
        yield from self.rendered
        yield from (p for p in self.kept if p not in self.rendered)

    def __len__(self) -> int:
        return len(self.rendered) + len(self.kept - self.rendered.keys())
