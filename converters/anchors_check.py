"""Anchors are a promise: a published id, URL or anchor never disappears without a recorded alias.

    docs_src/_published/documents.json   the snapshot: what the site has published, one object per
                                          document: {"id", "url", "issue", "anchors"}
    docs_src/_published/aliases.yml       where a vanished id or anchor now lives, old -> new:
                                              lzgf-2019-2: lzgf-2019-2a              (a whole document)
                                              lzgf-2019-2#art_15: lzgf-2019-2#art_16  (one anchor)
                                              lzgf-2019-2#art_15__para_2: lzgf-2019-2#art_15

`gazette check` compares the current conversion with the snapshot (check_anchors) and fails when
something published would disappear; `gazette snapshot` rewrites the snapshot from the current
conversion (refusing while there are problems), to be committed with the pull request.
"""

from __future__ import annotations

import argparse
import json
import os
import re
from pathlib import Path

import yaml

from .model import ConversionError

PUBLISHED = Path("docs_src") / "_published"
SNAPSHOT = PUBLISHED / "documents.json"
ALIASES = PUBLISHED / "aliases.yml"
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_ANCHOR_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def load_snapshot(root: Path) -> list[dict]:
    path = root / SNAPSHOT
    if not path.exists():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ConversionError(f"{SNAPSHOT}: not valid JSON ({exc.__class__.__name__})") from None
    if not isinstance(data, list) or not all(isinstance(d, dict) and isinstance(d.get("id"), str) for d in data):
        raise ConversionError(f"{SNAPSHOT}: expected a JSON array of documents with an 'id'")
    return data


def _split(ref: str) -> tuple[str, str | None]:
    doc, _, anchor = ref.partition("#")
    return doc, (anchor or None)


def load_aliases(root: Path) -> dict[str, str]:
    """old -> new, each `id` or `id#anchor`; a ConversionError names the bad entry."""
    path = root / ALIASES
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConversionError(f"{ALIASES}: not valid YAML ({exc.__class__.__name__})") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConversionError(f"{ALIASES}: expected a mapping of old `id` or `id#anchor` to the new one")
    aliases: dict[str, str] = {}
    for old, new in data.items():
        if not isinstance(old, str) or not isinstance(new, str):
            raise ConversionError(f"{ALIASES}: entry {old!r}: both sides must be `id` or `id#anchor` strings")
        for ref in (old, new):
            doc, anchor = _split(ref)
            if not _ID_RE.match(doc) or (anchor is not None and not _ANCHOR_RE.match(anchor)) or ref.count("#") > 1:
                raise ConversionError(f"{ALIASES}: entry {old!r}: {ref!r} is not `id` or `id#anchor`")
        if _split(old)[1] is None and _split(new)[1] is not None:
            raise ConversionError(f"{ALIASES}: entry {old!r}: a whole document must map to a whole document, "
                                  f"not to {new!r}")
        aliases[old] = new
    return aliases


def _resolve(ref: str, aliases: dict[str, str]) -> str:
    """Follow alias chains (old -> newer -> newest), stopping at a cycle."""
    seen = {ref}
    while ref in aliases:
        ref = aliases[ref]
        if ref in seen:
            break
        seen.add(ref)
    return ref


def check_anchors(root: Path, current_documents: list[dict]) -> list[str]:
    """Problems (one sentence each) where a published id, URL or anchor would disappear."""
    snapshot = load_snapshot(root)
    aliases = load_aliases(root)
    current = {d["id"]: d for d in current_documents}
    anchors = {d["id"]: set(d.get("anchors") or []) for d in current_documents}
    problems: list[str] = []

    def exists(ref: str) -> bool:
        doc, anchor = _split(ref)
        return doc in current and (anchor is None or anchor in anchors[doc])

    for old, new in aliases.items():
        target = _resolve(old, aliases)
        if not exists(target):
            problems.append(f"{ALIASES}: alias {old} -> {new} points to {target}, which the archive does not have")

    for published in snapshot:
        old_id = published["id"]
        doc_id = old_id
        if old_id not in current:
            target = _resolve(old_id, aliases)
            if target == old_id or target not in current:
                problems.append(f"document {old_id} (/{published.get('url', '')}) is published but no longer "
                                f"produced; record where it went in {ALIASES} ({old_id}: <new id>)")
                continue
            doc_id = target
        elif published.get("url") and current[old_id].get("url") != published["url"]:
            problems.append(f"document {old_id} moved from /{published['url']} to /{current[old_id].get('url')}; "
                            f"published URLs must not change")
        missing = []
        for anchor in published.get("anchors") or []:
            if anchor in anchors[doc_id]:
                continue
            ref = f"{old_id}#{anchor}"
            target = _resolve(ref, aliases)
            if target != ref and exists(target):
                continue
            missing.append(anchor)
        if missing:
            shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
            problems.append(f"document {old_id}: published anchor{'s' if len(missing) > 1 else ''} {shown} "
                            f"would disappear; record each as `{old_id}#<anchor>: <id>#<new anchor>` in {ALIASES}")
    return problems


def new_since_snapshot(root: Path, current_documents: list[dict]) -> list[str]:
    """Ids of current documents the snapshot does not list yet (not a problem: run `gazette snapshot`)."""
    known = {d["id"] for d in load_snapshot(root)}
    return [d["id"] for d in current_documents if d["id"] not in known]


def snapshot_entries(current_documents: list[dict]) -> list[dict]:
    return [{"id": d["id"], "url": d["url"], "issue": (d.get("issue") or {}).get("id"),
             "anchors": list(d.get("anchors") or [])}
            for d in sorted(current_documents, key=lambda d: d["id"])]


def write_snapshot(root: Path, current_documents: list[dict]) -> Path:
    path = root / SNAPSHOT
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(snapshot_entries(current_documents), ensure_ascii=False, indent=1) + "\n"
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return path


def cmd_snapshot(args: argparse.Namespace) -> int:
    from .cli import convert_archive, project_root

    root = project_root()
    results = convert_archive(root, progress=False)
    documents = [d.summary() for r in results for d in r.documents]
    problems = check_anchors(root, documents)
    if problems and not args.force:
        for problem in problems:
            print(f"   error: {problem}")
        raise ConversionError(f"{len(problems)} published ids, URLs or anchors would disappear (listed above); "
                              f"record aliases first, or pass --force to drop them from the promise")
    added = new_since_snapshot(root, documents)
    path = write_snapshot(root, documents)
    print(f"wrote {path.relative_to(root)}: {len(documents)} documents, "
          f"{sum(len(d['anchors']) for d in documents)} anchors ({len(added)} documents new)")
    return 0


def register(sub) -> None:
    parser = sub.add_parser("snapshot", help="record the current ids, URLs and anchors as published "
                                             f"({SNAPSHOT})")
    parser.add_argument("--force", action="store_true",
                        help="write the snapshot even when published anchors would disappear")
    parser.set_defaults(func=cmd_snapshot)
