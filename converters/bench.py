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
the project), built exactly as `gazette build` builds the project (cli.build_archive) into DIR/site,
with the time and peak memory (PSS of the build and its worker processes, sampled) of each stage and
the output sizes. `--profile FILE` writes a pyinstrument profile (HTML) of the build.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import gzip
import hashlib
import http.server
import json
import os
import re
import shutil
import sys
import threading
import time
from pathlib import Path

from .archive import issue_id, load_archive, write_meta
from .citations import NUMBER_TAIL_RE, find_citations
from .model import IssueMeta
from .text import number_parts

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
    from .cli import convert_archive

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


# ---------------------------------------------------------------- measuring

def _proc_field_kb(pid: int, filename: str, field: str) -> int | None:
    try:
        with open(f"/proc/{pid}/{filename}", encoding="ascii") as f:
            for line in f:
                if line.startswith(field):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _pss_kb(pid: int) -> int:
    """Proportional memory of a process (shared pages split among sharers), else its RSS."""
    return _proc_field_kb(pid, "smaps_rollup", "Pss:") or _proc_field_kb(pid, "status", "VmRSS:") or 0


def _tree(pid: int) -> list[int]:
    """pid and its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children.get(p, [])
    return out


class Recorder:
    """Times each stage and samples the memory (PSS, KB) of this process and its children."""

    def __init__(self, interval: float = 0.2) -> None:
        self.stages: dict[str, dict] = {}
        self.current: str | None = None
        self.peak_kb = 0
        self._stop = threading.Event()
        self._interval = interval
        self._linux = Path("/proc/self/smaps_rollup").exists() or Path("/proc/self/status").exists()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self):
        if self._linux:
            self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        if self._linux:
            self._thread.join()

    def _sample(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            kb = sum(_pss_kb(p) for p in _tree(me))
            self.peak_kb = max(self.peak_kb, kb)
            if self.current:
                s = self.stages[self.current]
                s["peak_kb"] = max(s["peak_kb"], kb)
            self._stop.wait(self._interval)

    @contextlib.contextmanager
    def stage(self, name: str):
        s = self.stages.setdefault(name, {"seconds": 0.0, "peak_kb": 0})
        self.current = name
        started = time.perf_counter()
        try:
            yield
        finally:
            s["seconds"] += time.perf_counter() - started
            if not self._linux:  # no sampling: the peak so far of the process and its children
                import resource

                s["peak_kb"] = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                                   resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
            self.current = None


def _gz(path: Path) -> int:
    data = path.read_bytes()
    return len(data) if data[:2] == b"\x1f\x8b" else len(gzip.compress(data, 6))


def search_bytes(site: Path) -> dict:
    """What a first search query downloads, bounded from the files (gzip as served): pagefind.js,
    its worker and the wasm once; from every index (pagefind/ and its shards, site.py search_shards)
    the entry json, the language's meta and two index chunks (the largest: a query of two words in
    different chunks); and the five result fragments shown first (the largest)."""
    from .site import search_bundle

    pf = site / search_bundle(1)
    bundles = [pf]
    while (site / search_bundle(len(bundles) + 1)).is_dir():
        bundles.append(site / search_bundle(len(bundles) + 1))
    entries = [json.loads((b / "pagefind-entry.json").read_text(encoding="utf-8")) for b in bundles]
    out = {}
    for lang, info in entries[0]["languages"].items():
        wasm = pf / f"wasm.{info.get('wasm') or 'unknown'}.pagefind"
        chunks, frags, meta, entry = [], [], 0, 0
        for bundle, bundle_entry in zip(bundles, entries):
            own = sorted((p.stat().st_size for p in (bundle / "index").glob(f"{lang}_*.pf_index")), reverse=True)
            chunks += own[:2]
            frags += [p.stat().st_size for p in (bundle / "fragment").glob(f"{lang}_*.pf_fragment")]
            meta += (bundle / f"pagefind.{bundle_entry['languages'][lang]['hash']}.pf_meta").stat().st_size
            entry += (bundle / "pagefind-entry.json").stat().st_size
        parts = {
            "js": _gz(pf / "pagefind.js") + (_gz(pf / "pagefind-worker.js") if (pf / "pagefind-worker.js").exists() else 0),
            "entry": entry,
            "wasm": wasm.stat().st_size if wasm.exists() else 0,
            "meta": meta,
            "index_chunks": sum(chunks),
            "fragments": sum(sorted(frags, reverse=True)[:5]),
        }
        parts["total"] = sum(parts.values())
        parts["ui"] = _gz(pf / "pagefind-ui.js") + _gz(pf / "pagefind-ui.css")
        parts["chunks"] = sum(1 for b in bundles for _ in (b / "index").glob(f"{lang}_*.pf_index"))
        parts["indexes"] = len(bundles)
        out[lang] = parts
    return out


def sizes(root: Path) -> dict:
    site = root / "site"
    html_pages = list(site.rglob("*.html"))
    doc_pages = [p for p in (site / "doc").glob("*/index.html")] + \
                [p for p in (site / "zh-Hant" / "doc").glob("*/index.html")]
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    pagefind = sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file())
    doc_bytes = sorted(p.stat().st_size for p in doc_pages)
    return {
        "html_pages": len(html_pages),
        "doc_pages": len(doc_pages),
        "site_bytes": total,
        "doc_page_bytes_mean": sum(doc_bytes) // max(len(doc_bytes), 1),
        "doc_page_bytes_median": doc_bytes[len(doc_bytes) // 2] if doc_bytes else 0,
        "doc_page_bytes_max": doc_bytes[-1] if doc_bytes else 0,
        "search_index_bytes": pagefind,
        "api_bytes": sum(p.stat().st_size for p in (site / "api").rglob("*") if p.is_file()),
        "first_query": search_bytes(site),
        "breakdown": breakdown(site),
        "artifact": artifact(site),
    }


def _gz_size(path: Path) -> int:
    """A file's bytes as GitHub Pages serves it: JS, JSON and CSS gzip-compressed, the rest as is
    (Pagefind's index files are compressed already)."""
    return _gz(path) if path.suffix in (".js", ".json", ".css") else path.stat().st_size


def measured_queries(site: Path, queries: list[str], variant: str = "s2tw", browser=None) -> dict:
    """What a first query really downloads: each query typed on a fresh search page of `site` served
    locally, in the system Chromium (playwright, from the test extra; or `browser`, a playwright
    browser already open) — on the Simplified page as given, on the Traditional page converted to
    Traditional (`variant`) as its reader types it —; the files under pagefind/ that the page fetched
    for it, by kind. The search UI's own JS and CSS load with the page and are left out."""
    if browser is None:
        chromium = shutil.which("chromium")
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            chromium = None
        if not chromium:
            raise SystemExit("gazette bench: --query needs the system Chromium (make browser) and playwright "
                             "(pip install -e '.[test]')")
        with sync_playwright() as pw:
            launched = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
            try:
                return measured_queries(site, queries, variant, launched)
            finally:
                launched.close()

    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    from .variant import get_converter

    to_hant = get_converter(variant).convert
    out: dict = {}
    with serve(site) as url:
        base = url + "/"
        for query in queries:
            for script, page_path, typed in (("zh-Hans", "search/", query),
                                             ("zh-Hant", "zh-Hant/search/", to_hant(query))):
                context = browser.new_context()
                page = context.new_page()
                fetched: list[str] = []
                page.on("request", lambda request: fetched.append(request.url))
                page.goto(f"{base}{page_path}?q={typed}")
                try:  # a result's link is drawn from its fragment: the results shown first are loaded
                    page.wait_for_selector(".pagefind-ui__result-link", timeout=30_000)
                except PlaywrightTimeout:  # a query without results
                    pass
                page.wait_for_load_state("networkidle")
                files = sorted({u[len(base):].split("?")[0] for u in fetched
                                if u.startswith(base + "pagefind/") and not u.endswith(("-ui.js", "-ui.css"))})
                kinds: dict[str, int] = {}
                for rel in files:
                    kind = ("fragments" if "/fragment/" in rel else "index" if "/index/" in rel else
                            "meta" if rel.endswith(".pf_meta") else "wasm" if "/wasm." in rel else
                            "js" if rel.endswith(".js") else "entry")
                    kinds[kind] = kinds.get(kind, 0) + _gz_size(site / rel)
                out.setdefault(query, {})[script] = {"query": typed, "total": sum(kinds.values()),
                                                     "files": len(files), **kinds}
                context.close()
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # no line per request
        pass


@contextlib.contextmanager
def serve(folder: Path):
    """A built site on a local HTTP server, for the browser (also the tests'): yields its base URL."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                            functools.partial(_QuietHandler, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


class _Counting:
    """A write-only file that counts the bytes written to it and passes them on to `then`, if any."""

    def __init__(self, then=None) -> None:
        self.bytes = 0
        self.then = then

    def write(self, data) -> int:
        self.bytes += len(data)
        if self.then is not None:
            self.then.write(data)
        return len(data)

    def flush(self) -> None:
        pass


def artifact(site: Path) -> dict:
    """The Pages artifact: actions/upload-pages-artifact tars site/ and the upload compresses it;
    GitHub's deployment checks the uploaded size against its 1 GB."""
    import tarfile

    gz_count = _Counting()
    gz = gzip.GzipFile(fileobj=gz_count, mode="wb", compresslevel=6, mtime=0)
    tar_count = _Counting(then=gz)
    with tarfile.open(fileobj=tar_count, mode="w|") as tar:
        tar.add(site, arcname=".")
    gz.close()
    return {"tar_bytes": tar_count.bytes, "tar_gz_bytes": gz_count.bytes}


# What a real archive cites but does not hold, per document: the samples cite 35 such numbers in 33
# documents; and once a year a clean-up list (the 2018 sample's names 177 numbers), for 25 years.
CITED_PER_DOCUMENT = 35 / 33
CLEANUP_NUMBERS = 25 * 177
CITED_ENTRY_RE = re.compile(r'<li><a href="[^"]*cited/[^\n]*?</li>')


def projection(site: Path, documents: int, target: int = 10_000) -> dict:
    """Site bytes for `target` documents, from this build: bytes per document and bytes per cited
    number measured apart (the synthetic archive repeats a clean-up list in every third issue, so
    it cites far more numbers per document than a real one), plus the assets every site has once."""
    def files(*patterns):
        return [p for pattern in patterns for p in site.glob(pattern) if p.is_file()]

    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    fixed = sum(p.stat().st_size for p in files("assets/**/*", "zh-Hant/assets/**/*", "pagefind/*.js",
                                                  "pagefind/*.css", "pagefind/wasm.*"))
    cited_numbers = sum(1 for _ in site.glob("cited/*/index.html"))
    cited_pages = sum(p.stat().st_size for p in files("cited/**/*", "zh-Hant/cited/**/*"))
    cited_entries = sum(len(m.encode()) for p in files("browse/number/**/*.html", "zh-Hant/browse/number/**/*.html")
                        for m in CITED_ENTRY_RE.findall(p.read_text(encoding="utf-8")))
    per_cited = (cited_pages + cited_entries) / max(cited_numbers, 1)
    per_document = (total - fixed - cited_pages - cited_entries) / max(documents, 1)
    numbers = round(target * CITED_PER_DOCUMENT + CLEANUP_NUMBERS)
    return {"documents": target, "fixed_bytes": fixed, "bytes_per_document": round(per_document),
            "cited_numbers": numbers, "bytes_per_cited_number": round(per_cited),
            "site_bytes": round(fixed + target * per_document + numbers * per_cited)}


def breakdown(site: Path) -> dict:
    """Bytes of the site by kind of output (both scripts together)."""
    out: dict[str, int] = {}
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        parts = path.relative_to(site).parts
        if parts[0] == "zh-Hant":
            parts = parts[1:] or parts
        kind = parts[0] if len(parts) > 1 and parts[0] in ("doc", "cited", "api", "pagefind", "assets", "issue",
                                                           "year", "browse") else "other"
        out[kind] = out.get(kind, 0) + path.stat().st_size
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))


