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


def _check_cover(cover: dict, meta: IssueMeta, source: str, warnings: list[Warning_]) -> None:
    for key in ("year", "number", "date"):
        printed = cover.get(key)
        given = getattr(meta, key)
        if printed is not None and given is not None and printed != given:
            warnings.append(Warning_(f"the cover prints {key} {printed} but the metadata says {given}", 1))
