"""Stable ASCII ids: derived from the document number, or scoped to the issue when there is none."""

from __future__ import annotations

import re

from pypinyin import Style, lazy_pinyin

from .text import DOC_NUMBER_RE

KIND_SLUG = {"statistics": "statistics", "chronicle": "chronicle"}


def number_slug(doc_number: str) -> str:
    """连政规发〔2019〕2号 -> lzgf-2019-2 (initials of the issuing prefix, year, number)."""
    m = DOC_NUMBER_RE.fullmatch(doc_number)
    if not m:
        raise ValueError(f"not a document number: {doc_number}")
    initials = "".join(lazy_pinyin(m["prefix"], style=Style.FIRST_LETTER, errors="ignore"))
    initials = re.sub(r"[^a-z]", "", initials.lower()) or "doc"
    return f"{initials}-{int(m['year'])}-{int(m['num'])}"


def document_id(doc_number: str | None, issue_id: str, kind: str, order: int) -> str:
    if doc_number:
        return number_slug(doc_number)
    if kind in KIND_SLUG:
        return f"{issue_id}-{KIND_SLUG[kind]}"
    return f"{issue_id}-doc-{order}"
