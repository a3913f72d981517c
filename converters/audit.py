"""Nothing lost: every character of body text a reader passed on must be in the documents.

Characters are counted as code points with numpy (``bincount``), each side's text joined once: counting
them one by one into a Counter was a tenth of converting an issue. Whitespace and layout are not text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

import numpy as np

from .model import Document, SourceLines
from .text import code_points

# Layout, not text: the chronicle's event bullets become list items.
LAYOUT = set("●")


def characters(pieces: Iterable[str]) -> Counter:
    """The characters of the joined `pieces` with their counts, whitespace and layout left out."""
    text = "".join(pieces)
    counts = np.bincount(code_points(text))
    found = np.flatnonzero(counts)
    return Counter({char: n for char, n in zip(map(chr, found.tolist()), counts[found].tolist())
                    if not (char.isspace() or char in LAYOUT)})


def source_characters(lines: SourceLines) -> Counter:
    return characters("".join(line.cells) if line.cells is not None else line.text for line in lines.lines)


def _document_text(doc: Document) -> Iterator[str]:
    yield doc.doc_number_printed or ""
    for block in doc.blocks:
        yield block.text or ""
        yield block.label or ""
        for row in block.rows or []:
            yield from row
        yield from block.events or []


def lost_characters(source: Counter, documents: list[Document]) -> Counter:
    """The characters of `source` (source_characters of the reader's lines) in no document."""
    return source - characters(piece for doc in documents for piece in _document_text(doc))
