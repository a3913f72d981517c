"""The Traditional pages stage (converters/site/traditional.py): written chunk by chunk, the same whatever
the number of workers and whether pages are sent to them as they are made, and an incremental build's
still-valid pages left as they are."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from converters.search_map import count_aligned
from converters.site.common import write_tree
from converters.site.traditional import CHUNK_PAGES, EarlyConversion, PairTotals, count_page_pairs, write_traditional


def _pages(n: int) -> dict[str, str]:
    return {f"doc/{i}.md": f"---\ntitle: 关于第{i}号文件的通知\n---\n<p>连云港市人民政府发布{i}</p>\n" for i in range(n)}


def test_workers_write_the_same_pages_as_one_process(tmp_path):
    files = _pages(CHUNK_PAGES * 2 + 7)  # more than one chunk, and enough pages for the worker pool
    one, two = tmp_path / "one", tmp_path / "two"
    (two / "stale").mkdir(parents=True)
    (two / "stale" / "gone.md").write_text("x", encoding="utf-8")
    removed_one, pairs_one = write_traditional(one, files, "s2tw", set(), workers=1)
    removed_two, pairs_two = write_traditional(two, files, "s2tw", set(), workers=2)
    written = sorted(p.relative_to(one).as_posix() for p in one.rglob("*.md"))
    assert written == sorted(files) == sorted(p.relative_to(two).as_posix() for p in two.rglob("*.md"))
    assert all((one / p).read_bytes() == (two / p).read_bytes() for p in files)
    assert "連雲港市人民政府發布" in (one / "doc/0.md").read_text(encoding="utf-8")
    assert removed_one == [] and removed_two == ["stale/gone.md"]
    assert pairs_one == pairs_two and pairs_one[("发", "發")] == len(files)


def test_reused_pages_are_counted_not_rewritten(tmp_path):
    files = _pages(3)
    write_traditional(tmp_path, files, "s2tw", set())
    kept = tmp_path / "doc/1.md"
    kept.write_text(kept.read_text(encoding="utf-8").replace("發布", "發佈"), encoding="utf-8")  # as a marker
    removed, pairs = write_traditional(tmp_path, files, "s2tw", {"doc/1.md"})
    assert removed == [] and "發佈" in kept.read_text(encoding="utf-8")  # read and counted, not converted again
    assert pairs[("发", "發")] == 3 and pairs[("布", "佈")] == 1


def test_pair_totals_follow_changed_and_removed_pages(tmp_path):
    """An incremental build's pairs, from the last build's totals and the pages it changes, are the
    pairs a full count of its pages gives."""
    hans, hant, totals_file = tmp_path / "hans", tmp_path / "hant", tmp_path / "pairs.json"

    def build(files, incremental):
        totals = PairTotals(totals_file, "stamp", hant)
        if incremental:
            totals.load()
        _, written = write_tree(hans, files.items(), replaced=totals.replaced)
        reuse = {p for p in files if incremental and p not in written}
        _, pairs = write_traditional(hant, files, "s2tw", reuse, reused_pairs=totals.pairs)
        totals.save(pairs)
        return pairs, totals

    first = _pages(4)
    build(first, incremental=False)
    second = {p: t for p, t in first.items() if p != "doc/3.md"}  # one page removed,
    second["doc/1.md"] = second["doc/1.md"].replace("发布", "印发")  # one changed,
    second["doc/9.md"] = "<p>后发</p>\n"  # one added
    pairs, totals = build(second, incremental=True)
    assert totals.pairs is not None  # the totals were used, not a full count
    assert pairs == write_traditional(tmp_path / "full", second, "s2tw", set())[1]


def test_pair_totals_of_another_stamp_are_not_used(tmp_path):
    PairTotals(tmp_path / "pairs.json", "one", tmp_path).save(Counter({("发", "發"): 3}))
    other = PairTotals(tmp_path / "pairs.json", "two", tmp_path)
    other.load()
    assert other.pairs is None and not (tmp_path / "pairs.json").exists()


_LINES = st.lists(st.sampled_from(["<p>发布</p>", "<p>發布</p>", "发", "發", "", "a", "aa", "后发", "後發"]), max_size=8)


@settings(deadline=None)
@given(st.lists(st.tuples(_LINES, _LINES), max_size=6))
def test_page_pairs_are_counted_as_line_by_line(pages):
    """Counting each distinct line once (times its count) gives count_aligned's pairs, line by line;
    pages whose lines do not line up and lines of unequal lengths are left out."""
    fast, straightforward = Counter(), Counter()
    for hans, hant in (("\n".join(hans), "\n".join(hant)) for hans, hant in pages):
        count_page_pairs(hans, hant, fast)
        if len(hans.splitlines()) == len(hant.splitlines()):
            count_aligned(zip(hans.splitlines(), hant.splitlines()), straightforward)
    assert fast == straightforward and set(fast) == set(straightforward)


def test_pages_converted_while_they_are_made_are_the_pages_converted_after(tmp_path):
    """EarlyConversion: pages sent to the workers as they are made, and written as the workers return
    them, give the same files and pairs as converting them afterwards; a page made again after it was
    sent is converted from its last text; a stale file in the folder is removed."""
    from concurrent.futures import ThreadPoolExecutor

    files = _pages(CHUNK_PAGES * 2 + 7)
    (tmp_path / "early" / "stale").mkdir(parents=True)
    (tmp_path / "early" / "stale" / "gone.md").write_text("x", encoding="utf-8")
    for again in (False, True):
        made: dict[str, str] = {}
        with ThreadPoolExecutor(2) as pool:
            early = EarlyConversion("s2tw", pool, tmp_path / "early")
            for path, text in files.items():
                made[path] = text
                early.add(path, text)
            if again:  # made again, after its chunk was sent: the first page of the first chunk, the last page
                for path in ("doc/0.md", f"doc/{len(files) - 1}.md"):
                    made[path] = made[path].replace("发布", "印发")
                    early.add(path, made[path])
            removed, pairs = write_traditional(tmp_path / "early", made, "s2tw", set(), workers=2, early=early)
        _, plain_pairs = write_traditional(tmp_path / "plain", made, "s2tw", set())
        written = sorted(p.relative_to(tmp_path / "early").as_posix() for p in (tmp_path / "early").rglob("*.md"))
        assert written == sorted(made) and removed == ([] if again else ["stale/gone.md"])
        assert all((tmp_path / "early" / p).read_bytes() == (tmp_path / "plain" / p).read_bytes() for p in made)
        assert pairs == plain_pairs and pairs[("印", "印")] == (2 if again else 0)
    assert "印發" in (tmp_path / "early" / "doc/0.md").read_text(encoding="utf-8")
