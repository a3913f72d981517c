"""Interrupted work leaves nothing behind: a `gazette add` stopped by a signal or killed leaves no
`docs_src/.add-*` folder for good, two builds of one project cannot interleave, and killing a build's
main process leaves no worker process running. Real subprocesses throughout."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from converters.cli import main
from projects import CONTENTS, NOTICE, ROOT, make_project, tree

# `gazette add` in a subprocess whose filing stops half-way (after issue.yml is written into the
# temporary folder) and says so, so that a test can signal it at that point.
SLOW_ADD = textwrap.dedent("""
    import sys, time
    import converters.add as add
    real = add.write_meta
    def write_meta(*args):
        real(*args)
        print("filing", flush=True)
        time.sleep(60)
    add.write_meta = write_meta
    from converters.cli import main
    sys.exit(main(sys.argv[1:]))
""")


def start_slow_add(project: Path, *args: str) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", SLOW_ADD, "add", *args], cwd=project, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout.readline().strip() == "filing"
    assert [p.name for p in (project / "docs_src").glob(".add-*")], "the add is filing"
    return proc


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    root = make_project(tmp_path / "project")
    shutil.copy(CONTENTS, root / "new.md")
    monkeypatch.chdir(root)
    return root


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_a_signalled_add_removes_its_folder(project, sig):
    before = tree(project / "docs_src")
    proc = start_slow_add(project, "new.md", "--year", "2032", "--number", "3")
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 1
    assert err == f"gazette: error: interrupted ({sig.name}); nothing was added.\n"
    assert tree(project / "docs_src") == before


def test_a_killed_adds_folder_is_removed_by_the_next_add(project, capsys):
    before = tree(project / "docs_src")
    proc = start_slow_add(project, "new.md", "--year", "2032", "--number", "3")
    proc.kill()
    proc.wait(timeout=30)
    left = [p.name for p in (project / "docs_src").glob(".add-*")]
    assert len(left) == 1 and tree(project / "docs_src") != before
    assert main(["add", "new.md", "--year", "2032", "--number", "3"]) == 0
    _, err = capsys.readouterr()
    assert f"removed docs_src/{left[0]}, left by an add that was killed" in err
    assert not list((project / "docs_src").glob(".add-*"))
    assert (project / "docs_src" / "2032-03" / "source.md").read_bytes() == CONTENTS.read_bytes()


def test_a_running_adds_folder_is_kept(project, capsys):
    proc = start_slow_add(project, "new.md", "--year", "2032", "--number", "3")
    try:
        shutil.copy(NOTICE.with_name("cell_per_line_table.pdf-text.in"), project / "other.txt")
        assert main(["add", "other.txt", "--year", "2033", "--number", "4"]) == 0
        assert len(list((project / "docs_src").glob(f".add-{proc.pid}-*"))) == 1
    finally:
        proc.kill()
        proc.wait(timeout=30)
