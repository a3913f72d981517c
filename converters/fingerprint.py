"""One way to say "what a thing was made of": every stamp and cache key of the build is a fingerprint.

A stamp written beside a build product says which inputs made it; the next build compares fingerprints
to decide whether the product can be reused. Keeping one function means every stamp hashes the same
way (paths with their bytes, versions by name) and a new input is added in one obvious place.
"""

from __future__ import annotations

import hashlib
import json
import importlib.metadata
from pathlib import Path


def package_version(name: str) -> str:
    """An installed package's version (looked up each time: the callers' stamps are computed once a build)."""
    return importlib.metadata.version(name)


def fingerprint(*parts: object) -> str:
    """SHA-256 (hex) over `parts`, in order: bytes as they are, a str as UTF-8, a Path as its POSIX
    path and its bytes (a missing file as its path alone), anything else as canonical JSON."""
    h = hashlib.sha256()
    for part in parts:
        if isinstance(part, bytes):
            data = part
        elif isinstance(part, str):
            data = part.encode("utf-8")
        elif isinstance(part, Path):
            data = part.as_posix().encode("utf-8") + b"\0" + (part.read_bytes() if part.is_file() else b"")
        else:
            data = json.dumps(part, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")
        h.update(len(data).to_bytes(8, "big") + data)
    return h.hexdigest()
