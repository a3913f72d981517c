"""The archive's sources: one folder per gazette issue under docs_src/.

    docs_src/<issue id>/issue.yml   year, number, date (unknown: null), source, format, and optionally
                                    source_url (https: where the official original can be found)
    docs_src/<issue id>/source.txt  the PDF-text dump as received (or source.md, a PDF-to-Markdown dump)

The folder name is the issue id: `YYYY-NN` when the issue number is known, otherwise `YYYY-` and
the first 8 hex digits of the source's SHA-256, fixed when the issue is added, so ids and URLs do
not depend on build order or on which other issues exist. A number learnt later goes into issue.yml;
the folder keeps its name (ids do not change), but a `YYYY-NN` folder must carry its own number.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .model import ConversionError, IssueMeta

META_FILE = "issue.yml"
FORMATS = {"pdf-text": "source.txt", "pdf-markdown": "source.md"}
ISSUE_ID_RE = re.compile(r"^(19|20)\d{2}-(\d{2}|[0-9a-f]{8})$")
META_KEYS = {"year", "number", "date", "source", "format", "source_url"}
SOURCE_URL_RE = re.compile(r"^https://[^\s/?#@]+\.[^\s/?#@]+(?:[/?#][^\s]*)?$")


@dataclass(frozen=True)
class IssueSource:
    meta: IssueMeta
    folder: Path
    source: Path
    format: str
    source_url: str | None = None  # where the official original can be found (issue.yml, optional)

    def read_text(self) -> str:
        return self.source.read_text(encoding="utf-8")


def issue_id(year: int, number: int | None, text: str) -> str:
    if number is not None:
        return f"{year}-{number:02d}"
    return f"{year}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:8]}"


def validate_meta(data: object, where: str) -> tuple[int, int | None, str | None]:
    """(year, number, date) from an issue.yml mapping, or a ConversionError naming the key."""
    if not isinstance(data, dict):
        raise ConversionError(f"{where}: expected a mapping with year, number, date, source, format")
    unknown = sorted(set(data) - META_KEYS)
    if unknown:
        raise ConversionError(f"{where}: unknown key '{unknown[0]}'")
    return check_facts(data.get("year"), data.get("number"), data.get("date"), where)


def check_facts(year, number, date, where: str) -> tuple[int, int | None, str | None]:
    if not isinstance(year, int) or isinstance(year, bool) or not 1949 <= year <= 2100:
        raise ConversionError(f"{where}: 'year' must be a year such as 2019, not {year!r}")
    if number is not None and (not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= 99):
        raise ConversionError(f"{where}: 'number' must be an issue number from 1 to 99 or empty, not {number!r}")
    if isinstance(date, dt.date):
        date = date.isoformat()
    if date is not None:
        try:
            parsed = dt.date.fromisoformat(str(date))
        except ValueError:
            raise ConversionError(f"{where}: 'date' must be YYYY-MM-DD or empty, not {date!r}") from None
        if parsed.year not in (year, year + 1):
            raise ConversionError(f"{where}: 'date' {date} is not in year {year}")
        date = parsed.isoformat()
    return year, number, date


def check_source_url(value, where: str) -> str | None:
    """issue.yml's optional source_url: an https URL on one line, or empty."""
    if value is None:
        return None
    if not isinstance(value, str) or not SOURCE_URL_RE.match(value):
        raise ConversionError(f"{where}: 'source_url' must be an https:// address of the official original "
                              f"or empty, not {value!r}")
    return value


def load_issue(folder: Path) -> IssueSource:
    meta_path = folder / META_FILE
    where = str(meta_path)
    if not meta_path.exists():
        raise ConversionError(f"{folder}: no {META_FILE} (every issue folder needs its metadata)")
    try:
        data = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConversionError(f"{where}: not valid YAML ({exc.__class__.__name__})") from None
    year, number, date = validate_meta(data, where)
    source_url = check_source_url(data.get("source_url"), where)
    fmt = data.get("format")
    if fmt not in FORMATS:
        raise ConversionError(f"{where}: 'format' must be one of {', '.join(FORMATS)}, not {fmt!r}")
    source = folder / str(data.get("source") or FORMATS[fmt])
    if not source.is_file():
        raise ConversionError(f"{where}: 'source' names {source.name}, which is not in {folder}")
    if not ISSUE_ID_RE.match(folder.name) or not folder.name.startswith(f"{year}-"):
        raise ConversionError(f"{folder}: the folder name must be the issue id YYYY-NN or YYYY-<8 hex>, "
                              f"starting with its year {year}")
    if len(folder.name) == len("YYYY-NN") and folder.name != issue_id(year, number, ""):
        raise ConversionError(f"{where}: the folder {folder.name} is issue number {int(folder.name[5:])}, "
                              f"but 'number' says {number}")
    return IssueSource(IssueMeta(folder.name, year, number, date), folder, source, fmt, source_url)


def write_meta(folder: Path, meta: IssueMeta, fmt: str, source: str) -> None:
    """Write folder/issue.yml: the facts load_issue reads back (unknown ones as null)."""
    data = {"year": meta.year, "number": meta.number, "date": meta.date, "source": source, "format": fmt}
    (folder / META_FILE).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def load_archive(docs_src: Path) -> list[IssueSource]:
    if not docs_src.is_dir():
        return []
    # `_published/` holds the anchors snapshot and aliases; `.add-*` is an unfinished `gazette add`
    return [load_issue(folder) for folder in sorted(docs_src.iterdir())
            if folder.is_dir() and not folder.name.startswith(("_", "."))]
