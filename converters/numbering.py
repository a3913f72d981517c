"""Numbered units: 章/节/条 and the numbered heading ranks -> blocks with the contract's anchors.

Input: one paragraph of a document with the numbering state of the part it stands in (`Scope`: the
notice, an enclosure or an attachment) and the function that makes its anchor unique; output: its
block (an article's item or paragraph, a numbered heading 一、（一）1.（1）① or decimal 1.1, or a
plain paragraph counted under the heading above it) appended to the document, the state moved on.
Also the patterns of chapters, sections and articles and `rank_of`, which tell what a line's number is.
"""

from __future__ import annotations

import re

from .model import Block, Document, PageMark, Para
from .text import CN_NUM, cn_to_int, fits_width

CHAPTER_RE = re.compile(rf"^第\s*([{CN_NUM}\d]+)\s*章([\s　]*)(.*)$", re.S)
SECTION_RE = re.compile(rf"^第\s*([{CN_NUM}\d]+)\s*节([\s　]*)(.*)$", re.S)
ARTICLE_RE = re.compile(rf"^第([{CN_NUM}\d]+)条(?:(?<=条)(?=[\s　])|$)[\s　]*(.*)$", re.S)
# Numbered heading ranks, outermost first.
RANKS = [
    ("cn", re.compile(rf"^([{CN_NUM}]+)、\s*(.*)$", re.S)),
    ("paren_cn", re.compile(rf"^[（(]([{CN_NUM}]+)[）)]\s*(.*)$", re.S)),
    ("arabic", re.compile(r"^(\d{1,3})[.．、](?!\d)\s*(.*)$", re.S)),
    ("paren_arabic", re.compile(r"^[（(](\d{1,3})[）)]\s*(.*)$", re.S)),
    ("circled", re.compile(r"^([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*(.*)$", re.S)),
]
# 1  总则 / 4.2.2 Ⅱ级应急响应措施: a short heading without inner spaces (a table row has them).
DECIMAL_RE = re.compile(r"^(\d{1,2}(?:[.．]\d{1,2}){0,3})\s*([^\d\s.．]\S{0,30})$")
# A closing formula of the whole text: 特此通告。 本决定自发布之日起施行。
CLOSING_RE = re.compile(r"^(特此(通告|通知|公告|批复|函告|函复|决定|命令)|本(决定|通知|通告|公告|办法|规定|意见|方案|细则)"
                        r"自.{0,24}(施行|执行|实施)|以上.{0,12}(时间|自).{0,24}(算起|起))[^。]{0,12}。$")
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
HEADING_MAX_WIDTH = 30


class Scope:
    """Numbering state inside one part of a document (the notice, an enclosure, an attachment)."""

    def __init__(self, prefix: str):
        self.prefix = prefix
        self.chapter = 0
        self.section = 0
        self.article = 0
        self.article_paras = 0
        self.article_items: set[int] = set()
        self.item: tuple[str, int] | None = None  # the article's last item: (anchor, paragraphs under it)
        self.stack: list[tuple[str, int]] = []  # numbered heading path: (rank, number)
        self.paras: dict[str, int] = {}

    def heading_path(self) -> str:
        return "__".join(f"hd_{n}" for _, n in self.stack)


def split_label(text: str, rest: str) -> tuple[str, str, str]:
    """(label, separator, text) of a numbered unit whose text after the number is `rest`."""
    head = text[: len(text) - len(rest)]
    label = head.rstrip()
    return label, head[len(label):], rest


def shift_marks(pages: list[PageMark], by: int) -> list[PageMark]:
    return [PageMark(max(0, m.offset - by), m.page) for m in pages]


