"""Anchors are a promise: a published id, URL or anchor never disappears without a recorded alias, and
keeps pointing at the text it pointed at.

    docs_src/_published/documents.json   the snapshot: what the site has published, one object per
                                          document: {"id", "url", "issue", "anchors", "texts"}; a renamed
                                          document and an anchor taken elsewhere by an alias stay in it
                                          (their old URLs are still served, as redirects)
    docs_src/_published/aliases.yml       where a vanished id or anchor now lives, old -> new (aliases.py):
                                              lzgf-2019-2: lzgf-2019-2a              (a whole document)
                                              lzgf-2019-2#art_15: lzgf-2019-2#art_16  (one anchor)

`gazette check` compares the current conversion with the snapshot (check_anchors), and with
`--against REF` also with the snapshot committed at REF (a pull request's base: the pull request cannot
waive the promise by rewriting its own snapshot); it fails when aliases.yml is wrong or something
published would disappear. `gazette snapshot` rewrites the snapshot from the current conversion
(refusing while there are problems), to be committed with the pull request.

What an anchor points at. An anchor that still exists can still betray a link: when a converter fix
splits or joins paragraphs, `p_12` names another paragraph, and no alias can redirect an anchor that
exists. So "texts" records, per anchor that names a block, the first TEXT_CHARS characters a link to it
lands on (anchored_text: the block's printed label and text, whitespace and control characters removed).
The first characters, not a hash of the whole block: a reader's link is kept when it lands on the same
beginning, so a later change inside the block (a paragraph's tail split off into a new one, a wrap
joined, a stray character fixed) is no move, whereas a shifted numbering always changes the beginning;
page marks are offsets beside the text, so a page mark that moves changes nothing. They are readable
rather than hashed, so the report can say what the link used to show and a pull request's diff shows
the move as text. A text that only grew or lost its tail within those characters (one is the
beginning of the other) keeps its beginning too, and `gazette snapshot` records it. Page anchors
(`page_7`) record none: their meaning is the printed page, wherever the converter finds that it begins.
An anchor that is gone is the aliases' business: an alias is a recorded decision, so its target's text
is not compared. An entry without "texts" (a snapshot older than them) promises no text.

A changed text is an error, in `gazette check` and `gazette check --against REF` alike, unless the
snapshot records it: `gazette snapshot` refuses to rewrite a published text and lists the moves;
`gazette snapshot --accept-moved` records them (listing them again), so the move is a deliberate,
reviewed line of the pull request's diff. Against its base a pull request is held to the base's texts
except where its own snapshot records the current text (then `check` lists the move, as a note).
Adding an issue never changes another issue's documents, so it meets none of this.
"""

from __future__ import annotations

import json
import os
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .aliases import ALIASES, PUBLISHED, Aliases, Ref, alias_problems, anchors_by_document, exists, read_aliases
from .model import Block, ConversionError, Document
from .workers import child_setup

SNAPSHOT = PUBLISHED / "documents.json"
# characters recorded per anchor: neighbouring blocks of a kind (list items, chronicle days) often share
# their first 8 (——公共法律服务…, 11月1日：…), seldom 12; 16 keeps a margin at 48 bytes an anchor
TEXT_CHARS = 16
ACCEPT_HINT = ("; a link to it now lands elsewhere: keep the anchor on its text, or record the move "
               "deliberately with `gazette snapshot --accept-moved`")


def anchored_text(block: Block) -> str:
    """The first TEXT_CHARS characters a link to `block`'s anchor lands on: its printed label and text
    (a day's events, a table's cells), without whitespace or control characters, so that a line break,
    a layout space or a page mark (an offset beside the text) changes nothing."""
    pieces = [block.label or "", block.text, *(block.events or []), *(c for row in block.rows or [] for c in row)]
    kept: list[str] = []
    for piece in pieces:
        kept += [ch for ch in piece if not ch.isspace() and unicodedata.category(ch) != "Cc"]
        if len(kept) >= TEXT_CHARS:
            break
    return "".join(kept[:TEXT_CHARS])


