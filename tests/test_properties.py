"""Property tests: no converter crashes or loses body text on arbitrary, truncated or mangled input."""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from converters.audit import lost_characters, source_characters
from converters.model import ConversionError, IssueMeta
from converters.pipeline import convert_text
from converters.readers import READERS, pdftext
from converters.text import display_width, fits_width

from conftest import SEED_ISSUES

SEEDS = {
    "pdf-text": [(SEED_ISSUES / "2019-d73dbd3f/source.txt").read_text(encoding="utf-8"),
                 (SEED_ISSUES / "2020-acb6513f/source.txt").read_text(encoding="utf-8")],
    "pdf-markdown": [(SEED_ISSUES / "2018-16/source.md").read_text(encoding="utf-8")],
}
META = IssueMeta("2099-01", 2099, 1, None)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text made of the pieces gazette sources are made of, so generated input reaches deep paths.
PIECES = st.sampled_from([
    "\n", "\n\n", " ", "　", "第一章　总则", "第十五条　", "（一）", "一、", "1.", "1.1 ", "●", "11月3日：",
    "连政办发〔2018〕160号", "连政发(2019)12号", "市政府关于印发", "办法的通知", "连云港市人民政府",
    "2019年11月8日", "# ", "## ", "**", "\t", "附件", "附 件", "目 录", "。", "；", "：",
    "2019 年 1-10 月份主要经济指标", "一、一般公共预算收入(亿元) 210.57 3.3", "连云港市人民政府大事记",
    "市政府文件", "18 连云港市人民政府公报", "连云港市人民政府公报 7", "为促进政务大数据在服务改革",
    "..... ( 3 )", "【 市 政 府 文 件 】", "字", "表", "1",
    "序号 地点 里程 左侧 右侧", "1 甲区 K0-K9 10 10", "2 K9-K18 12", "下行联络线", "召集人：张  三   副市长",
    "　　　　李四五   主任", "   ", "特此通告。", "现印发给你们，请认真贯彻执行。", "9610、1210、", "年 月 日",
    "连政发(2002)年187号",
])
GAZETTE_TEXT = st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=120).map("".join)


def _convert(text: str, fmt: str):
    try:
        return convert_text(text, "generated", META, fmt)
    except ConversionError:
        return None


def _assert_nothing_lost(text: str, fmt: str) -> None:
    result = _convert(text, fmt)
    if result is None:
        return
    assert result.lost == {}, result.lost


@SETTINGS
@given(text=GAZETTE_TEXT, fmt=st.sampled_from(sorted(READERS)))
def test_arbitrary_text_never_crashes_or_loses_text(text, fmt):
    _assert_nothing_lost(text, fmt)


@SETTINGS
@given(data=st.data(), fmt=st.sampled_from(sorted(READERS)))
def test_truncated_sources(data, fmt):
    source = data.draw(st.sampled_from(SEEDS[fmt]))
    start = data.draw(st.integers(0, len(source) - 1))
    length = data.draw(st.integers(1, 20_000))
    _assert_nothing_lost(source[start:start + length], fmt)


@SETTINGS
@given(data=st.data(), fmt=st.sampled_from(sorted(READERS)))
def test_mangled_sources(data, fmt):
    """Lines dropped, duplicated or shuffled locally, blank lines removed, junk inserted."""
    source = data.draw(st.sampled_from(SEEDS[fmt]))
    lines = source.split("\n")
    start = data.draw(st.integers(0, max(0, len(lines) - 400)))
    window = lines[start:start + 400]
    for _ in range(data.draw(st.integers(1, 12))):
        op = data.draw(st.sampled_from(["drop", "dup", "swap", "junk", "strip"]))
        i = data.draw(st.integers(0, len(window) - 1))
        if op == "drop":
            del window[i]
        elif op == "dup":
            window.insert(i, window[i])
        elif op == "swap" and i + 1 < len(window):
            window[i], window[i + 1] = window[i + 1], window[i]
        elif op == "junk":
            window.insert(i, data.draw(GAZETTE_TEXT))
        elif op == "strip":
            window[i] = window[i].strip()
        if not window:
            window = ["x"]
    _assert_nothing_lost("\n".join(window), fmt)




@SETTINGS
@given(text=GAZETTE_TEXT)
@example(text="18 连云港市人民政府公报\n18 连云港市人民政府公报")  # a footer is not the next footer's header
def test_pdftext_reader_keeps_every_character(text):
    """The PDF-text reader only sets aside furniture: lines + furniture = the source."""
    lines = pdftext.read(text, "generated")
    kept = Counter(c for ln in lines.lines for c in ln.text if not c.isspace())
    kept += Counter(c for f in lines.furniture for c in f.text if not c.isspace())
    assert kept == Counter(c for c in text if not c.isspace())


def test_whole_seeds_lose_nothing():
    for fmt, texts in SEEDS.items():
        for text in texts:
            result = convert_text(text, "seed", META, fmt)
            assert result.lost == {} and result.characters > 20_000


def test_lost_characters_detects_a_loss():
    text = SEEDS["pdf-text"][0]
    result = convert_text(text, "seed", META, "pdf-text")
    result.documents[0].blocks.pop()  # drop a block: the audit must notice
    from converters.readers import pdftext as reader

    assert lost_characters(source_characters(reader.read(text, "seed")), result.documents)


@given(st.one_of(GAZETTE_TEXT, st.text(max_size=200)), st.sampled_from([0, 0.5, 1, 12, 20, 24, 40, 60, 80.5]))
@settings(deadline=None)
def test_fits_width_is_display_width_bounded(text, limit):
    """The segmenter's and structure stage's bounded width test is the measured width compared."""
    assert fits_width(text, limit) == (display_width(text) <= limit)


TABLE_CELL = st.sampled_from(["1", "2", "3", "12", "序号", "地点", "甲区", "K0-K9", "10", "15.5", "-", "召集人：张",
                              "三", "成", "员：王", "五", "下行联络线", "（米）", "备注"])
TABLE_LINE = st.lists(TABLE_CELL, min_size=1, max_size=7).flatmap(
    lambda cells: st.lists(st.sampled_from([" ", "  ", "   ", "　", "  　"]), min_size=len(cells) - 1,
                           max_size=len(cells) - 1).map(lambda gaps: "".join(
                               c + (gaps[i] if i < len(gaps) else "") for i, c in enumerate(cells))))


@SETTINGS
@given(st.lists(TABLE_LINE, min_size=1, max_size=14))
def test_tables_keep_every_cell_and_spans_stay_inside_the_grid(lines):
    """Any printed rows give a grid with every character of the rows, and spans that name cells of it."""
    from converters.tables import shape, split_rows

    table = shape(split_rows(lines))
    assert Counter("".join("".join(r) for r in table.rows)) == Counter("".join(lines).replace(" ", "").replace("　", ""))
    assert 0 <= table.head_rows <= len(table.rows)
    for row, col, rowspan, colspan in table.spans:
        assert 0 <= row < len(table.rows) and 0 <= col < len(table.rows[row]) and rowspan >= 1 and colspan >= 1
        assert row + rowspan <= len(table.rows)


@given(st.lists(st.one_of(GAZETTE_TEXT, st.text(max_size=40)), max_size=6))
@example(["　连云港 ●\n\t𠀀", "\ud800"])
def test_characters_counted_as_code_points_are_the_characters_counted_one_by_one(pieces):
    from collections import Counter

    from converters.audit import characters

    plain = Counter(c for piece in pieces for c in piece if not (c.isspace() or c == "●"))
    assert characters(pieces) == plain and set(characters(pieces)) == set(plain)
