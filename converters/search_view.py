"""Search view: what the search index holds of a built document page, as one JSON record.

The record keeps the page's searchable text (title, document number, body; not what the page marks
`data-search-ignore`), the headings a hit can open (each article's number is one, so a hit inside
第十五条 is offered as a sub-result linking to `#art_15`), and the facts a result shows and the search
page filters and orders by (document number, date, issue, category, issuer, year), taken from the
page's facts box: shown and filtered on, not searched as text.

The text is the page's text nodes, each cut at whitespace into *runs* joined by RUN_END ("\\n"); a
block's end (any tag but inline markup) also ends a run. A phrase is searched within one run, as
typed (site/search.py indexes the runs' character n-grams, phrase_index.py).

input : the compacted HTML of a Simplified document page as MkDocs is about to write it to site/doc/<id>/index.html
        (its markup made by render.py, whose class names it uses; site/engine.py calls this from on_post_page)
output: a JSON record (RECORD_FIELDS), written to build/search_view/doc/<id>/index.json (its path gives the
        page's URL, doc/<id>/)
"""

from __future__ import annotations

import html
import json
import re

from .phrase_index import RUN_END
from .render import (DOC_AFTER, DOC_META, DOC_STATUS, HEADERLINK, PAGE_MARK, PROVISION_HEADING,
                     PROVISION_LINK)

BODY_START = '<div data-search-body>'
# what the page marks data-search-ignore: status banners, the facts box, cited-by and the pager
IGNORED = re.compile(rf'<div class="(?:admonition [^"]*{DOC_STATUS}|{DOC_META})"[^>]*>.*?</div>', re.S)
AFTER = f'<div class="{DOC_AFTER}"'  # the last part of the body: cited-by, cites, the pager
# links on the page that are not text: heading permalinks, printed-page marks
NON_TEXT_LINKS = re.compile(rf'<a class="(?:{HEADERLINK}|{PAGE_MARK})"[^>]*>[^<]*</a>')
# the facts box: <dt>label</dt><dd …>value</dd>
FACTS = re.compile(rf'<div class="{DOC_META}"[^>]*>(.*?)</div>', re.S)
FACT = re.compile(r"<dt>([^<]*)</dt><dd[^>]*>(.*?)</dd>", re.S)
UNKNOWN = re.compile(r'<span class="unknown">[^<]*</span>')
# an article, also one inside an attachment or enclosed text (att_1__art_3)
# (its number announced as a heading: render.PROVISION_HEADING)
ARTICLE = re.compile(rf'<p class="article" id="((?:[a-z]+_\d+__)*art_\d+)"><span class="{PROVISION_HEADING}" '
                     rf'role="heading" aria-level="\d"><a class="{PROVISION_LINK}" href="#\1">([^<]*)</a></span>')
# inline markup: its text belongs to the run around it (no run may end at its edge)
INLINE_TAG = re.compile(r"</?(?:a|span|em|strong|b|i|sup|sub|small|mark|abbr|code|q|s|u)\b[^>]*>")
# what is left: a tag (a block's edge), a heading's start with its id, or text
HEADING_START = re.compile(r'<h([2-6])\b[^>]*\sid="([^"]*)"[^>]*>')
TAG = re.compile(r"<[^>]*>")
TITLE = re.compile(r"<title>(.*?)</title>", re.S)
H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
YEAR = re.compile(r"(\d{4})年")
ISSUE = re.compile(r"》(.+)$")  # 《公报》2019年第3期 -> 2019年第3期

# the record's fields: its title, what a result shows, what the search page
# filters on and orders by, the text, the headings a hit can open ([offset in text, id, heading text])
RECORD_FIELDS = ("title", "meta", "filters", "sort", "text", "anchors")


def _facts(body: str) -> dict[str, str]:
    """The facts box as {label: text}, without what it marks unknown (未载明)."""
    box = FACTS.search(body)
    facts = {}
    for label, value in FACT.findall(box.group(1) if box else ""):
        text = html.unescape(re.sub(r"<[^>]+>", "", UNKNOWN.sub("", value))).strip()
        if text:
            facts[label] = text
    return facts


def _metadata(facts: dict[str, str]) -> tuple[dict, dict, str | None]:
    """What a result shows, what the search page filters on, and the date it orders by."""
    issue = facts.get("刊载", "")
    year = YEAR.search(issue)
    issue_name = ISSUE.search(issue.rsplit("（", 1)[0])  # without the issue's date
    meta = {"doc_number": facts.get("文号"), "date": facts.get("成文日期"),
            "issue": issue_name.group(1) if issue_name else None, "category": facts.get("类别")}
    filters = {"year": year.group(1) if year else None, "category": facts.get("类别"),
               "issuer": facts.get("发文机关")}
    # the date of signature, else the issue's date, else its year: only an order, never shown
    published = re.search(r"（(\d{4}-\d{2}-\d{2})）", issue)
    sort = facts.get("成文日期") or (published.group(1) if published else year.group(1) if year else None)
    return ({k: v for k, v in meta.items() if v}, {k: v for k, v in filters.items() if v}, sort)


def _text_and_anchors(body: str) -> tuple[str, list]:
    """The runs of `body` (its markup already lean) joined by RUN_END, and its headings with ids as
    [offset of the heading's text, id, heading text]; offsets in UTF-16 code units, as the search page
    counts a text's length."""
    runs: list[str] = []
    length = 0  # of RUN_END.join(runs), in UTF-16 code units
    anchors: list[list] = []
    open_heading: list | None = None
    for part in re.split(r"(<[^>]*>)", body):
        if not part:
            continue
        if part.startswith("<"):
            start = HEADING_START.match(part)
            if start:
                open_heading = [length + (1 if runs else 0), start.group(2), ""]
                anchors.append(open_heading)
            elif open_heading is not None and re.match(r"</h[2-6]>", part):
                open_heading[2] = " ".join(open_heading[2].split())
                open_heading = None
            continue
        text = html.unescape(part)
        for run in text.split():  # a text's runs: cut at whitespace, none empty
            length += len(run.encode("utf-16-le")) // 2 + (1 if runs else 0)
            runs.append(run)
        if open_heading is not None:
            open_heading[2] += " " + text
    return RUN_END.join(runs), anchors


def search_view(page: str) -> str | None:
    """The search record of a document page as one line of JSON, or None when the page has no indexed body."""
    start = page.find(BODY_START)
    end = page.find("</article>", start)
    if start < 0 or end < 0:
        return None
    body = page[start + len(BODY_START):end]
    facts = _facts(body)
    after = body.find(AFTER)
    body = body[:after] if after >= 0 else body.rstrip().removesuffix("</div>")  # the body's own end
    body = IGNORED.sub("", body)
    body = NON_TEXT_LINKS.sub("", body)
    h1 = H1.search(body)
    title = " ".join(html.unescape(TAG.sub("", h1.group(1))).split()) if h1 else ""
    number = facts.get("文号")
    if number:  # searchable as text, after the title
        body = body.replace("</h1>", f"</h1><p>{html.escape(number, quote=False)}</p>", 1)
    body = ARTICLE.sub(r'<h5 id="\1">\2</h5><p>', body)
    body = INLINE_TAG.sub("", body)
    text, anchors = _text_and_anchors(body)
    meta, filters, sort = _metadata(facts)
    page_title = TITLE.search(page)
    record = {"title": title or (html.unescape(page_title.group(1)) if page_title else ""),
              "meta": meta, "filters": filters, "sort": sort, "text": text, "anchors": anchors}
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))
