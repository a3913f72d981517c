"""Every call into MkDocs, and the plugin through which MkDocs receives finished HTML.

The pages under ``build/site_src/`` are JSON front matter plus a body that is already HTML (rendered
by ``render.py`` and the autoescaping page templates; the file format is frontmatter.py's). MkDocs is
used for the theme, the nav, the sitemap and writing the site; it is never asked to parse a page: the
``gazette-html`` plugin reads each page's front matter itself (MkDocs' reader would parse it as YAML,
in Python: an eighth of a build), replaces the page's Markdown rendering with its body as written, and
gives MkDocs the page's table of contents from its front matter (``toc``: [[level, id, title], …]).
So no source text is read as Markdown, HTML attributes or attribute lists, and no Python-Markdown
instance is made per page (it was the largest single cost of a large build). A page without JSON
front matter (written by hand) is read by MkDocs as usual.

Material's templates print ``page.meta.title`` and the table of contents' titles without escaping
them, so the plugin escapes them here, once: they are source text (a document's title).

Keeping MkDocs behind this module is deliberate: MkDocs 1.6 is unmaintained, and the engine (ProperDocs,
the maintained fork of MkDocs 1.x, or another) should be replaceable by changing this file only.
"""

from __future__ import annotations

import contextlib
import html
import json
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

import yaml
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from ..errors import GazetteError
from ..fingerprint import fingerprint, package_version
from .. import search_view as search_view_module
from ..search_view import search_view
from .search import RECORD
from .common import compact_html
from . import frame as frame_module
from .frame import Frame, framed, frame_url
from .frontmatter import read_page


class MkDocsError(GazetteError):
    """MkDocs refused the configuration or failed to build: the message is its own, on one line."""


def _nested(headings: list) -> list[dict]:
    """[[level, id, title], …] -> the nested tokens MkDocs' get_toc reads (titles escaped)."""
    from markdown.extensions.toc import nest_toc_tokens

    tokens = [{"level": int(level), "id": str(anchor), "name": html.escape(str(title), quote=True)}
              for level, anchor, title in headings or []]
    return nest_toc_tokens(tokens)


