"""A chronicle (大事记) -> its days and their events.

Input: the document and its paragraphs; output: a block per day (`day_YYYY-MM-DD` anchors, the
events marked ● as the day's list), `Document.days` (date and number of events), the period the
subtitle names, and what stands before the first day as notes. The year is the subtitle's, else the
issue's.
"""

from __future__ import annotations

import re

from .model import Block, Document, PageMark, Para
from .text import DAY_RE, squeeze

EVENT_MARK = "●"
CHRONICLE_PERIOD_RE = re.compile(r"[（(]\s*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月")


def build_chronicle(doc: Document, paras: list[Para]) -> None:
    year = doc.issue.year
    days: list[dict] = []
    current: Block | None = None
    for para in paras:
        text = para.text
        if para.cells is not None:
            doc.blocks.append(Block(type="table", rows=para.cells, lineno=para.lineno, pages=para.pages))
            continue
        m = CHRONICLE_PERIOD_RE.search(text) if current is None and not days else None
        if m and not text.startswith(EVENT_MARK):
            year = int(m[1])
            doc.period = squeeze(text).strip("（）()")
            doc.blocks.append(Block(type="paragraph", role="subtitle", text=text, lineno=para.lineno,
                                    pages=para.pages))
            continue
        day = re.match(r"^(\d{1,2})月(\d{1,2})日", text)
        if day and DAY_RE.match(text) or (day and len(text) <= 12):
            date = f"{year:04d}-{int(day[1]):02d}-{int(day[2]):02d}"
            current = Block(type="day", role="day", date=date, text=text, events=[],
                            anchor=f"day_{date}", lineno=para.lineno,
                            pages=[PageMark(-1, m.page) for m in para.pages])
            if any(b.anchor == current.anchor for b in doc.blocks):
                current.anchor = f"day_{date}_{sum(1 for b in doc.blocks if (b.date == date))+1}"
            doc.blocks.append(current)
            days.append({"date": date, "events": 0})
            continue
        if current is None:
            doc.blocks.append(Block(type="paragraph", role="note", text=text, lineno=para.lineno, pages=para.pages))
            continue
        # Page starts are kept at their offset in the day's events joined together.
        before = sum(len(e) for e in current.events)
        if text.startswith(EVENT_MARK) or not current.events:
            event = text.lstrip(EVENT_MARK)
            current.events.append(event)
            days[-1]["events"] += 1
            shift = len(text) - len(event)  # the bullet is layout, not text
        else:
            current.events[-1] += text
            shift = 0
        current.pages.extend(PageMark(before + max(0, m.offset - shift), m.page) for m in para.pages)
    doc.days = days
