"""engine.nav_views: an incremental build has MkDocs render again the pages whose view of the nav
changed (the sections they are in, their neighbours), and only those."""

from __future__ import annotations

from converters.site.engine import nav_views


def archive_nav(years: dict[int, list[str]]) -> list:
    return [{"首页": "index.md"},
            {"历年公报": [{f"{y}年": [f"year/{y}.md"] + [{f"{y}年第{n}期": f"issue/{y}-{n}.md"} for n in numbers]}
                          for y, numbers in sorted(years.items(), reverse=True)]},
            {"索引": ["browse/category.md"]}]


def changed(before: dict, after: dict) -> set[str]:
    return {page for page in after if before.get(page) != after[page]}


def titles(page: str) -> str:
    return page.upper()


def test_an_issue_added_to_a_year_changes_that_year_and_its_neighbours_only():
    before = nav_views(archive_nav({2019: ["1", "2"], 2020: ["1", "2", "3"]}), titles)
    after = nav_views(archive_nav({2019: ["1", "2"], 2020: ["1", "2", "3", "4"]}), titles)
    assert changed(before, after) == {"year/2020.md", "issue/2020-1.md", "issue/2020-2.md", "issue/2020-3.md",
                                      "issue/2020-4.md", "year/2019.md"}  # 2019's first page: the next after it
    assert not changed(before, nav_views(archive_nav({2019: ["1", "2"], 2020: ["1", "2", "3"]}), titles))


def test_a_new_latest_year_changes_every_page_in_the_nav():
    """The years' section now opens on another page: the top level every page shows changed (and with
    it the frame stamp: a full MkDocs build)."""
    before = nav_views(archive_nav({2019: ["1"], 2020: ["1"]}), titles)
    after = nav_views(archive_nav({2019: ["1"], 2020: ["1"], 2021: ["1"]}), titles)
    assert changed(before, after) == set(after)


def test_a_neighbours_title_is_part_of_the_view():
    nav = archive_nav({2019: ["1"]})
    before = nav_views(nav, titles)
    after = nav_views(nav, lambda page: "another" if page == "browse/category.md" else titles(page))
    assert changed(before, after) == {"issue/2019-1.md"}  # the last issue links to the index next
