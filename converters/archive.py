"""The archive's sources: one folder per gazette issue under docs_src/.

    docs_src/<issue id>/issue.yml   year, number, date (unknown: null), source, format; for an issue
                                    added as a PDF, pdf_sha256 and pdf_pages; optionally source_url
    docs_src/<issue id>/source.txt  the PDF-text dump as received, or the text extracted from the PDF
                                    (or source.md, a PDF-to-Markdown dump)

The folder name is the issue id: `YYYY-NN` when the issue number is known, otherwise `YYYY-` and
the first 8 hex digits of the source's SHA-256, fixed when the issue is added, so ids and URLs do
not depend on build order or on which other issues exist. A number learnt later goes into issue.yml;
the folder keeps its name (ids do not change), but a `YYYY-NN` folder must carry its own number.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

from .model import ConversionError, IssueMeta

META_FILE = "issue.yml"
FORMATS = {"pdf-text": "source.txt", "pdf-markdown": "source.md"}
ISSUE_ID_RE = re.compile(r"^(19|20)\d{2}-(\d{2}|[0-9a-f]{8})$")
META_KEYS = {"year", "number", "date", "source", "format", "pdf_sha256", "pdf_pages", "source_url"}
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # ASCII digits: \d takes ２０３０ too
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class IssueSource:
    meta: IssueMeta
    folder: Path
    source: Path
    format: str
    # where the source came from: pdf_sha256 and pdf_pages (added as a PDF), source_url; only those given
    provenance: dict = field(default_factory=dict)

    @property
    def source_url(self) -> str | None:
        """Where the official original can be found (issue.yml, optional)."""
        return self.provenance.get("source_url")

    def read_bytes(self) -> bytes:
        """The source's bytes; the file is opened without following a symlink put there since loading."""
        try:
            fd = os.open(self.source, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError as exc:
            raise ConversionError(f"{self.source}: cannot be read ({exc.strerror or exc.__class__.__name__})") from None
        with os.fdopen(fd, "rb") as file:
            return file.read()

    def read_text(self) -> str:
        try:
            return self.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            line = self.read_bytes()[:exc.start].count(b"\n") + 1
            raise ConversionError(f"{self.source}:{line}: not UTF-8 (`gazette add` stores sources as UTF-8)") from None


def issue_id(year: int, number: int | None, text: str) -> str:
    if number is not None:
        return f"{year}-{number:02d}"
    return f"{year}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:8]}"


def validate_meta(data: object, where: str, lines: dict[str, int] | None = None
                  ) -> tuple[int, int | None, str | None]:
    """(year, number, date) from an issue.yml mapping, or a ConversionError naming the key
    (and its line, from `lines`)."""
    if not isinstance(data, dict):
        raise ConversionError(f"{where}: expected a mapping with year, number, date, source, format")
    unknown = sorted(set(data) - META_KEYS, key=str)
    if unknown:
        raise ConversionError(f"{_at(where, lines, unknown[0])}: unknown key '{unknown[0]}'")
    return check_facts(data.get("year"), data.get("number"), data.get("date"), where, lines)


def check_provenance(data: dict, where: str) -> dict:
    """The provenance keys of an issue.yml mapping, validated: pdf_sha256 (64 lower-case hex digits)
    and pdf_pages (a page count) together, for a PDF-text source; source_url an https URL."""
    out: dict = {}
    has_pdf = [key for key in ("pdf_sha256", "pdf_pages") if data.get(key) is not None]
    if has_pdf:
        if len(has_pdf) == 1:
            missing = "pdf_pages" if has_pdf == ["pdf_sha256"] else "pdf_sha256"
            raise ConversionError(f"{where}: '{has_pdf[0]}' is given without '{missing}' (an issue added as a PDF "
                                  f"records both)")
        if data.get("format") != "pdf-text":
            raise ConversionError(f"{where}: 'pdf_sha256' and 'pdf_pages' belong to an issue added as a PDF, "
                                  f"whose format is pdf-text, not {data.get('format')!r}")
        sha = data["pdf_sha256"]
        if not isinstance(sha, str) or not SHA256_RE.match(sha):
            raise ConversionError(f"{where}: 'pdf_sha256' must be the PDF's SHA-256 in 64 lower-case hex digits, "
                                  f"not {sha!r}")
        pages = data["pdf_pages"]
        if not isinstance(pages, int) or isinstance(pages, bool) or not 1 <= pages <= 10_000:
            raise ConversionError(f"{where}: 'pdf_pages' must be the PDF's page count, not {pages!r}")
        out.update(pdf_sha256=sha, pdf_pages=pages)
    if data.get("source_url") is not None:
        out["source_url"] = check_source_url(data["source_url"], where)
    return out


def check_source_url(url, where: str) -> str:
    """An https URL with a host and no spaces: where the official original can be found."""
    try:
        parts = urllib.parse.urlsplit(url) if isinstance(url, str) else None
        host = parts.hostname if parts else None
    except ValueError:
        parts = host = None
    if parts is None or parts.scheme != "https" or not host or any(ch.isspace() for ch in url) \
            or any(ord(ch) < 32 for ch in url):
        raise ConversionError(f"{where}: 'source_url' must be an https URL (https://…), not {url!r}")
    return url


def _at(where: str, lines: dict | None, key) -> str:
    line = (lines or {}).get(key)
    return f"{where}:{line}" if line else where


def check_facts(year, number, date, where: str, lines: dict[str, int] | None = None
                ) -> tuple[int, int | None, str | None]:
    """The facts validated: a year, an issue number 1–99 or None, a real date written YYYY-MM-DD in
    that year or the next, or None. Anything else is a ConversionError naming `where` (and the line)."""
    if not isinstance(year, int) or isinstance(year, bool) or not 1949 <= year <= 2100:
        raise ConversionError(f"{_at(where, lines, 'year')}: 'year' must be a year such as 2019, not {year!r}")
    if number is not None and (not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= 99):
        raise ConversionError(f"{_at(where, lines, 'number')}: 'number' must be an issue number from 1 to 99 "
                              f"or empty, not {number!r}")
    if date is not None:
        # only YYYY-MM-DD: date.fromisoformat also takes 20200101 and 2020-W01-1
        parsed = None
        if isinstance(date, str) and DATE_RE.fullmatch(date):
            try:
                parsed = dt.date.fromisoformat(date)
            except ValueError:
                raise ConversionError(f"{_at(where, lines, 'date')}: 'date' {date} is not a day of the calendar"
                                      ) from None
        if parsed is None:
            raise ConversionError(f"{_at(where, lines, 'date')}: 'date' must be YYYY-MM-DD or empty, not {date!r}")
        if parsed.year not in (year, year + 1):
            raise ConversionError(f"{_at(where, lines, 'date')}: 'date' {date} is not in year {year}")
    return year, number, date


class _MetaLoader(yaml.SafeLoader):
    """PyYAML's safe loader without implicit timestamps: `date: 2030-02-30` stays the text it is, so
    that check_facts refuses it in one sentence instead of PyYAML raising while building a date."""


_MetaLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def read_meta(path: Path) -> tuple[object, dict[str, int]]:
    """issue.yml's data and the line of each top-level key; ConversionError when it is not YAML."""
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8")
        node = yaml.compose(text, Loader=_MetaLoader)
        data = yaml.load(text, Loader=_MetaLoader)
    except UnicodeDecodeError:
        raise ConversionError(f"{where}: not UTF-8 text") from None
    except OSError as exc:
        raise ConversionError(f"{where}: cannot be read ({exc.strerror or exc.__class__.__name__})") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = f"{where}:{mark.line + 1}" if mark else where
        raise ConversionError(f"{at}: not valid YAML ({exc.problem or exc.__class__.__name__})") from None
    except (yaml.YAMLError, ValueError, OverflowError, RecursionError) as exc:  # e.g. an explicit !!timestamp
        raise ConversionError(f"{where}: not valid YAML ({exc.__class__.__name__}: {exc})") from None
    lines = {}
    if isinstance(node, yaml.MappingNode):
        lines = {key.value: key.start_mark.line + 1 for key, _ in node.value if isinstance(key, yaml.ScalarNode)}
    return data, lines


def _source_path(folder: Path, name: object, where: str) -> Path:
    """folder/name, refused unless it is a plain file inside the folder: a relative path without `..`,
    with no symlink on the way (a symlink could publish any file of the machine that builds)."""
    if not isinstance(name, str) or not name.strip():
        raise ConversionError(f"{where}: 'source' must name the source file in {folder}, not {name!r}")
    parts = PurePosixPath(name).parts
    if PurePosixPath(name).is_absolute() or "\\" in name or ".." in parts:
        raise ConversionError(f"{where}: 'source' {name!r} must name a file inside {folder} "
                              f"(no absolute path, no '..')")
    path = folder
    for part in parts:
        path = path / part
        if path.is_symlink():
            raise ConversionError(f"{where}: 'source' {name!r} goes through the symlink {path}; "
                                  f"the source must be a file in the folder itself")
    if not path.is_file():
        raise ConversionError(f"{where}: 'source' names {name}, which is not a file in {folder}")
    return path


def load_issue(folder: Path) -> IssueSource:
    meta_path = folder / META_FILE
    where = str(meta_path)
    if folder.is_symlink():
        raise ConversionError(f"{folder}: an issue folder must be a folder, not a symlink")
    if meta_path.is_symlink():
        raise ConversionError(f"{where}: must be a file in the folder, not a symlink")
    if not meta_path.exists():
        raise ConversionError(f"{folder}: no {META_FILE} (every issue folder needs its metadata)")
    data, lines = read_meta(meta_path)
    year, number, date = validate_meta(data, where, lines)
    fmt = data.get("format")
    if fmt not in FORMATS:
        raise ConversionError(f"{_at(where, lines, 'format')}: 'format' must be one of {', '.join(FORMATS)}, "
                              f"not {fmt!r}")
    source = _source_path(folder, data.get("source") or FORMATS[fmt], _at(where, lines, "source"))
    if not ISSUE_ID_RE.match(folder.name) or not folder.name.startswith(f"{year}-"):
        raise ConversionError(f"{folder}: the folder name must be the issue id YYYY-NN or YYYY-<8 hex>, "
                              f"starting with its year {year}")
    if len(folder.name) == len("YYYY-NN") and folder.name != issue_id(year, number, ""):
        raise ConversionError(f"{_at(where, lines, 'number')}: the folder {folder.name} is issue number "
                              f"{int(folder.name[5:])}, but 'number' says {number}")
    provenance = check_provenance(data, where)
    return IssueSource(IssueMeta(folder.name, year, number, date), folder, source, fmt, provenance)


def write_meta(folder: Path, meta: IssueMeta, fmt: str, source: str, provenance: dict | None = None) -> None:
    """Write folder/issue.yml: the facts load_issue reads back (unknown ones as null), then the
    provenance given (pdf_sha256, pdf_pages, source_url)."""
    data = {"year": meta.year, "number": meta.number, "date": meta.date, "source": source, "format": fmt}
    data.update(provenance or {})
    (folder / META_FILE).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def load_archive(docs_src: Path, errors: list[ConversionError] | None = None) -> list[IssueSource]:
    """Every issue under docs_src/, in archive order. The first issue that cannot be loaded raises its
    ConversionError, unless `errors` is given: then such issues are left out and their errors listed."""
    issues = []
    for folder in issue_folders(docs_src):
        try:
            issues.append(load_issue(folder))
        except ConversionError as exc:
            if errors is None:
                raise
            errors.append(exc)
    return issues


def issue_folders(docs_src: Path) -> list[Path]:
    """The entries of docs_src/ that are issues, in archive order: every folder, and every symlink
    (load_issue refuses those), except `_published/` (the anchors snapshot and aliases) and dot
    entries (`.add-*` is a `gazette add` in progress)."""
    if not docs_src.is_dir():
        return []
    return [entry for entry in sorted(docs_src.iterdir())
            if (entry.is_dir() or entry.is_symlink()) and not entry.name.startswith(("_", "."))]


def refuse_duplicates(issues: list[IssueSource], results: list, root: Path) -> None:
    """Raise a ConversionError naming both folders when two issues (with their converted results) are
    the same issue filed twice: the same source bytes, or a document both contain (the same document
    id, which comes from its document number; documents without one are scoped to their issue). One
    would take over the other's pages, since a document id is one page of the site."""

    def folder(issue: IssueSource) -> str:
        return issue.folder.relative_to(root).as_posix()

    sources: dict[str, IssueSource] = {}
    holders: dict[str, IssueSource] = {}
    for issue, result in zip(issues, results):
        digest = hashlib.sha256(issue.read_bytes()).hexdigest()
        if digest in sources:
            raise ConversionError(f"{folder(sources[digest])} and {folder(issue)} hold the same source: an issue is "
                                  f"filed once, so remove one of the two folders")
        sources[digest] = issue
        for doc in result.documents:
            first = holders.setdefault(doc.id, issue)
            if first is not issue:
                raise ConversionError(f"{folder(first)} and {folder(issue)} both contain {doc.doc_number or doc.title} "
                                      f"(document {doc.id}, {result.source}:{doc.lineno}): a document is filed "
                                      f"once, so remove the issue filed twice")
