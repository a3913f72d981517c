"""Rebuilds are byte-identical: every date the build writes comes from the issues, never the clock."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

from converters.site import data
from converters.config import Config
from converters.model import IssueMeta, IssueResult
from projects import ROOT, make_project


def issue(year: int, number: int | None, date: str | None) -> IssueResult:
    meta = IssueMeta(f"{year}-{number:02d}" if number else f"{year}-0000000{year % 10}", year, number, date)
    return IssueResult(meta=meta, source="x", format="pdf-text", documents=[], furniture=[], warnings=[])


def test_feed_dates_come_from_the_issues():
    issues = [issue(2019, 1, "2019-02-01"), issue(2020, None, None), issue(2019, 2, "2019-03-01")]
    feed = data.atom_feed(issues, Config(site_name="公报"), "https://example.org/")
    updated = [line for line in feed.splitlines() if line.startswith("<updated>")]
    # the feed: its latest entry's day; the entries, newest first: an undated issue without signed documents
    # on 1 January of its year
    assert updated == ["<updated>2020-01-01T00:00:00Z</updated>", "<updated>2019-03-01T00:00:00Z</updated>",
                       "<updated>2020-01-01T00:00:00Z</updated>", "<updated>2019-02-01T00:00:00Z</updated>"]
    assert data.build_epoch(issues) == 1577836800  # 2020-01-01T00:00:00Z


def build(project: Path, comparable_site) -> dict[str, str]:
    """The built site's files (as comparable_site gives them, the search index too) by hash."""
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    done = subprocess.run([sys.executable, "-m", "converters.cli", "build"], cwd=project, capture_output=True,
                          text=True, env={**env, "PYTHONPATH": str(ROOT), "GAZETTE_FULL": "1"})
    assert done.returncode == 0, done.stderr[-2000:]
    return {name: hashlib.sha256(content).hexdigest() for name, content in comparable_site(project / "site").items()}


def test_two_builds_write_the_same_bytes(tmp_path, comparable_site):
    project = make_project(tmp_path / "project")
    first = build(project, comparable_site)
    time.sleep(1.1)  # the clock's seconds have changed (sitemap.xml.gz records a time in seconds)
    second = build(project, comparable_site)
    assert {"feed.xml", "sitemap.xml", "sitemap.xml.gz", "zh-Hant/sitemap.xml.gz"} <= set(first)
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
