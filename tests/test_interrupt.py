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

# `gazette add` in a subprocess that stops at `converters.add.<where>` (writing issue.yml into the
# temporary folder, or converting an issue of the archive to compare with) and says so, so that a test
# can signal it at that point.
SLOW_ADD = textwrap.dedent("""
    import sys, time
    import converters.add as add
    where = sys.argv.pop(1)
    real = getattr(add, where)
    def slow(*args):
        result = real(*args)
        print(where, flush=True)
        time.sleep(60)
        return result
    setattr(add, where, slow)
    from converters.cli import main
    sys.exit(main(sys.argv[1:]))
""")


def start_slow_add(project: Path, *args: str, where: str = "write_meta") -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", SLOW_ADD, where, "add", *args], cwd=project, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout.readline().strip() == where
    if where == "write_meta":
        assert [p.name for p in (project / "docs_src").glob(".add-*")], "the add is filing"
    return proc


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    root = make_project(tmp_path / "project")
    shutil.copy(CONTENTS, root / "new.md")
    monkeypatch.chdir(root)
    return root


@pytest.mark.parametrize("sig,where", [(signal.SIGTERM, "write_meta"), (signal.SIGINT, "write_meta"),
                                       (signal.SIGHUP, "write_meta"), (signal.SIGTERM, "convert_text")])
def test_a_signalled_add_removes_its_folder(project, sig, where):
    before = tree(project / "docs_src")
    proc = start_slow_add(project, "new.md", "--year", "2032", "--number", "3", where=where)
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


# --- processes ------------------------------------------------------------------------------------

def children(pid: int) -> set[int]:
    """The live (not zombie) processes whose parent is `pid`."""
    out = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            out.add(int(stat.parent.name))
    return out


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


def all_gone(pids: set[int], within: float = 3) -> set[int]:
    """The pids still alive after `within` seconds (none, when they all ended); those are then killed,
    so that a failing test leaves nothing running either."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline and any(alive(p) for p in pids):
        time.sleep(0.05)
    survivors = {p for p in pids if alive(p)}
    for pid in survivors:
        os.kill(pid, signal.SIGKILL)
    return survivors


def lock_held(path: Path) -> bool:
    """Whether some process holds an flock on `path` (from /proc/locks, without taking it)."""
    if not path.exists():
        return False
    inode = path.stat().st_ino
    return any(line.split()[1] == "FLOCK" and line.split()[5].endswith(f":{inode}")
               for line in Path("/proc/locks").read_text().splitlines())


POOL = textwrap.dedent("""
    import sys, time
    from converters.workers import worker_pool, child_setup
    import subprocess
    pool = worker_pool(2)
    futures = [pool.submit(time.sleep, 120) for _ in range(2)]
    time.sleep(0.5)
    child = subprocess.Popen(["sleep", "120"], preexec_fn=child_setup())
    print(" ".join(str(p) for p in [*pool._processes, child.pid]), flush=True)
    time.sleep(120)
""")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_killing_the_main_process_ends_its_workers(sig):
    proc = subprocess.Popen([sys.executable, "-c", POOL], text=True, stdout=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    workers = {int(p) for p in proc.stdout.readline().split()}
    assert len(workers) == 3 and all(alive(p) for p in workers)
    proc.send_signal(sig)
    proc.wait(timeout=30)
    assert all_gone(workers) == set()


def test_every_pool_and_child_of_the_package_ends_with_it():
    """The package starts workers only through converters.workers (checked on its source)."""
    import ast

    for path in sorted((ROOT / "converters").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = ast.unparse(node.func)
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            if name.endswith(("ProcessPoolExecutor", "multiprocessing.Pool", "Process")):
                assert path.name == "workers.py", f"{where}: start worker processes with workers.worker_pool"
            if name in ("subprocess.run", "subprocess.Popen") and path.name != "variant_data.py":
                # (variant_data.py runs OpenCC's dictionary tool for a moment, only when making its data files)
                assert any(k.arg == "preexec_fn" for k in node.keywords), f"{where}: pass preexec_fn=child_setup()"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    return make_project(tmp_path_factory.mktemp("tiny") / "project")


def start_build(project: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "converters.cli", "build"], cwd=project, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(ROOT), "GAZETTE_JOBS": "2", "GAZETTE_FULL": "1"})


def test_a_second_build_is_refused_while_one_runs(tiny):
    first = start_build(tiny)
    deadline = time.monotonic() + 60
    while not lock_held(tiny / "build" / ".lock"):
        assert first.poll() is None and time.monotonic() < deadline, first.communicate()
        time.sleep(0.02)
    second = subprocess.run([sys.executable, "-m", "converters.cli", "build"], cwd=tiny, text=True,
                            capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert second.returncode == 1
    assert second.stderr == (f"gazette: error: {tiny / 'build' / '.lock'}: another build of this project is "
                             f"running; build again when it has finished.\n")
    out, err = first.communicate(timeout=600)
    assert first.returncode == 0, err[-2000:]
    hans = {p.relative_to(tiny / "site").as_posix() for p in (tiny / "site").rglob("*.html")
            if not p.relative_to(tiny / "site").as_posix().startswith("zh-Hant/")}
    hant = {p.relative_to(tiny / "site" / "zh-Hant").as_posix() for p in (tiny / "site" / "zh-Hant").rglob("*.html")}
    assert hans and hans == hant
    assert not lock_held(tiny / "build" / ".lock")


def test_a_build_is_refused_while_another_process_holds_the_lock(tiny, monkeypatch, capsys):
    """Nothing is written to site/ by the refused build."""
    import fcntl

    monkeypatch.chdir(tiny)
    (tiny / "build").mkdir(exist_ok=True)
    with open(tiny / "build" / ".lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        before = tree(tiny / "site")
        assert main(["build"]) == 1
        assert "another build of this project is running" in capsys.readouterr().err
        assert tree(tiny / "site") == before


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_a_killed_build_leaves_no_process(tiny):
    """A real `gazette build` killed while its two MkDocs workers run: they end with it."""
    build = start_build(tiny)
    seen: set[int] = set()
    deadline = time.monotonic() + 120
    while not seen:
        assert build.poll() is None and time.monotonic() < deadline, build.communicate()
        seen = children(build.pid)
        time.sleep(0.02)
    time.sleep(0.3)  # let the pool start both workers
    seen |= children(build.pid)
    descendants = seen | {c for p in seen for c in children(p)}
    build.kill()
    build.wait(timeout=30)
    assert all_gone(descendants) == set()
    assert not lock_held(tiny / "build" / ".lock")
