"""One gazette issue through the converter stages: read -> segment -> reflow/structure."""

from __future__ import annotations

import re

from .audit import lost_characters, source_characters
from .model import ConversionError, IssueMeta, IssueResult, Warning_
from .readers import READERS
from .segment import segment
from .structure import build_document


def convert_text(text: str, source: str, meta: IssueMeta, fmt: str,
                 furniture_patterns: list[re.Pattern] | tuple = ()) -> IssueResult:
    """Convert one issue's decoded text. Raises ConversionError when no document is found."""
    read = READERS.get(fmt)
    if read is None:
        raise ConversionError(f"{source}: unknown source format {fmt!r} (known: {', '.join(READERS)})")
    lines = read(text, source, tuple(furniture_patterns))
    raws = segment(lines)
    if not raws:
        raise ConversionError(f"{source}: no document found (no title above a document number, "
                              f"no statistics table, no chronicle)")
    documents = [build_document(raw, meta, source, order) for order, raw in enumerate(raws, 1)]
    warnings: list[Warning_] = []
    ids: dict[str, int] = {}
    for doc in documents:
        if doc.id in ids:
            raise ConversionError(f"{source}:{doc.lineno}: document {doc.doc_number or doc.title} appears twice "
                                  f"in the issue (first at line {ids[doc.id]})")
        ids[doc.id] = doc.lineno
    _check_cover(lines.cover, meta, source, warnings)
    source_chars = source_characters(lines)
    lost = lost_characters(source_chars, documents)
    if lost:
        warnings.append(Warning_(f"{sum(lost.values())} characters of body text are not in any document: "
                                 + "".join(sorted(lost.elements()))[:40], 1))
    return IssueResult(meta=meta, source=source, format=lines.format, documents=documents,
                       furniture=lines.furniture, warnings=warnings,
                       characters=sum(source_chars.values()), lost=dict(lost))


def refuse_duplicates(issues: list, results: list[IssueResult], root) -> None:
    """Raise a ConversionError naming both folders when two issues (archive.IssueSource, with their
    results) are the same issue filed twice: the same source bytes, or a document both contain (the
    same document id, which comes from its document number; documents without one are scoped to their
    issue). One would take over the other's pages, since a document id is one page of the site."""
    import hashlib

    def folder(issue) -> str:
        return issue.folder.relative_to(root).as_posix()

    sources: dict[str, object] = {}
    holders: dict[str, object] = {}
    for issue, result in zip(issues, results):
        digest = hashlib.sha256(issue.read_bytes()).hexdigest()
        if digest in sources:
            raise ConversionError(f"{folder(sources[digest])} and {folder(issue)} hold the same source: an issue is "
                                  f"filed once, so remove one of the two folders")
        sources[digest] = issue
        for doc in result.documents:
            first = holders.setdefault(doc.id, issue)
            if first is not issue:
                raise ConversionError(f"{folder(first)} and {folder(issue)} both contain {doc.doc_number or doc.title} "
                                      f"(document {doc.id}, {result.source}:{doc.lineno}): a document is filed "
                                      f"once, so remove the issue filed twice")


def _check_cover(cover: dict, meta: IssueMeta, source: str, warnings: list[Warning_]) -> None:
    for key in ("year", "number", "date"):
        printed = cover.get(key)
        given = getattr(meta, key)
        if printed is not None and given is not None and printed != given:
            warnings.append(Warning_(f"the cover prints {key} {printed} but the metadata says {given}", 1))
