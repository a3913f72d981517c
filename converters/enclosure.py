"""The text a 印发 notice encloses: its names, its title and where it begins.

Input: a document's paragraphs, title and the enclosure title printed above its document number;
output: the names the enclosed text goes by (`enclosed_names`), and whether a paragraph is its title
(`is_enclosure_title`), ends the notice with the 印发 sentence (`issues_enclosure`) or is the first
paragraph of the enclosed text (`starts_enclosed_text`).
"""

from __future__ import annotations

import re

from .model import Para, RawDocument
from .numbering import ARTICLE_RE, CHAPTER_RE, DECIMAL_RE, rank_of
from .text import SENTENCE_END, fits_width, squeeze

ENCLOSED_NAME_RE = re.compile(r"《([^《》]{4,60})》")
PRINTED_NAME_RE = re.compile(r"印发(.{4,60}?)的通知$")


def enclosed_names(raw: RawDocument, title: str, paras: list[Para]) -> list[str]:
    names = []
    if raw.enclosure_title_lines:
        names.append(raw.enclosure_title)
    m = PRINTED_NAME_RE.search(title)
    if m:
        names.append(squeeze(m[1]))
    for para in paras[:6]:
        if "印发" in para.text or "审议通过" in para.text:
            names.extend(squeeze(n) for n in ENCLOSED_NAME_RE.findall(para.text))
    return [n for n in names if n]


def is_enclosure_title(text: str, names: list[str]) -> bool:
    t = squeeze(text)
    if not fits_width(t, 40) or t.endswith(("。", "；", "：")):
        return False
    return any(t == n or t.endswith(n) or n.endswith(t) and len(t) >= 8 for n in names)


def issues_enclosure(text: str) -> bool:
    """The paragraph ends with the notice's 印发 sentence: 现印发给你们，请认真贯彻执行。"""
    if not text.endswith(tuple(SENTENCE_END)):
        return False
    last = re.split(r"[。！？!?]", text[:-1])[-1]
    return "印发" in last and ("你们" in last or "请" in last)


def starts_enclosed_text(para: Para, toc_span: tuple[int, int] | None, index: int) -> bool:
    """The text a notice encloses begins with its first chapter, article, numbered heading or
    contents list; the notice's own paragraphs come before."""
    if toc_span and index == toc_span[0]:
        return True
    text = para.text
    if CHAPTER_RE.match(squeeze(text[:40])) or ARTICLE_RE.match(text) or DECIMAL_RE.match(text):
        return True
    return rank_of(text) is not None and index > 0

