"""The project's Traditional site: same pages and anchors as the Simplified one, and no Simplified left."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from converters.config import load_config
from converters.variant import get_converter

pytestmark = [pytest.mark.site, pytest.mark.archive]

ROOT = Path(__file__).resolve().parent.parent
HANT = "zh-Hant"
ID = re.compile(r"""\bid\s*=\s*(?:"([^"]*)"|'([^']*)')""")
# Attribute values a reader sees or hears; they are converted like text.
TEXT_ATTRIBUTES = ("title", "alt", "aria-label", "placeholder", "data-citation")
# Labels that name both scripts on purpose (the script switcher's button).
BILINGUAL = {"简体 / 繁體"}


class _Text(HTMLParser):
    """Visible text nodes and reader-facing attribute values, outside <script>, <style> and <code>."""

    SKIP = {"script", "style", "code", "pre", "template", "noscript"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, only_class: str | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, skips its content, starts the wanted part)
        self.skipping = 0
        self.inside = 0 if only_class else 1
        self.only_class = only_class
        self.texts: list[str] = []
        self.attributes: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        if not self.skipping and self.inside:
            for name, value in attrs:
                if value and name in TEXT_ATTRIBUTES and value not in BILINGUAL:
                    self.attributes.append((f"{tag}[{name}]", value))
        if tag in self.VOID:
            return
        lang = dict(attrs).get("lang") or ""
        # Text marked as Simplified on purpose (the script switcher's 简体中文) is not checked; a
        # Simplified page says so on its <html> and is read.
        skips = tag in self.SKIP or (tag != "html" and lang.startswith(("zh-Hans", "zh-CN", "zh-SG")))
        wanted = bool(self.only_class) and self.only_class in (dict(attrs).get("class") or "").split()
        self.stack.append((tag, skips, wanted))
        self.skipping += skips
        self.inside += wanted

    def handle_startendtag(self, tag, attrs):
        if not self.skipping and self.inside:
            for name, value in attrs:
                if value and name in TEXT_ATTRIBUTES and value not in BILINGUAL:
                    self.attributes.append((f"{tag}[{name}]", value))

    def handle_endtag(self, tag):
        if tag in self.VOID or tag not in (t for t, _, _ in self.stack):
            return
        while self.stack:
            top, skips, wanted = self.stack.pop()
            self.skipping -= skips
            self.inside -= wanted
            if top == tag:
                break

    def handle_data(self, data):
        if not self.skipping and self.inside and data.strip():
            self.texts.append(data)


def _parse(path: Path, only_class: str | None = None) -> _Text:
    parser = _Text(only_class)
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def _ids(path: Path) -> set[str]:
    return {a or b for a, b in ID.findall(path.read_text(encoding="utf-8"))}


@pytest.fixture(scope="module")
def hant_site(archive_site: Path) -> Path:
    hant = archive_site / HANT
    if not hant.is_dir():
        if not (ROOT / "converters" / "site.py").exists():
            pytest.skip("converters/site.py (which writes site/zh-Hant/) is not there yet")
        pytest.fail(f"converters/site.py exists but the build wrote no {hant}")
    return hant


@pytest.fixture(scope="module")
def converter(project):
    return get_converter(load_config(project / "gazette.yml").variant)


def test_every_document_page_has_a_traditional_twin_with_the_same_ids(archive_site, hant_site):
    pages = sorted((archive_site / "doc").rglob("*.html"))
    assert pages, "the build wrote no document pages under site/doc/"
    missing, differing = [], []
    for page in pages:
        rel = page.relative_to(archive_site)
        twin = hant_site / rel
        if not twin.exists():
            missing.append(str(rel))
            continue
        hans_ids, hant_ids = _ids(page), _ids(twin)
        if hans_ids != hant_ids:
            differing.append(f"{rel}: only Simplified {sorted(hans_ids - hant_ids)[:5]}, "
                             f"only Traditional {sorted(hant_ids - hans_ids)[:5]}")
    assert not missing, f"{len(missing)} pages without a zh-Hant twin, e.g. {missing[:5]}"
    assert not differing, "ids differ between scripts:\n" + "\n".join(differing[:10])


def test_every_simplified_page_has_a_traditional_twin(archive_site, hant_site):
    hans = {p.relative_to(archive_site) for p in archive_site.rglob("*.html")
            if p.relative_to(archive_site).parts[0] not in (HANT, "search-index", "api", "assets")}
    hant = {p.relative_to(hant_site) for p in hant_site.rglob("*.html")}
    assert sorted(map(str, hans - hant)) == []
    # each says its script (the pages' scripts choose their labels by it: 第14頁)
    for rel in hans:
        assert '<html lang="zh-Hant"' in (hant_site / rel).read_text(encoding="utf-8"), rel
        assert '<html lang="zh-Hans"' in (archive_site / rel).read_text(encoding="utf-8"), rel


def test_traditional_pages_have_no_simplified_text(hant_site, converter):
    problems = []
    pages = sorted(hant_site.rglob("*.html"))
    assert pages
    for page in pages:
        parsed = _parse(page)
        for text in parsed.texts:
            left = converter.check_fully_converted(text)
            if left:
                problems.append(f"{page.relative_to(hant_site)}: {''.join(left)} in {text.strip()[:60]!r}")
    assert not problems, f"{len(problems)} text nodes still Simplified:\n" + "\n".join(problems[:20])


def test_the_check_sees_simplified_pages(archive_site, converter):
    # The check above is not vacuous: on the zh-Hans pages it finds Simplified-only characters.
    page = sorted((archive_site / "doc").rglob("*.html"))[0]
    assert any(converter.check_fully_converted(text) for text in _parse(page).texts)


def test_traditional_pages_have_no_simplified_reader_attributes(hant_site, converter):
    problems = []
    for page in sorted(hant_site.rglob("*.html")):
        for where, value in _parse(page).attributes:
            left = converter.check_fully_converted(value)
            if left:
                problems.append(f"{page.relative_to(hant_site)} {where}: {''.join(left)} in {value[:60]!r}")
    assert not problems, f"{len(problems)} attribute values still Simplified:\n" + "\n".join(problems[:20])


def test_traditional_document_text_is_the_conversion_of_the_simplified(archive_site, hant_site, converter):
    # Not just "no Simplified left": the article of each zh-Hant page says what the zh-Hans one says,
    # in the same order (the zh-Hant page may add lines, such as a note on the automatic conversion).
    differing = []
    for page in sorted((archive_site / "doc").rglob("*.html")):
        twin = hant_site / page.relative_to(archive_site)
        hans = "\n".join(_parse(page, "md-content__inner").texts)
        hant = "\n".join(_parse(twin, "md-content__inner").texts).split("\n")
        assert hans, f"{page}: no article text found (class md-content__inner)"
        expected = converter.convert(hans).split("\n")
        found = 0
        for line in hant:
            if found < len(expected) and line == expected[found]:
                found += 1
        if found < len(expected):
            differing.append(f"{page.relative_to(archive_site)}: no line {expected[found][:60]!r}")
    assert not differing, f"{len(differing)} pages:\n" + "\n".join(differing[:10])