def current_entry(document: Document) -> dict:
    """`document`'s api/documents.json entry (Document.summary) and what the snapshot keeps of its text:
    "texts", {anchor: anchored_text} for every anchor that names a block, in document order, and
    "lines", {anchor: "source file:line"}, where that block begins (reported, never written)."""
    entry = document.summary()
    texts: dict[str, str] = {}
    lines: dict[str, str] = {}
    for block in document.blocks:
        if block.anchor and block.anchor not in texts:
            texts[block.anchor] = anchored_text(block)
            lines[block.anchor] = f"{document.source}:{block.lineno}"
    entry["texts"], entry["lines"] = texts, lines
    return entry


@dataclass(frozen=True)
class Moved:
    """A published anchor that now points at a block beginning with other text."""
    doc: str
    anchor: str
    old: str
    new: str
    where: str | None  # source file:line of the block it points at now

    def describe(self, published_at: str = "") -> str:
        at = f" ({self.where})" if self.where else ""
        return (f"document {self.doc}: anchor {self.anchor}{published_at} now points at other text: "
                f"was “{self.old}”, now “{self.new}”{at}")


def same_beginning(old: str, new: str) -> bool:
    """Whether a link that showed `old` first still shows the same text first: equal, or one the
    beginning of the other (a short block that gained or lost its tail, as 年月日 after a seal)."""
    return old == new or (bool(old) and bool(new) and (old.startswith(new) or new.startswith(old)))


def moved_anchors(snapshot: list[dict], current_documents: list[dict]) -> list[Moved]:
    """The anchors whose text `snapshot` records and the current conversion's differs, in snapshot order
    (an anchor that is gone is the promise's business, not this)."""
    current = {d["id"]: d for d in current_documents}
    moved = []
    for published in snapshot:
        now = current.get(published["id"])
        if now is None:
            continue
        texts, lines = now.get("texts") or {}, now.get("lines") or {}
        for anchor, old in (published.get("texts") or {}).items():
            new = texts.get(anchor)
            if new is not None and not same_beginning(old, new):
                moved.append(Moved(published["id"], anchor, old, new, lines.get(anchor)))
    return moved


def parse_snapshot(text: str, label: str) -> list[dict]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ConversionError(f"{label}: not valid JSON ({exc.__class__.__name__})") from None
    if not isinstance(data, list) or not all(isinstance(d, dict) and isinstance(d.get("id"), str) for d in data):
        raise ConversionError(f"{label}: expected a JSON array of documents with an 'id'")
    for entry in data:
        texts = entry.get("texts", {})
        if not isinstance(texts, dict) or not all(isinstance(t, str) for t in texts.values()):
            raise ConversionError(f"{label}: document {entry['id']}: 'texts' must map each anchor to its text")
    return data


def load_snapshot(root: Path) -> list[dict]:
    path = root / SNAPSHOT
    if not path.exists():
        return []
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ConversionError(f"{SNAPSHOT}: not valid JSON ({exc.__class__.__name__})") from None
    return parse_snapshot(text, str(SNAPSHOT))


def snapshot_at(root: Path, rev: str) -> list[dict]:
    """The published snapshot as committed at git revision `rev` (e.g. a pull request's base), read
    with `git show`; empty when the snapshot did not exist there (nothing was published yet)."""
    def git(*args: str) -> subprocess.CompletedProcess:
        try:
            return subprocess.run(["git", *args], cwd=root, capture_output=True, preexec_fn=child_setup())
        except FileNotFoundError:
            raise ConversionError("--against needs git, which is not installed") from None

    if rev.startswith("-") or git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").returncode != 0:
        raise ConversionError(f"--against {rev}: not a commit of the git repository at {root.name or root}")
    spec = f"{rev}:./{SNAPSHOT.as_posix()}"
    if git("cat-file", "-e", spec).returncode != 0:
        return []
    shown = git("show", spec)
    try:
        text = shown.stdout.decode("utf-8")
    except UnicodeDecodeError:
        raise ConversionError(f"{SNAPSHOT} at {rev}: not valid JSON (UnicodeDecodeError)") from None
    return parse_snapshot(text, f"{SNAPSHOT} at {rev}")


