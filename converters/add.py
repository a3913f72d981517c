"""`gazette add SOURCE --year YYYY [--number N] [--date YYYY-MM-DD] [--source-url URL]`: file one
new gazette issue.

Everything is checked before anything is written: a PDF's text layer is extracted (converters/
pdf_extract.py) or a text dump's bytes decoded (UTF-8, UTF-16 with BOM, GB18030/GBK), the facts
validated, the issue converted (it must contain at least one document), and the archive searched
for the same issue. Only then is `docs_src/<issue id>/` written, through a temporary folder that is
renamed into place, so a refusal or a failure leaves docs_src unchanged. A PDF is filed as its
extracted text (source.txt), with its SHA-256 and page count in issue.yml.
SIGTERM, SIGINT or SIGHUP stop it the same way; a folder left by an add that was killed outright
(`docs_src/.add-<pid>-…`, its process gone) is removed by the next add.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from .anchors_check import load_snapshot
from .archive import FORMATS, META_FILE, check_facts, check_source_url, issue_id, load_archive, write_meta
from .config import load_config
from .decode import decode_source
from .model import ConversionError, IssueMeta, IssueResult
from .pdf_extract import extract, is_pdf
from .pipeline import convert_text
from .readers import detect_format


@dataclass
class Prepared:
    """A converted issue ready to be filed."""

    id: str
    text: str
    format: str
    meta: IssueMeta
    result: IssueResult
    provenance: dict  # pdf_sha256 and pdf_pages for a PDF, source_url when given


def register(sub) -> None:
    parser = sub.add_parser("add", help="add one gazette issue (validated and converted first)",
                            description="Add one gazette issue: decode, validate and convert it, then file it "
                                        "under docs_src/<issue id>/. Nothing is written when it is refused.")
    parser.add_argument("source", help="the issue's PDF as downloaded (or its PDF-text dump .txt, or its "
                                       "PDF-to-Markdown dump .md)")
    # year and number are read as text so a bad value gets the same one-sentence refusal as a bad date
    parser.add_argument("--year", required=True, help="the issue's year, e.g. 2019")
    parser.add_argument("--number", help="the issue number printed on the cover, when known")
    parser.add_argument("--date", help="the publication date YYYY-MM-DD, when known")
    parser.add_argument("--source-url", help="where the PDF was downloaded (an https URL), recorded in issue.yml")
    parser.set_defaults(func=cmd_add)


def _int_or_raw(value: str | None):
    if value is None or value == "":
        return None
    value = value.strip()
    return int(value) if re.fullmatch(r"\d{1,6}", value) else value


def read_source(path: Path) -> bytes:
    name = str(path)
    if path.is_dir():
        raise ConversionError(f"{name} is a folder; give the source file (the PDF, or a .txt or .md dump) itself.")
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ConversionError(f"{name} does not exist.") from None
    except PermissionError:
        raise ConversionError(f"{name} cannot be read (permission denied).") from None
    except OSError as exc:
        raise ConversionError(f"{name} cannot be read ({exc.strerror or exc.__class__.__name__}).") from None


def prepare(root: Path, path: Path, year, number, date, source_url: str | None = None) -> Prepared:
    """Extract or decode, validate and convert one source; raise ConversionError on anything wrong.
    Writes nothing."""
    data = read_source(path)
    provenance: dict = {}
    if source_url is not None:
        provenance["source_url"] = check_source_url(source_url, f"{path} (--source-url)")
    year, number, date = check_facts(_int_or_raw(year) if isinstance(year, str) else year,
                                     _int_or_raw(number) if isinstance(number, str) else number,
                                     date or None, f"{path} (--year/--number/--date)")
    if is_pdf(data):
        try:
            extracted = extract(data, str(path))
        except ConversionError:
            raise
        except Exception as exc:  # an extractor bug must not show a traceback to the maintainer
            raise ConversionError(f"{path}: the PDF's text could not be extracted ({exc.__class__.__name__}: {exc}); "
                                  f"please report it with the PDF attached.") from None
        text, fmt = extracted.text, "pdf-text"
        provenance = {"pdf_sha256": extracted.sha256, "pdf_pages": extracted.pages, **provenance}
    else:
        text = decode_source(data, str(path))
        fmt = detect_format(text)
    new_id = issue_id(year, number, text)
    meta = IssueMeta(new_id, year, number, date)
    source_name = f"docs_src/{new_id}/{FORMATS[fmt]}"
    config = load_config(root / "gazette.yml")
    try:
        result = convert_text(text, source_name, meta, fmt, config.furniture_patterns)
    except ConversionError as exc:
        message = str(exc).replace(source_name, str(path))
        if "pdf_sha256" in provenance and "no document found" in message:
            message += "; it does not look like a gazette issue"
        raise ConversionError(message) from None
    except Exception as exc:  # a converter bug must not show a traceback to the maintainer
        raise ConversionError(f"{path}: the converter failed ({exc.__class__.__name__}: {exc}); "
                              f"please report it with the source attached.") from None
    _refuse_duplicates(root, path, new_id, text, result, config.furniture_patterns, provenance.get("pdf_sha256"))
    return Prepared(new_id, text, fmt, meta, result, provenance)


def _refuse_duplicates(root: Path, path: Path, new_id: str, text: str, result: IssueResult,
                       furniture_patterns, pdf_sha256: str | None = None) -> None:
    docs_src = root / "docs_src"
    if (docs_src / new_id).exists() or (docs_src / new_id).is_symlink():
        raise ConversionError(f"issue {new_id} is already in the archive (docs_src/{new_id}); "
                              f"{path} was not added.")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    new_ids = {doc.id: doc for doc in result.documents}
    # the published snapshot already lists the documents of most issues; only the others are converted
    published: dict[str, set[str]] = {}
    try:
        for entry in load_snapshot(root):
            if isinstance(entry.get("issue"), str):
                published.setdefault(entry["issue"], set()).add(entry["id"])
    except ConversionError:
        published = {}  # a broken snapshot is `gazette check`'s business; convert everything instead

    def refuse(doc_id: str, holder: str) -> None:
        label = new_ids[doc_id].doc_number or new_ids[doc_id].title
        raise ConversionError(f"{path} contains {label} (document {doc_id}), which issue {holder} already holds, "
                              f"so this issue is already in the archive: it would be filed twice, as "
                              f"docs_src/{holder} and docs_src/{new_id}.")

    broken: list[ConversionError] = []
    issues = load_archive(docs_src, broken)
    for error in broken:  # `gazette check` refuses them; adding another issue need not wait for the fix
        print(f"gazette: warning: {error} (not compared with {path})", file=sys.stderr)
    for issue in issues:
        if pdf_sha256 is not None and issue.provenance.get("pdf_sha256") == pdf_sha256:
            raise ConversionError(f"{path} is the same PDF as issue {issue.meta.id} already in the archive "
                                  f"(docs_src/{issue.meta.id}).")
        try:
            existing = issue.read_text()
        except ConversionError as error:
            print(f"gazette: warning: {error} (not compared with {path})", file=sys.stderr)
            continue
        if hashlib.sha256(existing.encode("utf-8")).hexdigest() == digest:
            raise ConversionError(f"{path} is the same source as issue {issue.meta.id} already in the archive: "
                                  f"it would be filed twice, as docs_src/{issue.meta.id} and docs_src/{new_id}.")
        if issue.meta.id in published:
            ids = published[issue.meta.id]
        else:
            try:
                ids = {doc.id for doc in convert_text(existing, str(issue.source.relative_to(root)), issue.meta,
                                                      issue.format, furniture_patterns).documents}
            except Exception:  # a broken issue is `gazette check`'s business, not a duplicate
                continue
        for doc in result.documents:  # the first one in the new issue's order
            if doc.id in ids:
                refuse(doc.id, issue.meta.id)


# A folder being filed: `.add-<pid of the add>-<issue id>-<random>`, renamed into place when complete.
IN_PROGRESS_RE = re.compile(r"^\.add-(\d+)-")
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


class Stopped(BaseException):
    """A signal asked `gazette add` to stop. A BaseException, like KeyboardInterrupt, so that no
    `except Exception` on the way (a converter failure taken as a report) can swallow it."""


class StopOnSignal:
    """While active, SIGTERM, SIGINT and SIGHUP raise Stopped, so that file_issue removes its temporary
    folder on the way out and `gazette add` stops with one sentence; once the issue is filed (`filed`),
    a late signal no longer undoes it and the command finishes."""

    def __init__(self) -> None:
        self.filed = False
        self._previous: dict = {}

    def _stop(self, signum, frame) -> None:
        if not self.filed:
            raise Stopped(signal.Signals(signum).name)

    def __enter__(self) -> "StopOnSignal":
        if threading.current_thread() is threading.main_thread():  # only there can handlers be set
            self._previous = {sig: signal.signal(sig, self._stop) for sig in STOP_SIGNALS}
        return self

    def __exit__(self, *exc) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def remove_stale_folders(docs_src: Path) -> list[str]:
    """Remove the `.add-*` folders of adds whose process is gone (killed before it could clean up);
    an add still running keeps its folder. Returns the names removed."""
    removed = []
    for entry in sorted(docs_src.glob(".add-*")) if docs_src.is_dir() else []:
        match = IN_PROGRESS_RE.match(entry.name)
        if match and _process_alive(int(match.group(1))) and int(match.group(1)) != os.getpid():
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        removed.append(entry.name)
    return removed


def file_issue(root: Path, prepared: Prepared, guard: StopOnSignal | None = None) -> Path:
    """Write docs_src/<id>/ through a temporary folder renamed into place; nothing is left on failure
    or on a signal `guard` turns into an error (SIGKILL leaves the folder: the next add removes it)."""
    docs_src = root / "docs_src"
    created_docs_src = not docs_src.exists()
    target = docs_src / prepared.id
    tmp: Path | None = None
    try:
        docs_src.mkdir(exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".add-{os.getpid()}-{prepared.id}-", dir=docs_src))
        source_file = FORMATS[prepared.format]
        (tmp / source_file).write_bytes(prepared.text.encode("utf-8"))
        write_meta(tmp, prepared.meta, prepared.format, source_file, prepared.provenance)
        os.chmod(tmp, 0o755)
        # the rename and knowing it happened are one step: a signal waits until both are done
        signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        try:
            if target.exists() or target.is_symlink():
                raise ConversionError(f"issue {prepared.id} is already in the archive (docs_src/{prepared.id}).")
            os.rename(tmp, target)
            tmp = None
            if guard is not None:
                guard.filed = True
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    except OSError as exc:
        raise ConversionError(f"could not write docs_src/{prepared.id} "
                              f"({exc.strerror or exc.__class__.__name__}); nothing was added.") from None
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
            if created_docs_src:
                try:
                    docs_src.rmdir()
                except OSError:
                    pass
    return target


def cmd_add(args: argparse.Namespace) -> int:
    from .app import project_root, report

    root = project_root()
    for name in remove_stale_folders(root / "docs_src"):
        print(f"gazette: removed docs_src/{name}, left by an add that was killed", file=sys.stderr)
    try:
        with StopOnSignal() as guard:
            prepared = prepare(root, Path(args.source), args.year, args.number, args.date, args.source_url)
            target = file_issue(root, prepared, guard)
    except Stopped as stop:
        raise ConversionError(f"interrupted ({stop}); nothing was added.") from None
    print(report(prepared.result))
    rel = target.relative_to(root)
    extracted = (f": the text of the {prepared.provenance['pdf_pages']}-page PDF;"
                 if "pdf_sha256" in prepared.provenance else ",")
    print(f"added {rel}/ ({FORMATS[prepared.format]}{extracted} {META_FILE}): "
          f"{len(prepared.result.documents)} documents. "
          f"Check the report above, run `gazette check`, then commit {rel} and open a pull request.")
    return 0
