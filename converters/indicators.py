"""The indicators of the 主要经济指标 tables: printed names and units -> one indicator id, its parent and
its unit (indicators.yml, reviewed by hand), and the period a table covers.

A statistics row is printed as "一、一般公共预算收入(亿元)" (a section: numbered, its unit in brackets) or
as "一般公共预算支出" under it (a sub-row: no unit of its own, its section's). Rows are matched here;
a name indicators.yml does not know is reported (`gazette check`), never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from .errors import GazetteError

INDICATORS_FILE = Path(__file__).resolve().parent / "indicators.yml"
SECTION_RE = re.compile(r"^\s*[一二三四五六七八九十]+、")
UNIT_RE = re.compile(r"[(（]([^()（）]*)[)）]\s*$")
# 2018年1-10月, 2020年1—11月份, 2019年10月 (one month)
PERIOD_RE = re.compile(r"(\d{4})年\s*(\d{1,2})(?:\s*[-－—–~～至]\s*(\d{1,2}))?\s*月")


class IndicatorsError(GazetteError):
    """indicators.yml is malformed: the message names the file and the entry."""


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    unit: str
    parent: str | None = None


@dataclass(frozen=True)
class Matched:
    """A printed row, understood: its indicator (None when unknown), the unit printed or inherited, and
    the factor that converts its value into the indicator's unit."""

    indicator: Indicator | None
    printed_name: str
    printed_unit: str
    factor: float = 1.0


@dataclass
class Indicators:
    by_id: dict[str, Indicator] = field(default_factory=dict)
    printed: dict[str, str] = field(default_factory=dict)  # "section/name|unit" or "name|unit" -> id
    units: dict[str, dict[str, float]] = field(default_factory=dict)

    def factor(self, unit: str, to: str) -> float | None:
        if unit == to:
            return 1.0
        return self.units.get(unit, {}).get(to)

    def match_rows(self, rows: list[dict]) -> list[Matched]:
        """The rows of one statistics table, in order (a sub-row is read under the section above it)."""
        out, section_name, section_unit = [], "", ""
        for row in rows:
            printed = row.get("indicator") or ""
            name, unit = split_name(printed)
            if SECTION_RE.match(printed):
                section_name, section_unit = name, unit
            unit = unit or section_unit
            key = self.printed.get(f"{section_name}/{name}|{unit}") or self.printed.get(f"{name}|{unit}")
            indicator = self.by_id.get(key) if key else None
            factor = self.factor(unit, indicator.unit) if indicator else None
            if indicator and factor is None:  # printed in a unit with no conversion to the indicator's
                indicator = None
            out.append(Matched(indicator, name, unit, factor or 1.0))
        return out


def normalise(name: str) -> str:
    return re.sub(r"\s+", "", SECTION_RE.sub("", name)).replace("（", "(").replace("）", ")")


def split_name(printed: str) -> tuple[str, str]:
    """一、进出口总额（万美元） -> ("进出口总额", "万美元")."""
    name = normalise(printed)
    m = UNIT_RE.search(name)
    if m:
        return name[:m.start()], m.group(1).strip()
    return name, ""


def parse_indicators(data: object, where: str) -> Indicators:
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), list):
        raise IndicatorsError(f"{where}: expected 'indicators:' (a list) and optionally 'units:'")
    out = Indicators()
    units = data.get("units") or {}
    if not isinstance(units, dict) or not all(isinstance(v, dict) for v in units.values()):
        raise IndicatorsError(f"{where}: 'units' maps a unit to {{other unit: factor}}")
    out.units = {str(k): {str(u): float(f) for u, f in v.items()} for k, v in units.items()}
    for n, entry in enumerate(data["indicators"]):
        here = f"{where}: indicators[{n}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or not isinstance(entry.get("printed"), list):
            raise IndicatorsError(f"{here}: needs an id and a list 'printed'")
        ind = Indicator(entry["id"], str(entry.get("name") or entry["id"]), str(entry.get("unit") or ""),
                        entry.get("parent"))
        if ind.id in out.by_id:
            raise IndicatorsError(f"{here}: id {ind.id} appears twice")
        out.by_id[ind.id] = ind
        for printed in entry["printed"]:
            if not isinstance(printed, str) or "|" not in printed:
                raise IndicatorsError(f"{here}: printed {printed!r} is not 'name|unit'")
            name, unit = printed.rsplit("|", 1)
            key = "/".join(normalise(part) for part in name.split("/")) + "|" + unit.strip()
            if key in out.printed:
                raise IndicatorsError(f"{here}: {printed!r} already names {out.printed[key]}")
            out.printed[key] = ind.id
    for ind in out.by_id.values():
        if ind.parent is not None and ind.parent not in out.by_id:
            raise IndicatorsError(f"{where}: {ind.id}'s parent {ind.parent} is not an indicator")
    return out


@lru_cache(maxsize=1)
def load_indicators(path: Path = INDICATORS_FILE) -> Indicators:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise IndicatorsError(f"{path.name}: cannot be read ({exc.__class__.__name__})") from None
    return parse_indicators(data, path.name)


def period_span(period: str | None) -> tuple[str, str] | None:
    """2018年1-10月 -> ("2018-01", "2018-10"); None when the period is not printed that way."""
    m = PERIOD_RE.search(period or "")
    if not m:
        return None
    year, first, last = int(m.group(1)), int(m.group(2)), int(m.group(3) or m.group(2))
    if not (1 <= first <= last <= 12):
        return None
    return f"{year}-{first:02d}", f"{year}-{last:02d}"


def unknown_rows(results) -> list[str]:
    """`gazette check`'s lines for printed indicator names indicators.yml does not know."""
    known = load_indicators()
    out = []
    for r in results:
        for doc in r.documents:
            if doc.kind != "statistics":
                continue
            for row, m in zip(doc.rows or [], known.match_rows(doc.rows or [])):
                if m.indicator is None:
                    unit = f"，单位 {m.printed_unit}" if m.printed_unit else "，无单位"
                    out.append(f"{doc.source}:{doc.lineno}: indicator {row['indicator']!r} ({m.printed_name}{unit}) "
                               f"is not in converters/indicators.yml")
    return out
