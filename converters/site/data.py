"""The data a reader or a program downloads: site/api/ (the contract's JSON and CSV) and feed.xml."""

from __future__ import annotations

import html
import json
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from ..config import Config
from ..model import Document, IssueResult
from .common import write_tree
from .labels import document_label, issue_label
from .memo import PageMemo
from .statistics import statistics_csv

# api/ JSON without indentation or spaces after separators (readers parse it; −11 % of api/docs/*.json)
COMPACT = (",", ":")


def write_data(site: Path, data: dict, config: Config, memo: PageMemo | None = None) -> None:
    """site/api/ and site/feed.xml. With `memo` (an incremental build), a document's file whose inputs
    (the document and the statuses given to it) are the last build's is kept as it is; every other file
    is written when its text changed, and a file no longer made is removed."""
    api = site / "api"
    docs: list[Document] = data["docs"]
    kept: set[str] = set()
    for d in docs:
        if memo is not None:
            name = f"docs/{d.id}.json"
            key = memo.key("api", d, data["links"].statuses.get(d.doc_number or "", []))
            if memo.kept(f"api/{name}", key, folders=(site,)):
                kept.add(name)
            else:
                memo.record(f"api/{name}", key)

    def files():
        for d in docs:
            if f"docs/{d.id}.json" in kept:
                continue
            full = d.as_json()
            statuses = data["links"].statuses.get(d.doc_number or "", [])
            if statuses:
                full["status"] = [st.as_json() for st in statuses]
            yield f"docs/{d.id}.json", json.dumps(full, ensure_ascii=False, separators=COMPACT)
        yield "documents.json", json.dumps([d.summary() for d in docs], ensure_ascii=False, separators=COMPACT)
        yield "issues.json", json.dumps(
            [{**r.meta.as_json(), "url": r.meta.url, "documents": [d.id for d in r.documents]}
             for r in data["issues"]], ensure_ascii=False, separators=COMPACT)
        status = {n: [s.as_json() for s in v] for n, v in data["links"].statuses.items()}
        yield "status.json", json.dumps(status, ensure_ascii=False, separators=COMPACT)
        yield "statistics.csv", statistics_csv(data["stats"])

    write_tree(api, files(), keep=kept)
    (site / "feed.xml").write_text(atom_feed(data["issues"], config, data["site_url"]), encoding="utf-8")


FEED_ISSUES = 50  # the latest issues, as feeds do: a reader polls it, the archive is on the site


def issue_updated(result: IssueResult) -> str:
    """An issue's date for the feed, from what it prints, never the clock: its publication date, else
    the latest date a document of it was signed, else the first day of its year."""
    dates = [d.date for d in result.documents if d.date]
    return f"{result.meta.date or max(dates, default=f'{result.meta.year}-01-01')}T00:00:00Z"


def build_epoch(issues: list[IssueResult]) -> int:
    """The time the build's products are dated by (MkDocs' sitemaps, through SOURCE_DATE_EPOCH): the
    latest issue's day, so that a rebuild writes the same bytes whatever the clock says."""
    from datetime import datetime

    day = max((issue_updated(r) for r in issues), default="1970-01-01T00:00:00Z")
    return int(datetime.fromisoformat(day.replace("Z", "+00:00")).timestamp())


def atom_feed(issues: list[IssueResult], config: Config, site_url: str) -> str:
    """The latest FEED_ISSUES issues as an Atom feed; the same archive gives the same bytes."""
    entries = list(reversed(issues))[:FEED_ISSUES]
    updated = max((issue_updated(r) for r in entries), default="1970-01-01T00:00:00Z")
    base = site_url or "./"
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<feed xmlns="http://www.w3.org/2005/Atom">',
           f"<title>{xml_escape(config.site_name)}</title>",
           f'<link href="{xml_escape(base)}"/>',
           f'<link rel="self" href="{xml_escape(base)}feed.xml"/>',
           f"<id>{xml_escape(base)}</id>", f"<updated>{updated}</updated>"]
    for r in entries:
        url = base + r.meta.url
        # each document linked (the content is HTML, escaped once more as the feed's text)
        titles = "".join(f'<li><a href="{html.escape(base + d.url)}">{html.escape(document_label(d))}</a></li>'
                         for d in sorted(r.documents, key=lambda d: d.order))
        out += ["<entry>", f"<title>{xml_escape(issue_label(r.meta))}</title>", f'<link href="{xml_escape(url)}"/>',
                f"<id>{xml_escape(url)}</id>", f"<updated>{issue_updated(r)}</updated>",
                f'<content type="html">{xml_escape("<ul>" + titles + "</ul>")}</content>', "</entry>"]
    out.append("</feed>")
    return "\n".join(out) + "\n"