def _promise_problems(snapshot: list[dict], current_documents: list[dict], aliases: Aliases,
                      where: str = "") -> list[str]:
    """Where a published id, URL or anchor of `snapshot` would disappear (`where` names the snapshot)."""
    current = {d["id"]: d for d in current_documents}
    anchors = anchors_by_document(current_documents)
    problems: list[str] = []
    for published in snapshot:
        old_id = published["id"]
        if old_id not in current:
            target = aliases.resolve(Ref(old_id))
            if target is None or target == Ref(old_id) or target.doc not in current:
                problems.append(f"document {old_id} (/{published.get('url', '')}){where} is published but no longer "
                                f"produced; record where it went in {ALIASES} ({old_id}: <new id>)")
                continue
        elif published.get("url") and current[old_id].get("url") != published["url"]:
            problems.append(f"document {old_id} moved from /{published['url']} to /{current[old_id].get('url')}"
                            f"{where}; published URLs must not change")
        missing = []
        for anchor in published.get("anchors") or []:
            ref = Ref(old_id, anchor)
            target = ref if exists(ref, anchors) else aliases.resolve(ref)
            if target is None or not exists(target, anchors):
                missing.append(anchor)
        if missing:
            shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
            problems.append(f"document {old_id}: published anchor{'s' if len(missing) > 1 else ''} {shown}{where} "
                            f"would disappear; record each as `{old_id}#<anchor>: <id>#<new anchor>` in {ALIASES}")
    return problems


def _aliases_checked(root: Path, current_documents: list[dict], published: list[dict]) -> tuple[Aliases, list[str]]:
    """The aliases and what is wrong with aliases.yml (alias_problems), against `published` entries."""
    aliases, problems = read_aliases(root)
    problems += alias_problems(aliases, anchors_by_document(current_documents), anchors_by_document(published))
    return aliases, problems


def alias_file_problems(root: Path, current_documents: list[dict]) -> list[str]:
    """What is wrong with root's aliases.yml for the current conversion (one line each)."""
    return _aliases_checked(root, current_documents, load_snapshot(root))[1]


def check_anchors(root: Path, current_documents: list[dict], against: tuple[str, list[dict]] | None = None
                  ) -> list[str]:
    """Problems (one line each): entries of aliases.yml that are wrong, published ids, URLs or anchors
    that would disappear, and published anchors that now point at other text. What is published is the
    committed snapshot, and with `against` = (git revision, its snapshot) also what was published there:
    a pull request that drops anchors from its own snapshot (`gazette snapshot --force`) is still held to
    its base's, and a text its base recorded may change only where its own snapshot records the change
    (`gazette snapshot --accept-moved`; recorded_moves lists those)."""
    snapshot = load_snapshot(root)
    base = against[1] if against else []
    aliases, problems = _aliases_checked(root, current_documents, snapshot + base)
    problems += _promise_problems(snapshot, current_documents, aliases)
    moved = moved_anchors(snapshot, current_documents)
    problems += [m.describe() + ACCEPT_HINT for m in moved]
    if against:
        where = f" (published at {against[0]})"
        problems += [p for p in _promise_problems(base, current_documents, aliases, where)
                     if p.replace(where, "") not in problems]
        reported = {(m.doc, m.anchor) for m in moved}
        recorded = _recorded_texts(snapshot)
        problems += [m.describe(where) + ACCEPT_HINT for m in moved_anchors(base, current_documents)
                     if (m.doc, m.anchor) not in reported and not _records(recorded, m)]
    return problems


def _recorded_texts(snapshot: list[dict]) -> dict[tuple[str, str], str]:
    return {(d["id"], anchor): text for d in snapshot for anchor, text in (d.get("texts") or {}).items()}


def _records(recorded: dict[tuple[str, str], str], move: Moved) -> bool:
    """Whether a snapshot's texts (`recorded`) record `move`: its anchor begins there as it does now."""
    text = recorded.get((move.doc, move.anchor))
    return text is not None and same_beginning(text, move.new)


def recorded_moves(root: Path, current_documents: list[dict], against: tuple[str, list[dict]]) -> list[Moved]:
    """Anchors whose text changed since the snapshot at `against`'s revision, the change recorded in root's
    snapshot (`gazette snapshot --accept-moved`): not a problem, but what a reviewer must see."""
    recorded = _recorded_texts(load_snapshot(root))
    return [m for m in moved_anchors(against[1], current_documents) if _records(recorded, m)]


def new_since_snapshot(root: Path, current_documents: list[dict]) -> list[str]:
    """Ids of current documents the snapshot does not list yet (not a problem: run `gazette snapshot`)."""
    known = {d["id"] for d in load_snapshot(root)}
    return [d["id"] for d in current_documents if d["id"] not in known]


