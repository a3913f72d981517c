"""How the site names an issue, its date and a page range (templates, nav, feed, citations)."""

from __future__ import annotations

def issue_label(meta) -> str:
    return f"{meta.year}年第{meta.number}期" if meta.number else f"{meta.year}年（期号未载明）"


def issue_date(meta) -> str:
    return meta.date or "出版日期未载明"


def page_range(pages) -> str:
    if not pages:
        return ""
    first, last = pages
    return f"第{first}页" if first == last else f"第{first}–{last}页"
