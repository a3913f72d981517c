"""The site stage: the converted archive -> MkDocs sources (zh-Hans, zh-Hant) -> site/ + data + search.

    build/site_src/zh-Hans/   the pages (pages.py): JSON front matter and a finished HTML body each (frontmatter.py)
    build/site_src/zh-Hant/   the same pages in Traditional characters (traditional.py; same paths and ids)
    build/nav.yml             the generated nav (home, years, issues), INHERITed by ./mkdocs.yml
    build/mkdocs.zh-Hant.yml  the Traditional site's config (INHERITs ./mkdocs.yml)
    build/search_view/        what the search index holds of each Simplified document page (one JSON record each)
    build/search_index/       the stamp of the published search index (kept while its records are the same)
    site/                     zh-Hans; site/zh-Hant/ the Traditional site; site/search-index/ the search
                              index (one, in Simplified, for both sites); site/api/ the data; site/feed.xml

The stages, in the order build_site runs them (STAGES; one module each):

    convert    docs_src/ -> [IssueResult]             pipeline.py through cache.py (the caller's `convert`)
    generate   [IssueResult] -> pages, nav, data       pages.py (render.py for document bodies)
    variant    pages -> Traditional pages              traditional.py (variant.py); in a build that converts
                                                       every page, started during generate (EarlyConversion)
    mkdocs     both scripts' pages -> HTML in site/    engine.py (the only module that calls MkDocs); frame.py
                                                       fills the cited/ and cited-by/ pages into the frame
                                                       MkDocs renders once per depth
    data       data -> site/api/, feed.xml, script map data.py
    search     search records -> site/search-index/   search.py (phrase_index.py)
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from ..config import Config
from ..model import IssueResult
from ..options import BuildOptions
from ..redirects import write_redirects
from ..search_map import write_script_map
from ..variant import get_converter
from ..workers import worker_pool
from .common import DATA_ROOT, HANS, HANT, log, release_memory, write_tree
from .data import build_epoch, write_data
from .engine import build_script, frame_stamp, nav_views
from .memo import InputsKey, KeptPages, PageMemo, frame_key
from .pages import generate
from .search import build_index, read_records
from .traditional import EarlyConversion, PairTotals, convert_nav, variant_stamp, write_traditional

STAGES = ("convert", "generate", "variant", "mkdocs", "data", "search")


def build_site(root: Path, config: Config, convert: Callable[[], tuple[list[IssueResult], dict[str, str]]],
               options: BuildOptions | None = None, stage=None) -> None:
    """root/docs_src -> root/build -> root/site, in the order of STAGES. `convert()` gives the converted
    archive and each issue's conversion key (this function holds the only reference, and lets it go
    before the search stage, so that its memory is free while the search index is made). `stage(name)` (optional) returns a context manager wrapped
    around each stage (converters/bench.py measures them). Raises GazetteError when a step fails."""
    # the Traditional workers of an early conversion, from the generate stage to the end of the variant
    # stage (or of a failed build)
    with contextlib.ExitStack() as workers:
        _build_site(root, config, convert, options or BuildOptions(), stage, workers)


def _build_site(root: Path, config: Config, convert: Callable[[], tuple[list[IssueResult], dict[str, str]]],
                options: BuildOptions, stage, workers: contextlib.ExitStack) -> None:
    stage = stage or (lambda name: contextlib.nullcontext())
    started = time.perf_counter()
    build = root / "build"
    site = root / "site"
    with stage("convert"):
        results, issue_keys = convert()
    with stage("generate"):
        # Traditional pages of unchanged Simplified pages can be kept when the converter is the one that
        # made them (build/variant.stamp). The stamp goes before anything is rewritten and comes back
        # once the Traditional pages are written: an interrupted build converts everything next time.
        variant_file, vstamp = build / "variant.stamp", variant_stamp(config.variant)
        same_variant = (not options.full and variant_file.exists()
                        and variant_file.read_text(encoding="utf-8") == vstamp)
        variant_file.unlink(missing_ok=True)
        # A page whose inputs are the last build's is kept, not rendered (memo.py): only when its
        # Traditional twin is kept too, since the Simplified file on disk no longer holds DATA_ROOT.
        memo = PageMemo(build / "page_memo.json", frame_key(config),
                        (build / "site_src" / HANS, build / "site_src" / HANT), InputsKey(results, issue_keys),
                        use=same_variant)
        # A build that converts every page to Traditional starts converting while it generates them
        # (traditional.EarlyConversion): the workers use the core the generate stage leaves idle. Such a
        # build keeps no page and no pair totals (both need same_variant), so nothing reads a Traditional
        # page of the last build after the early conversion has begun to overwrite them.
        early = None
        if not same_variant and options.jobs > 1:
            pool = worker_pool(options.jobs)
            # a failed build does not wait for the chunks not yet converted
            workers.callback(pool.shutdown, wait=True, cancel_futures=True)
            early = EarlyConversion(config.variant, pool, build / "site_src" / HANT)
        pages, nav, data = generate(results, config, build, memo, added=early.add if early else None)
        page_count = len(pages.files) + len(pages.kept)
        views = nav_views(nav, pages.titles.get)
        log(f"generated {len(pages.files)} pages, {len(pages.kept)} kept from the last build "
            f"({time.perf_counter() - started:.1f}s)")
        totals = PairTotals(build / "variant_pairs.json", vstamp, build / "site_src" / HANT)
        if same_variant:
            totals.load()
        removed = {}
        removed[HANS], written_hans = write_tree(build / "site_src" / HANS,
                                                 ((p, t.replace(DATA_ROOT, "")) for p, t in pages.files.items()),
                                                 keep=pages.kept, replaced=totals.replaced)

    with stage("variant"):
        conv = get_converter(config.variant)
        hant_src = build / "site_src" / HANT
        kept = pages.kept | {p for p in pages.files
                             if same_variant and p not in written_hans and (hant_src / p).is_file()}
        if len(kept) + len(written_hans) < len(pages.files) + len(pages.kept):  # a page lost its Traditional twin
            totals.drop()
        texts = KeptPages(pages.files, pages.kept, build / "site_src" / HANS)
        removed[HANT], aligned = write_traditional(hant_src, texts, config.variant, kept, options.jobs,
                                                   reused_pairs=totals.pairs, early=early)
        workers.close()
        totals.save(aligned)
        variant_file.write_text(vstamp, encoding="utf-8")
        log(f"converted {len(texts) - len(kept)} pages to Traditional ({config.variant}), "
            f"{len(kept)} unchanged ({time.perf_counter() - started:.1f}s)")
        # the pages are on disk now: free them before MkDocs and the search index need the memory
        pages.files.clear()
        release_memory()

    site_url = data["site_url"]
    (build / "nav.yml").write_text(yaml.safe_dump({"nav": nav, "site_url": site_url or None,
                                                   "extra": {"hans_root": site_url, "hant_root": site_url and site_url + "zh-Hant/"}},
                                                  allow_unicode=True, sort_keys=False), encoding="utf-8")
    hant_cfg = {
        "INHERIT": "../mkdocs.yml",
        "site_name": conv.convert(config.site_name),
        "site_url": (site_url + "zh-Hant/") if site_url else None,
        "docs_dir": f"site_src/{HANT}",
        "site_dir": "../site/zh-Hant",
        "theme": {"language": "zh-Hant", "custom_dir": "../overrides"},
        "extra": {"script": HANT},
        "nav": convert_nav(nav, conv),
    }
    (build / "mkdocs.zh-Hant.yml").write_text(yaml.safe_dump(hant_cfg, allow_unicode=True, sort_keys=False),
                                              encoding="utf-8")

    with stage("mkdocs"):
        stamp_file = build / "site.stamp"
        epoch = build_epoch(data["issues"])  # the sitemaps' date: from the issues, not the clock
        search_dir = build / "search_view"  # what the search index holds (search_view.py)
        stamp = frame_stamp(root, nav, hant_cfg, conv)
        incremental = (not options.full and stamp_file.exists()
                       and stamp_file.read_text(encoding="utf-8") == stamp
                       and (site / "index.html").exists() and (site / HANT / "index.html").exists())
        stamp_file.unlink(missing_ok=True)  # written again only when this build succeeds
        views_file = build / "nav_views.json"
        try:
            last_views = json.loads(views_file.read_text(encoding="utf-8")) if incremental else {}
        except (OSError, ValueError):
            last_views = {}
        views_file.unlink(missing_ok=True)
        if incremental:
            # Same config, theme and top of the nav as the last build: MkDocs rewrites only the pages
            # whose Markdown changed (write_tree kept the others' times), plus the pages in the nav whose
            # view of it changed (engine.nav_views: the sections they are in, their neighbours). A page
            # outside the nav shows only its top level, which is in the stamp.
            touched = [page for page, view in views.items() if last_views.get(page) != view]
            touched += [page for page in last_views if page not in views]  # left the nav
            log(f"mkdocs build (incremental: changed pages and {len(touched)} pages whose nav changed)")
            now = time.time()
            for script, out in ((HANS, site), (HANT, site / HANT)):
                for page in touched:
                    with contextlib.suppress(FileNotFoundError):
                        os.utime(build / "site_src" / script / page, (now, now))
                for rel in removed[script]:
                    shutil.rmtree(out / rel.removesuffix(".md"), ignore_errors=True)
                    if script == HANS:
                        shutil.rmtree(search_dir / rel.removesuffix(".md"), ignore_errors=True)
            builds = [(root / "mkdocs.yml", {"site_name": config.site_name, "dirty": True}, search_dir, epoch),
                      (build / "mkdocs.zh-Hant.yml", {"dirty": True}, None, epoch)]
        else:
            # The two scripts are built side by side (one process each); zh-Hant goes to build/ first
            # because the zh-Hans build empties site/.
            log("mkdocs build zh-Hans -> site/, zh-Hant -> site/zh-Hant/")
            hant_site = build / "site-zh-Hant"
            shutil.rmtree(search_dir, ignore_errors=True)
            builds = [(root / "mkdocs.yml", {"site_name": config.site_name}, search_dir, epoch),
                      (build / "mkdocs.zh-Hant.yml", {"site_dir": str(hant_site)}, None, epoch)]
        if options.jobs > 1:
            with worker_pool(2) as pool:
                for done in [pool.submit(build_script, *b) for b in builds]:
                    done.result()
        else:
            for b in builds:
                build_script(*b)
        if not incremental:
            shutil.rmtree(site / HANT, ignore_errors=True)
            shutil.move(str(hant_site), str(site / HANT))
        log(f"mkdocs builds done ({time.perf_counter() - started:.1f}s)")
    with stage("data"):
        write_data(site, data, config, memo)  # in an incremental build, removes what it no longer makes
        # Queries in either script: the search page rewrites them into its own (search_map.py).
        write_script_map(site, aligned)
        redirected = write_redirects(root, site, data["docs"], site_url, conv.convert)  # old URLs (aliases.yml)
        memo.save()  # every page and data file it names is written
        log(f"data written to site/api/, {redirected} renamed documents redirected "
            f"({time.perf_counter() - started:.1f}s)")

    # The converted archive is not needed any more: let it go before the search index holds the texts
    # and n-grams of every document, so that their memory does not add up (≈ 0.9 GB at 10,000 documents).
    urls = data["search_urls"]
    data.clear()
    del results
    release_memory()
    log("search index: reading the document pages' search records")
    with stage("search"):
        build_index(site, read_records(search_dir, urls), build / "search_index", reuse=not options.full)
    stamp_file.write_text(stamp, encoding="utf-8")
    views_file.write_text(json.dumps(views, sort_keys=True), encoding="utf-8")
    # (the site is not walked again to count it: at 10,000 documents that took 8 s; `gazette bench` measures it)
    log(f"done: {page_count} pages in each script ({time.perf_counter() - started:.1f}s)")