def run(project: Path, out: Path, issues: int, profile: Path | None = None, clean: bool = True,
        queries: list[str] | None = None) -> dict:
    from .cli import build_archive

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
        code = build_archive(out, stage=rec.stage, counts=conversions)
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
              "peak_mb": round(rec.peak_kb / 1024), "jobs": _jobs(), "conversions": conversions,
              "stages": {k: {"seconds": round(v["seconds"], 2), "peak_mb": round(v["peak_kb"] / 1024)}
                         for k, v in rec.stages.items()}}
    if code == 0:
        result["sizes"] = sizes(out)
        result["projection"] = projection(out / "site", result["documents"])
        result["ms_per_page"] = round(1000 * total / max(result["sizes"]["html_pages"], 1), 2)
        if queries:
            from .config import load_config

            result["queries"] = measured_queries(out / "site", queries, load_config(out / "gazette.yml").variant)
    return result


def _jobs() -> int:
    from .cache import jobs

    return jobs()


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
        for lang, q in s["first_query"].items():
            p(f"  first query ({lang}): {q['total'] / 1e3:.0f} KB = js {q['js'] / 1e3:.0f} + entry {q['entry']} B "
              f"+ wasm {q['wasm'] / 1e3:.0f} + meta {q['meta'] / 1e3:.1f} + {2 * q['indexes']} chunks {q['index_chunks'] / 1e3:.0f} "
              f"+ 5 fragments {q['fragments'] / 1e3:.0f} KB ({q['indexes']} index{'es' if q['indexes'] > 1 else ''}, "
              f"{q['chunks']} chunks; UI js+css {q['ui'] / 1e3:.0f} KB)")
    for query, scripts in r.get("queries", {}).items():
        p("  measured first query: " + "; ".join(
            f"{m['query']} ({script}) {m['total'] / 1e3:.0f} KB = " + " + ".join(
                f"{kind} {m[kind] / 1e3:.1f}" for kind in ("js", "entry", "wasm", "meta", "index", "fragments")
                if kind in m) + f" ({m['files']} files)"
            for script, m in scripts.items()))
    x = r.get("projection")
    if x:
        p(f"  {x['documents']:,} documents: {x['fixed_bytes'] / 1e6:.1f} MB assets + {x['documents']:,} × "
          f"{x['bytes_per_document'] / 1e3:.1f} KB + {x['cited_numbers']:,} cited numbers × "
          f"{x['bytes_per_cited_number'] / 1e3:.1f} KB = {x['site_bytes'] / 1e9:.2f} GB of files")
        if s:
            ratio = s["artifact"]["tar_gz_bytes"] / max(s["site_bytes"], 1)
            p(f"  as the Pages artifact (this build's ratio): ≈ {x['site_bytes'] * ratio / 1e9:.2f} GB")


def cmd_bench(args: argparse.Namespace) -> int:
    from .cli import project_root

    out = Path(args.out).resolve()
    project = project_root()
    if out == project or project in out.parents and out.parent == project:
        if out.name in ("docs_src", "build", "site", "") or out == project:
            print("gazette: error: --out must be a folder of its own (e.g. .bench/160)", file=sys.stderr)
            return 1
    result = run(project, out, args.issues, Path(args.profile).resolve() if args.profile else None,
                 clean=not args.keep, queries=args.query)
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
    bench.add_argument("--keep", action="store_true",
                       help="keep DIR/build (the conversion cache) from the last run: an incremental build")
    bench.add_argument("--query", action="append", metavar="TEXT",
                       help="measure what this first search query downloads, in the system Chromium, on both "
                            "scripts' search pages (repeatable; needs the test extra)")
    bench.set_defaults(func=cmd_bench)
