"""Statistics documents across the archive: one series per indicator (converters/indicators.yml), the
overview's charts (inline SVG, no script, each with its values in a table) and statistics.csv.

What is compared is comparable: the tables print figures cumulative from January (1-10月) and their
year-on-year growth (同比, %). So the growth is charted by period (each period on the axis), and a
cumulative value only against the same months of other years (1-10月 of 2018 beside 1-10月 of 2019).
Bars start at zero, so no axis exaggerates a difference; every charted value is also in a table.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from markupsafe import Markup

from ..indicators import load_indicators, period_span
from ..model import Document
from ..render import esc
from .labels import issue_label

# The overview charts the latest periods only, so that it does not grow with every issue; the year
# pages (statistics/<YYYY>/) hold every period.
CHART_PERIODS = 12


@dataclass
class Series:
    """One indicator across the statistics documents (a column each): values in the indicator's unit."""

    key: str  # the indicator id, or "printed:<name>|<unit>" for a row indicators.yml does not know
    name: str
    unit: str
    parent: str | None = None  # the parent indicator's name
    known: bool = True
    values: list = field(default_factory=list)
    growth: list = field(default_factory=list)
    converted: dict = field(default_factory=dict)  # column -> "799701万美元": a value printed in another unit

    @property
    def label(self) -> str:
        """全社会用电量：工业用电量（亿千瓦时）"""
        name = f"{self.parent}：{self.name}" if self.parent else self.name
        return f"{name}（{self.unit}）" if self.unit else name


def period_label(doc: Document) -> str:
    return doc.period or issue_label(doc.issue)


def _order(doc: Document):
    span = period_span(doc.period)
    return (span or (f"{doc.issue.year}-99", ""), doc.issue.year, doc.issue.date or "", doc.issue.number or 0)


def statistics_table(docs: list[Document]) -> tuple[list[Document], list[Series]]:
    """The statistics documents in the order of their periods, and one series per indicator across them
    (in the order indicators.yml lists them; rows it does not know after, under their printed names)."""
    known = load_indicators()
    stats = sorted((d for d in docs if d.kind == "statistics" and d.rows), key=_order)
    series: dict[str, Series] = {}
    for col, doc in enumerate(stats):
        for row, m in zip(doc.rows or [], known.match_rows(doc.rows or [])):
            if m.indicator is not None:
                ind = m.indicator
                parent = known.by_id[ind.parent].name if ind.parent else None
                s = series.setdefault(ind.id, Series(ind.id, ind.name, ind.unit, parent))
            else:
                if not m.printed_name:
                    continue
                key = f"printed:{m.printed_name}|{m.printed_unit}"
                s = series.setdefault(key, Series(key, m.printed_name, m.printed_unit, known=False))
            if not s.values:
                s.values, s.growth = [None] * len(stats), [None] * len(stats)
            value = row.get("value")
            s.values[col] = None if value is None else round(value * m.factor, 6)
            if value is not None and m.factor != 1:
                s.converted[col] = f"{fmt(value)}{m.printed_unit}"
            s.growth[col] = row.get("growth")
    order = {ind_id: n for n, ind_id in enumerate(known.by_id)}
    return stats, sorted(series.values(), key=lambda s: (not s.known, order.get(s.key, 0)))


def same_months(stats: list[Document], values: list) -> list[tuple[str, list[tuple[str, float]]]]:
    """A series' values grouped by the months they cover: [("1-10月", [("2018年", v), ("2019年", v)]), …],
    only groups with values of at least two years (a single value has nothing to be compared with)."""
    groups: dict[str, list[tuple[str, float]]] = {}
    for doc, value in zip(stats, values):
        span = period_span(doc.period)
        if value is None or span is None:
            continue
        first, last = int(span[0][5:]), int(span[1][5:])
        months = f"{first}-{last}月" if first != last else f"{first}月"
        groups.setdefault(months, []).append((f"{span[0][:4]}年", value))
    return [(m, pts) for m, pts in groups.items() if len({y for y, _ in pts}) > 1]


def fmt(value) -> str:
    """A number as printed: 799701, 19.6, -6.3."""
    if value is None:
        return "—"
    return f"{value:g}" if abs(value) < 1e15 else str(value)


