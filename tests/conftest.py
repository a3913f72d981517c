"""Shared fixtures. The built site is made once per session by the real `gazette build`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The seed issues as received, and the issue folders they were filed under.
SEED_FOLDERS = {
    "000_d7844589bb6c7d81.txt": "2019-d73dbd3f",
    "001_aa69b1d74ff68965.txt": "2020-acb6513f",
    "003_3515017dfffcedc6.txt": "2018-16",
}


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def expected() -> dict:
    return json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def converted():
    """Every issue of docs_src converted (no site build): {issue id: IssueResult}."""
    from converters.cli import convert_archive

    return {r.meta.id: r for r in convert_archive(ROOT, progress=False)}


@pytest.fixture(scope="session")
def built_site() -> Path:
    """The site as `make site` builds it, built once per test session."""
    # a full build (GAZETTE_FULL): what a clean clone makes, whatever an earlier run left in build/
    result = subprocess.run([sys.executable, "-m", "converters.cli", "build"], cwd=ROOT,
                            capture_output=True, text=True, env={**os.environ, "GAZETTE_FULL": "1"})
    if result.returncode != 0:
        pytest.fail(f"gazette build failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return ROOT / "site"


CHROMIUM = shutil.which("chromium")  # the system package (make browser), never a downloaded browser
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        if os.environ.get("GAZETTE_REQUIRE_BROWSER"):  # set by `make test`: skipping would hide them
            pytest.fail("system Chromium not found on PATH although `make browser` ran")
        pytest.skip("system Chromium not installed (make browser)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _comparable_site(site: Path) -> dict[str, bytes]:
    """A built site's files as a cold and an incremental build must agree on them. Pagefind writes a
    filter's values (search_view.py: year, category, issuer) in the order of a hash map seeded at random
    in each run, so a filter file is compared by its unpacked bytes in sorted order, under a name of its
    own; the meta and entry that name the filter files by their hash are left out (their other contents
    are the index chunks' and fragments' names, compared as files)."""
    import gzip
    import hashlib

    files: dict[str, bytes] = {}
    for p in sorted(site.rglob("*")):
        if not p.is_file():
            continue
        rel = p.relative_to(site).as_posix()
        if p.suffix == ".pf_filter":
            content = bytes(sorted(gzip.decompress(p.read_bytes())))
            files[f"{p.parent.relative_to(site).as_posix()}/filter #{hashlib.sha256(content).hexdigest()}"] = content
        elif p.suffix != ".pf_meta" and p.name != "pagefind-entry.json":
            files[rel] = p.read_bytes()
    return files


@pytest.fixture(scope="session")
def comparable_site():
    """_comparable_site, for tests that compare two builds."""
    return _comparable_site
