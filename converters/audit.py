"""Nothing lost: every character of body text a reader passed on must be in the documents."""

from __future__ import annotations

from collections import Counter

from .model import Document, SourceLines

# Layout, not text: the chronicle's event bullets become list items.
LAYOUT = set("●")


def _count(text: str) -> Counter:
    return Counter(c for c in text if not c.isspace() and c not in LAYOUT)


def source_characters(lines: SourceLines) -> Counter:
    total: Counter = Counter()
    for line in lines.lines:
        total += _count("".join(line.cells) if line.cells is not None else line.text)
    return total


def document_characters(doc: Document) -> Counter:
    total = _count(doc.doc_number_printed or "")
    for block in doc.blocks:
        text = block.text or ""
        total += _count(text)
        total += _count(block.label or "")
        for row in block.rows or []:
            total += _count("".join(row))
        for event in block.events or []:
            total += _count(event)
    return total


def lost_characters(lines: SourceLines, documents: list[Document]) -> Counter:
    out: Counter = Counter()
    for doc in documents:
        out += document_characters(doc)
    return source_characters(lines) - out
