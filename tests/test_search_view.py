"""The search view Pagefind indexes instead of each document page (converters/search_view.py)."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from converters import search_view as search_view_module
from converters.search_view import RUN_END, interleave, position_words, position_words_of, search_view
from converters.site.search import DROPPED, compact_fragment, compact_words, include_characters


def text_of(view: str) -> str:
    """The indexed text of a view, each run back as written (what the compact fragment shows)."""
    body = view[view.index("<div data-search-body>"):]
    words = " ".join(re.sub(r"<[^>]+>", " ", body).split())
    return compact_fragment({"content": words})["content"].replace(" ", "").replace(RUN_END, " ")

PAGE = """<!doctype html>
<html lang="zh" class="no-js"><head><title>关于X的办法 - 公报</title></head><body>
<article class="md-content__inner md-typeset">
<div data-search-body>
<p><a class="page-mark" id="page_3" data-page="3" href="#page_3" title="原刊第3页" aria-label="第3页"></a></p>
<h1 id="_1">关于X的办法<a class="headerlink" href="#_1">&para;</a></h1>
<div class="admonition danger doc-status" data-status="废止" data-search-ignore>
<p class="admonition-title">已废止</p><p>根据<a href="../x/">某文件</a>，本文件列为废止。</p>
</div>
<div class="doc-meta" data-search-ignore data-first-page="3"><dl><dt>文号</dt><dd class="doc-number">连政发〔2019〕1号</dd></dl>
<span class="cite-parts" hidden><span class="cite-prefix">公报</span></span>
</div>
<p class="paragraph" id="p_1">各县区：</p>
<h2 id="chp_1">第一章　总则<a class="headerlink" href="#chp_1">&para;</a></h2>
<p class="article" id="art_1"><span class="provision-heading" role="heading" aria-level="3"><a class="provision-link" href="#art_1">第一条</a></span>　为了<a class="cite cite-archive" href="../y/">连政发〔2018〕2号</a>，制定本办法。</p>
<p class="paragraph" id="art_1__para_2">第二款<a class="page-mark" id="page_4" data-page="4" href="#page_4" title="原刊第4页" aria-label="第4页"></a>文字。</p>
<p class="item" id="art_1__item_1"><a class="provision-link" href="#art_1__item_1">（一）</a>一项；</p>
<h2 id="att_1">附件<a class="headerlink" href="#att_1">&para;</a></h2>
<p class="article" id="att_1__art_2"><span class="provision-heading" role="heading" aria-level="3"><a class="provision-link" href="#att_1__art_2">第二条</a></span>　附件的条文。</p>
<div class="doc-after" data-search-ignore="data-search-ignore">
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
    hidden, body = view.split("<div data-search-body>")
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


# ------------------------------------------------- the fast paths write what the plain loops wrote

PROPERTIES = settings(deadline=None)


def plain_position_words(text: str) -> str:
    """position_words as a loop over the characters (what it was before it was made in C)."""
    words = []
    for run in text.split():
        words += [run[i:i + 2] for i in range(len(run) - 1)]
        words.append(run[-1] + RUN_END)
    return " ".join(words)


def plain_compact(text: str) -> str:
    """compact_words as a loop over the words (what it was before it was made in C)."""
    return " ".join(w[0] + RUN_END if w.endswith(RUN_END) else w[0] if len(w) > 1 else "" for w in text.split(" "))


def plain_position_texts(body: str) -> str:
    """search_view's text pass as one substitution per text between tags (what it was)."""
    def position_text(match):
        return ">" + html.escape(plain_position_words(html.unescape(match.group(1))), quote=False) + " <"
    return re.sub(r">([^<]+)<", position_text, body)


# characters that the fast paths treat specially, whitespace of several kinds, a lone surrogate
SPECIAL = st.sampled_from([RUN_END, " ", "\u3000", "\xa0", "\n", "\t", DROPPED, "\ud800", "城", "乡", "a", "&", "<", ">",
                           "&amp;", "&lt;", "𠀀"])
TEXT = st.lists(st.one_of(SPECIAL, st.text(max_size=3)), max_size=40).map("".join)


@PROPERTIES
@given(st.lists(TEXT, max_size=8))
@example([])
@example(["", "   ", "城乡 居民"])
def test_position_words_of_is_the_plain_loop(texts):
    assert position_words_of(texts) == [plain_position_words(text) for text in texts]


# Words as Pagefind writes them: the position words (two characters) alone, or with one of a single
# character, an empty one (two spaces), a longer one, RUN_END alone or inside a word, the placeholder.
CHARACTER = st.sampled_from(["城", "乡", "居", "民", "a", ".", "，", RUN_END, DROPPED, "\ud800"])
PAIR = st.tuples(CHARACTER, CHARACTER).map("".join)
WORD = st.one_of(PAIR, PAIR, PAIR, st.sampled_from(["", ".", RUN_END, "城", DROPPED, "城" + DROPPED, f"城{RUN_END}乡"]),
                 st.text(max_size=4).map(lambda t: t.replace(" ", "")))


@PROPERTIES
@given(st.one_of(st.lists(PAIR, max_size=60), st.lists(WORD, max_size=60)).map(" ".join))
@example("")
@example(f"城乡 乡{RUN_END} 居民 民{RUN_END}")
@example(RUN_END)
@example(f". {RUN_END} 城")
def test_compact_words_is_the_plain_loop(text):
    assert compact_words(text) == plain_compact(text)


@PROPERTIES
@given(st.lists(st.one_of(TEXT, st.sampled_from(["<p>", "</p>", '<p class="x" id="p_1">', "<br>", ">", "<"])),
                max_size=30).map("".join))
def test_the_text_pass_is_the_plain_substitution(body):
    assert search_view_module._position_texts(body) == plain_position_texts(body)


def test_interleave_takes_the_characters_in_turn():
    assert interleave("ab", "AB", "  ") == "aA bB "
    assert interleave("", "") == ""
    assert interleave("\ud800𠀀", "xy") == "\ud800x𠀀y"


TAGS = st.sampled_from(["<td>", "<p>", "</p>", '<p class="paragraph" id="p_1">', '<h2 id="chp_1" class="x">', "<a>",
                        '<a href="#x">', "</a>", "<A>", "<td/>", "<br>", '<h5 id="x" data-search-ignore>', "<1>", "< p>",
                        "<span>", '<div hidden data-pagefind-filter="year">', "<p\n>", "text", "<", ">"])


@PROPERTIES
@given(st.lists(TAGS, max_size=30).map("".join))
def test_the_tag_pass_is_the_plain_substitution(body):
    """START_TAG leaves a tag without attributes alone: _lean_tag would write it again as it is."""
    body = search_view_module.INLINE_TAG.sub("", body)
    plain = re.sub(r"<([a-zA-Z][a-zA-Z0-9]*)([^>]*)>", search_view_module._lean_tag, body)
    assert search_view_module.START_TAG.sub(search_view_module._lean_tag, body) == plain
