"""Statistics that do not mislead: one indicator one series (converters/indicators.yml), growth charted by
period, cumulative values only beside the same months of other years, bars from zero, every value in a
table, statistics.csv's indicator_id/unit/period columns, unknown names reported by `gazette check`."""

from __future__ import annotations

import csv
import io

import pytest

from converters.indicators import IndicatorsError, load_indicators, parse_indicators, period_span, unknown_rows
from converters.model import Document, IssueMeta
from converters.site import statistics


def _table(n: int, year: int, period: str | None, rows: list) -> Document:
    return Document(id=f"s{n}", kind="statistics", title="", issue=IssueMeta(f"i{n}", year, None, None),
                    source="docs_src/x/source.txt", lineno=40, period=period,
                    rows=[{"indicator": i, "value": v, "growth": g} for i, v, g in rows])


STATS = [_table(0, 2018, "2018年1-10月", [("三、进出口总额(万美元)", 799701.0, 19.6), ("出口额", 348050.0, 11.0),
                                          ("八、全社会用电量(亿千瓦时)", 148.33, -2.1), ("工业", 85.96, -12.1)]),
         _table(1, 2019, "2019年1-10月", [("十、进出口总额（亿美元）", 74.39, -7.0), ("出口", 31.5, -9.7),
                                          ("七、全社会用电量(亿千瓦时)", 152.16, 2.6), ("工业用电量", 87.8, 2.1)]),
         _table(2, 2020, "2020年1-11月", [("十、进出口总额（亿美元）", 84.26, -1.8), ("未知指标(亿元)", 1.0, None)])]


def test_one_indicator_one_series_in_its_unit():
    ordered, series = statistics.statistics_table(list(reversed(STATS)))
    assert [d.id for d in ordered] == ["s0", "s1", "s2"]  # in the order of the periods
    by_key = {s.key: s for s in series}
    assert by_key["trade"].values == [79.9701, 74.39, 84.26] and by_key["trade"].converted == {0: "799701万美元"}
    assert by_key["exports"].values == [34.805, 31.5, None] and by_key["exports"].label == "进出口总额：出口额（亿美元）"
    # a sub-row keeps its parent and its section's unit
    assert by_key["electricity-industry"].label == "全社会用电量：工业用电量（亿千瓦时）"
    assert by_key["electricity-industry"].values[:2] == [85.96, 87.8]
    assert not by_key["printed:未知指标|亿元"].known


def test_growth_by_period_and_values_only_beside_the_same_months():
    ordered, series = statistics.statistics_table(STATS)
    figures = {f["id"]: f for f in statistics.overview(ordered, series)}
    assert "printed:未知指标|亿元" not in figures  # an unknown name is in the year tables only
    growth, same = figures["trade"]["charts"]
    assert growth["svg"].count("<rect") == 3 and ">2020年1-11月</text>" in growth["svg"]  # the period on the axis
    # 1-10月 of 2018 and 2019 side by side; 1-11月 of 2020 has no other year's to be compared with
    assert same["caption"] == "1-10月累计（亿美元），各年同期" and same["svg"].count("<rect") == 2
    assert ">2018年</text>" in same["svg"] and ">2019年</text>" in same["svg"]
    # every value in the table, the converted one with what was printed
    assert figures["trade"]["rows"][0] == ("2018年1-10月", 79.9701, 19.6, "799701万美元")
    assert statistics.same_months(ordered, [1.0, None, 2.0]) == []


def test_bars_start_at_zero():
    svg = statistics.bar_chart([("2018年", 799700.0), ("2019年", 799702.0)], "指标")
    heights = [float(h) for h in __import__("re").findall(r'height="([\d.]+)" class="bar', svg)]
    assert len(heights) == 2 and min(heights) / max(heights) > 0.99  # no invented axis: nearly equal bars
    one = statistics.bar_chart([("2018年", 5.0)], "指标")
    assert one.count("<rect") == 1 and "799" not in one
    negative = statistics.bar_chart([("a", -2.0), ("b", 4.0)], "指标")
    assert 'class="bar neg"' in negative


