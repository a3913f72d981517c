"""Format-specific readers. Each turns one source text into SourceLines (see converters.model).

A new source format is a new module here, an entry in READERS and a rule in detect_format.
"""

from __future__ import annotations

import re

from . import pdfmd, pdftext

READERS = {
    "pdf-text": pdftext.read,
    "pdf-markdown": pdfmd.read,
}

_MARKDOWN_SIGNS = re.compile(r"^(#{1,6} \S|\*\*\S|!\[|\|.*\|$)", re.M)


def detect_format(text: str) -> str:
    """PDF-to-Markdown dumps have Markdown headings, bold or images; PDF-text dumps have none."""
    signs = len(_MARKDOWN_SIGNS.findall(text[:200_000]))
    return "pdf-markdown" if signs >= 3 else "pdf-text"
