"""Rule fixtures, in the style of markdown-it-py's fixture files: each case is a title line, a line
holding a dot, the input, a dot line, the expected output and a closing dot line.

    tests/fixtures/rules/tables.txt     input: a table's lines as printed (cells set apart by spaces)
                                        output: its grid (heads marked #), spans and doubts
    tests/fixtures/rules/documents.txt  input: a PDF-text dump of one document
                                        output: the outline of its blocks (tests/test_structure_snapshots.py)
    tests/fixtures/rules/markdown.txt   the same for a PDF-to-Markdown dump

Each case states one rule of the format, never a case of a seed issue. UPDATE_FIXTURES=1 rewrites the
expected outputs after a deliberate change; review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from converters.model import IssueMeta
from converters.pipeline import convert_text
from converters.tables import shape, split_rows
from test_structure_snapshots import outline

RULES = Path(__file__).resolve().parent / "fixtures" / "rules"
META = IssueMeta("2030-03", 2030, 3, "2030-02-15")


def read_cases(path: Path) -> list[tuple[str, str, str, int]]:
    """(title, input, expected, line of the title) of each case in a fixture file."""
    lines = path.read_text(encoding="utf-8").split("\n")
    cases, i = [], 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        title, start = lines[i], i
        assert lines[i + 1] == ".", f"{path.name}:{i + 2}: expected '.' after the title"
        j = lines.index(".", i + 2)
        k = lines.index(".", j + 1)
        cases.append((title, "\n".join(lines[i + 2:j]), "\n".join(lines[j + 1:k]), start + 1))
        i = k + 1
    return cases


def write_cases(path: Path, cases: list[tuple[str, str, str]]) -> None:
    path.write_text("\n\n".join(f"{t}\n.\n{i}\n.\n{e}\n." for t, i, e in cases) + "\n", encoding="utf-8")


def table_outline(source: str) -> str:
    table = shape(split_rows([line for line in source.split("\n") if line.strip()]))
    out = [("# " if n < table.head_rows else "  ") + " | ".join(row) for n, row in enumerate(table.rows)]
    if table.spans:
        out.append("spans " + " ".join(f"({r},{c},{rs},{cs})" for r, c, rs, cs in table.spans))
    out += [f"doubt: {d}" for d in table.doubts]
    return "\n".join(out)


def document_outline(source: str, fmt: str = "pdf-text") -> str:
    result = convert_text(source + "\n", "case", META, fmt)
    assert result.lost == {}
    return "\n".join(outline(d) for d in result.documents)


RUNNERS = {"tables.txt": table_outline, "documents.txt": document_outline,
           "markdown.txt": lambda source: document_outline(source, "pdf-markdown")}
CASES = [(path.name, case) for path in sorted(RULES.glob("*.txt")) for case in read_cases(path)]


@pytest.mark.parametrize("name,case", CASES, ids=[f"{n}:{c[3]}" for n, c in CASES])
def test_rule(name, case):
    title, source, expected, _ = case
    actual = RUNNERS[name](source)
    if os.environ.get("UPDATE_FIXTURES"):
        path = RULES / name
        cases = [(t, i, actual if (t, i) == (title, source) else e) for t, i, e, _ in read_cases(path)]
        write_cases(path, cases)
        return
    assert actual == expected, title


def test_spans_reach_the_page_and_the_json():
    """A table's spans are rendered as rowspan/colspan (rows padded counting covered positions) and
    kept in the per-document JSON."""
    from converters.model import Block
    from converters.render import PageToc, block_html

    block = Block(type="table", rows=[["序号", "地点", "里程"], ["1", "甲区", "K0"], ["2", "K9"], ["下行"]],
                  head_rows=1, spans=[(1, 1, 2, 1), (3, 0, 1, 3)])
    html = block_html(block, PageToc(), 2, None)
    assert '<td rowspan="2">甲区</td>' in html and '<td colspan="3">下行</td>' in html
    assert "<tr><td>2</td><td>K9</td></tr>" in html  # no cell added where the rowspan stands
    assert block.as_json()["spans"] == [{"row": 1, "col": 1, "rowspan": 2, "colspan": 1},
                                        {"row": 3, "col": 0, "rowspan": 1, "colspan": 3}]


def test_pages_counted_from_both_sides_over_certain_page_starts_only():
    """Known folios 10 and 20 with twelve possible page starts between them for nine pages: the pages
    are counted on from 10 and back from 20 over the certain starts; the ones after a start in doubt
    (inside a rotated table) and before the next certain run stay unnumbered."""
    from converters.readers.pdftext import _number_pages

    starts = [(0, 10), (1, None), (2, None), (3, None), (4, None), (5, None), (6, None), (7, None),
              (8, None), (9, None), (10, None), (11, None), (12, None), (13, 20)]
    numbers = dict(_number_pages(starts, doubtful={4, 5, 6, 7}))
    assert [numbers[i] for i in range(14)] == [10, 11, 12, 13, None, None, None, None, 15, 16, 17, 18, 19, 20]


def test_pages_the_converter_could_not_determine_are_not_said_unprinted():
    """未载明 means the source does not print it: a page range the source prints but the converter
    could not place says 未能确定, on the document's page and in the issue's contents."""
    from converters.render import PageToc
    from converters.site.pages import _env

    case = next(c for c in read_cases(RULES / "documents.txt") if "not given a page range" in c[0])
    result = convert_text(case[1] + "\n", "case", META, "pdf-text")
    [doc] = result.documents
    assert doc.pages is None and doc.undetermined == ["pages"]
    template = _env().get_template("issue.html.j2")
    page = template.render(issue=result, groups=[("市政府文件", "shi-zheng-fu-wen-jian", [doc])], base="", site_name="",
                           toc=PageToc())
    contents = page.split('<p class="muted">')[0]  # the note under the contents explains both marks
    assert "原文印有页码，未能确定" in contents and "原文未载明页码" not in contents


def test_every_page_of_a_rotated_table_is_anchored_or_warned():
    """The seed issues' rotated tables: every printed page of their documents is anchored where it
    begins (at a row or the header printed again), and the issue reports no page unanchored. A page
    that begins where the table shows nothing (inside a cell) is warned about instead."""
    from converters.archive import load_issue

    seeds = Path(__file__).resolve().parent / "fixtures" / "seed_issues"
    rotated = 0
    for folder in sorted(p for p in seeds.iterdir() if (p / "issue.yml").exists()):
        issue = load_issue(folder)
        if issue.format != "pdf-text":
            continue  # a rotated table is extracted one character per line by the PDF-text dump only
        result = convert_text(issue.read_text(), issue.source.name, issue.meta, issue.format)
        assert not [w for w in result.warnings if "not anchored" in w.message], folder.name
        for doc in result.documents:
            if any(b.role == "rotated-table" for b in doc.blocks):
                rotated += 1
                assert doc.pages is not None
                pages = [int(a[5:]) for a in doc.anchors if a.startswith("page_")]
                assert pages == list(range(doc.pages[0], doc.pages[1] + 1)), doc.id
    assert rotated, "the seed issues hold a rotated table"
    case = next(c for c in read_cases(RULES / "documents.txt") if "begins inside a cell" in c[0])
    result = convert_text(case[1] + "\n", "case", META, "pdf-text")
    assert [w.message for w in result.warnings if "not anchored" in w.message] == [
        "printed page 11 not anchored: where it begins is not certain in the dump"]
    [doc] = [d for d in result.documents if d.pages == (8, 11)]
    assert doc.unplaced_pages == [11]  # its page says 第11页从何处开始未能确定, never 未载明


def test_a_rebuilt_rotated_table_says_so_on_the_page_and_keeps_its_page_marks():
    """The page says what was rebuilt and what the dump does not show; a page beginning at a row
    is marked in that row."""
    from converters.model import Block, PageMark
    from converters.printed_tables import ROTATED_NOTE
    from converters.render import PageToc, block_html

    block = Block(type="table", role="rotated-table", rows=[["序号名称"], ["1", "甲"], ["序号名称"], ["2", "乙"]],
                  spans=[(0, 0, 1, 2), (2, 0, 1, 2)], pages=[PageMark(2, 10)])
    html = block_html(block, PageToc(), 2, None)
    assert ROTATED_NOTE in html and '<th colspan="2">序号名称</th>' in html
    assert 'id="page_10"' in html.split("<tr>")[3]  # the header printed again at the top of page 10
