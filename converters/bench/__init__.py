"""`gazette bench --issues N --out DIR`: the build at archive scale, on a synthetic archive.

The synthetic archive is made from the sample issues in docs_src/ (which stay untouched): issue k is
copy c = k // S of sample k % S (S samples). Each copy rewrites its source consistently, so every
issue, document id and document number is distinct and cross-references still resolve:

- years: `YYYY年`, `二〇一八年` and the year of every document number 〔YYYY〕 move by c // PER_YEAR
  (PER_YEAR copies of each sample share a year: with 3 samples that is 18 issues a year, as in the
  real gazette's 12–24), and so do the issue's year and date in its issue.yml;
- numbers: every document number, the archive's own and the ones they cite alike, gets
  1000 × (c % PER_YEAR) added (连政办发〔2018〕160号 → 连政办发〔2019〕2160号);
- citations: from copy 1 on, a local number the sample cites but does not contain (连政发〔2018〕77号)
  is mapped one-to-one onto a document of the previous copy with the same prefix, so later issues
  cite, amend and abolish earlier ones as a real archive does (and the cited-by lists stay bounded);
- ids: a numbered issue gets number + c % PER_YEAR; an unnumbered one keeps no number and gets the id
  `YYYY-<8 hex of its new source>`, as `gazette add` gives it.

DIR is a project folder of its own (docs_src/, gazette.yml, mkdocs.yml and overrides/ copied from
the project), built exactly as `gazette build` builds the project (app.build_archive) into DIR/site,
with the time and peak memory (PSS of the build and its worker processes, sampled) of each stage and
the output sizes. `--profile FILE` writes a pyinstrument profile (HTML) of the build.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

from .memory import Recorder
from .query import measured_queries, phrase_accuracy
from .sizes import QUERY_GRAMS, RESULTS_SHOWN, projection, sizes
from .synthetic import synthesize

def run(project: Path, out: Path, issues: int, profile: Path | None = None, clean: bool = True,
        queries: list[str] | None = None, jobs: int | None = None, phrases: int = 0) -> dict:
    from ..app import build_archive
    from ..options import BuildOptions, default_jobs

    jobs = jobs or default_jobs()
    started = time.perf_counter()
    ids = synthesize(project, out, issues)
    made = time.perf_counter() - started
    if clean:  # a cold build; without it, build/cache/ makes it incremental
        for folder in ("build", "site"):
            shutil.rmtree(out / folder, ignore_errors=True)
    conversions: dict[str, int] = {}
    profiler = None
    if profile:
        from pyinstrument import Profiler

        profiler = Profiler()
    with Recorder() as rec:
        t0 = time.perf_counter()
        if profiler:
            profiler.start()
        code = build_archive(out, BuildOptions(jobs=jobs), stage=rec.stage, counts=conversions)
        if profiler:
            profiler.stop()
        total = time.perf_counter() - t0
    if profiler:
        profile.parent.mkdir(parents=True, exist_ok=True)
        profile.write_text(profiler.output_html(), encoding="utf-8")
        profile.with_suffix(".txt").write_text(profiler.output_text(unicode=True, color=False, show_all=False),
                                               encoding="utf-8")
    listed = out / "site" / "api" / "documents.json"
    documents = len(json.loads(listed.read_text(encoding="utf-8"))) if listed.exists() else 0
    result = {"issues": issues, "issue_ids": ids, "documents": documents, "exit": code,
              "synthesize_seconds": round(made, 2), "build_seconds": round(total, 2),
              "peak_mb": round(rec.peak_kb / 1024), "jobs": jobs, "conversions": conversions,
              "stages": {k: {"seconds": round(v["seconds"], 2), "peak_mb": round(v["peak_kb"] / 1024)}
                         for k, v in rec.stages.items()}}
    if code == 0:
        result["sizes"] = sizes(out)
        result["projection"] = projection(out / "site", result["documents"])
        result["ms_per_page"] = round(1000 * total / max(result["sizes"]["html_pages"], 1), 2)
        if queries:
            from ..config import load_config

            result["queries"] = measured_queries(out / "site", queries, load_config(out / "gazette.yml").variant)
        if phrases:
            from ..config import load_config

            result["phrases"] = phrase_accuracy(out / "site", phrases, load_config(out / "gazette.yml").variant)
    return result


def print_report(r: dict, stream=sys.stdout) -> None:
    p = lambda *a: print(*a, file=stream)  # noqa: E731
    p(f"bench: {r['issues']} issues, {r['documents']} documents, {r['jobs']} jobs; exit {r['exit']}")
    p(f"  synthesize {r['synthesize_seconds']:.1f}s; build {r['build_seconds']:.1f}s, peak {r['peak_mb']} MB; "
      f"issues converted {r['conversions'].get('converted')}, from the cache {r['conversions'].get('cached')}")
    p(f"  {'stage':<10}{'seconds':>9}{'peak MB':>9}")
    for name, s in r["stages"].items():
        p(f"  {name:<10}{s['seconds']:>9.1f}{s['peak_mb']:>9}")
    s = r.get("sizes")
    if s:
        p(f"  pages: {s['html_pages']} HTML ({s['doc_pages']} document pages), {r['ms_per_page']} ms per page")
        p(f"  site: {s['site_bytes'] / 1e6:.1f} MB; document page: mean {s['doc_page_bytes_mean']} B, "
          f"median {s['doc_page_bytes_median']} B, max {s['doc_page_bytes_max']} B")
        p(f"  search index: {s['search_index_bytes'] / 1e6:.1f} MB; api: {s['api_bytes'] / 1e6:.1f} MB")
        p("  by kind: " + ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in s["breakdown"].items()))
        a = s["artifact"]
        p(f"  Pages artifact: tar {a['tar_bytes'] / 1e6:.1f} MB, gzip {a['tar_gz_bytes'] / 1e6:.1f} MB "
          f"({a['tar_gz_bytes'] / max(s['site_bytes'], 1):.0%} of the files)")
        q = s["first_query"]
        p(f"  first query (bound): {q['total'] / 1e3:.0f} KB = meta {q['meta'] / 1e3:.1f} + {QUERY_GRAMS} buckets "
          f"{q['buckets'] / 1e3:.0f} + {RESULTS_SHOWN} document texts {q['documents'] / 1e3:.0f} KB "
          f"({q['bucket_files']} buckets, median {q['bucket_median'] / 1e3:.1f} KB; the page's js, css and script map "
          f"{q['page'] / 1e3:.0f} KB)")
    for scripts in r.get("queries", {}).values():
        p("  measured first query: " + "; ".join(
            f"{m['query']} ({script}) {m['total'] / 1e3:.0f} KB = " + " + ".join(
                f"{kind} {m[kind] / 1e3:.1f}" for kind in ("meta", "buckets", "documents", "filters")
                if kind in m) + f" ({m['files']} files)"
            for script, m in scripts.items()))
    a = r.get("phrases")
    if a:
        for script in ("zh-Hans", "zh-Hant"):
            m = a[script]
            p(f"  exact phrases ({script}): {a['phrases']} sampled, recall {m['recall']:.2%} "
              f"({m['expected']} documents contain them), precision {m['precision']:.2%} ({m['returned']} shown); "
              f"from the index alone: recall {m['index_recall']:.2%}, precision {m['index_precision']:.2%} "
              f"({m['candidates']} candidates); "
              "absent phrases: " + ", ".join(f"{k} {v}" for k, v in m["absent"].items())
              + (f"; inexact: {' '.join(m['inexact'])}" if m["inexact"] else ""))
    x = r.get("projection")
    if x:
        p(f"  {x['documents']:,} documents: {x['fixed_bytes'] / 1e6:.1f} MB assets + {x['documents']:,} × "
          f"{x['bytes_per_document'] / 1e3:.1f} KB + {x['cited_numbers']:,} cited numbers × "
          f"{x['bytes_per_cited_number'] / 1e3:.1f} KB = {x['site_bytes'] / 1e9:.2f} GB of files")
        if s:
            ratio = s["artifact"]["tar_gz_bytes"] / max(s["site_bytes"], 1)
            p(f"  as the Pages artifact (this build's ratio): ≈ {x['site_bytes'] * ratio / 1e9:.2f} GB")


def cmd_bench(args: argparse.Namespace) -> int:
    from ..app import project_root
    from ..options import command_line_options

    out = Path(args.out).resolve()
    project = project_root()
    if out == project or project in out.parents and out.parent == project:
        if out.name in ("docs_src", "build", "site", "") or out == project:
            print("gazette: error: --out must be a folder of its own (e.g. .bench/160)", file=sys.stderr)
            return 1
    result = run(project, out, args.issues, Path(args.profile).resolve() if args.profile else None,
                 clean=not args.keep, queries=args.query, jobs=command_line_options(jobs=args.jobs).jobs,
                 phrases=args.phrases)
    print_report(result)
    if args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return result["exit"]


def register(sub) -> None:
    bench = sub.add_parser("bench", help="build a synthetic archive of N issues and print time, memory and sizes")
    bench.add_argument("--issues", type=int, required=True, help="how many synthetic issues")
    bench.add_argument("--out", required=True, help="the folder to build in (its docs_src/, build/, site/)")
    bench.add_argument("--profile", help="write a pyinstrument profile of the build (HTML; .txt beside it)")
    bench.add_argument("--json", help="also write the measurements as JSON")
    bench.add_argument("--jobs", type=int, default=0,
                       help="worker processes (default: GAZETTE_JOBS, else the machine's cores)")
    bench.add_argument("--keep", action="store_true",
                       help="keep DIR/build (the conversion cache) from the last run: an incremental build")
    bench.add_argument("--query", action="append", metavar="TEXT",
                       help="measure what this first search query downloads, in the system Chromium, on both "
                            "scripts' search pages (repeatable; needs the test extra)")
    bench.add_argument("--phrases", type=int, default=0, metavar="N",
                       help="measure the search's recall and precision on N phrases copied at random from the "
                            "archive (2–7 characters), in both scripts, and what phrases in no document return")
    bench.set_defaults(func=cmd_bench)
