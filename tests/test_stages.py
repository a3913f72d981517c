"""Fixture tests per stage: small sources under tests/fixtures/stages/ and what each stage makes of them.

    <name>.<format>.in       a source as received
    <name>.lines.txt         reader output: line, printed page, page start, soft wrap, text
    <name>.paras.txt         reflow of each document's lines: one paragraph per line
    <name>.docs.html         every document's facts (its api/documents.json entry) and its rendered HTML

Run with UPDATE_FIXTURES=1 to rewrite the expected files after a deliberate change, then review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import json

import pytest

from converters.model import IssueMeta
from converters.pipeline import convert_text
from converters.readers import READERS
from converters.render import PageToc, render_document
from converters.reflow import reflow
from converters.segment import segment

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "stages"
CASES = sorted(FIXTURES.glob("*.in"))
META = IssueMeta("2030-03", 2030, 3, "2030-02-15")


def _check(path: Path, actual: str) -> None:
    if os.environ.get("UPDATE_FIXTURES"):
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"{path.name} is missing (UPDATE_FIXTURES=1 writes it; check it by hand)"
    assert actual == path.read_text(encoding="utf-8"), f"{path.name} differs (UPDATE_FIXTURES=1 to accept)"


def _split(case: Path) -> tuple[str, str]:
    name, fmt = case.name[: -len(".in")].rsplit(".", 1)
    return name, fmt


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_reader(case):
    name, fmt = _split(case)
    lines = READERS[fmt](case.read_text(encoding="utf-8"), case.name)
    out = [f"{ln.lineno}\t{ln.page or '-'}\t{ln.page_start or '-'}\t{'~' if ln.soft_wrap else '|'}\t"
           f"{'#' * ln.heading}{' | '.join(ln.cells) if ln.cells is not None else ln.text}" for ln in lines.lines]
    out += [f"furniture {f.lineno}\t{f.text}" for f in lines.furniture]
    out += [f"toc\t{e.page}\t{e.category}\t{e.title}" for e in lines.toc]
    out += [f"cover\t{k}\t{v}" for k, v in sorted(lines.cover.items())]
    _check(FIXTURES / f"{name}.lines.txt", "\n".join(out) + "\n")


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_reflow(case):
    name, fmt = _split(case)
    docs = segment(READERS[fmt](case.read_text(encoding="utf-8"), case.name))
    out = []
    for doc in docs:
        out.append(f"== {doc.kind} {doc.doc_number or ''} " + "".join(ln.text for ln in doc.title_lines))
        out += [f"{p.lineno}\t{p.text if p.cells is None else p.cells}" for p in reflow(doc.lines)]
    _check(FIXTURES / f"{name}.paras.txt", "\n".join(out) + "\n")


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_structure_and_render(case):
    name, fmt = _split(case)
    result = convert_text(case.read_text(encoding="utf-8"), case.name, META, fmt)
    assert result.lost == {}
    out = []
    for doc in result.documents:
        rendered = render_document(doc, toc := PageToc())
        out += [f"<!-- {json.dumps(doc.summary(), ensure_ascii=False, sort_keys=False)} -->",
                f"<!-- toc {json.dumps(toc.as_meta(), ensure_ascii=False)} -->", rendered.title, rendered.body]
    _check(FIXTURES / f"{name}.docs.html", "\n".join(out) + "\n")
