"""Document numbers cited in text: any bracket form, normalised; what cannot be read is reported."""

import pytest

from converters.citations import cited_numbers, find_citations, stray_citations, unreadable_citations
from converters.ids import number_slug


@pytest.mark.parametrize("text,number", [
    ("《江苏省政务信息资源共享管理暂行办法的通知》（苏政发〔2017〕133号）", "苏政发〔2017〕133号"),
    ("根据苏政发〔2020〕44号精神", "苏政发〔2020〕44号"),
    ("连政规发(2013)4号", "连政规发〔2013〕4号"),
    ("（连政发（2007）23号）", "连政发〔2007〕23号"),
    ("与连政办发［2028］3号配套", "连政办发〔2028〕3号"),
    ("按照国办发〔2019〕 50 号", "国办发〔2019〕50号"),
    ("工信部联企业〔2011〕300号", "工信部联企业〔2011〕300号"),
])
def test_bracket_forms_normalised(text, number):
    assert [c.number for c in find_citations(text)] == [number]


def test_own_number_and_repeats_are_not_citations():
    text = "连政办发〔2018〕160号 依据连政发〔2017〕110号 和 连政发〔2017〕110号"
    assert cited_numbers([text], own="连政办发〔2018〕160号") == ["连政发〔2017〕110号"]


def test_unreadable_forms_reported():
    assert unreadable_citations("（国发〔2015〕50号）") == []


def test_a_stray_character_between_year_and_number_is_read_and_reported():
    text = "市政府\t连政发(2002)年187号\t2002年10月30日"
    assert [(c.number, c.stray) for c in find_citations(text)] == [("连政发〔2002〕187号", "年")]
    assert unreadable_citations(text) == []
    assert stray_citations(text) == [("连政发(2002)年187号", "连政发〔2002〕187号")]
    # 第 is a printed form, not a stray character
    assert [(c.number, c.stray) for c in find_citations("连政发〔2002〕第18号")] == [("连政发〔2002〕18号", "")]


def test_ids_from_numbers():
    assert number_slug("连政规发〔2019〕2号") == "lzgf-2019-2"
    assert number_slug("连政办发〔2018〕160号") == "lzbf-2018-160"
    assert number_slug("连政发〔2018〕137号") == "lzf-2018-137"
