"""Nothing lost: every character of body text a reader passed on must be in the documents."""

from __future__ import annotations

from collections import Counter

from .model import Document, SourceLines

# Layout, not text: the chronicle's event bullets become list items.
LAYOUT = set("●")


def _count(text: str, total: Counter | None = None) -> Counter:
    """Add the characters of `text` to `total` in place (linear: `Counter +=` would copy the whole
    counter for every line, which made the audit the slowest step of a long issue)."""
    total = Counter() if total is None else total
    total.update(c for c in text if not c.isspace() and c not in LAYOUT)
    return total


def source_characters(lines: SourceLines) -> Counter:
    total: Counter = Counter()
    for line in lines.lines:
        _count("".join(line.cells) if line.cells is not None else line.text, total)
    return total


def document_characters(doc: Document, total: Counter | None = None) -> Counter:
    total = _count(doc.doc_number_printed or "", total)
    for block in doc.blocks:
        _count(block.text or "", total)
        _count(block.label or "", total)
        for row in block.rows or []:
            _count("".join(row), total)
        for event in block.events or []:
            _count(event, total)
    return total


def lost_characters(lines: SourceLines, documents: list[Document]) -> Counter:
    out: Counter = Counter()
    for doc in documents:
        document_characters(doc, out)
    return source_characters(lines) - out
