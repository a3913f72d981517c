"""Reader for PDF-to-Markdown dumps (`.md`).

Guarantees on its output (SourceLines):
- the cover and the table of contents (everything up to the first heading after the last
  `….. ( 3 )` entry) are reported as Furniture; the cover's year, issue number and date are in
  `cover`, the contents' entries (title, printed page, category) in `toc`;
- heading markers and bold markers are removed; a heading's text has the stray spaces of the
  PDF conversion removed (`…审计 监督办法…`) and its Markdown level is kept in `heading`
  (levels are not trusted downstream: the same rank appears at `#` to `#####`);
- tab-separated and pipe-table lines carry their `cells`;
- image, rule, QR-code and configured colophon lines are Furniture;
- `soft_wrap` is True for a body line of some length that stops without ending its sentence or
  clause: the converter broke a paragraph there (blank line or hard break), and the text goes on.
"""

from __future__ import annotations

import re

from ..model import Furniture, Line, SourceLines, TocEntry
from ..text import CLAUSE_END, DOC_NUMBER_LINE_RE, SENTENCE_END, iso_date, squeeze, strip_markdown_emphasis

HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
TOC_ENTRY_RE = re.compile(r"^(?P<title>.*?)\s*(?:\.{3,}|…{2,}|·{3,})\s*[（(]\s*(?P<page>\d{1,3})\s*[)）]\s*$")
TOC_CATEGORY_RE = re.compile(r"^【(?P<name>[^】]+)】$")
IMAGE_RE = re.compile(r"^!\[[^\]]*\]\([^)]*\)\s*$|^<img\b")
RULE_RE = re.compile(r"^(?:-{3,}|\*{3,}|_{3,})$")
PIPE_SEPARATOR_RE = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")
LINK_RE = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")
HTML_TAG_RE = re.compile(r"</?[a-zA-Z][^>]*>")
BULLET_RE = re.compile(r"^[-*+]\s+")
MIN_WRAPPED_LENGTH = 12  # shorter unpunctuated lines are labels (附件 1, (样 本)), not wrapped text
COVER_NUMBER_RE = re.compile(r"第\s*(\d{1,3})\s*期")
COVER_YEAR_RE = re.compile(r"^\**\s*((?:19|20)\d{2})\s*\**$")


def read(text: str, path: str, furniture_patterns: list[re.Pattern] | tuple = ()) -> SourceLines:
    raw = text.split("\n")
    furniture: list[Furniture] = []
    toc: list[TocEntry] = []
    body_start = _body_start(raw)
    cover = cover_facts(raw[:body_start])
    category: str | None = None
    previous_text = ""
    for i in range(body_start):
        plain = _plain(raw[i])
        heading = HEADING_RE.match(plain)
        if heading:
            plain = heading[2]
        if not plain:
            continue
        furniture.append(Furniture(raw[i].strip(), i + 1))
        cat = TOC_CATEGORY_RE.match(plain.replace(" ", ""))
        if cat:
            category = cat["name"]
            continue
        entry = TOC_ENTRY_RE.match(plain)
        if entry:
            title = squeeze(entry["title"]) or squeeze(previous_text)
            toc.append(TocEntry(title=title, page=int(entry["page"]), category=category, lineno=i + 1))
        previous_text = plain

    lines: list[Line] = []
    for i in range(body_start, len(raw)):
        source = raw[i]
        plain = _plain(source)
        if not plain:
            continue
        if IMAGE_RE.match(plain) or RULE_RE.match(plain) or any(p.search(plain) for p in furniture_patterns):
            furniture.append(Furniture(source.strip(), i + 1))
            continue
        heading = 0
        cells = None
        m = HEADING_RE.match(plain)
        if m:
            heading = len(m[1])
            plain = squeeze(m[2])
        elif "\t" in source:
            # Split the raw line: stripping it would drop empty cells at either end.
            cells = [squeeze(_plain(c)) for c in source.rstrip("\n").split("\t")]
        elif plain.startswith("|") and plain.count("|") >= 2:
            if PIPE_SEPARATOR_RE.match(plain):
                furniture.append(Furniture(source.strip(), i + 1))
                continue
            cells = [squeeze(c) for c in plain.strip("|").split("|")]
        if not plain.strip():
            continue
        text = plain.strip() if cells is not None else plain.strip().rstrip("\\").strip()
        lines.append(Line(
            text=text,
            lineno=i + 1,
            heading=heading,
            cells=cells,
            # The converter kept the PDF's line breaks (as blank lines or Markdown hard breaks)
            # inside paragraphs: a line of some length that stops before its sentence ends goes on.
            soft_wrap=not heading and cells is None and len(text) >= MIN_WRAPPED_LENGTH
            and not text.endswith(tuple(SENTENCE_END + CLAUSE_END)),
        ))
    lines = _running_headers_inside_tables(lines, {squeeze(e.category) for e in toc if e.category}, furniture)
    # A line followed by a heading or a table ends there, whatever its punctuation.
    for line, nxt in zip(lines, lines[1:]):
        if nxt.heading or nxt.cells is not None:
            line.soft_wrap = False
    if lines:
        lines[-1].soft_wrap = False
    return SourceLines(path=path, format="pdf-markdown", lines=lines, furniture=furniture,
                       toc=toc, cover=cover)


def _running_headers_inside_tables(lines: list[Line], categories: set[str], furniture: list[Furniture]) -> list[Line]:
    """A page's running header (the contents' category, 市政府办公室文件) that the converter left
    between two rows of a table is page furniture: the table goes on over the page break."""
    kept: list[Line] = []
    for n, line in enumerate(lines):
        inside_table = (0 < n < len(lines) - 1 and lines[n - 1].cells is not None
                        and lines[n + 1].cells is not None)
        if line.heading and inside_table and squeeze(line.text) in categories:
            furniture.append(Furniture(f"{'#' * line.heading} {line.text}", line.lineno))
            continue
        kept.append(line)
    furniture.sort(key=lambda f: f.lineno)
    return kept


def _plain(line: str) -> str:
    """Markdown inline syntax removed: bold markers, links (their text kept)."""
    text = strip_markdown_emphasis(line.rstrip())
    text = LINK_RE.sub(lambda m: m[1], text)
    text = HTML_TAG_RE.sub(" ", text)
    text = BULLET_RE.sub("", text.strip())
    return text.strip()


def _body_start(raw: list[str]) -> int:
    """Index of the first body line: the first heading after the last table-of-contents entry of
    the front matter. The contents come before the first document number; a document may print a
    contents list of its own (a 预案), which is body text."""
    last_entry = -1
    for i, line in enumerate(raw):
        plain = _plain(line)
        if DOC_NUMBER_LINE_RE.match(plain):
            break
        if TOC_ENTRY_RE.match(plain):
            last_entry = i
    if last_entry < 0:
        return 0
    for i in range(last_entry + 1, len(raw)):
        if HEADING_RE.match(raw[i].strip()):
            return i
    return len(raw)


def cover_facts(front: list[str]) -> dict:
    """Year, issue number and date printed on the cover, when printed there."""
    cover: dict = {}
    for line in front:
        plain = _plain(line)
        if "year" not in cover:
            m = COVER_YEAR_RE.match(plain)
            if m:
                cover["year"] = int(m[1])
        if "number" not in cover:
            m = COVER_NUMBER_RE.search(plain)
            if m:
                cover["number"] = int(m[1])
        if "date" not in cover and iso_date(plain):
            cover["date"] = iso_date(plain)
    return cover
