"""Every call into MkDocs, and the plugin through which MkDocs receives finished HTML.

The pages under ``build/site_src/`` are front matter plus a body that is already HTML (rendered by
``render.py`` and the autoescaping page templates). MkDocs is used for the theme, the nav, the sitemap
and writing the site; it is never asked to parse a page as Markdown: the ``gazette-html`` plugin
replaces each page's Markdown rendering with its body as written, and gives MkDocs the page's table of
contents from its front matter (``toc``: [[level, id, title], …]). So no source text is read as
Markdown, HTML attributes or attribute lists, and no Python-Markdown instance is made per page (it was
the largest single cost of a large build).

Material's templates print ``page.meta.title`` and the table of contents' titles without escaping
them, so the plugin escapes them here, once: they are source text (a document's title).

Keeping MkDocs behind this module is deliberate: MkDocs 1.6 is unmaintained, and the engine (ProperDocs,
the maintained fork of MkDocs 1.x, or another) should be replaceable by changing this file only.
"""

from __future__ import annotations

import html
import logging
import sys
from pathlib import Path

from mkdocs.plugins import BasePlugin
from mkdocs.structure.toc import get_toc


def _nested(headings: list) -> list[dict]:
    """[[level, id, title], …] -> the nested tokens MkDocs' get_toc reads (titles escaped)."""
    from markdown.extensions.toc import nest_toc_tokens

    tokens = [{"level": int(level), "id": str(anchor), "name": html.escape(str(title), quote=True)}
              for level, anchor, title in headings or []]
    return nest_toc_tokens(tokens)


class FinishedHtmlPlugin(BasePlugin):
    """MkDocs plugin `gazette-html`: a page's body is its HTML as written; nothing is parsed."""

    def on_page_markdown(self, markdown, page, config, files):
        title = page.meta.get("title")
        if title is not None:
            page.meta["title"] = html.escape(str(title), quote=True)
        body, headings = markdown, page.meta.get("toc") or []

        def render(config, files):  # instead of Page.render: no Markdown conversion
            page.content = body
            page.toc = get_toc(_nested(headings))
            page.present_anchor_ids = {str(h[1]) for h in headings}

        page.render = render
        return markdown


def build(config_file: Path, dirty: bool = False, **overrides) -> str:
    """One MkDocs build of `config_file` (with config `overrides`); returns the site folder."""
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

    cfg = load_config(config_file=str(config_file), **overrides)
    cfg.plugins.on_startup(command="build", dirty=dirty)
    try:
        mkdocs_build(cfg, dirty=dirty)
    finally:
        cfg.plugins.on_shutdown()
    return cfg.site_dir
