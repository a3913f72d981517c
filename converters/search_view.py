"""Search view: the lean copy of a built document page that Pagefind indexes instead of the page itself.

Pagefind keeps, in every page's fragment, the text of each element that has an id; the search UI only
uses those of headings (its sub-results). Our pages put an id on every paragraph, so a fragment held
the document's text twice. The search view keeps the indexed text (title, document number, body; not
what the page marks `data-pagefind-ignore`) and the ids of headings only, and turns each article's
number into a heading, so that a hit inside 第十五条 is offered as a sub-result linking to `#art_15`.

Exact phrases. Pagefind segments Chinese with its own dictionary when it indexes and the browser
segments a query differently, so a phrase was often missed or matched by its parts elsewhere. The
view therefore writes its text as *position words*: one word per character, the character and the
next one of the same run (a run: text between whitespace, tags and block ends), the last of a run
the character and RUN_END. A phrase of n ≥ 2 characters is then the n−1 position words of its
bigrams at consecutive positions, which Pagefind's exact (quoted) search finds: every document
containing the phrase, and only those (gazette-search.js builds that query). The view is written in
a language Pagefind does not segment or stem (INDEX_LANGUAGE); the fragments it writes are made
compact again afterwards (site/search.py), one character per position word.

The facts a result shows and the filters and sort order of the search page (document number,
date, issue, category, issuer, year) are taken from the page's facts box and written outside the
indexed body, so they are shown and filtered on, not searched as text.

input : the compacted HTML MkDocs wrote (its markup made by render.py, whose class names it uses) for site/doc/<id>/index.html (zh-Hans)
output: a small HTML page written to build/search_view/doc/<id>/index.html; Pagefind runs with
        `--site build/search_view`, so its URLs (doc/<id>/) are the published pages'.
"""

from __future__ import annotations

import html
import re

from .render import (DOC_AFTER, DOC_META, DOC_STATUS, HEADERLINK, PAGE_MARK, PROVISION_HEADING,
                     PROVISION_LINK)

# Ends the last position word of a run: invisible, neither a letter nor whitespace, so Pagefind keeps
# it in the word (it is one of the index's include characters, site/search.py) and the compact
# fragment can show where the run ended (a space, between cells or where the source had one).
RUN_END = "\u2060"
# A language tag Pagefind neither segments (zh, ja, th) nor stems: every position word is indexed as written.
INDEX_LANGUAGE = "und"
# one character in 4 bytes, whatever it is (interleave)
CODE_POINTS = "utf-32-le"

BODY_START = '<div data-pagefind-body>'
# what the page marks data-pagefind-ignore: status banners, the facts box, cited-by and the pager
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
# a start tag with attributes (one without stays as it is: _lean_tag would write it again, and no <a> is left
# when it runs: INLINE_TAG)
START_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)([^a-zA-Z0-9>][^>]*)>")
# inline markup: its text belongs to the run around it (no position word may end at its edge)
INLINE_TAG = re.compile(r"</?(?:a|span|em|strong|b|i|sup|sub|small|mark|abbr|code|q|s|u)\b[^>]*>")
KEPT_ATTRIBUTE = re.compile(r'\s(data-pagefind-[a-z-]+(?:="[^"]*")?|hidden)')
HEADING_ID = re.compile(r'\sid="[^"]*"')
TEXT = re.compile(r">([^<]+)<")
MARKUP = re.compile(r"[&<>]")  # what html.escape(…, quote=False) changes
TITLE = re.compile(r"<title>(.*?)</title>", re.S)
YEAR = re.compile(r"(\d{4})年")
ISSUE = re.compile(r"》(.+)$")  # 《公报》2019年第3期 -> 2019年第3期


def position_words(text: str) -> str:
    """The text as Pagefind should index it: for each character, the word of it and the next one of
    its run (the run's last: it and RUN_END), separated by spaces. 城乡 居民 -> 城乡 乡⁠ 居民 民⁠."""
    return position_words_of([text])[0]


def position_words_of(texts: list[str]) -> list[str]:
    """position_words of each of `texts`, made for all of them at once: a page's text nodes cost a
    few string operations in C, not a step in Python for each character."""
    runs = [text.split() for text in texts]
    every_run = [run for text_runs in runs for run in text_runs]
    firsts = "".join(every_run)
    # the character after each one: the next of its run, or RUN_END after the run's last
    seconds = "".join([run[1:] + RUN_END for run in every_run])
    words = interleave(firsts, seconds, " " * len(firsts))  # "城乡 乡⁠ 居民 民⁠ "
    result, start = [], 0
    for text_runs in runs:
        end = start + sum(map(len, text_runs))
        result.append(words[3 * start:3 * end - 1] if end > start else "")
        start = end
    return result


