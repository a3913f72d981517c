"""Reflow: hard-wrapped lines -> paragraphs.

A line joins the next when the reader marked it soft-wrapped, its sentence has not ended, and
the next line does not begin a new unit (an article, an item, a numbered heading, an event, a
chronicle day, a heading or a table row). CJK text joins with no space; two Latin words keep one.
Page starts inside a paragraph are kept as PageMarks at their character offset.
"""

from __future__ import annotations

import re

from .model import Line, PageMark, Para
from .text import MARKER_RE, SENTENCE_END

UNIT_START_RE = re.compile(MARKER_RE.pattern + r"|^\d{1,2}月\d{1,2}日\s*[：:]|^[\d.．]+\s+\S")


def starts_unit(text: str) -> bool:
    return bool(UNIT_START_RE.match(text))


def _joiner(left: str, right: str) -> str:
    if left and right and left[-1].isascii() and left[-1].isalpha() and right[0].isascii() and right[0].isalpha():
        return " "
    return ""


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
            and (
                (previous.rotated and line.rotated)
                or (
                    previous.soft_wrap
                    and not previous.rotated
                    and not line.rotated
                    and not previous.text.endswith(tuple(SENTENCE_END))
                    and not starts_unit(line.text)
                    and "  " not in line.text  # spaced cells: a table row starts
                )
            )
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
