"""Whole-issue tests: the seed archive (tests/fixtures/seed_issues/) gives exactly the documents and facts
of expected.json."""

from __future__ import annotations

import re

import pytest

from conftest import SEED_FOLDERS

CASES = list(SEED_FOLDERS.items())


def _documents(seed_results, folder, kind="document"):
    return [d for d in seed_results[folder].documents if d.kind == kind]


@pytest.mark.parametrize("seed,folder", CASES)
def test_document_list(seed_results, expected, seed, folder):
    want = [d["doc_number"] for d in expected[seed]["documents"]]
    got = [d.doc_number for d in _documents(seed_results, folder)]
    assert sorted(got) == sorted(want)


@pytest.mark.parametrize("seed,folder", CASES)
def test_issue_facts(seed_results, expected, seed, folder):
    facts = expected[seed]
    meta = seed_results[folder].meta
    assert meta.year == facts["year"]
    assert meta.number == facts.get("number")
    assert meta.date == facts.get("date")


@pytest.mark.parametrize("seed,folder", CASES)
def test_document_facts(seed_results, expected, seed, folder):
    by_number = {d.doc_number: d for d in _documents(seed_results, folder)}
    for want in expected[seed]["documents"]:
        doc = by_number[want["doc_number"]]
        titles = want.get("title_any") or [want["title"]]
        assert doc.title in titles, want["doc_number"]
        issuers = want.get("issuer_any") or [want["issuer"]]
        assert doc.issuer in issuers, want["doc_number"]
        assert doc.date == want["date"], want["doc_number"]
        if "articles" in want:
            assert doc.articles == want["articles"], want["doc_number"]
        if "chapters" in want:
            assert doc.chapters == want["chapters"], want["doc_number"]
        if "table_rows_min" in want:
            rows = max(len(b.rows or []) for b in doc.blocks if b.type == "table")
            assert rows - 1 >= want["table_rows_min"], want["doc_number"]


@pytest.mark.parametrize("seed,folder", CASES)
def test_statistics(seed_results, expected, seed, folder):
    [stats] = _documents(seed_results, folder, "statistics")
    assert stats.period == expected[seed]["statistics"]["period"]
    assert len(stats.rows) == expected[seed]["statistics"]["rows"]
    for row in stats.rows:
        assert row["indicator"] and (row["value"] is not None or row["growth"] is not None or "指数" in row["indicator"])


@pytest.mark.parametrize("seed,folder", CASES)
def test_chronicle(seed_results, expected, seed, folder):
    [chronicle] = _documents(seed_results, folder, "chronicle")
    assert len(chronicle.days) == expected[seed]["chronicle"]["days"]
    assert sum(d["events"] for d in chronicle.days) == expected[seed]["chronicle"]["events"]
    dates = [d["date"] for d in chronicle.days]
    assert dates == sorted(dates) and len(set(dates)) == len(dates)


def test_growth_kept_without_cumulative_value(seed_results):
    rows = {r["indicator"]: r for d in seed_results["2020-acb6513f"].documents if d.kind == "statistics" for r in d.rows}
    assert rows["规模以上工业增加值"] == {"indicator": "规模以上工业增加值", "value": None, "growth": 3.3}


@pytest.mark.parametrize("folder", SEED_FOLDERS.values())
def test_anchors_unique_and_contract_shaped(seed_results, folder):
    import re

    shape = re.compile(r"^((chp_\d+|sec_\d+|art_\d+|para_\d+|item_\d+|hd_\d+|att_\d+|encl_\d+|p_\d+|page_\d+"
                       r"|day_\d{4}-\d{2}-\d{2})(_\d+)?)(__(chp_\d+|sec_\d+|art_\d+|para_\d+|item_\d+|hd_\d+|p_\d+)(_\d+)?)*$")
    for doc in seed_results[folder].documents:
        anchors = doc.anchors
        assert len(anchors) == len(set(anchors)), doc.id
        for anchor in anchors:
            assert shape.match(anchor), (doc.id, anchor)


def test_article_anchors_are_plain(seed_results):
    doc = next(d for d in seed_results["2018-16"].documents if d.doc_number == "连政办发〔2018〕160号")
    anchors = doc.anchors
    assert [f"art_{n}" for n in range(1, 23)] == [a for a in anchors if re.fullmatch(r"art_\d+", a)]
    assert "chp_3" in anchors
    article = next(b for b in doc.blocks if b.anchor == "art_15")
    assert article.label == "第十五条" and article.text.startswith("发布申请")


def test_page_anchors_from_running_footers(seed_results):
    doc = next(d for d in seed_results["2019-d73dbd3f"].documents if d.doc_number == "连政规发〔2019〕2号")
    assert doc.pages == (3, 9)
    assert "page_7" in doc.anchors


def test_cover_and_contents_pages(seed_results):
    docs = {d.doc_number: d for d in seed_results["2018-16"].documents}
    assert docs["连政办发〔2018〕160号"].pages == (14, 22)
    assert docs["连政办发〔2018〕160号"].category == "市政府办公室文件"
    # listed in the contents as 市政府办公室…, printed as 市人民政府办公室…
    assert docs["连政办发〔2018〕161号"].pages == (23, 30)
    assert "page_23" in docs["连政办发〔2018〕161号"].anchors


def test_numbers_split_across_lines_are_rejoined(seed_results):
    doc = next(d for d in seed_results["2019-d73dbd3f"].documents if d.doc_number == "连政规发〔2019〕2号")
    assert "国发〔2015〕50号" in doc.cites and "苏政发〔2017〕133号" in doc.cites



def test_page_start_inside_a_chronicle_event(seed_results):
    """A page that begins in the middle of an event is marked where it begins, in the event's text."""
    from converters.render import PageToc, page_mark, render_document

    chronicle = next(d for d in seed_results["2019-d73dbd3f"].documents if d.kind == "chronicle")
    assert f"农村生活污{page_mark(32)}水治理" in render_document(chronicle, PageToc()).body


def test_attachment_heading_printed_at_the_foot_of_its_first_page(seed_results):
    docs = {d.doc_number: d for d in seed_results["2020-acb6513f"].documents}
    sport = docs["连政办发〔2020〕79号"]
    assert not [w for w in sport.warnings if "numbering repeats" in w.message]  # the attachment's （一） is att_1__hd_1
    assert {"att_1", "att_1__hd_1", "att_1__hd_1__hd_1"} <= set(sport.anchors)
    members = docs["连政办发〔2020〕80号"]
    blocks = [b.type for b in members.blocks]
    att = next(i for i, b in enumerate(members.blocks) if b.role == "attachment")
    assert "table" in blocks[att:]


def test_cell_per_line_table_is_kept_line_by_line(seed_results):
    doc = next(d for d in seed_results["2020-acb6513f"].documents if d.doc_number == "连政办发〔2020〕85号")
    [table] = [b for b in doc.blocks if b.type == "lines"]
    assert table.text.split("\n")[:2] == ["基本公共服务领域市与区共同财政事权清单", "及保障标准、支出责任划分情况表"]
    assert not any(a.startswith("att_1__hd_") for a in doc.anchors)  # row numbers are not headings
