"""What the site serves for aliases (aliases.yml), so that a published link keeps working:

- a renamed document's old URL is a small static page, in both scripts, that goes to the new URL keeping
  the #anchor (or the anchor an alias gives it): site/doc/<old id>/index.html and
  site/zh-Hant/doc/<old id>/index.html, written after MkDocs has built. It has <link rel="canonical"> to
  the new URL and robots noindex; JavaScript keeps the #anchor, a meta refresh and a visible link do
  without it. It is no MkDocs page: no sitemap lists it, the search index does not hold it.
- a document page carries the aliases of its own anchors (anchor_aliases_by_page, placed by the page
  template as data-anchor-aliases), which gazette.js follows: #old on load or on a hash change leads to
  where the anchor lives now (on that page, or another one).

Every id and anchor matched the contract's ASCII grammar when aliases.yml was read (aliases.py), so
they are safe in URLs and paths; text is escaped once where HTML is written, and JSON inside <script>
cannot close it. build/redirects.txt lists the redirect pages written, so that a later build (which
keeps site/ when it is incremental) removes those no longer wanted.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Callable, Protocol

from .aliases import Aliases, Ref, load_aliases
from .model import ConversionError

MARK = "<!-- gazette redirect: docs_src/_published/aliases.yml -->"
MANIFEST = Path("build") / "redirects.txt"
SCRIPTS = (("", "zh-Hans"), ("zh-Hant/", "zh-Hant"))
COMPACT = (",", ":")


class Page(Protocol):
    id: str
    title: str


def link(page_id: str, target: Ref) -> str:
    """The URL of `target` relative to the page doc/<page_id>/ (the same in both scripts)."""
    fragment = f"#{target.anchor}" if target.anchor else ""
    if target.doc == page_id:
        return fragment or "./"
    return f"../{target.doc}/{fragment}"


def safe_json(value) -> str:
    """JSON that cannot end a <script> element or open a comment in it."""
    text = json.dumps(value, ensure_ascii=True, sort_keys=True, separators=COMPACT)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def anchor_aliases(aliases: Aliases, page_ids: set[str]) -> dict[str, dict[str, str]]:
    """{document id: {old anchor: where it leads, relative to that document's page}} for every
    aliased anchor of a current document (only its own: nothing archive-wide on a page)."""
    out: dict[str, dict[str, str]] = {}
    for alias in aliases.entries:
        if alias.old.anchor is None or alias.old.doc not in page_ids:
            continue
        target = aliases.resolve(alias.old)
        if target is not None and target.doc in page_ids:
            out.setdefault(alias.old.doc, {})[alias.old.anchor] = link(alias.old.doc, target)
    return out


def anchor_aliases_by_page(root: Path, documents: list[Page]) -> dict[str, str]:
    """{document id: its anchor aliases as JSON} for the pages that have any (the attribute's value)."""
    maps = anchor_aliases(load_aliases(root), {d.id for d in documents})
    return {doc: safe_json(moved) for doc, moved in maps.items()}


def redirects(aliases: Aliases, page_ids: set[str]) -> dict[str, tuple[str, dict[str, str]]]:
    """{old document id: (the id it leads to, {anchor: where it leads instead of the same anchor there})}
    for every renamed document. Anchors are carried over by name; the map holds those an alias sends
    elsewhere, from the old document or one along its way."""
    out = {}
    for alias in aliases.entries:
        old = alias.old
        if old.anchor is not None or old.doc in page_ids:
            continue
        target = aliases.resolve(old)
        if target is None or target.doc not in page_ids:
            continue
        on_the_way = {ref.doc for ref in aliases.chain(old)[0]}
        moved = {}
        for other in aliases.entries:
            anchor = other.old.anchor
            if anchor is None or other.old.doc not in on_the_way or anchor in moved:
                continue
            there = aliases.resolve(Ref(old.doc, anchor))
            if there is not None and there.doc in page_ids and there != Ref(target.doc, anchor):
                moved[anchor] = link(old.doc, there)
        out[old.doc] = (target.doc, moved)
    return out


REDIRECT_SCRIPT = """(function () {
  var moved = %s, anchor = location.hash.slice(1);
  location.replace(Object.prototype.hasOwnProperty.call(moved, anchor) ? moved[anchor] : %s + location.hash);
})();"""


def redirect_page(lang: str, target_url: str, canonical: str, moved: dict[str, str], title: str,
                  texts: dict[str, str]) -> str:
    """A redirect page. `target_url` is relative to it; `title` and `texts` are plain text."""
    e = html.escape
    return f"""<!doctype html>
{MARK}
<html lang="{e(lang)}">
<head>
<meta charset="utf-8">
<meta name="robots" content="noindex">
<title>{e(texts['moved'])}</title>
<link rel="canonical" href="{e(canonical)}">
<noscript><meta http-equiv="refresh" content="0; url={e(target_url)}"></noscript>
<script>{REDIRECT_SCRIPT % (safe_json(moved), safe_json(target_url))}</script>
</head>
<body>
<p>{e(texts['now_at'])}<a href="{e(target_url)}">{e(title)}</a></p>
</body>
</html>
"""


def write_redirects(root: Path, site: Path, documents: list[Page], site_url: str,
                    to_traditional: Callable[[str], str]) -> int:
    """Write the redirect page of every renamed document in both scripts under `site`, remove those a
    previous build wrote that are no longer wanted, and return how many documents are redirected.
    `site_url` ("" when unknown: the canonical link is then relative) ends with "/"."""
    by_id = {d.id: d for d in documents}
    wanted = redirects(load_aliases(root), set(by_id))
    texts = {"moved": "本文件已移至新网址", "now_at": "本文件的网址已改为："}
    written = []
    for old_id, (new_id, moved) in sorted(wanted.items()):
        for prefix, lang in SCRIPTS:
            convert = to_traditional if prefix else (lambda s: s)
            rel = f"{prefix}doc/{old_id}/index.html"
            path = site / rel
            if path.exists() and not path.read_text(encoding="utf-8", errors="replace").startswith(
                    f"<!doctype html>\n{MARK}"):
                raise ConversionError(f"site/{rel} is a page of the site, not a redirect: "
                                      f"{old_id} cannot be an alias while the archive has it")
            path.parent.mkdir(parents=True, exist_ok=True)
            canonical = f"{site_url}{prefix}doc/{new_id}/" if site_url else f"../{new_id}/"
            title = convert(f"《{by_id[new_id].title}》")
            path.write_text(redirect_page(lang, f"../{new_id}/", canonical, moved, title,
                                          {k: convert(v) for k, v in texts.items()}), encoding="utf-8")
            written.append(rel)
    manifest = root / MANIFEST
    before = manifest.read_text(encoding="utf-8").split() if manifest.exists() else []
    for rel in set(before) - set(written):
        path = site / rel
        if path.is_file() and path.read_text(encoding="utf-8", errors="replace").startswith(f"<!doctype html>\n{MARK}"):
            path.unlink()
            try:
                path.parent.rmdir()
            except OSError:  # not empty: something else lives there now
                pass
    manifest.parent.mkdir(parents=True, exist_ok=True)
    manifest.write_text("".join(f"{rel}\n" for rel in written), encoding="utf-8")
    return len(wanted)
