"""The search record of a document page (converters/search_view.py): one line of JSON holding the page's
searchable text as runs, the headings a hit can open (with their offsets in UTF-16 code units, as the
search page counts), and the facts a result shows and the search page filters and orders by."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from converters.phrase_index import RUN_END
from converters.search_view import RECORD_FIELDS, search_view

PAGE = """<!doctype html>
<html lang="zh" class="no-js"><head><title>关于X的办法 - 公报</title></head><body>
<article class="md-content__inner md-typeset">
<div data-search-body>
<p><a class="page-mark" id="page_3" data-page="3" href="#page_3" aria-label="第3页"></a></p>
<h1 id="_1">关于X的办法<a class="headerlink" href="#_1">&para;</a></h1>
<div class="admonition danger doc-status" data-status="废止" data-search-ignore>
<p class="admonition-title">已废止</p><p>根据<a href="../x/">某文件</a>，本文件列为废止。</p>
</div>
<div class="doc-meta" data-search-ignore data-cite="{&#34;title&#34;:&#34;隐藏的引用数据&#34;}"><dl>
<dt>文号</dt><dd class="doc-number">连政发〔2019〕1号</dd>
<dt>发文机关</dt><dd>连云港市人民政府</dd>
<dt>成文日期</dt><dd>2019-03-04</dd>
<dt>刊载</dt><dd><a href="../../issue/2019-03/">《连云港市人民政府公报》2019年第3期</a>（2019-03-20）</dd>
<dt>类别</dt><dd>市政府文件</dd>
<dt>主题</dt><dd><span class="unknown">未载明</span></dd>
</dl>
</div>
<p class="paragraph" id="p_1">各县区：</p>
<p class="paragraph" id="p_2">生僻字𠀀在前，A&amp;B&lt;C&gt;。</p>
<h2 id="chp_1">第一章　总则<a class="headerlink" href="#chp_1">&para;</a></h2>
<p class="article" id="art_1"><span class="provision-heading" role="heading" aria-level="3"><a class="provision-link" href="#art_1">第一条</a></span>　为了<a class="cite cite-archive" href="../y/">连政发〔2018〕2号</a>，制定本办法。</p>
<p class="paragraph" id="art_1__para_2">第二款<a class="page-mark" id="page_4" data-page="4" href="#page_4" aria-label="第4页"></a>文字。</p>
<p class="item" id="art_1__item_1"><a class="provision-link" href="#art_1__item_1">（一）</a>一项；</p>
<table><tr><td>城乡</td><td>居民</td></tr></table>
<h2 id="att_1">附件<a class="headerlink" href="#att_1">&para;</a></h2>
<p class="article" id="att_1__art_2"><span class="provision-heading" role="heading" aria-level="3"><a class="provision-link" href="#att_1__art_2">第二条</a></span>　附件的条文。</p>
<div class="doc-after" data-search-ignore>
<h2 id="cited-by">被引用</h2><ul class="cited-by"><li><a href="../z/">某引用文件</a></li></ul>
<nav class="doc-pager"><a class="prev" href="../w/">← 上一篇：前一文件</a></nav>
</div>
</div>
</article></body></html>"""


def record_of(page: str) -> dict:
    view = search_view(page)
    assert view is not None and "\n" not in view  # one line: RUN_END is written escaped
    return json.loads(view)


def at_utf16(text: str, offset: int) -> str:
    """text from `offset` counted in UTF-16 code units (as the search page's JavaScript counts)."""
    return text.encode("utf-16-le")[2 * offset:].decode("utf-16-le")


def test_the_record_keeps_what_is_searchable_and_drops_what_is_ignored():
    record = record_of(PAGE)
    assert tuple(record) == RECORD_FIELDS
    runs = record["text"].split(RUN_END)
    assert all(run and run == "".join(run.split()) for run in runs)  # no run is empty or holds whitespace
    assert runs[:4] == ["关于X的办法", "连政发〔2019〕1号", "各县区：", "生僻字𠀀在前，A&B<C>。"]
    # inline markup (a citation link, a page mark) joins the text around it; a block's edge ends a run
    for run in ("第一章", "总则", "第一条", "为了连政发〔2018〕2号，制定本办法。", "第二款文字。", "（一）一项；",
                "城乡", "居民", "附件", "第二条", "附件的条文。"):
        assert run in runs, run
    assert "城乡居民" not in record["text"]  # two table cells are two runs: no phrase crosses them
    # the status banner, the facts box (but the number), permalinks, cited-by and the pager are not text
    for gone in ("已废止", "废止", "隐藏的引用数据", "发文机关", "连云港市人民政府", "2019-03-04", "未载明", "¶",
                 "原刊", "被引用", "某引用文件", "上一篇", "前一文件"):
        assert gone not in record["text"], gone


def test_the_facts_are_shown_filtered_and_sorted_on():
    record = record_of(PAGE)
    assert record["title"] == "关于X的办法"
    assert record["meta"] == {"doc_number": "连政发〔2019〕1号", "date": "2019-03-04", "issue": "2019年第3期",
                              "category": "市政府文件"}
    assert record["filters"] == {"year": "2019", "category": "市政府文件", "issuer": "连云港市人民政府"}
    assert record["sort"] == "2019-03-04"


def test_without_a_date_of_signature_the_issue_orders_it():
    page = PAGE.replace("<dt>成文日期</dt><dd>2019-03-04</dd>", "")
    assert record_of(page)["sort"] == "2019-03-20" and "date" not in record_of(page)["meta"]
    page = page.replace("（2019-03-20）", "（出版日期未载明）")
    assert record_of(page)["sort"] == "2019"


def test_anchors_are_the_headings_each_at_its_text():
    record = record_of(PAGE)
    # headings h2–h6 with an id only (not the title, nor what is ignored); each article's number became one
    assert [(anchor_id, heading) for _, anchor_id, heading in record["anchors"]] == [
        ("chp_1", "第一章 总则"), ("art_1", "第一条"), ("att_1", "附件"), ("att_1__art_2", "第二条")]
    offsets = [offset for offset, _, _ in record["anchors"]]
    assert offsets == sorted(offsets)
    for offset, _, heading in record["anchors"]:
        # 𠀀 before them is two UTF-16 units: an offset counted in code points would land one early
        assert at_utf16(record["text"], offset).startswith(heading.replace(" ", RUN_END)), (offset, heading)
    assert record["anchors"][0][0] == len(record["text"][:record["text"].index("第一章")]) + 1


def test_every_anchor_is_an_id_on_the_page():
    ids = set(re.findall(r'\sid="([^"]+)"', PAGE))
    assert all(anchor_id in ids for _, anchor_id, _ in record_of(PAGE)["anchors"])


def test_a_page_without_a_title_is_named_by_its_title_element():
    page = re.sub(r"<h1 .*?</h1>", "", PAGE, flags=re.S)
    assert record_of(page)["title"] == "关于X的办法 - 公报"


def test_a_page_without_an_indexed_body_has_no_record():
    assert search_view("<html><body><article>目录</article></body></html>") is None
    assert search_view("<html><body><div data-search-body><p>未完</p></div></body></html>") is None


@pytest.mark.archive
def test_every_document_page_has_its_record(archive_site, project):
    records = project / "build" / "search_view" / "doc"
    pages = sorted(p.parent.name for p in (archive_site / "doc").glob("*/index.html"))
    assert pages and sorted(p.parent.name for p in records.glob("*/index.json")) == pages
    for name in pages:
        page = (archive_site / "doc" / name / "index.html").read_text(encoding="utf-8")
        record = json.loads((records / name / "index.json").read_text(encoding="utf-8"))
        for offset, anchor_id, heading in record["anchors"]:  # every anchor a result can open is on the page
            assert f'id="{anchor_id}"' in page, (name, anchor_id)
            assert at_utf16(record["text"], offset).startswith(heading.split(" ")[0]), (name, anchor_id)


# ------------------------------------------------- any page: no crash, no character lost or added

class TextNodes(HTMLParser):
    """The text nodes of an HTML fragment, character references resolved."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.nodes: list[str] = []

    def handle_data(self, data: str) -> None:
        self.nodes.append(data)


# text as a source may hold it: any character (whitespace of several kinds, markup characters, one outside
# the BMP), escaped once as render.py writes it
TEXT = st.lists(st.one_of(st.sampled_from([" ", "\u3000", "\xa0", "\t", "\n", "&", "<", ">", "&amp;", '"', "𠀀", "城乡"]),
                          st.text(max_size=4)), max_size=8).map("".join)
INLINE = st.sampled_from(["{}", "<span>{}</span>", '<a class="cite" href="../x/">{}</a>', "<strong>{}</strong>",
                          '<span class="provision-heading" role="heading" aria-level="3">{}</span>'])
INLINES = st.lists(st.tuples(INLINE, TEXT).map(lambda t: t[0].format(html.escape(t[1], quote=False))),
                   max_size=4).map("".join)
BLOCK = st.one_of(
    INLINES.map(lambda inner: f'<p class="paragraph" id="p_1">{inner}</p>'),
    st.tuples(st.integers(2, 6), st.from_regex(r"[a-z]{1,3}_[0-9]{1,2}", fullmatch=True), INLINES).map(
        lambda h: f'<h{h[0]} id="{h[1]}">{h[2]}</h{h[0]}>'),
    st.lists(INLINES, max_size=3).map(lambda cells: "<table><tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr></table>"),
    st.just("<br>"),
)


def page_of(title: str, blocks: list[str]) -> str:
    return ("<html><head><title>t</title></head><body><article><div data-search-body>"
            f'<h1 id="_1">{html.escape(title, quote=False)}</h1>\n' + "\n".join(blocks) + "</div></article></body></html>")


@settings(deadline=None)
@given(TEXT, st.lists(BLOCK, max_size=10))
@example("标题", ['<h2 id="hd_1">𠀀<span>一</span>、　总体</h2>', "<p>𠀀𠀀<a>城</a>乡</p>", '<h3 id="x_1"> </h3>'])
def test_no_character_is_lost_or_added(title, blocks):
    page = page_of(title, blocks)
    record = record_of(page)
    body = page[page.index("<div data-search-body>"):page.index("</article>")]
    parser = TextNodes()
    parser.feed(body)
    nodes = parser.nodes
    # every character of the page's text is in the record, in order, and nothing else
    assert "".join(record["text"].split(RUN_END)) == "".join("".join(nodes).split())
    # a run never ends inside a text node's run (inline markup never cuts one)
    runs = set(record["text"].split(RUN_END))
    for node in nodes:
        for run in node.split():
            assert any(run in r for r in runs), run
    # each heading's anchor points at its text
    headings = re.findall(r'<h[2-6] id="([^"]+)">(.*?)</h[2-6]>', body, re.S)
    assert [a[1] for a in record["anchors"]] == [anchor_id for anchor_id, _ in headings]
    for (offset, _, heading), (_, inner) in zip(record["anchors"], headings):
        words = html.unescape(re.sub(r"<[^>]+>", "", inner)).split()
        assert heading == " ".join(words)
        if words:
            assert at_utf16(record["text"], offset).startswith(words[0])
