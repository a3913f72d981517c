"""Worker processes that end with the process that started them.

A build killed outright (SIGKILL, an OOM kill, a CI job cancelled) must not leave its worker processes
converting or indexing on their own, holding memory and rewriting build/ under the next build. On
Linux each worker asks the kernel to kill it when its parent ends (prctl PR_SET_PDEATHSIG); elsewhere
the workers end when their pool notices its parent is gone, as ProcessPoolExecutor's do.

The kernel sends the signal when the *thread* that started the worker ends: pools are created and
used from the main thread (ProcessPoolExecutor starts its workers from the thread that submits).
"""

from __future__ import annotations

import ctypes
import functools
import os
import signal
import sys
from concurrent.futures import ProcessPoolExecutor

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent(parent: int) -> None:
    """In a child process: be killed when the parent ends; exit at once if `parent` has already ended
    (it may have been killed before this ran)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    try:
        os.kill(parent, 0)
    except ProcessLookupError:
        os._exit(1)
    except PermissionError:  # a process of another user took its number: the parent is gone
        os._exit(1)


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """A process pool whose workers end with this process."""
    return ProcessPoolExecutor(workers, initializer=die_with_parent, initargs=(os.getpid(),))


def child_setup():
    """For subprocess.run(preexec_fn=…): the child (and the program it runs) ends with this process."""
    return functools.partial(die_with_parent, os.getpid())
