"""Stable ASCII ids: derived from the document number, or scoped to the issue when there is none."""

from __future__ import annotations

import re
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

from .text import number_parts

ISSUE_SCOPED_KINDS = ("statistics", "chronicle")  # one of each an issue at most: <issue id>-<kind>


def number_slug(doc_number: str) -> str:
    """连政规发〔2019〕2号 -> lzgf-2019-2 (initials of the issuing prefix, year, number)."""
    parts = number_parts(doc_number)
    if not parts:
        raise ValueError(f"not a document number: {doc_number}")
    prefix, year, num = parts
    return f"{_initials(prefix)}-{year}-{num}"


@lru_cache(maxsize=4096)
def _initials(prefix: str) -> str:
    """连政规发 -> lzgf. Cached: an archive has few prefixes and every page links numbers (pypinyin was
    ≈ 5 % of page generation)."""
    initials = "".join(lazy_pinyin(prefix, style=Style.FIRST_LETTER, errors="ignore"))
    return re.sub(r"[^a-z]", "", initials.lower()) or "doc"


def cited_url(doc_number: str) -> str:
    """The page of a cited number the archive does not hold: cited/lzbf-2017-53/."""
    return f"cited/{number_slug(doc_number)}/"


def name_slug(name: str) -> str:
    """A stable ASCII anchor for a name (a category, an issuer, a number's prefix), in full pinyin:
    市政府文件 -> shi-zheng-fu-wen-jian. Sorting by it puts names in pinyin order."""
    return re.sub(r"[^a-z0-9]+", "-", "-".join(lazy_pinyin(name)).lower()).strip("-") or "x"


def document_id(doc_number: str | None, issue_id: str, kind: str, order: int) -> str:
    if doc_number:
        return number_slug(doc_number)
    if kind in ISSUE_SCOPED_KINDS:
        return f"{issue_id}-{kind}"
    return f"{issue_id}-doc-{order}"
