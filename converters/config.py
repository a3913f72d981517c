"""Typed project settings from gazette.yml, validated with errors that name the key."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import ConfigError  # noqa: F401  (re-exported for callers of load_config)

VARIANTS = ("s2tw", "s2t", "s2hk")


@dataclass(frozen=True)
class Config:
    site_name: str = "连云港市人民政府公报"
    site_url: str = ""
    # the source repository (https): the about page and each document link its sources and the issue form
    repo_url: str = ""
    variant: str = "s2tw"
    furniture_patterns: tuple[re.Pattern, ...] = field(default_factory=tuple)


def _string(data: dict, key: str, default: str, where: str) -> str:
    value = data.get(key, default)
    if not isinstance(value, str):
        raise ConfigError(f"{where}: '{key}' must be a string, not {type(value).__name__}")
    return value


def load_config(path: Path) -> Config:
    where = str(path)
    if not path.exists():
        return Config()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{where}: not valid YAML ({exc.__class__.__name__})") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected a mapping of settings")
    known = {"site_name", "site_url", "repo_url", "variant", "furniture_patterns"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(f"{where}: unknown key '{unknown[0]}' (known: {', '.join(sorted(known))})")
    variant = _string(data, "variant", "s2tw", where)
    if variant not in VARIANTS:
        raise ConfigError(f"{where}: 'variant' must be one of {', '.join(VARIANTS)} "
                          f"(phrase profiles such as s2twp rewrite legal terms), not '{variant}'")
    patterns = data.get("furniture_patterns", []) or []
    if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
        raise ConfigError(f"{where}: 'furniture_patterns' must be a list of strings")
    compiled = []
    for n, pattern in enumerate(patterns):
        try:
            compiled.append(re.compile(pattern))
        except re.error as exc:
            raise ConfigError(f"{where}: 'furniture_patterns[{n}]' is not a valid regex ({exc})") from None
    repo_url = _string(data, "repo_url", "", where).rstrip("/")
    if repo_url and not re.fullmatch(r"https://[^\s/?#]+/[^\s?#]+", repo_url):
        raise ConfigError(f"{where}: 'repo_url' must be the repository's https:// address, not '{repo_url}'")
    return Config(
        repo_url=repo_url,
        site_name=_string(data, "site_name", Config.site_name, where),
        site_url=_string(data, "site_url", "", where),
        variant=variant,
        furniture_patterns=tuple(compiled),
    )