class FinishedHtmlPlugin(BasePlugin):
    """MkDocs plugin `gazette-html`: a page's front matter is read as JSON and its body is its HTML as
    written; nothing is parsed as YAML or Markdown."""

    def __init__(self) -> None:
        super().__init__()
        self._read: dict[str, tuple[dict, str]] = {}  # page -> its front matter and body, until on_page_markdown
        self._dirty = False
        self._framed: list[File] = []  # the pages this plugin writes in the lean frame (frame.py)
        self._nav = self._env = self._pages = None
        self.search_dir: Path | None = None  # where the document pages' search records go (engine.build)

    def on_startup(self, command, dirty=False):
        self._dirty = dirty

    def on_files(self, files, config):
        """The pages drawn in the lean frame (frame.py) are taken out of MkDocs' hands: on_post_build
        writes them into the frame MkDocs renders once per depth."""
        self._framed = [f for f in files.documentation_pages() if framed(f.url)]
        if not self._framed:
            return files
        taken = {id(f) for f in self._framed}
        return Files([f for f in files if id(f) not in taken])

    def on_nav(self, nav, config, files):
        self._nav = nav

    def on_env(self, env, config, files):
        self._env, self._pages = env, files.documentation_pages()

    def on_post_build(self, config):
        """Each framed page (in a dirty build, each whose file changed) filled into the frame of its
        depth and written, compacted as on_post_page compacts the pages MkDocs writes."""
        frames: dict[tuple[int, bool], Frame] = {}
        folders: set[Path] = set()  # made already
        for file in self._framed:
            if self._dirty and not file.is_modified():
                continue
            read = read_page(file.content_string)
            meta, body = read if read is not None else ({}, "")
            title, description = meta.get("title"), meta.get("description")
            if read is None or meta.get("template") != frame_module.TEMPLATE or not isinstance(title, str):
                raise MkDocsError(f"{file.src_uri}: a page of the lean frame needs JSON front matter with "
                                  f"a title and template {frame_module.TEMPLATE}")
            key = (frame_module.depth(file.url), isinstance(description, str))
            if key not in frames:
                frames[key] = self._frame(config, *key)
            page = frames[key].compact_page(title, description or "", file.url, body)
            out = Path(file.abs_dest_path)
            if out.parent not in folders:
                out.parent.mkdir(parents=True, exist_ok=True)
                folders.add(out.parent)
            out.write_bytes(page.encode("utf-8", errors="xmlcharrefreplace"))

    def _frame(self, config, depth: int, described: bool) -> Frame:
        """The lean frame of a page `depth` folders deep, rendered by MkDocs as it renders a page
        (context, template, plugin events) around frame.py's markers, and cut at them."""
        from mkdocs.commands.build import get_context

        file = File.generated(config, frame_url(depth) + "index.md", content="")
        page = Page(None, file, config)
        page.markdown = ""
        page.meta = {"title": frame_module.TITLE_SLOT, "template": frame_module.TEMPLATE}
        if described:
            page.meta["description"] = frame_module.DESCRIPTION_SLOT
        page.content, page.toc = frame_module.BODY_SLOT, get_toc([])
        context = get_context(self._nav, self._pages, config, page)
        context = config.plugins.on_page_context(context, page=page, config=config, nav=self._nav)
        output = self._env.get_template(frame_module.TEMPLATE).render(context)
        output = config.plugins.on_post_page(output, page=page, config=config)
        try:
            return Frame.cut(output, depth)
        except ValueError as exc:
            raise MkDocsError(str(exc)) from None

    def on_page_read_source(self, page, config):
        """The page's file, read here: MkDocs is given an empty source (no front matter to parse) and
        on_page_markdown the page's meta and body. A page without JSON front matter goes to MkDocs'
        own reader (so does a file that cannot be read: MkDocs reports it)."""
        try:
            text = page.file.content_string
        except (OSError, ValueError):
            return None
        read = read_page(text)
        if read is None:
            return text
        self._read[page.file.src_uri] = read
        return ""

    def on_page_markdown(self, markdown, page, config, files):
        read = self._read.pop(page.file.src_uri, None)
        if read is not None:
            # MkDocs reads the title, the template, `hide` … from page.meta only from here on
            page.meta, markdown = read
        title = page.meta.get("title")
        if title is not None:
            page.meta["title"] = html.escape(str(title), quote=True)
        official = page.meta.get("official")
        if isinstance(official, str):
            # a document's citation facts, as printed (site/citing.py: ASCII JSON, so that the Traditional
            # page's converted front matter keeps them); main.html writes them, escaping each value
            page.meta["official"] = json.loads(official)
        body, headings = markdown, page.meta.get("toc") or []

        def render(config, files):  # instead of Page.render: no Markdown conversion
            page.content = body
            page.toc = get_toc(_nested(headings))
            page.present_anchor_ids = {str(h[1]) for h in headings}

        page.render = render
        return markdown

    def on_post_page(self, output, page, config):
        """The page compacted before MkDocs writes it, and a document page's search record written."""
        small = compact_html(output)
        if self.search_dir is not None and page.file.url.startswith("doc/"):
            view = search_view(small)
            if view:
                record = self.search_dir / page.file.url / RECORD
                record.parent.mkdir(parents=True, exist_ok=True)
                record.write_text(view, encoding="utf-8")
        return small

    def on_post_template(self, output, template_name, config):
        return compact_html(output) if template_name.endswith(".html") else output  # 404.html


@contextlib.contextmanager
def source_date(epoch: int | None):
    """MkDocs dates its sitemaps by SOURCE_DATE_EPOCH when it is set (else by the clock): set it to
    `epoch` for the build, unless the caller's environment already sets it."""
    if epoch is None or "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


