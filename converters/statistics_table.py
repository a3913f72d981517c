"""A statistics document (主要经济指标) -> its indicator rows and the table they are printed in.

Input: the document (its title gives the period) and its paragraphs, each a text row or a row of
cells; output: `Document.rows` (indicator, cumulative value, growth; None where not printed), one
table block of the rows as printed under the column heads, and the lines that are no row as notes.
"""

from __future__ import annotations

import re

from .model import Block, Document, Para, Warning_
from .text import squeeze

STAT_TOKEN_RE = re.compile(r"^(-?\d+(?:\.\d+)?|[-—－])$")


def _number(token: str) -> float | None:
    if STAT_TOKEN_RE.match(token) and token not in ("-", "—", "－"):
        return float(token)
    return None


def _statistics_row(cells: list[str] | None, text: str) -> tuple[list[str], float | None, float | None] | None:
    """(printed cells, value, growth) of one indicator row, or None for a line that is not one.

    A text row is `indicator value growth` with cells separated by spaces; a row printed with a
    single number has only its growth (规模以上工业增加值 … 3.3: no cumulative value is published)."""
    if cells is not None:
        tail = [c.strip() for c in cells[1:3]]
        if not any(STAT_TOKEN_RE.match(t) for t in tail if t):
            return None
        tail += [""] * (2 - len(tail))
        return [squeeze(cells[0])] + tail, _number(tail[0]), _number(tail[1])
    tokens = text.split()
    tail: list[str] = []
    while len(tokens) > 1 and len(tail) < 2 and STAT_TOKEN_RE.match(tokens[-1]):
        tail.insert(0, tokens.pop())
    if not tail:
        return None
    indicator = squeeze(" ".join(tokens))
    if len(tail) == 1:
        return [indicator, "", tail[0]], None, _number(tail[0])
    return [indicator] + tail, _number(tail[0]), _number(tail[1])


def _statistics_header(cells: list[str] | None, text: str) -> list[str]:
    """The column heads: 指标 | 累计 | 增长. In a text dump the first head's letters are spaced out
    (指    标), so the last two space-separated words are the number columns' heads."""
    if cells is not None:
        return [squeeze(c) for c in cells]
    tokens = text.split()
    if len(tokens) >= 3:
        return [squeeze("".join(tokens[:-2])), tokens[-2], tokens[-1]]
    return [squeeze(text)]


def build_statistics(doc: Document, paras: list[Para]) -> None:
    doc.period = _period(doc.title)
    rows: list[dict] = []
    table: list[list[str]] = []
    header: list[str] | None = None
    notes: list[Block] = []
    first_line = paras[0].lineno if paras else doc.lineno
    for para in paras:
        for cells in (para.cells if para.cells is not None else [None]):
            row = _statistics_row(cells, para.text)
            if row is not None:
                printed, value, growth = row
                rows.append({"indicator": printed[0], "value": value, "growth": growth})
                table.append(printed)
            elif header is None and not rows:
                header = _statistics_header(cells, para.text)
            else:
                notes.append(Block(type="paragraph", role="note", lineno=para.lineno, pages=para.pages,
                                   text=para.text if cells is None else "\t".join(cells)))
    doc.rows = rows
    doc.blocks.append(Block(type="table", role="statistics", rows=([header] if header else []) + table,
                            head_rows=1 if header else 0, lineno=first_line, pages=paras[0].pages if paras else []))
    doc.blocks.extend(notes)
    if not rows:
        doc.warnings.append(Warning_("statistics table without rows", doc.lineno))


def _period(title: str) -> str | None:
    m = re.search(r"((?:19|20)\d{2})\s*年\s*([\d\s\-－—~～]+)\s*月", title)
    if not m:
        return None
    return f"{m[1]}年{re.sub(r'[－—~～]', '-', m[2].replace(' ', ''))}月"

