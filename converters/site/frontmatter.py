"""A generated page's file: its front matter as one line of JSON between ``---`` fences, then its
finished HTML body::

    ---
    {"title":"…","description":"…","toc":[[2,"art_1","第一条"]]}
    ---

    <div class="doc">…

JSON, because writing and reading YAML was a sixth of the generate stage and an eighth of each MkDocs
build; one line of JSON is also YAML, so any front-matter reader still reads it (the few characters
YAML refuses or reads as a line break are written as \\u escapes). pages.py writes the files, the
engine's plugin reads them (engine.py), variant.py converts their values (never their keys).
"""

from __future__ import annotations

import json
import re

FENCE = "---\n"
# What JSON writes as it is but YAML does not read as written: C1 controls and DEL (refused; U+0085 a
# line break), lone surrogates, U+FFFE/U+FFFF (refused), U+2028/U+2029 (line breaks).
_NOT_YAML = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def _escape(m: re.Match) -> str:
    return f"\\u{ord(m.group()):04x}"


def page_text(meta: dict, body: str) -> str:
    """The file of a page: `meta` (keys in their order) as one line of JSON, then `body`."""
    head = json.dumps(meta, ensure_ascii=False, separators=(",", ":"))
    if _NOT_YAML.search(head):  # outside a string JSON writes only ASCII: these are inside strings
        head = _NOT_YAML.sub(_escape, head)
    return f"{FENCE}{head}\n{FENCE}\n{body.strip()}\n"


def read_page(text: str) -> tuple[dict, str] | None:
    """(meta, body) of a file that page_text wrote — the body as MkDocs would pass it on (blank lines
    after the front matter dropped) — or None when `text` has no one-line JSON front matter (a page
    written by hand): such a page is left to the engine's own reader."""
    if not text.startswith(FENCE + "{"):
        return None
    end = text.find("\n", len(FENCE))
    if end < 0 or not text.startswith(FENCE, end + 1):
        return None
    try:
        meta = json.loads(text[len(FENCE):end])
    except ValueError:
        return None
    if not isinstance(meta, dict):
        return None
    return meta, text[end + 1 + len(FENCE):].lstrip("\n")
