"""Search view: the lean copy of a built document page that Pagefind indexes instead of the page itself.

Pagefind keeps, in every page's fragment, the text of each element that has an id; the search UI only
uses those of headings (its sub-results). Our pages put an id on every paragraph, so a fragment held
the document's text twice. The search view keeps the indexed text (title, document number, body; not
what the page marks `data-pagefind-ignore`) and the ids of headings only, and turns each article's
number into a heading, so that a hit inside 第十五条 is offered as a sub-result linking to `#art_15`.

input : the compacted HTML MkDocs wrote (its markup made by render.py, whose class names it uses) for site/doc/<id>/index.html (zh-Hans)
output: a small HTML page written to build/search_view/doc/<id>/index.html; Pagefind runs with
        `--site build/search_view`, so its URLs (doc/<id>/) are the published pages'.
"""

from __future__ import annotations

import re

from .render import (DOC_AFTER, DOC_META, DOC_NUMBER, DOC_STATUS, HEADERLINK, PAGE_MARK, PROVISION_HEADING,
                     PROVISION_LINK)

BODY_START = '<div data-pagefind-body>'
# what the page marks data-pagefind-ignore: status banners, the facts box, cited-by and the pager
IGNORED = re.compile(rf'<div class="(?:admonition [^"]*{DOC_STATUS}|{DOC_META})"[^>]*>.*?</div>', re.S)
AFTER = f'<div class="{DOC_AFTER}"'  # the last part of the body: cited-by, cites, the pager
# links on the page that are not text: heading permalinks, printed-page marks
NON_TEXT_LINKS = re.compile(rf'<a class="(?:{HEADERLINK}|{PAGE_MARK})"[^>]*>[^<]*</a>')
# the document number, from the page's facts box (ignored as a whole): searchable, and shown in results
DOC_NUMBER_FACT = re.compile(rf'<dd class="{DOC_NUMBER}">([^<]+)</dd>')
# an article, also one inside an attachment or enclosed text (att_1__art_3)
# (its number announced as a heading: render.PROVISION_HEADING)
ARTICLE = re.compile(rf'<p class="article" id="((?:[a-z]+_\d+__)*art_\d+)"><span class="{PROVISION_HEADING}" '
                     rf'role="heading" aria-level="\d"><a class="{PROVISION_LINK}" href="#\1">([^<]*)</a></span>')
START_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)([^>]*)>")
KEPT_ATTRIBUTE = re.compile(r'\s(data-pagefind-[a-z-]+(?:="[^"]*")?|hidden)')
HEADING_ID = re.compile(r'\sid="[^"]*"')
TITLE = re.compile(r"<title>(.*?)</title>", re.S)
LANG = re.compile(r'<html lang="([^"]*)"')


def _lean_tag(match: re.Match) -> str:
    name, attributes = match.group(1), match.group(2)
    if name == "a":
        return ""
    kept = KEPT_ATTRIBUTE.findall(attributes)
    if name in ("h1", "h2", "h3", "h4", "h5", "h6"):
        kept += [m.strip() for m in HEADING_ID.findall(attributes)]
    return f"<{name}{''.join(' ' + k for k in kept)}>"


def search_view(page: str) -> str | None:
    """The search view of a document page, or None when the page has no indexed body."""
    start = page.find(BODY_START)
    end = page.find("</article>", start)
    if start < 0 or end < 0:
        return None
    body = page[start + len(BODY_START):end]
    number = DOC_NUMBER_FACT.search(body)
    after = body.find(AFTER)
    body = body[:after] if after >= 0 else body.rstrip().removesuffix("</div>")  # the body's own end
    body = IGNORED.sub("", body)
    body = NON_TEXT_LINKS.sub("", body)
    body = ARTICLE.sub(r'<h5 id="\1">\2</h5><p>', body)
    body = START_TAG.sub(_lean_tag, body).replace("</a>", "")
    if number:  # after the h1, which Pagefind takes as the result's title
        body = body.replace("</h1>", f'</h1><p data-pagefind-meta="doc_number">{number.group(1)}</p>', 1)
    title = TITLE.search(page)
    lang = LANG.search(page)
    return (f'<!doctype html><html lang="{lang.group(1) if lang else "zh"}"><head><meta charset="utf-8">'
            f"<title>{title.group(1) if title else ''}</title></head>"
            f"<body><div data-pagefind-body>{body}</div></body></html>\n")
