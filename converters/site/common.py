"""What the site stages share: the scripts' folders, the data root marker, logging, file writing."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

HANS = "zh-Hans"
HANT = "zh-Hant"
# Data files (api/, feed.xml) exist once, at the Simplified root: Traditional pages reach them one level up.
DATA_ROOT = "__DATA_ROOT__"


def log(message: str) -> None:
    print(f"site: {message}", file=sys.stderr, flush=True)


def chunked(items: list, size: int) -> list[list]:
    """`items` in consecutive runs of `size`, the last one shorter; never none (an empty list is one
    empty run). Items come in archive order, so a new issue changes the last run only."""
    return [items[i:i + size] for i in range(0, len(items), size)] or [[]]


def write_tree(folder: Path, files: Iterable[tuple[str, str]], keep: Iterable[str] = (),
               replaced: Callable[[str, str | None], None] | None = None) -> tuple[list[str], set[str]]:
    """Make `folder` hold exactly `files` ((path, text), consumed one by one, so that a caller can
    produce them as it goes) and the files `keep`, left as they are. A file whose text is unchanged is
    not rewritten (it keeps its time, which is how an incremental MkDocs build knows to skip it).
    `replaced(path, old text)` is told of every file rewritten or removed (None: it could not be read).
    Returns the files removed and the files written."""
    tree = TreeWriter(folder, keep, replaced)
    for rel, text in files:
        tree.write(rel, text)
    return tree.finish()


class TreeWriter:
    """write_tree for a caller that has its files one at a time: `write` each, then `finish`."""

    def __init__(self, folder: Path, keep: Iterable[str] = (),
                 replaced: Callable[[str, str | None], None] | None = None):
        self.folder, self.replaced = folder, replaced
        self.old = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} if folder.exists() else set()
        self.written: set[str] = set()
        self.present = set(keep)

    def write(self, rel: str, text: str) -> None:
        self.present.add(rel)
        path = self.folder / rel
        if rel in self.old:
            try:
                previous: str | None = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                previous = None
            if previous == text:
                return
            if self.replaced:
                self.replaced(rel, previous)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.written.add(rel)

    def finish(self) -> tuple[list[str], set[str]]:
        """Remove what was in the folder and was neither written nor kept; the files removed and written."""
        removed = sorted(self.old - self.present)
        for rel in removed:
            if self.replaced:
                try:
                    self.replaced(rel, (self.folder / rel).read_text(encoding="utf-8"))
                except (OSError, UnicodeDecodeError):
                    self.replaced(rel, None)
            (self.folder / rel).unlink()
        return removed, self.written


# Whitespace the theme's templates leave between tags (a third of a small page): runs of blank space
# with a line break become one line break, outside <pre>, <textarea> and <script>. Rendering is the same.
PRESERVE_RE = re.compile(r"(<pre\b.*?</pre>|<textarea\b.*?</textarea>|<script\b.*?</script>)", re.S | re.I)
BLANK = r"[ \t]*\n\s*"
# BLANK's matches, found twice as fast: a pattern that starts with a character class lets the regex
# engine skip to the next space, tab or line break instead of trying the pattern at every character
BLANK_RE = re.compile(r"[ \t\n](?:(?<=\n)|[ \t]*\n)\s*")


def compact_html(text: str) -> str:
    parts = PRESERVE_RE.split(text)
    return "".join(p if n % 2 else BLANK_RE.sub("\n", p) for n, p in enumerate(parts))


def release_memory() -> None:
    """Collect garbage and give freed heap back to the system (glibc), so that the peak of the
    later stages does not include what the earlier ones let go."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass
