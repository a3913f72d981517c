"""Emit: a converted issue -> files under build/.

    build/docs/<doc id>.md     front-matter Markdown (python-frontmatter), the page body MkDocs renders
    build/docs/<doc id>.json   the document's full structure and text (the contract's per-document JSON)
    build/issues/<issue id>.json  the issue: its facts, documents in published order, the report

Anchored blocks are written as HTML elements carrying their contract id, headings as Markdown
headings with an attr_list id (so they appear in the page's table of contents).
"""

from __future__ import annotations

import html
import json
from dataclasses import replace
from pathlib import Path

import frontmatter
import yaml
from frontmatter.default_handlers import YAMLHandler

from .model import Block, Document, IssueResult, PageMark


def _text_with_pages(text: str, block: Block) -> str:
    """Escape text and put each page start where it falls in the text."""
    out, last = [], 0
    for mark in sorted(block.pages, key=lambda m: m.offset):
        at = min(max(mark.offset, 0), len(text))
        out.append(html.escape(text[last:at], quote=False))
        out.append(f'<span class="page-mark" id="page_{mark.page}" data-page="{mark.page}"></span>')
        last = at
    out.append(html.escape(text[last:], quote=False))
    return "".join(out)


def _permalink(anchor: str, label: str) -> str:
    return f'<a class="provision-link" href="#{anchor}" title="链接到此处">{html.escape(label)}</a>'


def _heading(level: int, text: str, anchor: str | None) -> str:
    hashes = "#" * max(2, min(level, 6))
    attr = f" {{ #{anchor} }}" if anchor else ""
    # Markdown emphasis and escapes in a heading would not be read as text: escape them.
    safe = text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_")
    return f"{hashes} {safe}{attr}"


def _page_marks(marks) -> str:
    return "".join(f'<span class="page-mark" id="page_{m.page}" data-page="{m.page}"></span>' for m in marks)


def _table(rows: list[list[str]], css: str = "", head_rows: int = 1,
           spans: list[tuple[int, int, int, int]] = (), pages: list[PageMark] = ()) -> str:
    """rows as printed (a spanned cell once, covered positions absent) with rowspan/colspan; each
    row is padded with empty cells to the table's width, counting the positions spans cover. A page
    that begins at a row after the first is marked in that row's first cell."""
    span_of = {(r, c): (rs, cs) for r, c, rs, cs in spans}
    covered = [0] * len(rows)  # positions of each row that a cell of an earlier row (or its own) covers
    for r, c, rs, cs in spans:
        for rr in range(r, min(r + rs, len(rows))):
            covered[rr] += cs - 1 if rr == r else cs
    width = max((len(row) + covered[n] for n, row in enumerate(rows)), default=0)
    cls = f' class="{css}"' if css else ""
    parts = [f"<table{cls}>"]
    for n, row in enumerate(rows):
        tag = "th" if n < head_rows and len(rows) > 1 else "td"
        cells = []
        for c, text in enumerate(row + [""] * (width - len(row) - covered[n])):
            rs, cs = span_of.get((n, c), (1, 1))
            attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
            marks = _page_marks(m for m in pages if m.offset == n > 0) if c == 0 else ""
            cells.append(f"<{tag}{attrs}>{marks}{html.escape(text, quote=False)}</{tag}>")
        parts.append(f"<tr>{''.join(cells)}</tr>")
    parts.append("</table>")
    return "".join(parts)


