"""The pages of the lean frame (cited/ pages, full lists of citers) are written by the engine's plugin
into the frame MkDocs renders once per depth (site/frame.py): byte for byte what MkDocs writes for
them itself, in both scripts, hostile titles included; the frame's slots are filled and escaped once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from converters.site import engine
from converters.site.common import compact_html
from converters.site.frame import BODY_SLOT, DESCRIPTION_SLOT, TITLE_SLOT, Frame, frame_url, framed
from converters.site.frontmatter import page_text

from conftest import ROOT

HOSTILE = '<script>alert("x")</script> & \'引号\' &amp; 𠀀'


def test_the_rule_picks_cited_pages_and_lists_of_citers_at_slug_paths():
    for url in ["cited/lzf-2019-1/", "cited/lzf-2019-1/2/", "doc/lzgf-2019-2/cited-by/", "doc/lzgf-2019-2/cited-by/3/"]:
        assert framed(url), url
    for url in ["doc/lzgf-2019-2/", "issue/2019-02/", "cited.html", "search/", "cited/<x>/", "cited/a b/",
                "cited/连政发/", "doc/x/cited-by/?q=1/", "cited/x"]:
        assert not framed(url), url


def _rendered(depth: int) -> str:
    url = frame_url(depth)
    return (f"<title>{TITLE_SLOT} - 站</title>\n<meta name=\"description\" content=\"{DESCRIPTION_SLOT}\">\n"
            f"<link rel=\"canonical\" href=\"https://example.org/{url}\">\n<a href=\"../zh-Hant/{url}\">繁</a>\n"
            f"<article>{BODY_SLOT}</article>")


def test_a_frame_is_filled_with_escaped_title_and_description_and_the_body_as_written():
    page = Frame.cut(_rendered(2), 2).fill(HOSTILE, HOSTILE, "cited/lzf-2019-1/", "<p>被引 &amp; <b>x</b></p>")
    assert page == ("<title>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;引号&#x27; &amp;amp; 𠀀 - 站</title>\n"
                    "<meta name=\"description\" content=\"&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; "
                    "&#39;引号&#39; &amp;amp; 𠀀\">\n"
                    "<link rel=\"canonical\" href=\"https://example.org/cited/lzf-2019-1/\">\n"
                    "<a href=\"../zh-Hant/cited/lzf-2019-1/\">繁</a>\n<article><p>被引 &amp; <b>x</b></p></article>")
    # a value holding a slot's marker is text, never a slot filled again
    assert Frame.cut(_rendered(1), 1).fill(BODY_SLOT, TITLE_SLOT, "cited/", "x").count(BODY_SLOT) == 1


def test_a_frame_the_module_does_not_understand_is_refused():
    with pytest.raises(ValueError, match="printed 0 times"):
        Frame.cut(_rendered(2).replace(BODY_SLOT, ""), 2)
    with pytest.raises(ValueError, match="printed 2 times"):
        Frame.cut(_rendered(2) + BODY_SLOT, 2)
    with pytest.raises(ValueError, match="another depth"):
        Frame.cut(_rendered(2), 3)


# ---------------------------------------------------------------- in a real MkDocs build, both scripts

PAGES = {
    "index.md": ({"hide": ["toc"], "description": "首页"}, "<p>首页</p>"),
    "cited/lzf-2019-1.md": ({"title": "连政发〔2019〕1号", "template": "cited.html", "description": "《公报》连政发〔2019〕1号",
                             "toc": [[1, "top", "连政发〔2019〕1号"]]}, '<h1 id="top">连政发〔2019〕1号</h1>\n\n\n<p>被引</p>'),
    "cited/lzf-2019-1/2.md": ({"title": HOSTILE, "template": "cited.html", "description": HOSTILE}, "<p>第二页</p>"),
    "doc/lzgf-2019-2/cited-by.md": ({"title": f"被引用：{HOSTILE}", "template": "cited.html"}, "<ul><li>引</li></ul>"),
    "doc/lzgf-2019-2/cited-by/2.md": ({"title": "被引用：第二页", "template": "cited.html", "description": "第二页"},
                                      "<ul>\n  <li>引</li>\n</ul>"),
}


def _site(folder: Path, script: str) -> dict[str, bytes]:
    docs = folder / "docs"
    for path, (meta, body) in PAGES.items():
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_text(page_text(meta, body), encoding="utf-8")
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config.pop("INHERIT")
    config.update(docs_dir=str(docs), site_dir=str(folder / "site"), site_url="https://example.org/a/",
                  nav=[{"首页": "index.md"}])
    config["theme"]["custom_dir"] = str(ROOT / "overrides")
    config["theme"]["language"] = "zh" if script == "zh-Hans" else script
    config["extra"].update(script=script, hans_root="https://example.org/a/", hant_root="https://example.org/a/zh-Hant/")
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    engine.build_script(folder / "mkdocs.yml", {}, None)
    site = folder / "site"
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*.html"))}


@pytest.mark.site
@pytest.mark.parametrize("script", ["zh-Hans", "zh-Hant"])
def test_framed_pages_are_what_mkdocs_writes_for_them(tmp_path, monkeypatch, script):
    ours = _site(tmp_path / "ours", script)
    monkeypatch.setattr(engine, "framed", lambda url: False)  # every page through MkDocs
    theirs = _site(tmp_path / "theirs", script)
    assert sorted(ours) == sorted(theirs)
    assert [name for name in ours if ours[name] != theirs[name]] == []
    page = ours["cited/lzf-2019-1/2/index.html"].decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert(&quot;x&quot;)" in page
    assert '<link rel="canonical" href="https://example.org/a/cited/lzf-2019-1/2/">' in page
    assert ('hreflang="zh-Hans" href="https://example.org/a/doc/lzgf-2019-2/cited-by/2/"'
            in ours["doc/lzgf-2019-2/cited-by/2/index.html"].decode())
    assert "gazette-frame" not in "".join(p.decode() for p in ours.values()) and not (tmp_path / "ours" / "site" / "gazette-frame-url-slot").exists()


@pytest.mark.site
def test_a_dirty_build_writes_only_the_framed_pages_whose_file_changed(tmp_path):
    folder = tmp_path / "p"
    _site(folder, "zh-Hans")
    site = folder / "site"
    kept, changed = site / "cited/lzf-2019-1/index.html", site / "cited/lzf-2019-1/2/index.html"
    before = kept.stat().st_mtime_ns
    source = folder / "docs" / "cited/lzf-2019-1/2.md"
    source.write_text(page_text({"title": "新", "template": "cited.html", "description": "新"}, "<p>新</p>"), encoding="utf-8")
    engine.build_script(folder / "mkdocs.yml", {"dirty": True}, None)
    assert kept.stat().st_mtime_ns == before
    assert "<p>新</p>" in changed.read_text(encoding="utf-8")


@pytest.mark.site
def test_a_framed_page_without_generated_front_matter_is_an_error_naming_it(tmp_path):
    folder = tmp_path / "p"
    _site(folder, "zh-Hans")
    (folder / "docs" / "cited" / "hand.md").write_text("---\ntitle: 手写\n---\n\n<p>x</p>\n", encoding="utf-8")
    with pytest.raises(engine.MkDocsError, match="cited/hand.md"):
        engine.build_script(folder / "mkdocs.yml", {}, None)
    shutil.rmtree(folder)


_SPACE = st.sampled_from([" ", "\t", "\n", "  \n ", "\u3000", "\n\u3000\n", "x", "<p>", "</p>", "<pre>\n a\n</pre>",
                          "<script>\n</script>", "<SCRIPT>", "<textarea>"])
_PIECE = st.lists(_SPACE, max_size=6).map("".join)


@settings(max_examples=300)
@given(st.lists(_PIECE, min_size=5, max_size=5), _PIECE, _PIECE, _PIECE)
@example(["<a>\n", "\n<b>", " \n", "\n ", "<c>"], "t\n", "d", "\n<p>x</p>\n")
@example(["<script>", "</script>\n", "", "", ""], "t", "d", "b")
def test_a_page_compacted_piece_by_piece_is_the_page_compacted(frame_text, title, description, body):
    """Frame.compact_page (the frame's parts compacted once, the runs where pieces meet again) gives
    compact_html of the whole page, whatever blank space and preserved elements the pieces hold."""
    a, b, c, d, e = frame_text
    rendered = f"{a}{TITLE_SLOT}{b}{DESCRIPTION_SLOT}{c}{frame_url(2)}{d}{BODY_SLOT}{e}"
    frame = Frame.cut(rendered, 2)
    page = frame.fill(title, description, "cited/x/", body)
    assert frame.compact_page(title, description, "cited/x/", body) == compact_html(page)