def bar_chart(points: list[tuple[str, float]], title: str, unit: str = "") -> Markup:
    """Bars from zero (inline SVG, no script): one per (label, value), the label under the axis and the
    value at the bar's end. Negative values go below the zero line. `title` names the chart to screen
    readers, which read the table that follows it."""
    w, h, pad_l, pad_r, pad_t, pad_b = 320, 170, 8, 8, 16, 44
    n = max(len(points), 1)
    lo = min([0.0] + [v for _, v in points])
    hi = max([0.0] + [v for _, v in points])
    if hi == lo:
        hi = lo + 1
    inner_h = h - pad_t - pad_b

    def y(v: float) -> float:
        return pad_t + inner_h * (hi - v) / (hi - lo)

    slot = (w - pad_l - pad_r) / n
    bar = min(slot * 0.6, 48)
    parts = [f'<svg class="stat-chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
             f'aria-label="{esc(title)}" xmlns="http://www.w3.org/2000/svg">']
    for i, (label, v) in enumerate(points):
        cx = pad_l + slot * (i + 0.5)
        top, bottom = sorted((y(v), y(0)))
        css = "bar neg" if v < 0 else "bar"
        parts.append(f'<rect x="{cx - bar / 2:.1f}" y="{top:.1f}" width="{bar:.1f}" height="{max(bottom - top, 0.5):.1f}" '
                     f'class="{css}"><title>{esc(label)}：{esc(fmt(v))}{esc(unit)}</title></rect>')
        value_y = top - 3 if v >= 0 else bottom + 10
        parts.append(f'<text x="{cx:.1f}" y="{value_y:.1f}" text-anchor="middle" class="value">{esc(fmt(v))}</text>')
        parts.append(f'<text x="{cx:.1f}" y="{h - 6}" text-anchor="middle" class="tick">{esc(label)}</text>')
    parts.append(f'<line x1="{pad_l}" y1="{y(0):.1f}" x2="{w - pad_r}" y2="{y(0):.1f}" class="axis"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def overview(stats: list[Document], series: list[Series]) -> list[dict]:
    """The overview's figures, one per known indicator: the growth by period (the latest CHART_PERIODS),
    and the cumulative values of the same months across years; each with the table of its values."""
    recent = list(range(max(0, len(stats) - CHART_PERIODS), len(stats)))
    out = []
    for s in series:
        if not s.known:
            continue
        growth = [(period_label(stats[c]), s.growth[c]) for c in recent if s.growth[c] is not None]
        figure = {"id": s.key, "label": s.label, "name": s.name, "unit": s.unit, "charts": [],
                  "rows": [(period_label(stats[c]), s.values[c], s.growth[c], s.converted.get(c)) for c in recent
                           if s.values[c] is not None or s.growth[c] is not None]}
        if growth:
            figure["charts"].append({"caption": "同比增长（%），按期别",
                                     "svg": bar_chart(growth, f"{s.label}：同比增长（%）", "%")})
        for months, points in same_months([stats[c] for c in recent], [s.values[c] for c in recent]):
            figure["charts"].append({"caption": f"{months}累计（{s.unit}），各年同期" if s.unit else f"{months}，各年同期",
                                     "svg": bar_chart(points, f"{s.label}：{months}，各年同期", s.unit)})
        if figure["rows"]:
            out.append(figure)
    return out


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP: CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: str) -> str:
    """A text cell that a spreadsheet shows as text: a leading formula character gets a ' before it."""
    return "'" + value if value.startswith(FORMULA_START) else value


CSV_COLUMNS = ["issue", "issue_year", "issue_number", "issue_date", "document", "period", "period_start",
               "period_end", "indicator_id", "indicator", "unit", "value", "growth"]


def statistics_csv(stats: list[Document]) -> str:
    """One row per printed statistic: the value as printed, in the unit printed (or its section's), the
    indicator id (empty when indicators.yml does not know the name) and the months the period covers
    (YYYY-MM, empty when the period is not printed). Text cells (from the source) are neutralised for
    spreadsheets; numbers are written as numbers (a negative growth stays -1.5)."""
    known = load_indicators()
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for doc in stats:
        start, end = period_span(doc.period) or ("", "")
        for row, m in zip(doc.rows or [], known.match_rows(doc.rows or [])):
            writer.writerow([doc.issue.id, doc.issue.year, doc.issue.number or "", doc.issue.date or "",
                             doc.id, csv_text(doc.period or ""), start, end,
                             m.indicator.id if m.indicator else "", csv_text(row["indicator"]),
                             csv_text(m.printed_unit),
                             "" if row.get("value") is None else row["value"],
                             "" if row.get("growth") is None else row["growth"]])
    return buf.getvalue()
