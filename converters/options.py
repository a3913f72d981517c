"""Run options of a build, passed explicitly from the command line to the stages that use them."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field


def default_jobs() -> int:
    return max(1, os.cpu_count() or 1)


ENGINES = ("mkdocs", "properdocs")  # MkDocs 1.6, or ProperDocs, the maintained fork of MkDocs 1.x


def command_line_options(full: bool = False, jobs: int = 0, engine: str = "mkdocs",
                         environ: Mapping[str, str] | None = None) -> "BuildOptions":
    """The options of a command (`gazette build`, `gazette bench`): its arguments, else the environment's
    GAZETTE_FULL and GAZETTE_JOBS (how the workflows set them), else the defaults. Read by the command
    line only; the stages are given the result."""
    environ = os.environ if environ is None else environ
    full = full or environ.get("GAZETTE_FULL", "") not in ("", "0")
    env_jobs = environ.get("GAZETTE_JOBS", "").strip()
    jobs = jobs or (int(env_jobs) if env_jobs.isdigit() else 0) or default_jobs()
    return BuildOptions(full=full, jobs=max(1, jobs), engine=engine)


@dataclass(frozen=True)
class BuildOptions:
    full: bool = False  # rebuild the site: reuse no Traditional page, MkDocs page or search index
    jobs: int = field(default_factory=default_jobs)  # worker processes (1: everything in this process)
    engine: str = "mkdocs"  # one of ENGINES
