"""Run options of a build, passed explicitly from the command line to the stages that use them."""

from __future__ import annotations

import os
from dataclasses import dataclass, field


def default_jobs() -> int:
    return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class BuildOptions:
    full: bool = False  # rebuild the site: reuse no Traditional page, MkDocs page or search index
    jobs: int = field(default_factory=default_jobs)  # worker processes (1: everything in this process)
