"""What a build weighs: the site by kind, a first search query's files, the Pages artifact, and the
projection to 10,000 documents."""

from __future__ import annotations

import gzip
import re
from pathlib import Path



def _gz(path: Path) -> int:
    data = path.read_bytes()
    return len(data) if data[:2] == b"\x1f\x8b" else len(gzip.compress(data, 6))


# the grams a 7-character phrase is looked up by (phrase_index.lookup_grams: its 5 trigrams), a bucket each at most
QUERY_GRAMS = 5
RESULTS_SHOWN = 5  # the results a first query shows (gazette-search.js PAGE_SIZE), a document text each


def search_bytes(site: Path) -> dict:
    """What a first search query downloads, bounded from the files (gzip as served): meta.json, the
    QUERY_GRAMS largest buckets (a 7-character phrase's trigrams, each in a different bucket) and the
    RESULTS_SHOWN largest document texts; beside it, the search page's own script, styles and script map,
    which load with the page."""
    from ..site.search import INDEX_DIR

    index = site / INDEX_DIR
    buckets = sorted((p.stat().st_size for p in (index / "keys").glob("*.bin")), reverse=True)
    docs = sorted((served_size(p) for p in (index / "doc").glob("*.json")), reverse=True)
    parts = {"meta": served_size(index / "meta.json"), "buckets": sum(buckets[:QUERY_GRAMS]),
             "documents": sum(docs[:RESULTS_SHOWN])}
    parts["total"] = sum(parts.values())
    parts["page"] = sum(served_size(site / rel) for rel in ("assets/gazette-search.js", "assets/gazette-search.css",
                                                            "assets/gazette/script-map.js") if (site / rel).is_file())
    parts["bucket_files"] = len(buckets)
    parts["bucket_median"] = buckets[len(buckets) // 2] if buckets else 0
    return parts


def sizes(root: Path) -> dict:
    site = root / "site"
    html_pages = list(site.rglob("*.html"))
    doc_pages = [p for p in (site / "doc").glob("*/index.html")] + \
                [p for p in (site / "zh-Hant" / "doc").glob("*/index.html")]
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    from ..site.search import INDEX_DIR

    search_index = sum(p.stat().st_size for p in (site / INDEX_DIR).rglob("*") if p.is_file())
    doc_bytes = sorted(p.stat().st_size for p in doc_pages)
    return {
        "html_pages": len(html_pages),
        "doc_pages": len(doc_pages),
        "site_bytes": total,
        "doc_page_bytes_mean": sum(doc_bytes) // max(len(doc_bytes), 1),
        "doc_page_bytes_median": doc_bytes[len(doc_bytes) // 2] if doc_bytes else 0,
        "doc_page_bytes_max": doc_bytes[-1] if doc_bytes else 0,
        "search_index_bytes": search_index,
        "api_bytes": sum(p.stat().st_size for p in (site / "api").rglob("*") if p.is_file()),
        "first_query": search_bytes(site),
        "breakdown": breakdown(site),
        "artifact": artifact(site),
    }


def served_size(path: Path) -> int:
    """A file's bytes as GitHub Pages serves it: JS, JSON and CSS gzip-compressed, the rest as is
    (the search index's buckets are compressed already)."""
    return _gz(path) if path.suffix in (".js", ".json", ".css") else path.stat().st_size


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
    fixed = sum(p.stat().st_size for p in files("assets/**/*", "zh-Hant/assets/**/*"))
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
        kind = parts[0] if len(parts) > 1 and parts[0] in ("doc", "cited", "api", "search-index", "assets", "issue",
                                                           "year", "browse") else "other"
        out[kind] = out.get(kind, 0) + path.stat().st_size
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))
