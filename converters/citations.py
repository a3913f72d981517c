"""Document numbers cited in running text, in any bracket form, normalised to 〔〕."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import normalise_doc_number

# The number part; the issuing prefix is read backwards from it (a regex cannot know where
# the prefix starts: 根据苏政发〔2020〕44号 vs 《…通知》（苏政发〔2020〕44号）).
NUMBER_TAIL_RE = re.compile(r"\s*[〔［\[（(【]\s*((?:19|20)\d{2})\s*[〕］\]）)】]\s*(\d{1,4})\s*号")
PREFIX_STOP = set("（()《》〈〉“”‘’、，。；：:,;！？ 　和及与或并")
LEADING_WORDS = ("根据", "依据", "按照", "参照", "执行", "印发", "转发", "文件", "关于", "即", "见", "的")
PREFIX_MAX = 8
# The last character of an issuing prefix: 连政办发, 苏政规, 国办函, 国务院令…
PREFIX_END = set("发规函字令复办文电通报")


@dataclass(frozen=True)
class Citation:
    start: int  # offset of the prefix in the text
    end: int
    number: str  # normalised


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
        if len(prefix) < 2 or prefix[-1] not in PREFIX_END:
            continue
        out.append(Citation(i, m.end(), normalise_doc_number(prefix, m[1], m[2])))
    return out


def cited_numbers(texts: list[str], own: str | None) -> list[str]:
    seen: list[str] = []
    for text in texts:
        for c in find_citations(text):
            if c.number != own and c.number not in seen:
                seen.append(c.number)
    return seen
