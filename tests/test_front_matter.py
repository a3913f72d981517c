"""A generated page's front matter is one line of JSON (site/frontmatter.py): Pages.add writes it, it
reads back as written, and any YAML reader still reads it."""

from __future__ import annotations

import json

import pytest
import yaml

from converters.site.frontmatter import page_text, read_page
from converters.site.pages import Pages


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
    return {"title": title, "pagefind": True, "doc_id": "lzgf-2019-2", "description": f"《公报》{title}",
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
