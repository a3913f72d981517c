"""Aliases on the site (redirects.py, gazette.js): a renamed document's old URL redirects to the new one
in both scripts keeping (or translating) the #anchor, and an old anchor on a page lands on the new one.

The archive is built in a temp folder from a stage fixture (one issue, two documents), with a snapshot
that pretends the site once published a document and anchors the conversion no longer gives."""

from __future__ import annotations

import html
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from converters.aliases import Aliases, parse_aliases
from converters.bench.synthetic import COPIED
from converters.serve import serve
from converters.model import ConversionError
from converters.redirects import MANIFEST, redirect_page, redirects, write_redirects

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "stages" / "notice_regulation.pdf-text.in"
REGULATION, NOTICE = "lzgf-2030-7", "lzbf-2030-12"  # what the fixture's two documents are converted to
OLD = "lzgf-2030-7a"  # a document id the site once published
ALIASES_YML = f"""# old -> new
{OLD}: {REGULATION}
{OLD}#art_5: {REGULATION}#art_3
{REGULATION}#art_9: {REGULATION}#art_2
{NOTICE}#hd_9: {REGULATION}#art_1
"""


def _gazette(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "converters.cli", *args], cwd=project, capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})


def _project(folder: Path) -> Path:
    for name in COPIED:
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy2)(ROOT / name, folder / name)
    issue = folder / "docs_src" / "2030-03"
    issue.mkdir(parents=True)
    shutil.copy(FIXTURE, issue / "source.txt")
    (issue / "issue.yml").write_text("year: 2030\nnumber: 3\ndate: '2030-02-15'\nsource: source.txt\n"
                                     "format: pdf-text\n", encoding="utf-8")
    assert _gazette(folder, "snapshot").returncode == 0
    # what the site published before: OLD (renamed since), and an anchor of each document that is gone
    path = folder / "docs_src" / "_published" / "documents.json"
    snapshot = {d["id"]: d for d in json.loads(path.read_text(encoding="utf-8"))}
    assert {"art_1", "art_2", "art_3"} <= set(snapshot[REGULATION]["anchors"]), "the fixture changed"
    snapshot[REGULATION]["anchors"].append("art_9")
    snapshot[NOTICE]["anchors"].append("hd_9")
    snapshot[OLD] = {"id": OLD, "url": f"doc/{OLD}/", "issue": "2030-03", "anchors": ["art_1", "art_5"]}
    path.write_text(json.dumps(list(snapshot.values()), ensure_ascii=False), encoding="utf-8")
    (folder / "docs_src" / "_published" / "aliases.yml").write_text(ALIASES_YML, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def aliased_site(tmp_path_factory) -> Path:
    project = _project(tmp_path_factory.mktemp("aliased"))
    result = _gazette(project, "build")
    if result.returncode != 0:
        pytest.fail(f"build failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return project / "site"


def aliases(text: str) -> Aliases:
    entries, problems = parse_aliases(text)
    assert problems == []
    return Aliases(entries)


# ---------------------------------------------------------------- what is written

def test_the_redirect_of_a_renamed_document_carries_its_moved_anchors():
    found = redirects(aliases(ALIASES_YML), {REGULATION, NOTICE})
    # art_9 went with the document, then moved on within it
    assert found == {OLD: (REGULATION, {"art_5": f"../{REGULATION}/#art_3", "art_9": f"../{REGULATION}/#art_2"})}
    # a chain of renames ends at the current document
    chained = redirects(aliases("a-1: b-1\nb-1: c-1\nb-1#x: c-1#y\n"), {"c-1"})
    assert chained == {"a-1": ("c-1", {"x": "../c-1/#y"}), "b-1": ("c-1", {"x": "../c-1/#y"})}


def test_a_redirect_page_escapes_what_it_writes():
    page = redirect_page("zh-Hans", "../new-1/", "https://example.org/doc/new-1/", {"x": "../new-1/#y"},
                         '《</script><script>alert(1)</script>&"》', {"moved": "<b>", "now_at": "&"})
    assert "<script>alert(1)" not in page and "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;" in page
    assert "<title>&lt;b&gt;</title>" in page and "<p>&amp;<a " in page
    assert page.count("<script>") == 1 and page.count("</script>") == 1


class _Doc:
    def __init__(self, id_: str, title: str = "标题") -> None:
        self.id, self.title = id_, title


def test_a_later_build_removes_redirects_no_longer_wanted_and_never_overwrites_a_page(tmp_path):
    published = tmp_path / "docs_src" / "_published"
    published.mkdir(parents=True)
    site = tmp_path / "site"
    (published / "aliases.yml").write_text("old-1: new-1\nold-2: new-1\n", encoding="utf-8")
    assert write_redirects(tmp_path, site, [_Doc("new-1")], "", str) == 2
    assert (site / "doc" / "old-2" / "index.html").is_file() and (site / "zh-Hant" / "doc" / "old-2" / "index.html").is_file()
    assert "old-2/index.html" in (tmp_path / MANIFEST).read_text(encoding="utf-8")
    (published / "aliases.yml").write_text("old-1: new-1\n", encoding="utf-8")
    assert write_redirects(tmp_path, site, [_Doc("new-1")], "", str) == 1
    assert not (site / "doc" / "old-2").exists() and not (site / "zh-Hant" / "doc" / "old-2").exists()
    assert (site / "doc" / "old-1" / "index.html").is_file()
    # a page of the site at a redirect's place is never overwritten
    (site / "doc" / "old-1" / "index.html").write_text("<!doctype html>\n<html>a page</html>", encoding="utf-8")
    with pytest.raises(ConversionError, match="site/doc/old-1/index.html is a page of the site"):
        write_redirects(tmp_path, site, [_Doc("new-1")], "", str)


def test_a_wrong_alias_stops_the_build_in_one_line(tmp_path):
    project = _project(tmp_path)
    (project / "docs_src" / "_published" / "aliases.yml").write_text(f"{OLD}: nowhere-1\n", encoding="utf-8")
    result = _gazette(project, "build")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"gazette: error: docs_src/_published/aliases.yml:1: {OLD} -> nowhere-1: points to nowhere-1, "
        f"which the archive does not have")
    assert not (project / "site").exists() and not (project / "build" / "site_src").exists()


@pytest.mark.parametrize("prefix,lang", [("", "zh-Hans"), ("zh-Hant/", "zh-Hant")])
def test_redirect_pages_in_both_scripts(aliased_site, prefix, lang):
    page = (aliased_site / prefix / "doc" / OLD / "index.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in page
    assert '<meta name="robots" content="noindex">' in page
    assert f'<link rel="canonical" href="https://lyg-gazette.github.io/archive/{prefix}doc/{REGULATION}/">' in page
    assert f'<meta http-equiv="refresh" content="0; url=../{REGULATION}/">' in page  # without JavaScript
    assert f'<a href="../{REGULATION}/">' in page  # and a visible link
    assert ("網址" in page) == bool(prefix) and ("网址" in page) != bool(prefix)
    assert OLD not in (aliased_site / prefix / "sitemap.xml").read_text(encoding="utf-8")
    assert OLD not in (aliased_site / "api" / "documents.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("prefix", ["", "zh-Hant/"])
def test_each_page_carries_its_own_anchor_aliases_only(aliased_site, prefix):
    def aliases_on(doc: str) -> dict:
        text = (aliased_site / prefix / "doc" / doc / "index.html").read_text(encoding="utf-8")
        found = text.split('data-anchor-aliases="', 1)[1].split('"', 1)[0]
        return json.loads(html.unescape(found))

    assert aliases_on(REGULATION) == {"art_9": "#art_2"}
    assert aliases_on(NOTICE) == {"hd_9": f"../{REGULATION}/#art_1"}


# ---------------------------------------------------------------- in Chromium

@pytest.fixture(scope="module")
def server(aliased_site: Path):
    with serve(aliased_site) as url:
        yield url


def _lands_on(page, url: str, anchor: str | None) -> None:
    page.wait_for_url(url, timeout=10000)
    if anchor:
        page.wait_for_selector(f"#{anchor}")
        page.wait_for_function("(id) => { const r = document.getElementById(id).getBoundingClientRect(); "
                               "return r.top >= 0 && r.top < window.innerHeight; }", arg=anchor, timeout=5000)


@pytest.mark.browser
@pytest.mark.parametrize("prefix", ["", "zh-Hant/"])
@pytest.mark.parametrize("old,new", [
    ("", ""),                          # the document
    ("#art_1", "#art_1"),              # an anchor carried over by name
    ("#art_5", "#art_3"),              # an anchor an alias moved
    ("#art_9", "#art_2"),              # carried over, then moved within the new document
])
def test_an_old_document_url_lands_on_the_new_page(server, browser, prefix, old, new):
    page = browser.new_page(viewport={"width": 1280, "height": 400})
    page.goto(f"{server}/{prefix}doc/{OLD}/{old}")
    _lands_on(page, f"{server}/{prefix}doc/{REGULATION}/{new}", new[1:] or None)
    assert page.evaluate("document.documentElement.lang") == ("zh-Hant" if prefix else "zh-Hans")
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("prefix", ["", "zh-Hant/"])
def test_an_old_anchor_lands_on_the_new_one(server, browser, prefix):
    page = browser.new_page(viewport={"width": 1280, "height": 400})
    base = f"{server}/{prefix}doc/{REGULATION}/"
    page.goto(f"{base}#art_9")
    _lands_on(page, f"{base}#art_2", "art_2")
    page.go_back()  # the old anchor was replaced, not added to the history
    assert "#art_9" not in page.url
    page.goto(f"{base}#art_2")
    # a link within the page to the old anchor
    page.evaluate("() => { window.scrollTo(0, 0); const a = document.createElement('a'); a.href = '#art_9'; "
                  "a.id = 'old-link'; a.textContent = 'old'; document.body.prepend(a); }")
    page.click("#old-link")
    _lands_on(page, f"{base}#art_2", "art_2")
    # the script switch keeps the new anchor
    assert page.get_attribute("a.script-switch[data-script]:not([data-script=''])", "href").endswith("#art_2")
    # an old anchor that lives on another page now
    page.goto(f"{server}/{prefix}doc/{NOTICE}/#hd_9")
    _lands_on(page, f"{base}#art_1", "art_1")
    page.close()


@pytest.mark.browser
def test_without_javascript_the_meta_refresh_redirects(server, browser):
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    page.goto(f"{server}/zh-Hant/doc/{OLD}/")
    page.wait_for_url(f"{server}/zh-Hant/doc/{REGULATION}/", timeout=10000)
    ctx.close()