def render_block(block: Block) -> str:
    anchor = block.anchor
    marks = "".join(f'<span class="page-mark" id="page_{m.page}" data-page="{m.page}"></span>'
                    for m in block.pages)
    if block.type == "title":
        return (f"{marks}\n\n" if marks else "") + f"# {block.text}"
    if block.type == "heading":
        # 第一章 and its name were run together by a converter that dropped the space: show one.
        sep = block.sep or ("　" if block.role in ("chapter", "section") and block.text else "")
        head = _heading(block.level, f"{block.label or ''}{sep}{block.text}", anchor)
        return f"{marks}\n\n{head}" if marks else head
    if block.type == "paragraph":
        body = _text_with_pages(block.text, block)
        if block.label and anchor:
            body = f"{_permalink(anchor, block.label)}{html.escape(block.sep)}{body}"
        elif anchor:
            body = f'{body}{_permalink(anchor, "¶")}'
        idattr = f' id="{anchor}"' if anchor else ""
        return f'<p class="{block.role or "paragraph"}"{idattr}>{body}</p>'
    if block.type in ("table", "toc"):
        marks = _page_marks(m for m in block.pages if m.offset <= 0)  # later ones at their row
    if block.type == "table":
        return marks + _table(block.rows or [], block.role or "", block.head_rows, block.spans, block.pages)
    if block.type == "toc":
        items = "".join(f"<li>{_page_marks(m for m in block.pages if m.offset == n > 0)}"
                        f"{html.escape(r[0], quote=False)}</li>" for n, r in enumerate(block.rows or []))
        return f'{marks}<div class="printed-toc"><p class="note">目录</p><ul>{items}</ul></div>'
    if block.type == "rotated":
        return (f'<div class="rotated-table"><p class="note">此表在原文中为旋转排版，逐字提取，按原文顺序保留。</p>'
                f"<p>{_text_with_pages(block.text, block)}</p></div>")
    if block.type == "lines":
        body = _text_with_pages(block.text, block).replace("\n", "<br>")
        return (f'<div class="unparsed-table"><p class="note">此表在原文中逐格提取，按原文逐行保留。</p>'
                f"<p>{body}</p></div>")
    if block.type == "signature":
        lines = "".join(f"<p>{html.escape(line, quote=False)}</p>" for line in block.text.split("\n"))
        return f'{marks}<div class="signature">{lines}</div>'
    if block.type == "day":
        # Page starts inside the day's events carry their offset in the joined events' text;
        # a negative offset is a page that starts at the day's heading.
        before = "".join(f'<span class="page-mark" id="page_{m.page}" data-page="{m.page}"></span>'
                         for m in block.pages if m.offset < 0)
        items, start = [], 0
        for event in block.events or []:
            inside = [PageMark(m.offset - start, m.page) for m in block.pages
                      if start <= m.offset < start + len(event)]
            items.append(f"<li>{_text_with_pages(event, Block(type='paragraph', pages=inside))}</li>")
            start += len(event)
        head = _heading(2, block.text, anchor)
        return f'{before}\n\n{head}\n\n<ul class="events">{"".join(items)}</ul>'
    raise ValueError(f"unknown block type {block.type}")


def _heading_levels(doc: Document) -> dict[int, int]:
    """Levels that never skip one (h1 title, then h2, h3…): the structure's levels say which
    heading is inside which, but a document may start at any of them."""
    levels, stack = {}, []  # stack of (structure level, output level)
    for n, block in enumerate(doc.blocks):
        if block.type not in ("heading", "day"):
            continue
        wanted = block.level if block.type == "heading" else 2
        while stack and stack[-1][0] >= wanted:
            stack.pop()
        out = min(6, (stack[-1][1] if stack else 1) + 1)
        stack.append((wanted, out))
        levels[n] = out
    return levels


def render_body(doc: Document) -> str:
    levels = _heading_levels(doc)
    parts = []
    for n, block in enumerate(doc.blocks):
        if n in levels and block.level != levels[n] and block.type == "heading":
            block = replace(block, level=levels[n])
        parts.append(render_block(block))
    return "\n\n".join(parts) + "\n"


def front_matter(doc: Document) -> dict:
    summary = doc.summary()
    summary.pop("anchors")
    summary["anchor_count"] = len(doc.anchors)
    return summary


# libyaml's emitter when PyYAML has it: the same YAML, 4.5 times faster (front matter of every document
# and every generated page: 20 s of a 10,000-document build in Python's emitter)
YAML_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def markdown_body(path: Path) -> str:
    """The Markdown of a document written by write_issue, without its front matter: what
    frontmatter.load(path).content gives, without parsing the YAML, which the site stage does not use."""
    text = path.read_text(encoding="utf-8").strip()
    try:
        return YAMLHandler().split(text)[1].strip()
    except ValueError:  # no front matter
        return text


def write_issue(result: IssueResult, build: Path) -> list[Path]:
    docs_dir = build / "docs"
    issues_dir = build / "issues"
    docs_dir.mkdir(parents=True, exist_ok=True)
    issues_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for doc in result.documents:
        post = frontmatter.Post(render_body(doc), **front_matter(doc))
        md_path = docs_dir / f"{doc.id}.md"
        md_path.write_text(frontmatter.dumps(post, sort_keys=False, Dumper=YAML_DUMPER) + "\n", encoding="utf-8")
        json_path = docs_dir / f"{doc.id}.json"
        json_path.write_text(json.dumps(doc.as_json(), ensure_ascii=False, indent=1), encoding="utf-8")
        written += [md_path, json_path]
    issue_path = issues_dir / f"{result.meta.id}.json"
    issue_path.write_text(json.dumps(issue_record(result), ensure_ascii=False, indent=1), encoding="utf-8")
    written.append(issue_path)
    return written


def issue_record(result: IssueResult) -> dict:
    return {
        **result.meta.as_json(),
        "source": result.source,
        "format": result.format,
        "documents": [d.summary() for d in result.documents],
        "furniture": [{"line": f.lineno, "text": f.text} for f in result.furniture],
        "warnings": [f"{result.source}:{w.lineno}: {w.message}" for w in result.warnings]
        + [f"{result.source}:{w.lineno}: {w.message}" for d in result.documents for w in d.warnings],
    }
