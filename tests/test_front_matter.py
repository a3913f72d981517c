"""A generated page's front matter is one line of JSON (site/frontmatter.py): Pages.add writes it, the
engine's plugin reads it back without YAML, any YAML reader still reads it, and the built pages are the
ones YAML front matter made."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from converters.site.frontmatter import page_text, read_page
from converters.site.pages import Pages

from conftest import ROOT

AWKWARD = [
    'say "hi" \'there\'',
    "<script>alert(1)</script> & &amp; <b>",
    "line one\nline two\r\nthree\ttab",
    "𠀀𝔸🏛 astral, 关于发布的通知",
    "---\nnot a fence\n---\n...",
    "key: value # not a comment",
    "{\"json\": [1, 2]}",
    "\\ backslash \\n \\u0041",
    "\x7f\x85\u2028\u2029\ufeff\ufffe controls and separators",
    "",
    "null",
    "2019-01-01",
]


def _meta(title: str) -> dict:
    return {"title": title, "searchable": True, "doc_id": "lzgf-2019-2", "description": f"《公报》{title}",
            "official": json.dumps({"citation": [["citation_title", title]], "jsonld": {"name": title}}), "hide": ["toc"],
            "toc": [[2, "art_1", title], [3, "art_1__para_2", "第二款"]]}


@pytest.mark.parametrize("title", AWKWARD)
def test_front_matter_round_trip(title):
    pages = Pages()
    meta, body = _meta(title), "\n\n<p>正文 ---</p>\n---\n<p>发布</p>\n\n"
    pages.add("doc/lzgf-2019-2.md", meta, body)
    text = pages.files["doc/lzgf-2019-2.md"]
    assert text.split("\n", 3)[2] == "---"  # one line of front matter
    assert list(read_page(text)[0]) == list(meta)  # keys in their order
    assert read_page(text) == (meta, body.strip() + "\n")
    # JSON is YAML: a YAML front-matter reader (MkDocs' own, libyaml's or PyYAML's) reads the same
    from mkdocs.utils.meta import get_data

    assert get_data(text) == (body.strip() + "\n", meta)
    assert yaml.load(text.split("\n")[1], Loader=yaml.SafeLoader) == meta


def test_pages_that_are_not_ours_are_left_to_mkdocs():
    for text in ["---\ntitle: 手写\n---\n\n<p>x</p>\n", "<p>no front matter</p>\n", "---\n{title: 手写}\n---\n",
                 "---\n[1, 2]\n---\n", "---\n{\"title\": \"x\"}", "---\r\n{\"title\": \"x\"}\r\n---\r\n"]:
        assert read_page(text) is None, text
    assert page_text({}, "<p>x</p>") == "---\n{}\n---\n\n<p>x</p>\n"


# ---------------------------------------------------------------- the plugin, in a real MkDocs build


def _yaml_page(meta: dict, body: str) -> str:
    """A page as Pages.add wrote it before its front matter was JSON."""
    head = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False).strip()
    return f"---\n{head}\n---\n\n{body.strip()}\n"


def _site(folder: Path, write) -> dict[str, bytes]:
    """A small site built with the project's theme and plugin, its pages written by `write(meta, body)`,
    plus a hand-written page (YAML front matter) and a page without front matter."""
    from converters.site.engine import build

    docs = folder / "docs"
    pages = {
        "index.md": ({"hide": ["toc"], "description": "首页 <描述> & \"引号\""}, "<p>首页</p>"),
        "year/2019.md": ({"title": '2019年 <b>"&"</b>', "description": "年"}, "<p>年</p>"),
        "doc/lzgf-2019-2.md": (_meta('关于"发布"<规定>的通知 & 𠀀\n---'),
                               '<h2 id="art_1">第一条</h2><p id="art_1__para_2">发布</p>'),
        "cited/lzf-2019-1.md": ({"title": "连政发〔2019〕1号", "template": "cited.html", "description": "被引",
                                 "toc": []}, "<p>被引</p>"),
    }
    for path, (meta, body) in pages.items():
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        # a page of the lean frame is always generated, and written by the plugin itself (frame.py)
        (docs / path).write_text((page_text if path.startswith("cited/") else write)(meta, body), encoding="utf-8")
    (docs / "hand.md").write_text("---\ntitle: 手写 <页>\ndescription: 手写的页\n---\n\n<p>手写</p>\n", encoding="utf-8")
    (docs / "bare.md").write_text("<p>没有前言</p>\n", encoding="utf-8")
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config.pop("INHERIT")
    config.update(docs_dir=str(docs), site_dir=str(folder / "site"), site_url="https://example.org/",
                  nav=[{"首页": "index.md"}, {"历年": ["year/2019.md"]}, "hand.md", "bare.md"])
    config["theme"]["custom_dir"] = str(ROOT / "overrides")
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    build(folder / "mkdocs.yml", epoch=1546300800)
    site = folder / "site"
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*.html"))}


@pytest.mark.site
def test_plugin_reads_json_front_matter_without_yaml_and_builds_what_yaml_built(tmp_path, monkeypatch):
    import mkdocs.utils.meta

    from converters.site.engine import FinishedHtmlPlugin

    before = _site(tmp_path / "yaml", _yaml_page)

    read_as_yaml: list[str] = []

    class RecordingYaml:  # MkDocs' front-matter reader's yaml module, noting what it parses
        def __getattr__(self, name):
            return getattr(yaml, name)

        @staticmethod
        def load(stream, *args, **kwargs):
            read_as_yaml.append(stream)
            return yaml.load(stream, *args, **kwargs)

    read_by_plugin: list[str] = []
    markdown = FinishedHtmlPlugin.on_page_markdown

    def on_page_markdown(self, text, page, config, files):
        read_by_plugin.append(page.file.src_uri)
        return markdown(self, text, page, config, files)

    monkeypatch.setattr(mkdocs.utils.meta, "yaml", RecordingYaml())
    monkeypatch.setattr(FinishedHtmlPlugin, "on_page_markdown", on_page_markdown)
    after = _site(tmp_path / "json", page_text)

    assert read_as_yaml == ["title: 手写 <页>\ndescription: 手写的页\n"]  # the hand-written page only
    assert sorted(read_by_plugin) == ["bare.md", "doc/lzgf-2019-2.md", "hand.md", "index.md", "year/2019.md"]
    assert sorted(after) == sorted(before)
    assert [name for name in before if before[name] != after[name]] == []

    doc = after["doc/lzgf-2019-2/index.html"].decode()
    assert "<title>关于&quot;发布&quot;&lt;规定&gt;的通知 &amp; 𠀀\n---" in doc  # escaped once
    assert '<meta name="citation_title" content="关于&#34;发布&#34;&lt;规定&gt;的通知 &amp; 𠀀\n---">' in doc
    assert "data-search-body" in doc and 'href="#art_1__para_2"' in doc
    year = after["year/2019/index.html"].decode()  # in the nav by its title
    assert year.count("2019年 &lt;b&gt;&quot;&amp;&quot;&lt;/b&gt;") >= 3 and "<b>" not in year
    assert "<title>手写 &lt;页&gt; - " in after["hand/index.html"].decode()
    assert "cited-header" in after["cited/lzf-2019-1/index.html"].decode()  # its template