def build(config_file: Path, dirty: bool = False, epoch: int | None = None, search_dir: Path | None = None,
          **overrides) -> str:
    """One MkDocs build of `config_file` (with config `overrides`), dated `epoch` (seconds, see
    source_date), the search records of the document pages it writes in `search_dir`; returns the
    site folder."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    logger = logging.getLogger("mkdocs")
    # an incremental build is dirty on purpose (build_site rebuilds what the skipped pages depend on)
    logging.getLogger("mkdocs.commands.build").addFilter(lambda r: "'dirty' build" not in r.getMessage())
    if not logger.handlers:  # surface MkDocs' warnings (in-process it has no handler of its own)
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("mkdocs: %(levelname)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.WARNING)

    from mkdocs.exceptions import MkDocsException

    try:
        cfg = load_config(config_file=str(config_file), **overrides)
        plugin = cfg.plugins.get("gazette-html")
        if isinstance(plugin, FinishedHtmlPlugin):
            plugin.search_dir = search_dir
        cfg.plugins.on_startup(command="build", dirty=dirty)
        try:
            with source_date(epoch):
                mkdocs_build(cfg, dirty=dirty)
        finally:
            cfg.plugins.on_shutdown()
    except MkDocsException as exc:
        raise MkDocsError(f"{config_file}: MkDocs: {' '.join(str(exc).split())}") from None
    return cfg.site_dir


def build_script(config_file: Path, overrides: dict, search_dir: Path | None = None, epoch: int | None = None) -> None:
    """One MkDocs build (each script's in its own process): its HTML compacted as it is written, and
    for each document page written, its search record in `search_dir` (FinishedHtmlPlugin)."""
    build(config_file, epoch=epoch, search_dir=search_dir, **overrides)


def frame_stamp(root: Path, nav: list, hant_cfg: dict, conv) -> str:
    """What every page's frame depends on besides its own body: the MkDocs config of both scripts
    (without the nav), the theme overrides, MkDocs' and Material's versions, this module and the search
    view's (which writes what the search index holds of each page), and the top level of the nav with the
    page each entry opens. When it changes, the next build is a full one."""
    top = [(label, _first_page(value)) for entry in nav for label, value in entry.items()]
    nav_file = yaml.safe_load((root / "build" / "nav.yml").read_text(encoding="utf-8")) or {}
    return fingerprint({"top": top, "top_hant": [conv.convert(label) for label, _ in top],
                        "hant": {k: v for k, v in hant_cfg.items() if k != "nav"},
                        "nav_file": {k: v for k, v in nav_file.items() if k != "nav"},  # the nav is `top`
                        "versions": [package_version("mkdocs"), package_version("mkdocs-material")]},
                       root / "mkdocs.yml", Path(__file__), Path(search_view_module.__file__),
                       *sorted(p for p in (root / "overrides").rglob("*") if p.is_file()))


def _first_page(item: str | list | dict) -> str | None:
    """The page a nav entry opens: the entry's own page, else its first child's (None for an empty section)."""
    if isinstance(item, dict):
        return _first_page(next(iter(item.values())))
    if isinstance(item, list):
        return _first_page(item[0]) if item else None
    return item


def nav_views(nav: list, title_of: Callable[[str], str | None]) -> dict[str, str]:
    """For each page in the nav, a fingerprint of the nav as the theme shows it on that page, so that an
    incremental build has MkDocs render again only the pages whose nav changed, not every page in the
    nav (at 10,000 documents those took 20 of a dirty build's 36 s CPU). With navigation.prune a page
    shows the top level, the entries of each section it is in (a sibling section by its label and
    first page, its own entries pruned), and links to the pages before and after it in the nav's
    order (rel prev/next: their labels, else their titles, `title_of(page)`). A page outside the nav
    shows the top level only, which frame_stamp covers."""
    order: list[tuple[str, str | None]] = []
    shown: dict[str, list] = {}

    def entries(items: list) -> list[tuple[str | None, str | list]]:
        return [pair for item in items for pair in (item.items() if isinstance(item, dict) else [(None, item)])]

    def walk(items: list, sections: list) -> None:
        level = [[label, _first_page(value)] for label, value in entries(items)]
        for label, value in entries(items):
            if isinstance(value, str):
                order.append((value, label if label is not None else title_of(value)))
                shown[value] = sections + [level]
            else:
                walk(value, sections + [level])

    walk(nav, [])
    return {path: fingerprint(shown[path], order[n - 1] if n else None, order[n + 1] if n + 1 < len(order) else None)
            for n, (path, _) in enumerate(order)}
