"""The data the Traditional variant is made with: the profiles allowed, the overrides, the character sets.

Input: a profile name, `converters/data/variant_overrides.tsv` and OpenCC's dictionaries; output: the
checked profile (`check_profile`: a phrase or unknown profile is a VariantError), the overrides that apply
to a profile (`read_overrides`, `load_overrides`: a bad entry is a VariantError naming its line), and the
profile's Simplified-only and Traditional-only characters (`charset`, read from
`converters/data/variant_charsets.tsv`, which `write_charsets` generates). What the overrides and the
character sets are for: see variant.py.
"""

from __future__ import annotations

import functools
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import opencc

PROFILES = ("s2tw", "s2t", "s2hk")
DATA = Path(__file__).resolve().parent / "data"
OVERRIDES_PATH = DATA / "variant_overrides.tsv"
CHARSETS_PATH = DATA / "variant_charsets.tsv"


class VariantError(ValueError):
    """An unknown or refused OpenCC profile, or a malformed override file."""


def check_profile(profile: str) -> str:
    if not isinstance(profile, str):
        raise VariantError(f"variant profile must be a string, not {type(profile).__name__}")
    name = profile.removesuffix(".json")
    if name in PROFILES:
        return name
    if name.endswith("p") and name[:-1] in PROFILES + ("s2tw", "s2hk"):
        raise VariantError(
            f"variant profile '{name}' is a phrase profile and is refused: it rewrites vocabulary "
            f"(数据 -> 資料, 信息 -> 資訊) and so changes legal terms; use one of {', '.join(PROFILES)}")
    raise VariantError(f"unknown variant profile '{name}'; use one of {', '.join(PROFILES)} "
                       f"(Simplified -> Traditional, characters only)")


@dataclass(frozen=True)
class Override:
    simplified: str
    traditional: str
    profiles: tuple[str, ...]  # empty: every profile
    lineno: int


def read_overrides(path: Path = OVERRIDES_PATH) -> list[Override]:
    """Every entry of the override file; raises VariantError naming the line on a bad entry."""
    entries: list[Override] = []
    if not path.exists():
        return entries
    seen: dict[tuple[str, str], int] = {}
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        fields = [f.strip() for f in line.split("\t")]
        where = f"{path.name}:{lineno}"
        if len(fields) not in (2, 3) or not fields[0] or not fields[1]:
            raise VariantError(f"{where}: expected 'simplified<TAB>traditional[<TAB>profiles]'")
        simp, trad = fields[0], fields[1]
        if len(simp) != len(trad):
            raise VariantError(f"{where}: '{simp}' and '{trad}' must have the same number of characters")
        profiles = tuple(p.strip() for p in fields[2].split(",") if p.strip()) if len(fields) == 3 else ()
        for p in profiles:
            if p not in PROFILES:
                raise VariantError(f"{where}: unknown profile '{p}' (known: {', '.join(PROFILES)})")
        for p in profiles or PROFILES:
            if (simp, p) in seen:
                raise VariantError(f"{where}: '{simp}' already overridden for {p} on line {seen[(simp, p)]}")
            seen[(simp, p)] = lineno
        entries.append(Override(simp, trad, profiles, lineno))
    return entries


def load_overrides(profile: str, path: Path = OVERRIDES_PATH) -> dict[str, str]:
    profile = check_profile(profile)
    return {o.simplified: o.traditional for o in read_overrides(path) if not o.profiles or profile in o.profiles}


def _opencc_share() -> Path:
    return Path(opencc.__file__).resolve().parent / "clib" / "share" / "opencc"


def _dump_dict(name: str) -> dict[str, list[str]]:
    """An OpenCC .ocd2 dictionary as {key: [values]}, through the opencc_dict tool of the wheel."""
    tool = Path(opencc.__file__).resolve().parent / "clib" / "bin" / "opencc_dict"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"{name}.txt"
        subprocess.run([str(tool), "-i", str(_opencc_share() / f"{name}.ocd2"), "-o", str(out),
                        "-f", "ocd2", "-t", "text"], check=True, capture_output=True)
        result = {}
        for line in out.read_text(encoding="utf-8").splitlines():
            key, _, values = line.partition("\t")
            result[key] = values.split(" ")
        return result


CHARSET_KINDS = ("simplified-only", "traditional-only")


def compute_charsets(profile: str) -> dict[str, str]:
    """The profile's Simplified-only and Traditional-only characters, from OpenCC's dictionaries.

    Simplified-only: keys of OpenCC's Simplified->Traditional dictionaries that no conversion of the
    profile ever outputs (发, 们); the profile always changes them. Traditional-only: characters the
    profile outputs that are never a Simplified key (後, 於). Characters that are both (准 in 批准 /
    标准, 面 in 面积 / 面条) are in neither. Needs the `opencc_dict` tool of the opencc wheel; used to
    (re)generate variant_charsets.tsv and by the test that checks the file is current.
    """
    profile = check_profile(profile)
    cc = opencc.OpenCC(f"{profile}.json")
    second = {"s2tw": "t2tw", "s2hk": "t2hk"}.get(profile)
    stage2 = opencc.OpenCC(f"{second}.json") if second else None
    keys: set[str] = set()
    outputs: set[str] = set()
    for name in ("STCharacters", "STPhrases", "STPhrases_GeneratedFromRegionalPhrases"):
        for key, values in _dump_dict(name).items():
            keys.update(key)
            for value in values:
                outputs.update(stage2.convert(value) if stage2 else value)
    outputs.update("".join(load_overrides(profile).values()))
    keys.update("".join(load_overrides(profile)))
    return {
        "simplified-only": "".join(sorted(c for c in keys - outputs if cc.convert(c) != c)),
        "traditional-only": "".join(sorted(c for c in outputs - keys if cc.convert(c) == c)),
    }


@functools.cache
def charset(profile: str, kind: str) -> frozenset[str]:
    """One of the profile's character sets (CHARSET_KINDS), from variant_charsets.tsv (or OpenCC)."""
    profile = check_profile(profile)
    if kind not in CHARSET_KINDS:
        raise ValueError(f"unknown character set '{kind}' (known: {', '.join(CHARSET_KINDS)})")
    if CHARSETS_PATH.exists():
        for line in CHARSETS_PATH.read_text(encoding="utf-8").splitlines():
            fields = line.split("\t")
            if not line.startswith("#") and len(fields) == 3 and fields[:2] == [profile, kind]:
                return frozenset(fields[2])
    return frozenset(compute_charsets(profile)[kind])


def write_charsets(path: Path | None = None) -> Path:
    path = path or CHARSETS_PATH
    lines = [f"# Generated by `python -m converters.variant --charsets` from OpenCC {opencc.__version__}"
             " and variant_overrides.tsv: do not edit.",
             "# profile<TAB>kind<TAB>characters; see converters/variant_data.py, compute_charsets()."]
    for p in PROFILES:
        sets = compute_charsets(p)
        lines += [f"{p}\t{kind}\t{sets[kind]}" for kind in CHARSET_KINDS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path

