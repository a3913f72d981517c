"""Aliases: where a published id or anchor that the archive no longer produces lives now.

    docs_src/_published/aliases.yml   old -> new, each side `id` or `id#anchor`:
        lzgf-2019-2#art_15__para_2: lzgf-2019-2#art_15   an anchor now lives elsewhere (maybe in another document)
        2019-d73dbd3f-statistics: 2019-d73dbd3f-stats    a whole document renamed: its anchors carry over by name

The file comes from outsiders too: both sides must match the contract's ASCII grammar of ids and
anchors (so they are safe in a URL, an HTML attribute and a path under site/), and every problem is
reported as one line naming the file and the line of the entry.

Resolution (`Aliases.resolve`) follows chains: `a#x` goes by its own entry when there is one, else by
its document's (`a: b` takes `a#x` to `b#x`), until a reference has no entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .model import ConversionError

PUBLISHED = Path("docs_src") / "_published"
ALIASES = PUBLISHED / "aliases.yml"
ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
ANCHOR_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_STR_TAG = "tag:yaml.org,2002:str"


@dataclass(frozen=True)
class Ref:
    """A document (`anchor` None) or one anchor of it."""
    doc: str
    anchor: str | None = None

    @classmethod
    def parse(cls, text: str) -> Ref | None:
        """`id` or `id#anchor` in the contract's grammar, else None."""
        doc, hashed, anchor = text.partition("#")
        if not ID_RE.fullmatch(doc) or (hashed and not ANCHOR_RE.fullmatch(anchor)):
            return None
        return cls(doc, anchor if hashed else None)

    def __str__(self) -> str:
        return self.doc if self.anchor is None else f"{self.doc}#{self.anchor}"


@dataclass(frozen=True)
class Alias:
    old: Ref
    new: Ref
    line: int  # 1-based line of the entry in aliases.yml

    def where(self) -> str:
        return f"{ALIASES}:{self.line}: {self.old} -> {self.new}"


def parse_aliases(text: str) -> tuple[list[Alias], list[str]]:
    """The well-formed entries of an aliases.yml text, and one line per problem (file and line named).
    Entries with a problem are left out."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{ALIASES}:{mark.line + 1}" if mark else str(ALIASES)
        return [], [f"{where}: not valid YAML ({getattr(exc, 'problem', None) or exc.__class__.__name__})"]
    if node is None:
        return [], []
    if not isinstance(node, yaml.MappingNode):
        return [], [f"{ALIASES}:{node.start_mark.line + 1}: expected a mapping of old `id` or `id#anchor` "
                    f"to the new one"]
    aliases: list[Alias] = []
    problems: list[str] = []
    seen: dict[Ref, int] = {}
    for key, value in node.value:
        line = key.start_mark.line + 1
        refs = []
        for side in (key, value):
            ok = isinstance(side, yaml.ScalarNode) and side.tag == _STR_TAG
            ref = Ref.parse(side.value) if ok else None
            if ref is None:
                shown = side.value if isinstance(side, yaml.ScalarNode) else f"a YAML {side.id}"
                problems.append(f"{ALIASES}:{side.start_mark.line + 1}: {shown!r} is not `id` or `id#anchor` "
                                f"(ASCII letters, digits, '.', '_', '-')")
                break
            refs.append(ref)
        else:
            old, new = refs
            if old.anchor is None and new.anchor is not None:
                problems.append(f"{ALIASES}:{line}: {old} -> {new}: a whole document maps to a whole "
                                f"document, not to an anchor")
            elif old in seen:
                problems.append(f"{ALIASES}:{line}: {old} is already recorded on line {seen[old]}")
            elif old == new:
                problems.append(f"{ALIASES}:{line}: {old} -> {new}: points to itself")
            else:
                seen[old] = line
                aliases.append(Alias(old, new, line))
    return aliases, problems


class Aliases:
    """The recorded aliases, and where a published reference leads through them."""

    def __init__(self, entries: list[Alias]) -> None:
        self.entries = entries
        self._by_old = {a.old: a for a in entries}

    def __bool__(self) -> bool:
        return bool(self.entries)

    def step(self, ref: Ref) -> Ref | None:
        """Where one entry takes `ref`: its own entry, else its document's (the anchor kept); None
        when no entry applies."""
        alias = self._by_old.get(ref)
        if alias is not None:
            return alias.new
        if ref.anchor is not None:
            alias = self._by_old.get(Ref(ref.doc))
            if alias is not None:
                return Ref(alias.new.doc, ref.anchor)
        return None

    def chain(self, ref: Ref) -> tuple[list[Ref], bool]:
        """`ref` and every reference the entries take it to, in order; and whether it goes round in
        a circle (the last one repeats an earlier one)."""
        path, seen = [ref], {ref}
        while (ref := self.step(ref)) is not None:
            path.append(ref)
            if ref in seen:
                return path, True
            seen.add(ref)
        return path, False

    def resolve(self, ref: Ref) -> Ref | None:
        """Where `ref` leads at the end of its chain (itself when no entry applies); None for a circle."""
        path, circular = self.chain(ref)
        return None if circular else path[-1]


def read_aliases(root: Path) -> tuple[Aliases, list[str]]:
    """root's aliases.yml (none: no aliases) and its problems, one line each."""
    path = root / ALIASES
    if not path.exists():
        return Aliases([]), []
    try:
        text = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError) as exc:
        return Aliases([]), [f"{ALIASES}: cannot be read as UTF-8 text ({exc.__class__.__name__})"]
    entries, problems = parse_aliases(text)
    return Aliases(entries), problems


def load_aliases(root: Path) -> Aliases:
    """root's aliases; a ConversionError names the first problem (file and line)."""
    aliases, problems = read_aliases(root)
    if problems:
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        raise ConversionError(problems[0] + more)
    return aliases


def anchors_by_document(documents: list[dict]) -> dict[str, set[str]]:
    """{id: its anchors} of documents given as summaries or snapshot entries."""
    out: dict[str, set[str]] = {}
    for d in documents:
        out.setdefault(d["id"], set()).update(d.get("anchors") or [])
    return out


def exists(ref: Ref, current: dict[str, set[str]]) -> bool:
    return ref.doc in current and (ref.anchor is None or ref.anchor in current[ref.doc])


def alias_problems(aliases: Aliases, current: dict[str, set[str]], published: dict[str, set[str]]) -> list[str]:
    """One line per entry that is wrong: its source was never published or is still produced, its chain
    goes round in a circle, or it ends where the current conversion has nothing.
    `current` and `published` map each document id to its anchors."""
    problems = []
    for alias in aliases.entries:
        old = alias.old
        if old.doc not in published or (old.anchor is not None and old.anchor not in published[old.doc]):
            problems.append(f"{alias.where()}: {old} was never published (not in the published snapshot); "
                            f"only a published id or anchor needs an alias")
        elif exists(old, current):
            problems.append(f"{alias.where()}: the archive still has {old}; an alias is only for what is gone")
        path, circular = aliases.chain(old)
        if circular:
            problems.append(f"{alias.where()}: goes round in a circle: {' -> '.join(map(str, path))}")
        elif not exists(path[-1], current):
            problems.append(f"{alias.where()}: points to {path[-1]}, which the archive does not have")
    return problems
