"""Reflow: hard-wrapped lines -> paragraphs.

A line joins the next when the reader marked it soft-wrapped, its sentence has not ended, and
the next line does not begin a new unit (an article, an item, a numbered heading, an event, a
chronicle day, a date line, a heading or a table row). Where the source shows line widths, they
decide at a sentence's or an entry's end (see _goes_on). CJK text joins with no space; two Latin
words keep one.
Page starts inside a paragraph are kept as PageMarks at their character offset.
"""

from __future__ import annotations

import re

from .model import Line, PageMark, Para
from .text import MARKER_RE, SENTENCE_END

UNIT_START_RE = re.compile(MARKER_RE.pattern + r"|^\d{1,2}月\d{1,2}日\s*[：:]|^[\d.．]+\s+\S"
                           # a date line, printed or left blank to be filled in (年 月 日): never text going on
                           r"|^(?:(?:19|20)\d{2})?\s*年\s*\d{0,2}\s*月\s*\d{0,2}\s*日$")
# Numbers listed mid-sentence (9610、1210、9710…) or too large to number a list: not a label.
NUMBER_LIST_RE = re.compile(r"^\d+、\d|^\d{3,}、")
FIRST_LINE_INDENT = 2  # em: a paragraph's first line is indented two characters
CLAUSE_ENDS = ("；", ";")


def starts_unit(text: str) -> bool:
    return bool(UNIT_START_RE.match(text)) and not NUMBER_LIST_RE.match(text)


def _goes_on(previous: Line, line: Line) -> bool:
    """Does `previous`'s paragraph go on in `line`? The reader's soft wrap, tested against the width
    evidence where the source shows widths: a line short by less than one em is no indented first
    line (one short by exactly one em may be, its punctuation set narrow), so a full line ending in 。
    before such a line did not end its paragraph; and a line ending in ； before a line that is not
    full ended its entry (an entry printed on its own line stays one)."""
    if previous.rotated or line.rotated or starts_unit(line.text) or "  " in line.text:
        return False
    known = previous.short_by is not None and line.short_by is not None
    not_a_first_line = known and line.short_by < FIRST_LINE_INDENT - 1
    if previous.text.endswith(tuple(SENTENCE_END)):
        return not_a_first_line and previous.short_by <= FIRST_LINE_INDENT
    if known and previous.text.endswith(CLAUSE_ENDS) and not not_a_first_line:
        return False
    return previous.soft_wrap


def _joiner(left: str, right: str) -> str:
    if left and right and left[-1].isascii() and left[-1].isalpha() and right[0].isascii() and right[0].isalpha():
        return " "
    return ""


def boundary_in_doubt(previous: Line, line: Line) -> bool:
    """A full line ending in 。 before a line short by one em: a continued line justified a little
    short, or an indented first line with its punctuation set narrow. The width cannot tell."""
    return (previous.short_by is not None and line.short_by is not None
            and previous.text.endswith(tuple(SENTENCE_END)) and previous.short_by <= FIRST_LINE_INDENT
            and FIRST_LINE_INDENT - 1 <= line.short_by <= FIRST_LINE_INDENT - 0.5
            and not starts_unit(line.text) and line.cells is None and not line.rotated)


def reflow(lines: list[Line]) -> list[Para]:
    paras: list[Para] = []
    open_para: Para | None = None
    previous: Line | None = None
    for line in lines:
        joinable = (
            open_para is not None
            and previous is not None
            and line.cells is None
            and not line.heading
            and ((previous.rotated and line.rotated) or _goes_on(previous, line))
        )
        if joinable:
            assert open_para is not None
            sep = "" if line.rotated else _joiner(open_para.text, line.text)
            if line.page_start is not None:
                open_para.pages.append(PageMark(len(open_para.text) + len(sep), line.page_start))
            open_para.text += sep + line.text
        else:
            open_para = Para(
                text=line.text,
                lineno=line.lineno,
                heading=line.heading,
                cells=[line.cells] if line.cells is not None else None,
                rotated=line.rotated,
                new_page=line.new_page,
                pages=[PageMark(0, line.page_start)] if line.page_start is not None else [],
                boundary_doubt=previous is not None and open_para is not None and boundary_in_doubt(previous, line),
            )
            # Consecutive table rows form one table.
            if (line.cells is not None and paras and paras[-1].cells is not None
                    and previous is not None and previous.cells is not None):
                paras[-1].cells.append(line.cells)
                open_para = None
                previous = line
                continue
            paras.append(open_para)
        previous = line
    return paras
