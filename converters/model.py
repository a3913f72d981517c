"""Types passed between the pipeline stages.

reader     : source text            -> SourceLines   (furniture removed, pages known)
segmenter  : SourceLines            -> list[RawDocument]
reflow     : RawDocument.lines      -> list[Para]    (hard wraps joined)
structure  : RawDocument + paras    -> Document      (blocks with contract anchors)
render     : Document               -> HTML (render.py; the site stage writes the pages)

Every type round-trips through JSON: `x.to_json()` and `Type.from_json(data)` (jsonrecord.py; the
conversion cache stores IssueResults so). `as_json` is something else: the contract's published data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .errors import ConversionError  # noqa: F401  (re-exported: stages raise it from here)
from .jsonrecord import JsonRecord
from .text import squeeze


@dataclass(frozen=True)
class IssueMeta(JsonRecord):
    """Facts about one gazette issue that the source may not print. Unknown stays None."""

    id: str
    year: int
    number: int | None = None
    date: str | None = None  # YYYY-MM-DD
    # the first and last signature dates of its documents (site/labels.py: names an unnumbered issue)
    document_dates: tuple[str, str] | None = None

    def as_json(self) -> dict:
        return {"id": self.id, "year": self.year, "number": self.number, "date": self.date}

    @property
    def url(self) -> str:
        return f"issue/{self.id}/"

    @property
    def number_label(self) -> str:
        """第16期, or 期号未载明 when the number is unknown (never guessed)."""
        return f"第{self.number}期" if self.number else "期号未载明"


@dataclass
class Line(JsonRecord):
    """One logical source line after the reader removed page furniture.

    `soft_wrap` is the reader's promise about the line end: True when the line may
    continue on the next line (a hard wrap), False when the source ended it on purpose.
    `page` is the printed page the line is on, when the source lets us know it.
    `page_start` is set on the first line of a printed page whose number is known.
    """

    text: str
    lineno: int
    page: int | None = None
    page_start: int | None = None
    soft_wrap: bool = False
    heading: int = 0  # markdown heading level given by the source; 0 = not a heading
    cells: list[str] | None = None  # a table row, when the reader saw cells
    rotated: bool = False  # part of a table extracted one character per line
    new_page: bool = False  # first line of a page of the dump, numbered or not
    # the dump indents it by one space (how the extractor begins a page; inside a rotated table
    # also a line of a cell, see printed_tables): a printed piece begins there
    indented: bool = False
    # em by which the line stops short of its column's width; None when the source does not show
    # widths. A paragraph's first line is indented two em, so a line short by less than one em is
    # never a first line, and one short by at most two runs to the end of its line (see reflow).
    short_by: float | None = None


@dataclass
class Furniture(JsonRecord):
    text: str
    lineno: int


@dataclass
class TocEntry(JsonRecord):
    title: str
    page: int | None
    category: str | None
    lineno: int


@dataclass
class SourceLines(JsonRecord):
    """What a reader hands the segmenter."""

    path: str
    format: str
    lines: list[Line]
    furniture: list[Furniture] = field(default_factory=list)
    toc: list[TocEntry] = field(default_factory=list)
    cover: dict = field(default_factory=dict)  # facts printed on the cover: year, number, date
    categories: list[tuple[int, str]] = field(default_factory=list)  # (lineno, running-header category)


@dataclass
class Signature(JsonRecord):
    issuer: str
    date: str  # YYYY-MM-DD
    lineno: int
    raw: list[str] = field(default_factory=list)


def _joined(lines: list[Line]) -> str:
    """Lines of a title printed over several lines, as one line (no space from the line breaks)."""
    return squeeze("".join(ln.text for ln in lines))


@dataclass
class RawDocument(JsonRecord):
    """A slice of the issue that is one document, before reflow and structure."""

    kind: Literal["document", "statistics", "chronicle"]
    title_lines: list[Line]
    lines: list[Line]
    doc_number: str | None = None
    doc_number_line: Line | None = None
    enclosure_title_lines: list[Line] = field(default_factory=list)
    signatures: list[Signature] = field(default_factory=list)
    category: str | None = None
    preamble: list[Line] = field(default_factory=list)  # lines before the issue's first title
    toc_pages: tuple[int, int] | None = None  # printed pages from the issue's table of contents
    toc_marker_text: str = ""  # a 目录 line that stood in the title block, as printed

    @property
    def toc_marker(self) -> bool:
        return bool(self.toc_marker_text)

    @property
    def title(self) -> str:
        return _joined(self.title_lines)

    @property
    def enclosure_title(self) -> str:
        return _joined(self.enclosure_title_lines)

    @property
    def first_lineno(self) -> int:
        first = (self.title_lines or self.lines)
        return first[0].lineno if first else 0


@dataclass
class PageMark(JsonRecord):
    offset: int  # character offset in the paragraph text; in a table or contents list, the row
    page: int


@dataclass
class Para(JsonRecord):
    """A reflowed paragraph: joined text, the source line it starts at, inline page starts."""

    text: str
    lineno: int
    pages: list[PageMark] = field(default_factory=list)
    heading: int = 0
    cells: list[list[str]] | None = None  # a table: rows of cells
    rotated: bool = False
    unparsed: bool = False  # table cells extracted one per line, kept as printed lines
    new_page: bool = False  # the paragraph begins a page of the dump
    boundary_doubt: bool = False  # the width evidence cannot tell whether it continues the paragraph before


@dataclass
class Block(JsonRecord):
    """One rendered unit of a document.

    type: title | heading | paragraph | table | signature | toc | rotated | lines | day
    """

    type: str
    text: str = ""
    anchor: str | None = None
    level: int = 0
    label: str | None = None  # the printed number, e.g. 第十五条, （三）, 一、; never part of text
    sep: str = ""  # the space printed between label and text
    rows: list[list[str]] | None = None
    head_rows: int = 1  # a table's leading rows that are column heads
    # a table's cells spanning more than one row or column: (row, col, rowspan, colspan), `col`
    # being the cell's index in rows[row] (covered positions are absent from rows: see tables.py)
    spans: list[tuple[int, int, int, int]] = field(default_factory=list)
    pages: list[PageMark] = field(default_factory=list)
    lineno: int = 0
    role: str | None = None  # article | paragraph | item | chapter | section | hd | attachment | enclosure | title
    events: list[str] | None = None
    date: str | None = None
    issuer: str | None = None

    def as_json(self) -> dict:
        out: dict = {"type": self.type}
        for key in ("anchor", "role", "label", "sep", "level", "text", "rows", "events", "date", "issuer"):
            value = getattr(self, key)
            if value not in (None, "", 0) or (key == "events" and value is not None):
                out[key] = value
        if self.type == "table":
            out["head_rows"] = self.head_rows
            out["spans"] = [{"row": r, "col": c, "rowspan": rs, "colspan": cs} for r, c, rs, cs in self.spans]
        if self.pages:
            out["pages"] = [{"offset": m.offset, "page": m.page} for m in self.pages]
        out["line"] = self.lineno
        return out


@dataclass
class Warning_(JsonRecord):
    message: str
    lineno: int

    def __str__(self) -> str:
        return f"line {self.lineno}: {self.message}"


@dataclass
class Document(JsonRecord):
    id: str
    kind: Literal["document", "statistics", "chronicle"]
    title: str
    issue: IssueMeta
    source: str
    lineno: int
    category: str | None = None
    doc_number: str | None = None
    doc_number_printed: str | None = None  # as the source prints it, before normalising
    issuer: str | None = None
    date: str | None = None
    pages: tuple[int, int] | None = None
    blocks: list[Block] = field(default_factory=list)
    cites: list[str] = field(default_factory=list)
    rows: list[dict] | None = None
    days: list[dict] | None = None
    period: str | None = None
    order: int = 0  # position in the issue
    warnings: list[Warning_] = field(default_factory=list)
    # facts the source prints that the converter could not determine ("pages": the range; "page_N":
    # where page N begins): the site says so, never 未载明 (which means the source does not print them)
    undetermined: list[str] = field(default_factory=list)
    page_bounds: tuple[int | None, int | None] = (None, None)  # first and last page, where known

    @property
    def anchors(self) -> list[str]:
        seen: list[str] = []
        for block in self.blocks:
            if block.anchor:
                seen.append(block.anchor)
            for mark in block.pages:
                seen.append(f"page_{mark.page}")
        # page anchors may repeat when a page mark is also a block start; keep first
        out, known = [], set()
        for a in seen:
            if a not in known:
                known.add(a)
                out.append(a)
        return out

    @property
    def url(self) -> str:
        return f"doc/{self.id}/"

    @property
    def unplaced_pages(self) -> list[int]:
        """Printed pages of the document whose start the converter could not place (not anchored)."""
        return [int(u[5:]) for u in self.undetermined if u.startswith("page_")]

    @property
    def articles(self) -> int:
        return sum(1 for b in self.blocks if b.role == "article" and "__" not in (b.anchor or "__"))

    @property
    def chapters(self) -> int:
        return sum(1 for b in self.blocks if b.role == "chapter" and "__" not in (b.anchor or "__"))

    def summary(self) -> dict:
        """The contract's entry in api/documents.json."""
        out: dict[str, object] = {
            "id": self.id,
            "url": self.url,
            "issue": self.issue.as_json(),
            "kind": self.kind,
            "title": self.title,
            "doc_number": self.doc_number,
            "issuer": self.issuer,
            "date": self.date,
            "category": self.category,
            "pages": list(self.pages) if self.pages else None,
            "order": self.order,
            "anchors": self.anchors,
            "cites": self.cites,
            "source": {"file": self.source, "line": self.lineno},
        }
        if self.kind == "statistics":
            out["rows"] = self.rows or []
            out["period"] = self.period
        if self.kind == "chronicle":
            out["days"] = self.days or []
            out["period"] = self.period
        return out

    def as_json(self) -> dict:
        out = self.summary()
        out["blocks"] = [b.as_json() for b in self.blocks]
        out["warnings"] = [str(w) for w in self.warnings]
        return out


@dataclass
class IssueResult(JsonRecord):
    meta: IssueMeta
    source: str
    format: str
    documents: list[Document]
    furniture: list[Furniture]
    warnings: list[Warning_]
    characters: int = 0  # body characters the reader passed on
    lost: dict = field(default_factory=dict)  # character -> count missing from the documents
