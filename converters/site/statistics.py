"""Statistics documents across the archive: one series per indicator, the overview's charts (inline
SVG, no script) and statistics.csv."""

from __future__ import annotations

import csv
import io
import re

from markupsafe import Markup

from ..model import Document
from ..render import esc
from .labels import issue_label

INDICATOR_PREFIX = re.compile(r"^[一二三四五六七八九十]+、")


def indicator_key(name: str) -> str:
    name = INDICATOR_PREFIX.sub("", name.strip())
    name = name.replace("（", "(").replace("）", ")")
    # the unit stays part of the key: a series never mixes 万美元 with 亿美元
    return re.sub(r"\s+", "", name)


def statistics_table(docs: list[Document]) -> tuple[list[Document], list[dict]]:
    """The statistics documents in time order and one series per indicator across them."""
    stats = sorted((d for d in docs if d.kind == "statistics" and d.rows),
                   key=lambda d: (d.issue.year, d.issue.date or "", d.issue.number or 0, d.period or ""))
    series: dict[str, dict] = {}
    for col, doc in enumerate(stats):
        for row in doc.rows or []:
            key = indicator_key(row["indicator"])
            if not key:
                continue
            s = series.setdefault(key, {"name": INDICATOR_PREFIX.sub("", row["indicator"]).strip(),
                                        "values": [None] * len(stats), "growth": [None] * len(stats)})
            s["values"][col] = row.get("value")
            s["growth"][col] = row.get("growth")
    return stats, list(series.values())


def yearly(stats: list[Document], values: list) -> tuple[list[int], list, list[str]]:
    """One point a year for the overview chart: the value of the year's latest period. The figures are
    cumulative from January (1-10月), so consecutive periods are not comparable, the latest is the year's
    fullest; and one point a year keeps the page from growing with every issue (≈ 1.3 MB at 500 issues)."""
    latest: dict[int, tuple[object, str]] = {}
    for doc, value in zip(stats, values):
        if value is not None:
            year = int(doc.period[:4]) if doc.period and doc.period[:4].isdigit() else doc.issue.year
            latest[year] = (value, doc.period or issue_label(doc.issue))
    years = sorted(latest)
    return years, [latest[y][0] for y in years], [latest[y][1] for y in years]


CHART_TICKS = 4  # period labels that fit under a 320-pixel chart


def svg_chart(values: list, labels: list[str], title: str, tips: list[str] | None = None) -> str:
    """A small line chart (inline SVG, no script) of one indicator: a point per value, `labels` under
    the axis (at most CHART_TICKS of them), `tips` (default: the labels) in each point's tooltip."""
    tips = tips or labels
    w, h, pad_l, pad_r, pad_t, pad_b = 320, 150, 46, 12, 14, 34
    points = [(i, v) for i, v in enumerate(values) if isinstance(v, (int, float))]
    parts = [f'<svg class="stat-chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
             f'aria-label="{esc(title)}" xmlns="http://www.w3.org/2000/svg">']
    parts.append(f'<line x1="{pad_l}" y1="{h - pad_b}" x2="{w - pad_r}" y2="{h - pad_b}" class="axis"/>')
    n = max(len(values), 1)

    def x(i):
        return pad_l + (w - pad_l - pad_r) * (i + 0.5) / n

    # at most CHART_TICKS labels under the axis, evenly spread (every point keeps its own in its tooltip)
    step = -(-len(labels) // CHART_TICKS) if labels else 1
    for i in range(0, len(labels), step):
        parts.append(f'<text x="{x(i):.1f}" y="{h - pad_b + 14}" text-anchor="middle" class="tick">{esc(labels[i])}</text>')
    if points:
        lo = min(v for _, v in points)
        hi = max(v for _, v in points)
        if hi == lo:
            lo, hi = lo - 1, hi + 1

        def y(v):
            return pad_t + (h - pad_t - pad_b) * (1 - (v - lo) / (hi - lo))

        parts.append(f'<text x="{pad_l - 4}" y="{y(hi) + 4:.1f}" text-anchor="end" class="tick">{hi:g}</text>')
        parts.append(f'<text x="{pad_l - 4}" y="{y(lo) + 4:.1f}" text-anchor="end" class="tick">{lo:g}</text>')
        if len(points) > 1:
            path = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in points)
            parts.append(f'<polyline points="{path}" class="line"/>')
        for i, v in points:
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3.5" class="dot">'
                         f'<title>{esc(tips[i])}：{v:g}</title></circle>')
    else:
        parts.append(f'<text x="{w / 2}" y="{h / 2}" text-anchor="middle" class="tick">无数值</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP: CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: str) -> str:
    """A text cell that a spreadsheet shows as text: a leading formula character gets a ' before it."""
    return "'" + value if value.startswith(FORMULA_START) else value


def statistics_csv(stats: list[Document]) -> str:
    """One row per printed statistic. Text cells (from the source) are neutralised for spreadsheets;
    numbers are written as numbers (a negative growth stays -1.5)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["issue", "issue_year", "issue_number", "issue_date", "document", "period",
                     "indicator", "value", "growth"])
    for doc in stats:
        for row in doc.rows or []:
            writer.writerow([doc.issue.id, doc.issue.year, doc.issue.number or "", doc.issue.date or "",
                             doc.id, csv_text(doc.period or ""), csv_text(row["indicator"]),
                             "" if row.get("value") is None else row["value"],
                             "" if row.get("growth") is None else row["growth"]])
    return buf.getvalue()