def test_statistics_csv_has_indicator_unit_and_period():
    rows = list(csv.DictReader(io.StringIO(statistics.statistics_csv(STATS))))
    first = rows[0]
    assert (first["indicator_id"], first["indicator"], first["unit"], first["value"]) == (
        "trade", "三、进出口总额(万美元)", "万美元", "799701.0")  # the value as printed, in the unit printed
    assert (first["period_start"], first["period_end"]) == ("2018-01", "2018-10")
    assert rows[1]["unit"] == "万美元" and rows[1]["indicator_id"] == "exports"  # its section's unit
    assert rows[-1]["indicator_id"] == ""  # not guessed
    assert period_span("2020年1—11月份") == ("2020-01", "2020-11") and period_span("2019年10月") == ("2019-10", "2019-10")
    assert period_span(None) is None and period_span("2019年13月") is None


def test_unknown_indicator_names_are_reported():
    class Result:
        documents = [_table(0, 2030, None, [("一、一般公共预算收入(亿元)", 1.0, None), ("新指标(万吨)", 2.0, None)])]

    assert unknown_rows([Result()]) == ["docs_src/x/source.txt:40: indicator '新指标(万吨)' (新指标，单位 万吨) "
                                        "is not in converters/indicators.yml"]
    assert load_indicators().by_id["electricity-industry"].parent == "electricity"
    with pytest.raises(IndicatorsError, match=r"indicators\.yml: indicators\[0\]: printed 'a' is not 'name\|unit'"):
        parse_indicators({"indicators": [{"id": "x", "printed": ["a"]}]}, "indicators.yml")
    with pytest.raises(IndicatorsError, match=r"x's parent y is not an indicator"):
        parse_indicators({"indicators": [{"id": "x", "parent": "y", "printed": ["a|"]}]}, "indicators.yml")


# ---------------------------------------------------------------- the built page, in Chromium

import os  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

from converters.bench.synthetic import COPIED  # noqa: E402
from converters.serve import serve  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "stages" / "issue_with_contents.pdf-markdown.in"


@pytest.fixture(scope="module")
def stats_site(tmp_path_factory) -> Path:
    """Two issues a year apart from one fixture (its statistics cover 1-1月 of its year)."""
    project = tmp_path_factory.mktemp("statistics")
    for name in COPIED:
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy2)(ROOT / name, project / name)
    text = FIXTURE.read_text(encoding="utf-8")
    for year in (2030, 2031):
        folder = project / "docs_src" / f"{year}-03"
        folder.mkdir(parents=True)
        (folder / "source.md").write_text(text.replace("2030", str(year)).replace("20.5", str(year - 2010.0)),
                                          encoding="utf-8")
        (folder / "issue.yml").write_text(f"year: {year}\nnumber: 3\ndate: null\nsource: source.md\n"
                                          f"format: pdf-markdown\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "converters.cli", "build"], cwd=project, capture_output=True,
                            text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    if result.returncode != 0:
        pytest.fail(f"build failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return project / "site"


@pytest.mark.browser
def test_every_charted_value_is_in_an_accessible_table(stats_site, browser):
    with serve(stats_site) as url:
        page = browser.new_page()
        page.goto(f"{url}/statistics/")
        figure = page.locator("#ind-budget-revenue")
        assert figure.get_by_role("heading").inner_text() == "一般公共预算收入（亿元）"
        charts = figure.get_by_role("img")
        assert charts.count() == 2  # growth by period; 1月 of 2030 beside 1月 of 2031
        assert charts.nth(1).get_attribute("aria-label") == "一般公共预算收入（亿元）：1月，各年同期"
        table = page.get_by_role("table", name="一般公共预算收入（亿元）：各期数值")
        assert table.is_visible()
        cells = table.locator("tbody tr").evaluate_all(
            "rows => rows.map(r => Array.from(r.children).map(c => c.textContent.trim()))")
        assert cells == [["2030年1-1月", "20", "3.1"], ["2031年1-1月", "21", "3.1"]]  # periods as printed
        # the periods are on the chart's axis, not only in tooltips
        assert "2030年1-1月" in charts.nth(0).inner_html() and ">2031年<" in charts.nth(1).inner_html()
        page.close()
