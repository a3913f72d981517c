"""Nothing lost: every character of body text a reader passed on must be in the documents."""

from __future__ import annotations

from collections import Counter

from .model import Document, SourceLines

# Layout, not text: the chronicle's event bullets become list items.
LAYOUT = set("●")


def _count(text: str, total: Counter | None = None) -> Counter:
    """Add the characters of `text` to `total` in place (linear: `Counter +=` would copy the whole
    counter for every line, which made the audit the slowest step of a long issue). Whitespace and
    layout are counted too, and dropped once by `_text_only`: counting a string is done in C."""
    total = Counter() if total is None else total
    total.update(text)
    return total


def _text_only(total: Counter) -> Counter:
    for char in [c for c in total if c.isspace() or c in LAYOUT]:
        del total[char]
    return total


def source_characters(lines: SourceLines) -> Counter:
    total: Counter = Counter()
    for line in lines.lines:
        _count("".join(line.cells) if line.cells is not None else line.text, total)
    return _text_only(total)


def document_characters(doc: Document, total: Counter) -> Counter:
    """Add the characters of a document's text to `total` (whitespace included: see _text_only)."""
    total = _count(doc.doc_number_printed or "", total)
    for block in doc.blocks:
        _count(block.text or "", total)
        _count(block.label or "", total)
        for row in block.rows or []:
            _count("".join(row), total)
        for event in block.events or []:
            _count(event, total)
    return total


def lost_characters(source: Counter, documents: list[Document]) -> Counter:
    """The characters of `source` (source_characters of the reader's lines) in no document."""
    out: Counter = Counter()
    for doc in documents:
        document_characters(doc, out)
    return source - _text_only(out)
