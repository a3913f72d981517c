"""Anchors are a promise: a published id, URL or anchor never disappears without a recorded alias.

    docs_src/_published/documents.json   the snapshot: what the site has published, one object per
                                          document: {"id", "url", "issue", "anchors"}; a renamed document
                                          and an anchor taken elsewhere by an alias stay in it (their old
                                          URLs are still served, as redirects)
    docs_src/_published/aliases.yml       where a vanished id or anchor now lives, old -> new (aliases.py):
                                              lzgf-2019-2: lzgf-2019-2a              (a whole document)
                                              lzgf-2019-2#art_15: lzgf-2019-2#art_16  (one anchor)

`gazette check` compares the current conversion with the snapshot (check_anchors), and with
`--against REF` also with the snapshot committed at REF (a pull request's base: the pull request cannot
waive the promise by rewriting its own snapshot); it fails when aliases.yml is wrong or something
published would disappear. `gazette snapshot` rewrites the snapshot from the current conversion
(refusing while there are problems), to be committed with the pull request.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from .aliases import ALIASES, PUBLISHED, Aliases, Ref, alias_problems, anchors_by_document, exists, read_aliases
from .model import ConversionError
from .workers import child_setup

SNAPSHOT = PUBLISHED / "documents.json"


def parse_snapshot(text: str, label: str) -> list[dict]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ConversionError(f"{label}: not valid JSON ({exc.__class__.__name__})") from None
    if not isinstance(data, list) or not all(isinstance(d, dict) and isinstance(d.get("id"), str) for d in data):
        raise ConversionError(f"{label}: expected a JSON array of documents with an 'id'")
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
    """Problems (one line each): entries of aliases.yml that are wrong, and published ids, URLs or
    anchors that would disappear. What is published is the committed snapshot, and with
    `against` = (git revision, its snapshot) also what was published there: a pull request that drops
    anchors from its own snapshot (`gazette snapshot --force`) is still held to its base's."""
    snapshot = load_snapshot(root)
    base = against[1] if against else []
    aliases, problems = _aliases_checked(root, current_documents, snapshot + base)
    problems += _promise_problems(snapshot, current_documents, aliases)
    if against:
        where = f" (published at {against[0]})"
        problems += [p for p in _promise_problems(base, current_documents, aliases, where)
                     if p.replace(where, "") not in problems]
    return problems


def new_since_snapshot(root: Path, current_documents: list[dict]) -> list[str]:
    """Ids of current documents the snapshot does not list yet (not a problem: run `gazette snapshot`)."""
    known = {d["id"] for d in load_snapshot(root)}
    return [d["id"] for d in current_documents if d["id"] not in known]


def snapshot_entries(current_documents: list[dict], previous: list[dict] = (),
                     aliases: Aliases | None = None) -> list[dict]:
    """The snapshot of the current conversion, by id. What `previous` promised and an alias now leads
    elsewhere stays promised (its old URL or anchor is still served, as a redirect): a renamed
    document's entry, and an anchor an alias took away from a document."""
    entries = {d["id"]: {"id": d["id"], "url": d["url"], "issue": (d.get("issue") or {}).get("id"),
                         "anchors": list(d.get("anchors") or [])} for d in current_documents}
    for old in previous if aliases else ():
        entry = entries.get(old["id"])
        if entry is None:
            if aliases.step(Ref(old["id"])) is not None:
                entries[old["id"]] = {"id": old["id"], "url": old.get("url"), "issue": old.get("issue"),
                                      "anchors": list(old.get("anchors") or [])}
            continue
        kept = set(entry["anchors"])
        entry["anchors"] += [a for a in old.get("anchors") or []
                             if a not in kept and aliases.step(Ref(old["id"], a)) is not None]
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


def record_snapshot(root: Path, documents: list[dict], force: bool = False) -> int:
    """`gazette snapshot` for the current conversion's `documents` (their api/documents.json entries):
    write the snapshot unless a published id, URL or anchor would disappear (refused unless `force`)
    or aliases.yml is wrong (always refused)."""
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
    added = new_since_snapshot(root, documents)
    path = write_snapshot(root, documents, previous, aliases)
    print(f"wrote {path.relative_to(root)}: {len(documents)} documents, "
          f"{sum(len(d['anchors']) for d in documents)} anchors ({len(added)} documents new)")
    return 0
