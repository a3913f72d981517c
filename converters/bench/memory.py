"""Time and peak memory of each build stage: the PSS of the build and its worker processes, sampled."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from pathlib import Path

def _proc_field_kb(pid: int, filename: str, field: str) -> int | None:
    try:
        with open(f"/proc/{pid}/{filename}", encoding="ascii") as f:
            for line in f:
                if line.startswith(field):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _pss_kb(pid: int) -> int:
    """Proportional memory of a process (shared pages split among sharers), else its RSS."""
    return _proc_field_kb(pid, "smaps_rollup", "Pss:") or _proc_field_kb(pid, "status", "VmRSS:") or 0


def _tree(pid: int) -> list[int]:
    """pid and its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children.get(p, [])
    return out


class Recorder:
    """Times each stage and samples the memory (PSS, KB) of this process and its children."""

    def __init__(self, interval: float = 0.2) -> None:
        self.stages: dict[str, dict] = {}
        self.current: str | None = None
        self.peak_kb = 0
        self._stop = threading.Event()
        self._interval = interval
        self._linux = Path("/proc/self/smaps_rollup").exists() or Path("/proc/self/status").exists()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self):
        if self._linux:
            self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        if self._linux:
            self._thread.join()

    def _sample(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            kb = sum(_pss_kb(p) for p in _tree(me))
            self.peak_kb = max(self.peak_kb, kb)
            if self.current:
                s = self.stages[self.current]
                s["peak_kb"] = max(s["peak_kb"], kb)
            self._stop.wait(self._interval)

    @contextlib.contextmanager
    def stage(self, name: str):
        s = self.stages.setdefault(name, {"seconds": 0.0, "peak_kb": 0})
        self.current = name
        started = time.perf_counter()
        try:
            yield
        finally:
            s["seconds"] += time.perf_counter() - started
            if not self._linux:  # no sampling: the peak so far of the process and its children
                import resource

                s["peak_kb"] = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                                   resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
            self.current = None
