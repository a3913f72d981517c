"""One gazette issue through the converter stages: read -> segment -> reflow/structure."""

from __future__ import annotations

import re

from .audit import lost_characters, source_characters
from .model import ConversionError, IssueMeta, IssueResult, Warning_
from .readers import READERS
from .segment import segment
from .structure import build_document
from .text import consecutive_runs


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
    _complete_page_ranges(documents, raws)
    if lines.format == "pdf-text":
        warnings += _pages_not_anchored(lines, documents)
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


def _complete_page_ranges(documents, raws) -> None:
    """A document whose last page is not known ends on the page before the next document's first
    page, when that document begins a page whose number is known."""
    for doc, nxt in zip(documents, raws[1:]):
        first, last = doc.page_bounds
        head = nxt.title_lines[0] if nxt.title_lines else None
        if "pages" in doc.undetermined and first is not None and last is None \
                and head is not None and head.page_start is not None and head.page_start - 1 >= first:
            doc.pages = (first, head.page_start - 1)
            doc.undetermined.remove("pages")
    for doc in documents:
        if "pages" in doc.undetermined:
            doc.warnings.append(Warning_("printed pages not determined: the first or last page of the "
                                        "document is not numbered in the dump", doc.lineno))


def _pages_not_anchored(lines, documents) -> list[Warning_]:
    """Printed pages, between the first and last the dump numbers, that no document anchors (the
    documents whose page range holds them name them in `undetermined`: `page_N`)."""
    numbered = [(ln.page, ln.lineno) for ln in lines.lines if ln.page is not None]
    if not numbered:
        return []
    anchored = {int(a[5:]) for d in documents for a in d.anchors if a.startswith("page_")}
    low, high = min(p for p, _ in numbered), max(p for p, _ in numbered)
    missing = [p for p in range(low, high + 1) if p not in anchored]
    for doc in documents:  # its page says so: the source prints these pages, the converter could not place them
        doc.undetermined += [f"page_{p}" for p in missing if doc.pages and doc.pages[0] <= p <= doc.pages[1]]
    out = []
    for run in consecutive_runs(missing):
        after = max((ln for p, ln in numbered if p < run[0]), default=1)
        label = f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0])
        out.append(Warning_(f"printed page{'s' if len(run) > 1 else ''} {label} not anchored: where "
                            f"{'they begin' if len(run) > 1 else 'it begins'} is not certain in the dump", after))
    return out


def _check_cover(cover: dict, meta: IssueMeta, source: str, warnings: list[Warning_]) -> None:
    for key in ("year", "number", "date"):
        printed = cover.get(key)
        given = getattr(meta, key)
        if printed is not None and given is not None and printed != given:
            warnings.append(Warning_(f"the cover prints {key} {printed} but the metadata says {given}", 1))
