"""The synthetic archive: copies of the sample issues with consistently rewritten sources (see the
package docstring)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

from ..archive import issue_id, load_archive, write_meta
from ..citations import NUMBER_TAIL_RE, find_citations
from ..model import IssueMeta
from ..text import number_parts

PER_YEAR = 6
NUMBER_STRIDE = 1000
CN_DIGITS = "〇一二三四五六七八九"
YEAR_RE = re.compile(r"(?<!\d)(20\d\d)(?=\s*年)")
CN_YEAR_RE = re.compile(r"([〇零一二三四五六七八九]{4})(?=年)")
COPIED = ("gazette.yml", "mkdocs.yml", "overrides")


def shifts(copy: int) -> tuple[int, int]:
    """(years added, number added) for copy `copy` of a sample."""
    return copy // PER_YEAR, NUMBER_STRIDE * (copy % PER_YEAR)


def local_map(text: str, own: set[str], archive: set[str]) -> dict[str, str]:
    """Numbers the sample cites but the archive does not hold -> one of the sample's own numbers
    with the same prefix (one-to-one, in order of first citation)."""
    free: dict[str, list[str]] = {}
    for number in sorted(own):
        free.setdefault(number_parts(number)[0], []).append(number)
    out: dict[str, str] = {}
    for c in find_citations(text):
        if c.number in archive or c.number in out:
            continue
        prefix = number_parts(c.number)[0]
        if free.get(prefix):
            out[c.number] = free[prefix].pop(0)
    return out


def rewrite(text: str, copy: int, mapping: dict[str, str]) -> str:
    """The source of copy `copy` (see the module docstring); `mapping` is local_map's."""
    if copy == 0:
        return text
    years, offset = shifts(copy)
    prev_years, prev_offset = shifts(copy - 1)
    numbers = {c.end: c.number for c in find_citations(text)}
    out, last = [], 0
    for m in NUMBER_TAIL_RE.finditer(text):
        number = numbers.get(m.end())
        if number in mapping:  # a document of the previous copy
            _, year, num = number_parts(mapping[number])
            year, num = year + prev_years, num + prev_offset
        else:
            year, num = int(m[1]) + years, int(m[2]) + offset
        out += [text[last:m.start(1)], str(year), text[m.end(1):m.start(2)], str(num)]
        last = m.end(2)
    out.append(text[last:])
    text = "".join(out)
    if years:
        text = YEAR_RE.sub(lambda m: str(int(m[1]) + years), text)
        text = CN_YEAR_RE.sub(lambda m: _cn_year(m[1], years), text)
    return text


def _cn_year(digits: str, years: int) -> str:
    value = int("".join(str(CN_DIGITS.index(d) if d in CN_DIGITS else 0) for d in digits))
    if not 1990 <= value <= 2099:
        return digits
    return "".join(CN_DIGITS[int(d)] for d in str(value + years))


def _shift_date(date: str | None, years: int) -> str | None:
    if not date:
        return date
    d = dt.date.fromisoformat(date)
    try:
        return d.replace(year=d.year + years).isoformat()
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28).isoformat()


def synthesize(project: Path, out: Path, issues: int) -> list[str]:
    """Write a synthetic archive of `issues` issues into out/docs_src (replacing it); return the ids."""
    from ..app import convert_archive

    samples = load_archive(project / "docs_src")
    if not samples:
        raise SystemExit("gazette bench: no sample issues in docs_src/")
    converted = {r.meta.id: r for r in convert_archive(project, progress=False)}
    own = {s.meta.id: {d.doc_number for d in converted[s.meta.id].documents if d.doc_number} for s in samples}
    archive = set().union(*own.values())
    mappings = {s.meta.id: local_map(s.read_text(), own[s.meta.id], archive)
                for s in samples}

    out.mkdir(parents=True, exist_ok=True)
    docs_src = out / "docs_src"
    if docs_src.exists():
        shutil.rmtree(docs_src)
    docs_src.mkdir()
    for name in COPIED:
        src, dst = project / name, out / name
        if dst.is_dir():
            shutil.rmtree(dst)
        if src.is_dir():
            shutil.copytree(src, dst)
        elif src.exists():
            shutil.copy2(src, dst)
    ids = []
    for k in range(issues):
        sample = samples[k % len(samples)]
        copy = k // len(samples)
        years, _ = shifts(copy)
        text = rewrite(sample.read_text(), copy, mappings[sample.meta.id])
        year = sample.meta.year + years
        number = sample.meta.number + copy % PER_YEAR if sample.meta.number is not None else None
        new_id = issue_id(year, number, text)
        if new_id in ids:
            raise SystemExit(f"gazette bench: synthetic issue id {new_id} twice")
        ids.append(new_id)
        folder = docs_src / new_id
        folder.mkdir()
        (folder / sample.source.name).write_text(text, encoding="utf-8")
        write_meta(folder, IssueMeta(new_id, year, number, _shift_date(sample.meta.date, years)),
                   sample.format, sample.source.name)
    return ids
