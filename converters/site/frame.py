"""The pages drawn in the lean frame (overrides/cited.html), written without MkDocs.

A cited number's page (``cited/…``) and a document's full list of citers (``doc/…/cited-by/…``) are
82 % of a site's pages. Their frame (overrides/cited.html) names no other page and is outside the nav,
so it is the same for every such page at the same depth but for four slots: the page's title, its
description, its URL and its body. MkDocs renders that frame once per depth, around markers
(engine.py, ``FinishedHtmlPlugin``); this module cuts the rendering at the markers and fills each page
into it. A page comes out byte for byte as MkDocs wrote it (tests/test_frame.py builds a site both
ways), at a fraction of MkDocs' cost per page (its file, page and context objects, the template).

Hand-rolled rather than a template: the frame *is* MkDocs' rendering of the theme's template, so the
theme (Material's partials, our overrides) stays the only place the frame is written.

The values are escaped here, as MkDocs' path escapes them: the title by the plugin (html.escape, then
printed raw by the template), the description by the template's ``| e`` (markupsafe). URLs are
generated slugs (``ids.py``); a page whose URL holds anything else is left to MkDocs (``framed``).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import cached_property

from markupsafe import escape

from .common import BLANK_RE, PRESERVE_RE, compact_html

# The template of these pages, and the rule that picks them (the same rule keeps them out of the
# sitemap: overrides/sitemap.xml).
TEMPLATE = "cited.html"
_URL = re.compile(r"[a-z0-9][a-z0-9._-]*(?:/[a-z0-9][a-z0-9._-]*)*/")

TITLE_SLOT = "GAZETTE-FRAME-TITLE-SLOT"
DESCRIPTION_SLOT = "GAZETTE-FRAME-DESCRIPTION-SLOT"
BODY_SLOT = "GAZETTE-FRAME-BODY-SLOT"
# the frame's own URL: this folder, then one level per depth (its canonical URL, its links to the
# other script hold it)
URL_SLOT = "gazette-frame-url-slot/"
# an opening or closing tag of an element compaction leaves as it is (common.PRESERVE_RE)
_PRESERVED_TAG = re.compile(r"</?(?:pre|textarea|script)\b", re.I)
_SLOTS = re.compile("(" + "|".join(map(re.escape, (TITLE_SLOT, DESCRIPTION_SLOT, BODY_SLOT)))
                    + "|" + re.escape(URL_SLOT) + "(?:x/)*)")


def framed(url: str) -> bool:
    """The page at `url` (``cited/gf-2016-12/``) is drawn in the lean frame by this module: a cited
    number's page or a list of citers, at a generated slug path (nothing in it to escape or encode)."""
    return (url.startswith("cited/") or "/cited-by/" in url) and _URL.fullmatch(url) is not None


def frame_url(depth: int) -> str:
    """The URL of the frame rendered for pages `depth` folders deep (cited/gf-2016-12/ is 2)."""
    return URL_SLOT + "x/" * (depth - 1)


def depth(url: str) -> int:
    return url.count("/")


@dataclass(frozen=True)
class Frame:
    """A rendering of the frame around the markers, cut at them: `parts` alternate text and slot names."""

    parts: tuple[str, ...]

    @classmethod
    def cut(cls, rendered: str, depth: int) -> Frame:
        """The frame MkDocs rendered at `frame_url(depth)`. Raises ValueError when the body slot is not
        there once, or the URL is there at another depth (the template changed in a way this module
        does not know)."""
        parts = _SLOTS.split(rendered)
        slots = parts[1::2]
        if slots.count(BODY_SLOT) != 1:
            raise ValueError(f"{TEMPLATE}: the page's content is printed {slots.count(BODY_SLOT)} times, not once")
        own = frame_url(depth)
        if any(s.startswith(URL_SLOT) and s != own for s in slots):
            raise ValueError(f"{TEMPLATE}: prints a URL of another depth than its page's")
        return cls(tuple(parts))

    def fill(self, title: str, description: str, url: str, body: str) -> str:
        """The page: `title` and `description` as written (escaped here), `url` one `framed` accepts, `body`
        finished HTML."""
        values = self._values(title, description, url, body)
        return "".join(part if n % 2 == 0 else values[part] for n, part in enumerate(self.parts))

    def compact_page(self, title: str, description: str, url: str, body: str) -> str:
        """compact_html(fill(…)), with the frame's parts compacted once: compaction makes each run of
        blank space that holds a line break one line break, run by run, outside <pre>, <textarea> and
        <script>; so each piece can be compacted on its own and the runs where two pieces meet again."""
        if not self._separable or _PRESERVED_TAG.search(body):
            return compact_html(self.fill(title, description, url, body))
        values = self._values(title, description, url, body)
        out = ""
        for n, part in enumerate(self.parts):
            piece = self._compacted[n] if n % 2 == 0 else BLANK_RE.sub("\n", values[part])
            if out[-1:].isspace() and piece[:1].isspace():  # one run of blank space across the two
                tail, head = len(out) - len(out.rstrip()), len(piece) - len(piece.lstrip())
                out = out[:-tail] + BLANK_RE.sub("\n", out[-tail:] + piece[:head]) + piece[head:]
            else:
                out += piece
        return out

    def _values(self, title: str, description: str, url: str, body: str) -> dict[str, str]:
        values = {part: url for part in self.parts[1::2]}
        values.update({TITLE_SLOT: html.escape(title, quote=True), DESCRIPTION_SLOT: str(escape(description)),
                       BODY_SLOT: body})
        return values

    @cached_property
    def _separable(self) -> bool:
        """No <pre>, <textarea> or <script> element of the frame holds a slot (so none spans two parts)."""
        return not any(_PRESERVED_TAG.search(piece) for part in self.parts[0::2]
                       for piece in PRESERVE_RE.split(part)[0::2])

    @cached_property
    def _compacted(self) -> dict[int, str]:
        return {n: compact_html(part) for n, part in enumerate(self.parts) if n % 2 == 0}