def texts_not_in_snapshot(root: Path, current_documents: list[dict]) -> list[str]:
    """Ids of current documents the snapshot lists without their anchors' texts (written before texts
    were recorded: nothing to compare yet; `gazette snapshot` adds them)."""
    current = {d["id"] for d in current_documents}
    return [d["id"] for d in load_snapshot(root) if "texts" not in d and d["id"] in current]


def snapshot_entries(current_documents: list[dict], previous: list[dict] = (),
                     aliases: Aliases | None = None) -> list[dict]:
    """The snapshot of the current conversion, by id, with each anchor's text where the current entries
    give them (current_entry). What `previous` promised and an alias now leads elsewhere stays promised
    (its old URL or anchor is still served, as a redirect), with the text it pointed at: a renamed
    document's entry, and an anchor an alias took away from a document."""
    entries = {}
    for d in current_documents:
        entries[d["id"]] = {"id": d["id"], "url": d["url"], "issue": (d.get("issue") or {}).get("id"),
                            "anchors": list(d.get("anchors") or [])}
        if "texts" in d:
            entries[d["id"]]["texts"] = dict(d["texts"])
    for old in previous if aliases else ():
        entry = entries.get(old["id"])
        if entry is None:
            if aliases.step(Ref(old["id"])) is not None:
                entries[old["id"]] = {key: old[key] for key in ("id", "url", "issue", "anchors", "texts")
                                      if key in old}
            continue
        kept = set(entry["anchors"])
        taken = [a for a in old.get("anchors") or [] if a not in kept and aliases.step(Ref(old["id"], a)) is not None]
        entry["anchors"] += taken
        old_texts = old.get("texts") or {}
        if "texts" in entry:
            entry["texts"].update((a, old_texts[a]) for a in taken if a in old_texts)
    return [entries[k] for k in sorted(entries)]


def write_snapshot(root: Path, current_documents: list[dict], previous: list[dict] = (),
                   aliases: Aliases | None = None) -> Path:
    """root's snapshot rewritten from `current_documents` (and what of `previous` aliases keep)."""
    path = root / SNAPSHOT
    path.parent.mkdir(parents=True, exist_ok=True)
    entries = snapshot_entries(current_documents, previous, aliases)
    text = json.dumps(entries, ensure_ascii=False, indent=1) + "\n"
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return path


def record_snapshot(root: Path, documents: list[dict], force: bool = False, accept_moved: bool = False) -> int:
    """`gazette snapshot` for the current conversion's `documents` (their current_entry): write the
    snapshot unless a published id, URL or anchor would disappear (refused unless `force`), a published
    anchor now points at other text (refused unless `accept_moved`, which records the new texts and lists
    them), or aliases.yml is wrong (always refused)."""
    previous = load_snapshot(root)
    aliases, wrong = _aliases_checked(root, documents, previous)
    if wrong:  # --force drops anchors from the promise; it does not make a wrong alias right
        for problem in wrong:
            print(f"   error: {problem}")
        raise ConversionError(f"{len(wrong)} problems in {ALIASES} (listed above); nothing written")
    problems = _promise_problems(previous, documents, aliases)
    if problems and not force:
        for problem in problems:
            print(f"   error: {problem}")
        raise ConversionError(f"{len(problems)} published ids, URLs or anchors would disappear (listed above); "
                              f"record aliases first, or pass --force to drop them from the promise")
    moved = moved_anchors(previous, documents)
    if moved and not accept_moved:
        for m in moved:
            print(f"   error: {m.describe()}")
        raise ConversionError(f"{len(moved)} published anchors now point at other text (listed above), so links "
                              f"to them land elsewhere; nothing written. Keep each anchor on its text, or record "
                              f"the moves deliberately with `gazette snapshot --accept-moved`")
    for m in moved:
        print(f"   moved: {m.describe()}")
    added = new_since_snapshot(root, documents)
    path = write_snapshot(root, documents, previous, aliases)
    recorded = f", {len(moved)} moved anchors recorded" if moved else ""
    print(f"wrote {path.relative_to(root)}: {len(documents)} documents, "
          f"{sum(len(d['anchors']) for d in documents)} anchors ({len(added)} documents new{recorded})")
    return 0
