"""Format-specific readers. Each turns one source text into SourceLines (see converters.model).

A new source format is a new module here and an entry in READERS, nothing else.
"""

from __future__ import annotations

from . import pdfmd, pdftext

READERS = {
    ".txt": pdftext.read,
    ".md": pdfmd.read,
}


def reader_for(path: str):
    for suffix, read in READERS.items():
        if path.endswith(suffix):
            return read
    raise KeyError(path)
