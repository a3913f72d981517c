"""The search view Pagefind indexes instead of each document page (converters/search_view.py)."""

from __future__ import annotations

import re

import pytest

from converters.search_view import RUN_END, position_words, search_view
from converters.site.search import compact_fragment, include_characters


def text_of(view: str) -> str:
    """The indexed text of a view, each run back as written (what the compact fragment shows)."""
    body = view[view.index("<div data-pagefind-body>"):]
    words = " ".join(re.sub(r"<[^>]+>", " ", body).split())
    return compact_fragment({"content": words})["content"].replace(" ", "").replace(RUN_END, " ")

PAGE = """<!doctype html>
<html lang="zh" class="no-js"><head><title>关于X的办法 - 公报</title></head><body>
<article class="md-content__inner md-typeset">
<div data-pagefind-body>
<p><a class="page-mark" id="page_3" data-page="3" href="#page_3" title="原刊第3页" aria-label="第3页"></a></p>
<h1 id="_1">关于X的办法<a class="headerlink" href="#_1">&para;</a></h1>
<div class="admonition danger doc-status" data-status="废止" data-pagefind-ignore>
<p class="admonition-title">已废止</p><p>根据<a href="../x/">某文件</a>，本文件列为废止。</p>
</div>
<div class="doc-meta" data-pagefind-ignore data-first-page="3"><dl><dt>文号</dt><dd class="doc-number">连政发〔2019〕1号</dd></dl>
<span class="cite-parts" hidden><span class="cite-prefix">公报</span></span>
</div>
<p class="paragraph" id="p_1">各县区：</p>
<h2 id="chp_1">第一章　总则<a class="headerlink" href="#chp_1">&para;</a></h2>
<p class="article" id="art_1"><span class="provision-heading" role="heading" aria-level="3"><a class="provision-link" href="#art_1">第一条</a></span>　为了<a class="cite cite-archive" href="../y/">连政发〔2018〕2号</a>，制定本办法。</p>
<p class="paragraph" id="art_1__para_2">第二款<a class="page-mark" id="page_4" data-page="4" href="#page_4" title="原刊第4页" aria-label="第4页"></a>文字。</p>
<p class="item" id="art_1__item_1"><a class="provision-link" href="#art_1__item_1">（一）</a>一项；</p>
<h2 id="att_1">附件<a class="headerlink" href="#att_1">&para;</a></h2>
<p class="article" id="att_1__art_2"><span class="provision-heading" role="heading" aria-level="3"><a class="provision-link" href="#att_1__art_2">第二条</a></span>　附件的条文。</p>
<div class="doc-after" data-pagefind-ignore="data-pagefind-ignore">
<h2 id="cited-by">被引用</h2><ul class="cited-by"><li><a href="../z/">某</a></li></ul>
</div>
</div>
</article></body></html>"""


def test_search_view_keeps_text_and_heading_anchors_only():
    view = search_view(PAGE)
    assert view.startswith('<!doctype html><html lang="und">') and "<title>关于X的办法 - 公报</title>" in view
    # ids: headings only, and each article's number became a heading (a sub-result opening #art_1)
    assert re.findall(r'id="([^"]+)"', view) == ["_1", "chp_1", "art_1", "att_1", "att_1__art_2"]
    assert f'<h5 id="art_1">第一 一条 条{RUN_END} </h5><p>' in view
    # what the page does not index is not in the view; the document number stays searchable
    for gone in ("已废止", "data-first-page", "cite-parts", "被引用", "¶", "&para;", "href", "原刊第"):
        assert gone not in view, gone
    text = text_of(view)
    for kept in ("关于X的办法", "连政发〔2019〕1号", "各县区：", "第一章 总则", "为了连政发〔2018〕2号，制定本办法。",
                 "第二款文字。", "（一）一项；", "附件的条文。"):
        assert kept in text, kept
    assert view.count("<div") == view.count("</div>")


def test_facts_are_shown_filtered_and_sorted_on_not_searched():
    view = search_view(PAGE)
    hidden, body = view.split("<div data-pagefind-body>")
    assert '<p data-pagefind-meta="title">关于X的办法</p>' in hidden
    assert '<p data-pagefind-meta="doc_number">连政发〔2019〕1号</p>' in hidden
    assert "data-pagefind-meta" not in body and "data-pagefind-filter" not in body


def test_position_words_make_every_phrase_consecutive_bigrams():
    assert position_words("城乡 居民") == f"城乡 乡{RUN_END} 居民 民{RUN_END}"
    assert position_words("A") == f"A{RUN_END}"
    words = position_words("覆盖城乡的公共法律").split()
    # any phrase of n characters is the n-1 words starting at its first character's position
    assert words[2:5] == ["城乡", "乡的", "的公"]


def test_include_characters_hold_the_punctuation_a_gazette_prints_but_the_quote():
    found = include_characters()
    assert set("，。、；：（）〔〕《》“”℃㎡—…■★%()-./") | {RUN_END} <= set(found)
    assert '"' not in found and not any(c.isalnum() or c.isspace() for c in found)


def test_compact_fragment_keeps_one_position_per_character():
    data = compact_fragment({"content": f"城乡 乡{RUN_END} . 居民 民{RUN_END}",
                             "anchors": [{"text": f"第一 一条 条{RUN_END}", "location": 0}]})
    assert data["content"] == f"城 乡{RUN_END}  居 民{RUN_END}"  # Pagefind's own "." keeps its place, empty
    assert data["anchors"][0]["text"] == "第一条"


def test_page_without_indexed_body_has_no_view():
    assert search_view("<html><body><article>目录</article></body></html>") is None


@pytest.mark.archive
def test_every_document_page_has_its_view(archive_site, project):
    views = project / "build" / "search_view" / "doc"
    pages = sorted(p.parent.name for p in (archive_site / "doc").glob("*/index.html"))
    assert pages and sorted(p.parent.name for p in views.glob("*/index.html")) == pages
    for name in pages:
        page = (archive_site / "doc" / name / "index.html").read_text(encoding="utf-8")
        view = (views / name / "index.html").read_text(encoding="utf-8")
        # every anchor a search result can open exists on the page
        for anchor in re.findall(r'id="([^"]+)"', view):
            assert f'id="{anchor}"' in page, (name, anchor)
