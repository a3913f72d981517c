"""Document numbers cited in running text, in any bracket form, normalised to 〔〕."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import normalise_doc_number

# The number part; the issuing prefix is read backwards from it (a regex cannot know where
# the prefix starts: 根据苏政发〔2020〕44号 vs 《…通知》（苏政发〔2020〕44号）).
# One character may stand between the year and the number: 第 (a printed form), or a stray one
# (连政发(2002)年187号), which is read and reported.
NUMBER_TAIL_RE = re.compile(r"\s*[〔［\[（(【]\s*((?:19|20)\d{2})\s*[〕］\]）)】]\s*(?:[^\d\s〔〕［］\[\]（）()【】号，。；、])?"
                            r"\s*(\d{1,4})\s*号")
CLOSING_BRACKETS = "〕］]）)】"
PRINTED_INFIX = "第"
PREFIX_STOP = set("（()《》〈〉“”‘’、，。；：:,;！？ 　和及与或并")
LEADING_WORDS = ("根据", "依据", "按照", "参照", "执行", "印发", "转发", "文件", "关于", "即", "见", "的")
PREFIX_MAX = 8


@dataclass(frozen=True)
class Citation:
    start: int  # offset of the prefix in the text
    end: int
    number: str  # normalised
    stray: str = ""  # a character printed between the year and the number that is no part of it


def find_citations(text: str) -> list[Citation]:
    out: list[Citation] = []
    for m in NUMBER_TAIL_RE.finditer(text):
        i = m.start()
        while i > 0 and m.start() - (i - 1) <= PREFIX_MAX and text[i - 1] not in PREFIX_STOP \
                and "\u4e00" <= text[i - 1] <= "\u9fff":
            i -= 1
        prefix = text[i:m.start()]
        for word in LEADING_WORDS:
            if prefix.startswith(word) and len(prefix) > len(word) + 1:
                prefix = prefix[len(word):]
                i += len(word)
        if len(prefix) < 2:
            continue
        infix = text[m.end(1):m.start(2)].strip().lstrip(CLOSING_BRACKETS).strip()
        stray = infix if infix != PRINTED_INFIX else ""
        out.append(Citation(i, m.end(), normalise_doc_number(prefix, m[1], m[2]), stray))
    return out


# A bracketed year as document numbers print it: what find_citations could not read around one
# of these is a citation in an unexpected form (连政发(2002)年187号).
BRACKET_YEAR_RE = re.compile(r"[〔［\[（(【]\s*(?:19|20)\d{2}\s*[〕］\]）)】]")


def unreadable_citations(text: str) -> list[str]:
    """Bracketed years followed by 号 that are not part of a readable document number."""
    read = [(c.start, c.end) for c in find_citations(text)]
    out = []
    for m in BRACKET_YEAR_RE.finditer(text):
        if any(start <= m.start() < end for start, end in read):
            continue
        tail = text[m.end():m.end() + 8]
        if "号" in tail:
            out.append(text[max(0, m.start() - 6):m.end() + tail.index("号") + 1])
    return out


def stray_citations(text: str) -> list[tuple[str, str]]:
    """(as printed, as read) of the citations read across a stray character."""
    return [(text[c.start:c.end], c.number) for c in find_citations(text) if c.stray]


def cited_numbers(texts: list[str], own: str | None) -> list[str]:
    seen: list[str] = []
    for text in texts:
        for c in find_citations(text):
            if c.number != own and c.number not in seen:
                seen.append(c.number)
    return seen
