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
    from converters.app import convert_archive

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
