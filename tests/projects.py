"""Small projects built in a temporary folder from the format fixtures, for tests that need a fixed
archive (never the issues docs_src/ happens to hold)."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
STAGES = Path(__file__).resolve().parent / "fixtures" / "stages"
# format fixtures that convert to at least one numbered document each, none shared between them
NOTICE = STAGES / "notice_regulation.pdf-text.in"
SECTIONS = STAGES / "sections_attachment.pdf-text.in"
CONTENTS = STAGES / "issue_with_contents.pdf-markdown.in"
SOURCE_FILE = {"pdf-text": "source.txt", "pdf-markdown": "source.md"}


def fixture_format(fixture: Path) -> str:
    return fixture.name.split(".")[1]


def add_issue(root: Path, folder: str, fixture: Path, **facts) -> Path:
    """docs_src/<folder>/ holding the fixture as its source and an issue.yml; `facts` override
    year/number/date/source/format (year and number default to the folder name's)."""
    return add_text_issue(root, folder, fixture_format(fixture), fixture.read_text(encoding="utf-8"), **facts)


def add_text_issue(root: Path, folder: str, fmt: str, text: str, **facts) -> Path:
    """docs_src/<folder>/ holding `text` as its source (format `fmt`) and an issue.yml, as add_issue."""
    year, _, rest = folder.partition("-")
    meta = {"year": int(year), "number": int(rest) if len(rest) == 2 else None, "date": None,
            "source": SOURCE_FILE[fmt], "format": fmt, **facts}
    path = root / "docs_src" / folder
    path.mkdir(parents=True)
    (path / SOURCE_FILE[fmt]).write_text(text, encoding="utf-8")
    (path / "issue.yml").write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def make_project(root: Path, issues: dict[str, Path] | None = None) -> Path:
    """A project at `root`: the repository's settings, MkDocs config and theme, and `issues`
    (folder -> fixture), by default two issues of distinct documents; `{}` for none."""
    root.mkdir(parents=True, exist_ok=True)
    for name in ("gazette.yml", "mkdocs.yml"):
        shutil.copy(ROOT / name, root / name)
    shutil.copytree(ROOT / "overrides", root / "overrides")
    (root / "docs_src").mkdir()
    for folder, fixture in ({"2030-01": NOTICE, "2031-02": SECTIONS} if issues is None else issues).items():
        add_issue(root, folder, fixture)
    return root


def tree(folder: Path) -> dict[str, bytes]:
    """Every file and folder under `folder` with its bytes (symlinks by target), to prove nothing changed."""
    if not folder.exists():
        return {}
    out = {}
    for p in sorted(folder.rglob("*")):
        key = str(p.relative_to(folder))
        if p.is_symlink():
            out[key] = b"<link>" + str(p.readlink()).encode()
        else:
            out[key] = p.read_bytes() if p.is_file() else b"<dir>"
    return out