def interleave(*columns: str) -> str:
    """The characters of equally long strings taken in turn: interleave("ab", "AB") == "aAbB".
    Each is written into every k-th place of one buffer of 4-byte code points (a strided copy in C)."""
    k = len(columns)
    joined = bytearray(4 * k * len(columns[0]))
    for i, column in enumerate(columns):
        points = column.encode(CODE_POINTS, "surrogatepass")
        for byte in range(4):
            joined[4 * i + byte::4 * k] = points[byte::4]
    return joined.decode(CODE_POINTS, "surrogatepass")


def _position_texts(body: str) -> str:
    """Each text between tags of `body` written as position words (html-escaped, a space after the
    run's end: Pagefind joins the text of some elements (<th>) to the next one's)."""
    parts = TEXT.split(body)  # what is outside the texts, each text (without its > and <), …
    texts = [html.unescape(text) for text in parts[1::2]]
    words = position_words_of(texts)
    if MARKUP.search("".join(texts)):  # else escaping would change nothing (most pages)
        words = [html.escape(text, quote=False) for text in words]
    parts[1::2] = [">" + text + " <" for text in words]
    return "".join(parts)


def _lean_tag(match: re.Match) -> str:
    name, attributes = match.group(1), match.group(2)
    if name == "a":
        return ""
    kept = KEPT_ATTRIBUTE.findall(attributes)
    if name in ("h1", "h2", "h3", "h4", "h5", "h6"):
        kept += [m.strip() for m in HEADING_ID.findall(attributes)]
    return f"<{name}{''.join(' ' + k for k in kept)}>"


def _facts(body: str) -> dict[str, str]:
    """The facts box as {label: text}, without what it marks unknown (未载明)."""
    box = FACTS.search(body)
    facts = {}
    for label, value in FACT.findall(box.group(1) if box else ""):
        text = html.unescape(re.sub(r"<[^>]+>", "", UNKNOWN.sub("", value))).strip()
        if text:
            facts[label] = text
    return facts


def _metadata(facts: dict[str, str], title: str) -> str:
    """What a result shows and the search page filters and sorts by, outside the indexed body:
    Pagefind reads meta, filters and sort keys anywhere on the page, and indexes only the body."""
    issue = facts.get("刊载", "")
    year = YEAR.search(issue)
    issue_name = ISSUE.search(issue.rsplit("（", 1)[0])  # without the issue's date
    meta = {"title": title, "doc_number": facts.get("文号"), "date": facts.get("成文日期"),
            "issue": issue_name.group(1) if issue_name else None, "category": facts.get("类别")}
    filters = {"year": year.group(1) if year else None, "category": facts.get("类别"),
               "issuer": facts.get("发文机关")}
    # the date of signature, else the issue's date, else its year: only an order, never shown
    published = re.search(r"（(\d{4}-\d{2}-\d{2})）", issue)
    sort = facts.get("成文日期") or (published.group(1) if published else year.group(1) if year else None)
    e = lambda s: html.escape(s, quote=True)  # noqa: E731
    parts = [f'<p data-pagefind-meta="{k}">{e(v)}</p>' for k, v in meta.items() if v]
    parts += [f'<p data-pagefind-filter="{k}">{e(v)}</p>' for k, v in filters.items() if v]
    if sort:
        parts.append(f'<p data-pagefind-sort="date">{e(sort)}</p>')
    return f'<div hidden>{"".join(parts)}</div>'


def search_view(page: str) -> str | None:
    """The search view of a document page, or None when the page has no indexed body."""
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
    body = ARTICLE.sub(r'<h5 id="\1">\2</h5><p>', body)
    body = INLINE_TAG.sub("", body)
    body = START_TAG.sub(_lean_tag, body)
    number = facts.get("文号")
    if number:  # searchable as text, after the h1 (a result's title is its meta, below)
        body = body.replace("</h1>", f"</h1><p>{html.escape(number, quote=False)}</p>", 1)
    body = _position_texts(body)
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", page[start:end], re.S)
    title = html.unescape(re.sub(r"<[^>]+>", "", NON_TEXT_LINKS.sub("", h1.group(1)))).strip() if h1 else ""
    page_title = TITLE.search(page)
    return (f'<!doctype html><html lang="{INDEX_LANGUAGE}"><head><meta charset="utf-8">'
            f"<title>{page_title.group(1) if page_title else ''}</title></head>"
            f"<body>{_metadata(facts, title)}<div data-pagefind-body>{body}</div></body></html>\n")