def article_part(doc: Document, scope: Scope, para: Para, anchor, following: str) -> None:
    """Inside an article: an item （三）, a paragraph printed under an item that the next item
    follows (its explanation: art_11__item_2__p_1), or a further paragraph of the article (款)."""
    m = RANKS[1][1].match(para.text)
    base = f"{scope.prefix}art_{scope.article}"
    if m and cn_to_int(m[1]):
        n = cn_to_int(m[1])
        name = f"{base}__item_{n}"
        if n in scope.article_items:
            name = f"{base}__para_{scope.article_paras}__item_{n}"
        scope.article_items.add(n)
        scope.item = (name, 0)
        label, sep, rest = split_label(para.text, m[2])
        doc.blocks.append(Block(type="paragraph", role="item", label=label, sep=sep, text=rest,
                                anchor=anchor(name, para.lineno), lineno=para.lineno,
                                pages=shift_marks(para.pages, len(para.text) - len(rest))))
        return
    nxt = RANKS[1][1].match(following)
    if scope.item and nxt and cn_to_int(nxt[1]) == int(scope.item[0].rsplit("_", 1)[1]) + 1:
        item, count = scope.item[0], scope.item[1] + 1
        scope.item = (item, count)
        doc.blocks.append(Block(type="paragraph", role="paragraph", text=para.text,
                                anchor=anchor(f"{item}__p_{count}", para.lineno),
                                lineno=para.lineno, pages=para.pages))
        return
    scope.item = None
    scope.article_paras += 1
    doc.blocks.append(Block(type="paragraph", role="paragraph", text=para.text,
                            anchor=anchor(f"{base}__para_{scope.article_paras}", para.lineno),
                            lineno=para.lineno, pages=para.pages))


def rank_of(text: str) -> tuple[str, int, str] | None:
    for rank, pattern in RANKS:
        m = pattern.match(text)
        if m:
            number = cn_to_int(m[1]) if rank not in ("circled",) else CIRCLED.index(m[1]) + 1
            if number:
                return rank, number, m[2]
    return None


def numbered_or_plain(doc: Document, scope: Scope, para: Para, anchor) -> None:
    text = para.text
    decimal = DECIMAL_RE.match(text)
    numbered = rank_of(text)
    if decimal and not numbered:
        parts = [int(p) for p in re.split(r"[.．]", decimal[1])]
        scope.stack = [(f"dec{k}", n) for k, n in enumerate(parts)]
        label, sep, rest = split_label(text, decimal[2])
        doc.blocks.append(Block(type="heading", role="hd", level=min(3 + len(parts) - 1, 6), label=label, sep=sep,
                                text=rest, anchor=anchor(scope.prefix + scope.heading_path(), para.lineno),
                                lineno=para.lineno, pages=para.pages))
        return
    if numbered:
        rank, number, rest = numbered
        order = [r for r, _ in RANKS]
        while scope.stack and scope.stack[-1][0] in order and order.index(scope.stack[-1][0]) >= order.index(rank):
            scope.stack.pop()
        scope.stack.append((rank, number))
        label, sep, rest = split_label(text, rest)
        is_heading = (fits_width(text, HEADING_MAX_WIDTH) and not text.endswith(("。", "；", "，"))) \
            or para.heading > 0
        doc.blocks.append(Block(type="heading" if is_heading else "paragraph", role="hd",
                                level=min(3 + len(scope.stack) - 1, 6),
                                label=label, sep=sep, text=rest,
                                anchor=anchor(scope.prefix + scope.heading_path(), para.lineno),
                                lineno=para.lineno, pages=shift_marks(para.pages, len(text) - len(rest))))
        return
    if para.heading and fits_width(text, 40):
        doc.blocks.append(Block(type="heading", role="title", level=3, text=text, lineno=para.lineno,
                                pages=para.pages))
        return
    if CLOSING_RE.match(text) and scope.stack and doc.blocks[-1].type != "heading":
        # 特此通告。 closes the whole text, not its last numbered part (unless that part, 四、实施时间,
        # has no other text)
        scope.stack = []
    container = scope.prefix + scope.heading_path()
    scope.paras[container] = scope.paras.get(container, 0) + 1
    count = scope.paras[container]
    name = f"{container}__p_{count}" if scope.stack else f"{scope.prefix}p_{count}"
    doc.blocks.append(Block(type="paragraph", role="paragraph", text=text, anchor=anchor(name, para.lineno),
                            lineno=para.lineno, pages=para.pages))

