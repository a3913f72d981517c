"""Structure snapshots: every block of every document of an issue, so that a change of structure
(a paragraph cut or joined, a table's cells moved, an anchor renamed) shows as a diff.

    tests/fixtures/structure/<issue id>/issue.yml + source.*   a copy of an issue as filed
    tests/fixtures/structure/<issue id>/structure.txt           its expected outline

The test converts its own copies (never docs_src/, which may gain issues) and checks every
outline that exists. UPDATE_FIXTURES=1 rewrites the outlines after a deliberate change; review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from converters.archive import load_issue
from converters.model import Block, Document
from converters.pipeline import convert_text

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "structure"
ISSUES = sorted(p for p in FIXTURES.iterdir() if (p / "issue.yml").exists()) if FIXTURES.is_dir() else []
ENDS = 6  # characters shown at each end of a block's text


def _ends(text: str) -> str:
    text = text.replace("\n", "⏎")
    return text if len(text) <= 2 * ENDS + 1 else f"{text[:ENDS]}…{text[-ENDS:]}"


def outline_block(block: Block) -> list[str]:
    """One line per block (line, type/role, anchor, label, ends of its text, pages); a table's grid
    follows, one line per row, cells separated by ' | ', then its spans as (row, col, rowspan, colspan)."""
    kind = block.type + (f"/{block.role}" if block.role else "")
    pages = " ".join(f"page_{m.page}@{m.offset}" for m in block.pages)
    text = block.text if block.type != "day" else block.text + "".join(block.events or [])
    head = [str(block.lineno), kind, block.anchor or "-", block.label or "", _ends(text or "")]
    out = ["\t".join(head) + (f"\t[{pages}]" if pages else "")]
    if block.rows is not None:
        out += [f"\t\t{'#' if n < block.head_rows else ' '} " + " | ".join(row) for n, row in enumerate(block.rows)]
        spans = getattr(block, "spans", None)
        if spans:
            out.append("\t\tspans " + " ".join(f"({r},{c},{rs},{cs})" for r, c, rs, cs in spans))
    return out


def outline(doc: Document) -> str:
    lines = [f"== {doc.id} {doc.title} pages={doc.pages} category={doc.category}"]
    for block in doc.blocks:
        lines += outline_block(block)
    lines += [f"warning {w}" for w in doc.warnings]
    return "\n".join(lines)


@pytest.mark.parametrize("folder", ISSUES, ids=lambda p: p.name)
def test_structure_snapshot(folder):
    issue = load_issue(folder)
    result = convert_text(issue.read_text(), issue.source.name, issue.meta, issue.format)
    actual = "\n\n".join(outline(d) for d in result.documents) + "\n"
    expected = folder / "structure.txt"
    if os.environ.get("UPDATE_FIXTURES"):
        expected.write_text(actual, encoding="utf-8")
    assert expected.exists(), f"{expected} is missing (UPDATE_FIXTURES=1 writes it; check it by hand)"
    assert actual == expected.read_text(encoding="utf-8"), f"{folder.name}: structure differs (UPDATE_FIXTURES=1)"
