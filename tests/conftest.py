"""Shared fixtures. Two archives are under test:

- the project's archive (`--project DIR`, default this repository): tests marked `archive` check what
  holds for any archive, whatever issues docs_src/ holds (contract data, anchors in both scripts, links,
  the published snapshot); they use `archive_results` and `archive_site`;
- the seed archive (tests/fixtures/seed_issues/, the three hand-checked seed issues), copied into a
  temporary project: tests of particular documents, numbers and titles use `seed_project`,
  `seed_results` and `seed_site`, so adding an issue to docs_src/ changes none of them.

Each site is built once per session by the real `gazette build`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import settings

# Property tests: 300 examples each in `make test` (CI), 40 in `make test-fast` (the quick loop), the
# library's 100 otherwise; a test that names its own max_examples (a slow example) keeps it.
settings.register_profile("thorough", max_examples=300)
settings.register_profile("fast", max_examples=40)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED_ISSUES = FIXTURES / "seed_issues"
# The seed issues as received, and the issue folders they were filed under.
SEED_FOLDERS = {
    "000_d7844589bb6c7d81.txt": "2019-d73dbd3f",
    "001_aa69b1d74ff68965.txt": "2020-acb6513f",
    "003_3515017dfffcedc6.txt": "2018-16",
}


def pytest_addoption(parser):
    parser.addoption("--project", type=Path, default=ROOT,
                     help="project folder whose archive the tests marked `archive` check (default: this repository)")


# Tests that build a site or run whole builds in subprocesses: `make test-fast` leaves them out.
SLOW_MODULES = {"test_bench", "test_interrupt", "test_rebuild", "test_new_issue", "test_pdf"}


def pytest_collection_modifyitems(config, items):
    """Mark `slow` every test that needs a built site (a fixture named site or *_site), drives a browser,
    or is in SLOW_MODULES."""
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if item.module.__name__ in SLOW_MODULES or any(name == "site" or name.endswith("_site") for name in fixtures) \
                or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)


def copy_seed_project(folder: Path, issues: list[str] | None = None) -> Path:
    """A project in `folder` (created if needed): this project's settings and theme, and `issues` of the
    seed archive (all by default) as its docs_src/. Returns `folder`."""
    from converters.bench.synthetic import COPIED

    folder.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, folder / name)
        else:
            shutil.copy2(src, folder / name)
    for issue in issues if issues is not None else seed_issue_ids():
        shutil.copytree(SEED_ISSUES / issue, folder / "docs_src" / issue)
    return folder


def seed_issue_ids() -> list[str]:
    return sorted(p.name for p in SEED_ISSUES.iterdir() if p.is_dir())


def build(project: Path, full: bool = True) -> str:
    """`gazette build` in `project` (a full build when `full`: what a clean clone makes, whatever an
    earlier run left in build/); fails the test with the build's output. Returns that output."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GAZETTE_FULL": "1" if full else ""}
    result = subprocess.run([sys.executable, "-m", "converters.cli", "build"], cwd=project,
                            capture_output=True, text=True, env=env)
    if result.returncode != 0:
        pytest.fail(f"gazette build in {project} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout + result.stderr


@pytest.fixture(scope="session")
def expected() -> dict:
    return json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))


# ---------------------------------------------------------------- the project's archive (--project)

@pytest.fixture(scope="session")
def project(request) -> Path:
    """The project whose archive the `archive` tests check."""
    folder = request.config.getoption("project").resolve()
    if not (folder / "docs_src").is_dir():
        pytest.fail(f"--project {folder}: no docs_src/ there")
    return folder


@pytest.fixture(scope="session")
def archive_results(project):
    """Every issue of the project's docs_src converted (no site build)."""
    from converters.app import convert_archive

    return convert_archive(project, progress=False)


@pytest.fixture(scope="session")
def archive_site(project) -> Path:
    """The project's site as `make site` builds it."""
    build(project)
    return project / "site"


# ---------------------------------------------------------------- the seed archive

@pytest.fixture(scope="session")
def seed_project(tmp_path_factory) -> Path:
    """A project holding the seed archive, with its published snapshot (as `gazette snapshot` writes
    it). Tests that change it work on a copy."""
    from converters.anchors_check import current_entry, write_snapshot
    from converters.app import convert_archive

    folder = copy_seed_project(tmp_path_factory.mktemp("seed") / "project")
    write_snapshot(folder, [current_entry(d) for r in convert_archive(folder, progress=False) for d in r.documents])
    return folder


@pytest.fixture(scope="session")
def seed_results(seed_project):
    """Every seed issue converted (no site build): {issue id: IssueResult}."""
    from converters.app import convert_archive

    return {r.meta.id: r for r in convert_archive(seed_project, progress=False)}


@pytest.fixture(scope="session")
def seed_site(seed_project) -> Path:
    """The seed archive's site, as `make site` builds it."""
    build(seed_project)
    return seed_project / "site"


CHROMIUM = shutil.which("chromium")  # the system package (make browser), never a downloaded browser
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def is_local(url: str) -> bool:
    """A URL the test server answers (or one that needs no network at all)."""
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or (parts.scheme in ("http", "https")
                                                         and parts.hostname in LOCAL_HOSTS)


class WatchedBrowser:
    """The browser for one test, every request of its pages watched: one that fails (no answer, or an
    HTTP status of 400 or more) or that goes anywhere but the local test server is a problem."""

    def __init__(self, browser) -> None:
        self._browser = browser
        self.problems: list[str] = []

    def _watch(self, context):
        def answered(response):
            if response.status >= 400:
                self.problems.append(f"HTTP {response.status}: {response.url}")

        def failed(request):
            # ERR_ABORTED: the browser itself dropped it (the page navigated or closed before the answer)
            if request.failure != "net::ERR_ABORTED":
                self.problems.append(f"failed ({request.failure}): {request.url}")

        context.on("request", lambda r: is_local(r.url) or self.problems.append(f"not local: {r.url}"))
        context.on("requestfailed", failed)
        context.on("response", answered)
        return context

    def new_context(self, **options):
        return self._watch(self._browser.new_context(**options))

    def new_page(self, **options):
        page = self._browser.new_page(**options)
        self._watch(page.context)
        return page


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM:
        if os.environ.get("GAZETTE_REQUIRE_BROWSER"):  # set by `make test`: skipping would hide them
            pytest.fail("system Chromium not found on PATH although `make browser` ran")
        pytest.skip("system Chromium not installed (make browser)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def browser(chromium):
    """The system Chromium, for one test that fails if a page made a failed or non-local request."""
    watched = WatchedBrowser(chromium)
    yield watched
    assert not watched.problems, "requests that failed or left the local server:\n" + "\n".join(watched.problems[:20])


def _comparable_site(site: Path) -> dict[str, bytes]:
    """A built site's files by their path in it, as two builds of the same archive must agree on them:
    byte for byte, the search index too (site/search.py writes it in a fixed order)."""
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def comparable_site():
    """_comparable_site, for tests that compare two builds."""
    return _comparable_site
