"""How the site names an issue, its date and a page range (templates, nav, feed, citations).

An issue whose number is not printed is named by facts it does print, so that two such issues of a year
never share a name (in the nav, titles, feed and citations): its publication date when known, else the
range of its documents' signature dates. The number itself is never guessed."""

from __future__ import annotations

from dataclasses import replace


def with_document_dates(results) -> None:
    """Give each issue's metadata (and its documents') the first and last signature dates of its
    documents, which name an issue whose number is not printed."""
    for r in results:
        dates = sorted(d.date for d in r.documents if d.date)
        meta = replace(r.meta, document_dates=(dates[0], dates[-1]) if dates else None)
        r.meta = meta
        for d in r.documents:
            d.issue = meta


def _date_range(first: str, last: str) -> str:
    if first == last:
        return first
    # the same year is not repeated: 2020-12-10至12-31
    return f"{first}至{last[5:] if first[:4] == last[:4] else last}"


def unnumbered_label(meta) -> str:
    """期号未载明, with what names the issue: 期号未载明；文件日期2020-12-10至12-31."""
    if meta.date:
        return f"期号未载明；出版日期{meta.date}"
    if meta.document_dates:
        return f"期号未载明；文件日期{_date_range(*meta.document_dates)}"
    return "期号未载明"


def issue_label(meta) -> str:
    """2018年第16期, or 2020年（期号未载明；文件日期2020-12-10至12-31）."""
    return f"{meta.year}年第{meta.number}期" if meta.number else f"{meta.year}年（{unnumbered_label(meta)}）"


def issue_short_label(meta) -> str:
    """The issue within its year: 第16期, or 期号未载明（文件日期…）."""
    return f"第{meta.number}期" if meta.number else f"（{unnumbered_label(meta)}）"


def document_label(doc) -> str:
    """A document's title as listed: a chronicle's title is the same in every issue, so its period
    (as printed under it) is added: 连云港市人民政府大事记（2019年11月1日—30日）."""
    if doc.kind == "chronicle" and doc.period and doc.period not in doc.title:
        return f"{doc.title}（{doc.period}）"
    return doc.title


def issue_date(meta) -> str:
    return meta.date or "出版日期未载明"


def page_range(pages) -> str:
    if not pages:
        return ""
    first, last = pages
    return f"第{first}页" if first == last else f"第{first}–{last}页"
