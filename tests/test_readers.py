"""Readers on layouts the sample issues do not show: what must stay body text, where pages begin."""

from __future__ import annotations

import re

import pytest

from converters.readers import pdfmd, pdftext

# Running headers and page numbers stand at the top of a page (市政府文件 / 连云港市人民政府公报 14);
# page 12 has a number but no header, and ends a document whose signature closes page 11.
NOTICE = """ 市政府关于测试的通知
连政发〔2030〕5号
各县、区人民政府：
现将有关事项通知如下，请遵照执行。
连云港市人民政府
2030年2月1日

12 连云港市人民政府公报
附件内容第一页。
\f附件内容第二页。
市政府文件

连云港市人民政府公报 14
市政府关于另一测试的通知
连政发〔2030〕6号
各县、区人民政府：
另行通知。
"""


def _texts(lines):
    return [ln.text for ln in lines.lines]


def test_signature_above_the_page_number_is_body_not_a_running_header():
    read = pdftext.read(NOTICE, "t.txt")
    assert "连云港市人民政府" in _texts(read) and "2030年2月1日" in _texts(read)
    assert [text for _, text in read.categories] == ["市政府文件"]  # the real running header
    assert {f.text for f in read.furniture} == {"12 连云港市人民政府公报", "市政府文件", "连云港市人民政府公报 14"}


def test_form_feed_starts_a_page():
    read = pdftext.read(NOTICE, "t.txt")
    page = {ln.text: ln for ln in read.lines}
    assert page["附件内容第一页。"].page == 12
    assert page["附件内容第二页。"].new_page and page["附件内容第二页。"].page == 13  # between 12 and 14
    assert page["市政府关于另一测试的通知"].page == 14


def test_configured_furniture_patterns_apply_to_text_dumps():
    text = NOTICE.replace("另行通知。", "另行通知。\n政府公报客户端二维码")
    read = pdftext.read(text, "t.txt", (re.compile("二维码$"),))
    assert "政府公报客户端二维码" not in _texts(read)
    assert "政府公报客户端二维码" in {f.text for f in read.furniture}


PLAN = """# 连云港市人民政府公报

# 目 录

市政府办公室关于印发测试预案的通知 ..... ( 3 )

# 市政府办公室关于印发测试预案的通知

连政办发〔2030〕8号

各县、区人民政府：

现将《测试预案》印发给你们。

## 测试预案

目录

1 总则 ..... ( 1 )

2 组织体系 ..... ( 2 )

## 1 总则

为做好测试工作，制定本预案。
"""


def test_a_contents_list_inside_a_document_is_body_text():
    read = pdfmd.read(PLAN, "t.md")
    texts = _texts(read)
    assert texts[0] == "市政府办公室关于印发测试预案的通知" and "连政办发〔2030〕8号" in texts
    assert "为做好测试工作，制定本预案。" in texts
    assert [e.title for e in read.toc] == ["市政府办公室关于印发测试预案的通知"]


@pytest.mark.archive
def test_pdftotext_form_feeds_read_like_the_indented_page_starts(project):
    """The text seeds mark a new page by a one-space indent; pdftotext marks it with a form feed.
    Both forms of the same issue convert to the same documents."""
    from converters.model import IssueMeta
    from converters.pipeline import convert_text

    for source in sorted((project / "docs_src").glob("*/source.txt")):
        text = source.read_text(encoding="utf-8")
        meta = IssueMeta("2030-01", 2030)
        indented = convert_text(text, "s.txt", meta, "pdf-text")
        fed = convert_text(re.sub(r"\n (?=\S)", "\n\f", text), "s.txt", meta, "pdf-text")
        assert [d.as_json() for d in fed.documents] == [d.as_json() for d in indented.documents], source
        assert fed.lost == {}


# The PDF extractor's form: a form feed a page, the running head first (header, then folio).
EXTRACTED = """\f连云港市人民政府公报
2030
第2期
\f目　录
【市政府文件】
市政府关于测试的通知…………………………（3）
【部门文件】
市财政局关于另一测试
的通知………………………………（4）
\f市政府文件
— 3 —
市政府关于测试的通知
连政发〔2030〕5号
各县、区人民政府：
序号\t名称\t\t备注
1\t甲单位\t乙\t
\f附件 4
现将有关事项通知如下，请遵照执行。
\f部门文件
— 5 —
市财政局关于另一测试的通知
连财发〔2030〕6号
"""


def test_extracted_form_cover_contents_folios_and_cells():
    lines = pdftext.read(EXTRACTED, "x.txt")
    assert lines.cover == {"year": 2030, "number": 2}
    assert [(e.title, e.page, e.category) for e in lines.toc] == [
        ("市政府关于测试的通知", 3, "市政府文件"), ("市财政局关于另一测试的通知", 4, "部门文件")]
    assert [f.text for f in lines.furniture][-4:] == ["市政府文件", "— 3 —", "部门文件", "— 5 —"]
    assert lines.lines[0].text == "市政府关于测试的通知" and lines.lines[0].page_start == 3
    # a heading `附件 4` opening page 4 is not a folio, though its number would follow the page order
    attachment = next(ln for ln in lines.lines if ln.text == "附件 4")
    assert attachment.new_page and attachment.page == 4
    rows = [ln.cells for ln in lines.lines if ln.cells]
    assert rows == [["序号", "名称", "", "备注"], ["1", "甲单位", "乙", ""]]
    assert not any(ln.soft_wrap for ln in lines.lines if ln.cells)
