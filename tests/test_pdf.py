"""An issue added as the PDF it is published as: the text layer extracted (converters/pdf_extract.py)
into the PDF-text form, filed as source.txt with the PDF's SHA-256 and page count.

The PDFs are typeset here (tests/gazette_pdf.py) like the gazette: running header and folio at the
margins, centred titles, hard-wrapped body, a ruled table, a two-column chronicle page."""

from __future__ import annotations

import hashlib
import io
import time
from pathlib import Path

import pytest
import yaml
from reportlab.pdfgen import canvas

from conftest import SEED_FOLDERS
from converters.cli import main
from converters.config import load_config
from converters.model import ConversionError, IssueMeta
from converters.pdf_extract import extract, is_pdf
from converters.pdf_page import unify
from converters.pipeline import convert_text
from converters.readers import pdftext
from gazette_pdf import Page, from_markdown_dump, from_text_dump, text_dump_pages, typeset

ROOT = Path(__file__).resolve().parent.parent
PATTERNS = load_config(ROOT / "gazette.yml").furniture_patterns


def wrap(text: str, width: int) -> list[str]:
    """Hard-wrapped as a typesetter does: every line full but the last."""
    return [text[k:k + width] for k in range(0, len(text), width)]


def events(day: int, n: int) -> list[str]:
    out = [f"2月{day}日："]
    for k in range(n):
        out += wrap(f"●副市长第{k + 1}位同志调研第{day}号工程建设推进情况并召开专题会议研究部署下一步工作。", 19)
    return out


ARTICLE_1 = ("第\u2f00条　为了规范本市某某事项的管理工作，保障公共利益和公民、法人及其他组织的合法权益，"
             "根据有关法律法规，结合本市实际，制定本办法。")  # ⼀: the Kangxi radical a PDF font maps 一 to
ARTICLE_2 = "第二条　本办法适用于本市行政区域内某某事项的管理、服务和监督工作，具体名单见附件所列各单位。"
CHRONICLE_DAYS = [(1, 2), (2, 3), (3, 2), (4, 2)]


def gazette_pages() -> list[Page]:
    body = wrap(ARTICLE_1, 40) + wrap(ARTICLE_2, 40)
    return [
        Page(header="市政府文件", folio="连云港市人民政府公报 1", blocks=[
            ("title", "市政府关于印发连云港市某某管理办法的通知"),
            ("line", "连政发〔2021〕5号"),
            ("line", "各县、区人民政府，市各委办局，市各直属单位："),
            ("line", "现将《连云港市某某管理办法》印发给你们，请认真贯彻执行。"),
            ("line", "连云港市人民政府"),
            ("line", "2021年3月1日"),
            ("title", "连云港市某某管理办法"),
            *[("line", line) for line in body],
        ]),
        Page(header="市政府文件", folio="2 连云港市人民政府公报", blocks=[
            ("line", "第三条　本办法自2021年4月1日起施行。"),
            ("line", "附件：某某单位名单"),
            ("table", [["序号", "单位名称", "地址"], ["1", "连云港市某某中心", "海州区朝阳路1号"],
                       ["2", "连云港市某某站\n（分站）", "连云区中山路2号"], ["3", "连云港市某某所", ""],
                       ["", "连云港市某某馆", "赣榆区青口镇\n3号"]]),
        ]),
        Page(header="大事记", folio="连云港市人民政府公报 3", blocks=[
            ("title", "连云港市人民政府大事记"),
            ("line", "（2021年2月1日—28日）"),
            ("columns", [line for day, n in CHRONICLE_DAYS for line in events(day, n)]),
        ]),
    ]


@pytest.fixture(scope="module")
def gazette_pdf() -> bytes:
    return typeset(gazette_pages())


@pytest.fixture(scope="module")
def gazette_text(gazette_pdf) -> str:
    return extract(gazette_pdf, "issue.pdf").text


def convert(text: str, year: int = 2021):
    return convert_text(text, "issue.txt", IssueMeta(f"{year}-01", year, 1, None), "pdf-text", PATTERNS)


# --- the text form ------------------------------------------------------------------------------

def test_one_form_feed_per_page_and_running_heads_first(gazette_text):
    pages = gazette_text.split("\f")[1:]
    assert len(pages) == 3 and not gazette_text.split("\f")[0]
    assert [p.split("\n")[:2] for p in pages] == [["市政府文件", "连云港市人民政府公报 1"],
                                                   ["市政府文件", "2 连云港市人民政府公报"],
                                                   ["大事记", "连云港市人民政府公报 3"]]
    assert not any(line.startswith(" ") for line in gazette_text.split("\n"))


def test_hard_wrapped_lines_kept_and_compatibility_characters_unified(gazette_text):
    lines = gazette_text.split("\n")
    assert wrap(ARTICLE_1.replace("\u2f00", "一"), 40)[0] in lines
    assert "\u2f00" not in gazette_text


def test_ruled_table_cells_are_tab_separated(gazette_text):
    """A line per printed row, a cell's wrapped text joined, empty cells in their places."""
    page = gazette_text.split("\f")[2].split("\n")
    assert page[page.index("序号\t单位名称\t地址"):][:5] == [
        "序号\t单位名称\t地址", "1\t连云港市某某中心\t海州区朝阳路1号", "2\t连云港市某某站（分站）\t连云区中山路2号",
        "3\t连云港市某某所\t", "\t连云港市某某馆\t赣榆区青口镇3号"]


def test_two_columns_read_column_by_column(gazette_text):
    chronicle = gazette_text.split("\f")[3].split("\n")
    expected = [line for day, n in CHRONICLE_DAYS for line in events(day, n)]
    assert chronicle[2:4] == ["连云港市人民政府大事记", "（2021年2月1日—28日）"]
    assert [line for line in chronicle[4:] if line] == expected


def test_same_pdf_same_bytes(gazette_pdf, gazette_text):
    again = extract(gazette_pdf, "issue.pdf")
    assert again.text.encode("utf-8") == gazette_text.encode("utf-8")
    assert again.sha256 == hashlib.sha256(gazette_pdf).hexdigest() and again.pages == 3


def test_gazette_pdf_converts(gazette_text):
    result = convert(gazette_text)
    [doc] = [d for d in result.documents if d.kind == "document"]
    assert doc.doc_number == "连政发〔2021〕5号"
    assert doc.title == "市政府关于印发连云港市某某管理办法的通知"
    assert (doc.issuer, doc.date) == ("连云港市人民政府", "2021-03-01")
    assert doc.pages == (1, 2) and doc.category == "市政府文件"
    assert {"art_1", "art_2", "art_3", "page_2"} <= set(doc.anchors)
    [table] = [b for b in doc.blocks if b.type == "table"]
    assert table.rows[0] == ["序号", "单位名称", "地址"] and len(table.rows) == 5
    assert table.rows[2] == ["2", "连云港市某某站（分站）", "连云区中山路2号"] and table.rows[4][0] == ""
    [chronicle] = [d for d in result.documents if d.kind == "chronicle"]
    assert [(d["date"], d["events"]) for d in chronicle.days] == [
        (f"2021-02-{day:02d}", n) for day, n in CHRONICLE_DAYS]
    assert not result.lost and {f.text for f in result.furniture} >= {"市政府文件", "连云港市人民政府公报 1"}


def test_running_title_at_the_top_and_number_at_the_foot(gazette_text):
    """The folio is written as the reader knows it, the running title with the number."""
    pages = [Page(header=p.header, running_title="连云港市人民政府公报", folio=str(n), folio_at="bottom",
                  blocks=p.blocks) for n, p in enumerate(gazette_pages(), 7)]
    text = extract(typeset(pages), "issue.pdf").text
    assert [p.split("\n")[:2] for p in text.split("\f")[1:]] == [
        ["市政府文件", "连云港市人民政府公报 7"], ["市政府文件", "连云港市人民政府公报 8"], ["大事记", "连云港市人民政府公报 9"]]
    assert text.split("\f")[1].split("\n")[2:] == gazette_text.split("\f")[1].split("\n")[2:]
    assert [d.pages for d in convert(text).documents] == [(7, 8), (9, 9)]


def test_a_document_title_as_running_header():
    """Some issues head each page with its document's title: a running head all the same."""
    title = "市政府关于印发连云港市某某管理办法的通知"
    pages = [Page(header=title, folio=p.folio, blocks=p.blocks) for p in gazette_pages()[:2]]
    text = extract(typeset(pages), "issue.pdf").text
    assert [p.split("\n")[0] for p in text.split("\f")[1:]] == [title, title]
    result = convert(text)
    [doc] = result.documents
    assert (doc.doc_number, doc.title, doc.pages) == ("连政发〔2021〕5号", title, (1, 2))
    assert {f.text for f in result.furniture} == {title, "连云港市人民政府公报 1", "2 连云港市人民政府公报"}


def test_an_issue_flowed_by_platypus():
    """Another producer's layout: reportlab's flowing paragraphs (CJK wrap, first-line indent), a
    ruled table breaking across pages with its head row repeated, running heads drawn per page."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=12, leading=20, wordWrap="CJK",
                          firstLineIndent=24)
    plain = ParagraphStyle("plain", parent=body, firstLineIndent=0)
    right = ParagraphStyle("right", parent=body, alignment=2)
    cell = ParagraphStyle("cell", fontName="STSong-Light", fontSize=10, leading=14, wordWrap="CJK")

    def running_head(c, doc):
        c.setFont("STSong-Light", 10)
        c.drawString(72, 802, "市政府文件")
        c.drawRightString(523, 802, f"连云港市人民政府公报 {doc.page}" if doc.page % 2 else
                          f"{doc.page} 连云港市人民政府公报")
        c.line(72, 796, 523, 796)

    article = "本办法所称某某事项，是指本市行政区域内的有关单位依照法律法规开展的各项管理和服务工作。"
    rows = [["序号", "单位名称", "地址"]] + [[str(i), f"连云港市第{i}某某管理服务中心（分中心）",
                                              f"海州区朝阳东路{i}号某某大厦{i}楼"] for i in range(1, 40)]
    story = [Paragraph("市政府关于印发连云港市某某管理办法的通知",
                       ParagraphStyle("title", parent=body, fontSize=18, leading=28, alignment=1)),
             Paragraph("连政发〔2021〕9号", ParagraphStyle("number", parent=plain, alignment=1)),
             Paragraph("各县、区人民政府，市各委办局，市各直属单位：", plain),
             Paragraph("现将《连云港市某某管理办法》印发给你们，请认真贯彻执行。", body)]
    story += [Paragraph(f"第{n}条　{article * 2}", body) for n in "一二三四五六七八九十"]
    story += [Paragraph("附件：某某单位名单", plain),
              Table([[Paragraph(t, cell) for t in row] for row in rows], colWidths=[50, 150, 180], repeatRows=1,
                    style=TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)])),
              Paragraph("连云港市人民政府", right), Paragraph("2021年5月6日", right)]
    out = io.BytesIO()
    SimpleDocTemplate(out, invariant=1, topMargin=80).build(story, onFirstPage=running_head,
                                                            onLaterPages=running_head)
    result = convert(extract(out.getvalue(), "issue.pdf").text)
    [doc] = result.documents
    assert (doc.doc_number, doc.title, doc.issuer, doc.date) == (
        "连政发〔2021〕9号", "市政府关于印发连云港市某某管理办法的通知", "连云港市人民政府", "2021-05-06")
    assert doc.articles == 10 and doc.pages[0] == 1 and doc.pages[1] >= 3
    [table] = [b for b in doc.blocks if b.type == "table"]
    assert ["39", "连云港市第39某某管理服务中心（分中心）", "海州区朝阳东路39号某某大厦39楼"] in table.rows
    assert not result.lost and not doc.warnings


def test_bare_folio_at_the_foot():
    """A folio printed as a bare number at the foot of the page is the page number too."""
    body = [("line", line) for line in wrap(ARTICLE_2 * 3, 40)]
    pages = [Page(folio="11", folio_at="bottom", blocks=[
        ("title", "市政府关于印发连云港市某某管理办法的通知"), ("line", "连政发〔2021〕6号"), *body]),
        Page(folio="12", folio_at="bottom", blocks=body + [("line", "连云港市人民政府"), ("line", "2021年3月2日")])]
    text = extract(typeset(pages), "issue.pdf").text
    assert [p.split("\n")[0] for p in text.split("\f")[1:]] == ["11", "12"]
    [doc] = convert(text).documents
    assert doc.pages == (11, 12) and doc.date == "2021-03-02"


def test_cover_contents_and_a_decorated_folio_at_the_foot():
    """An issue as printed: a cover, a contents page, folios `— 3 —` at the foot, a category header
    at the top, printed on one page only (大事记) as well as on several (市政府文件)."""
    first, second, chronicle = gazette_pages()
    pages = [
        Page(blocks=[("title", "连云港市人民政府公报"), ("line", "2021"), ("line", "第1期"),
                     ("line", "连云港市人民政府办公室主办")]),
        Page(blocks=[("title", "目　　录"), ("line", "【市政府文件】"),
                     ("line", "市政府关于印发连云港市某某管理办法"),
                     ("line", "的通知……………………………………………………（3）"),
                     ("line", "【大事记】"), ("line", "连云港市人民政府大事记……………………………（5）")]),
    ] + [Page(header=p.header, folio=f"— {n} —", folio_at="bottom", blocks=p.blocks)
         for n, p in enumerate([first, second, chronicle], 3)]
    text = extract(typeset(pages), "issue.pdf").text
    assert text.split("\f")[5].split("\n")[:2] == ["大事记", "— 5 —"]
    lines = pdftext.read(text, "issue.txt")
    assert [(e.title, e.page, e.category) for e in lines.toc] == [
        ("市政府关于印发连云港市某某管理办法的通知", 3, "市政府文件"), ("连云港市人民政府大事记", 5, "大事记")]
    assert lines.cover == {"year": 2021, "number": 1}
    result = convert(text)
    assert [(d.kind, d.doc_number, d.pages, d.category) for d in result.documents] == [
        ("document", "连政发〔2021〕5号", (3, 4), "市政府文件"), ("chronicle", None, (5, 5), "大事记")]
    assert not result.warnings and not result.lost


def test_overprinted_bold_and_a_slanted_watermark_are_not_text():
    def draw(c):
        c.setFont("STSong-Light", 16)
        for dx in (0, 0.3):  # bold faked by printing the title twice
            c.drawString(100 + dx, 700, "市政府关于某某事项的通知 ")
        c.setFont("STSong-Light", 10.5)
        c.drawString(72, 660, "各县、区人民政府：某某某事项 ")
        c.saveState()
        c.translate(300, 400)
        c.rotate(45)
        c.setFont("STSong-Light", 40)
        c.drawString(0, 0, "内部资料 ")
        c.restoreState()

    assert extract(_pdf(draw), "x.pdf").text == "\f市政府关于某某事项的通知\n各县、区人民政府：某某某事项\n"


def test_text_in_a_frame_is_text():
    """A box drawn around the text is no table: its lines stay lines."""
    def draw(c):
        c.setFont("STSong-Light", 10.5)
        c.rect(60, 662, 460, 58)  # tight below the last line
        for k, line in enumerate(["第一行文字，", "第二行文字，", "第三行文字。"]):
            c.drawString(72, 700 - 15 * k, line + " ")

    assert extract(_pdf(draw), "x.pdf").text == "\f第一行文字，\n第二行文字，\n第三行文字。\n"


@pytest.mark.parametrize("turn", [90, -90])
def test_a_table_printed_across_the_page_is_read_in_its_direction(turn):
    """A wide table set turned on a portrait page (reading up or down it) comes out row by row,
    after the page's upright text."""
    from gazette_pdf import _table

    rows = [["序号", "名称", "地址"], ["1", "连云港市某某中心", "海州区朝阳路1号"], ["2", "某某站", ""]]

    def draw(c):
        c.setFont("STSong-Light", 10.5)
        c.drawString(72, 780, "附件 ")
        c.saveState()
        if turn == 90:
            c.translate(500, 100)
        else:
            c.translate(100, 700)
        c.rotate(turn)
        _table(c, rows, 400)
        c.restoreState()

    assert extract(_pdf(draw), "x.pdf").text.split("\n")[:4] == [
        "\f附件", "序号\t名称\t地址", "1\t连云港市某某中心\t海州区朝阳路1号", "2\t某某站\t"]


@pytest.mark.parametrize("odd,unified", [("\uf900", "\u8c48"), ("\uf9b4", "\u9818"), ("\u2f08", "人"),
                                         ("\u2fd5", "\u9fa0"), ("\u2e8c", "\u2e8c"), ("\uff10", "\uff10"),
                                         ("①", "①"), ("〔", "〔")])
def test_unify_only_compatibility_ideographs_and_kangxi_radicals(odd, unified):
    assert unify(f"第{odd}条") == f"第{unified}条"


# --- refusals -----------------------------------------------------------------------------------

def _pdf(draw, **kwargs) -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out, invariant=1, **kwargs)
    draw(c)
    c.showPage()
    c.save()
    return out.getvalue()


def test_scanned_pdf_refused():
    from reportlab.lib.utils import ImageReader
    from PIL import Image

    image = ImageReader(Image.new("L", (60, 80), 255))
    data = _pdf(lambda c: c.drawImage(image, 50, 50, 500, 700))
    with pytest.raises(ConversionError, match=r"scan\.pdf has no text layer.*OCR is not supported"):
        extract(data, "scan.pdf")


def test_encrypted_pdf_refused():
    from reportlab.lib.pdfencrypt import StandardEncryption

    data = _pdf(lambda c: c.drawString(72, 700, "secret"), encrypt=StandardEncryption("user", "owner"))
    with pytest.raises(ConversionError, match=r"locked\.pdf is an encrypted PDF that needs a password"):
        extract(data, "locked.pdf")


def test_pdf_restricted_by_an_owner_password_only_is_read():
    """Government PDFs often forbid editing or printing; they open without a password."""
    from reportlab.lib.pdfencrypt import StandardEncryption

    data = _pdf(lambda c: c.drawString(72, 700, "open text"),
                encrypt=StandardEncryption("", "owner", canPrint=0, canModify=0, canCopy=0))
    assert extract(data, "restricted.pdf").text == "\fopen text\n"


@pytest.mark.parametrize("cut", [0.3, 0.7])
def test_damaged_pdf_refused(gazette_pdf, cut):
    data = gazette_pdf[:int(len(gazette_pdf) * cut)]
    with pytest.raises(ConversionError, match=r"broken\.pdf is a damaged PDF"):
        extract(data, "broken.pdf")


def test_is_pdf():
    assert is_pdf(b"%PDF-1.7\n") and is_pdf(b"\r\n junk %PDF-1.4") and not is_pdf(b"plain text")


# --- gazette add --------------------------------------------------------------------------------

@pytest.fixture
def empty_project(tmp_path, monkeypatch) -> Path:
    (tmp_path / "gazette.yml").write_bytes((ROOT / "gazette.yml").read_bytes())
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_add_pdf(empty_project, gazette_pdf, gazette_text, capsys):
    (empty_project / "issue.pdf").write_bytes(gazette_pdf)
    url = "https://www.example.gov.cn/gazette/2021-01.pdf"
    assert main(["add", "issue.pdf", "--year", "2021", "--number", "1", "--source-url", url]) == 0
    out = capsys.readouterr().out
    assert "the text of the 3-page PDF" in out and "lzf-2021-5" in out
    folder = empty_project / "docs_src" / "2021-01"
    assert (folder / "source.txt").read_text(encoding="utf-8") == gazette_text
    assert yaml.safe_load((folder / "issue.yml").read_text(encoding="utf-8")) == {
        "year": 2021, "number": 1, "date": None, "source": "source.txt", "format": "pdf-text",
        "pdf_sha256": hashlib.sha256(gazette_pdf).hexdigest(), "pdf_pages": 3, "source_url": url}
    assert main(["check", "--quiet"]) == 0
    capsys.readouterr()
    # the same PDF again, under another number: the same issue
    assert main(["add", "issue.pdf", "--year", "2021", "--number", "2"]) == 1
    assert "issue.pdf is the same PDF as issue 2021-01" in capsys.readouterr().err


def _refused(project: Path, capsys, *args: str) -> str:
    assert main(["add", *args]) == 1
    out, err = capsys.readouterr()
    assert err.startswith("gazette: error: ") and err.count("\n") == 1 and "Traceback" not in out + err
    assert not (project / "docs_src").exists()
    return err


@pytest.mark.parametrize("url", ["http://www.example.gov.cn/a.pdf", "ftp://example.gov.cn/a.pdf", "https://",
                                 "www.example.gov.cn/a.pdf", "https://exa mple.gov.cn/a.pdf", "https://[::1/a"])
def test_add_refuses_a_bad_source_url(empty_project, gazette_pdf, capsys, url):
    (empty_project / "issue.pdf").write_bytes(gazette_pdf)
    assert "'source_url' must be an https URL" in _refused(empty_project, capsys, "issue.pdf", "--year", "2021",
                                                            "--source-url", url)


def test_add_refuses_a_pdf_that_is_not_a_gazette_issue(empty_project, capsys):
    from reportlab.pdfbase import pdfmetrics  # noqa: F401  (gazette_pdf registered the CID font)

    lines = wrap("这是一份会议通知，请各位同事于下周一上午九点到三楼会议室参加例会，会议讨论本季度的工作安排。" * 4, 40)
    (empty_project / "memo.pdf").write_bytes(typeset([Page(blocks=[("line", line) for line in lines])]))
    err = _refused(empty_project, capsys, "memo.pdf", "--year", "2021")
    assert "no document found" in err and "does not look like a gazette issue" in err


@pytest.mark.parametrize("extra,word", [
    ({"pdf_sha256": "ab" * 32}, "without 'pdf_pages'"),
    ({"pdf_sha256": "AB" * 32, "pdf_pages": 3}, "64 lower-case hex"),
    ({"pdf_sha256": "ab" * 32, "pdf_pages": 0}, "page count"),
    ({"pdf_sha256": "ab" * 32, "pdf_pages": True}, "page count"),
    ({"source_url": "http://example.gov.cn/a.pdf"}, "https URL"),
    ({"source_url": 7}, "https URL"),
])
def test_issue_yml_provenance_is_validated(tmp_path, extra, word):
    from converters.archive import load_issue

    folder = tmp_path / "2021-01"
    folder.mkdir()
    (folder / "source.txt").write_text("x\n", encoding="utf-8")
    meta = {"year": 2021, "number": 1, "date": None, "source": "source.txt", "format": "pdf-text", **extra}
    (folder / "issue.yml").write_text(yaml.safe_dump(meta), encoding="utf-8")
    with pytest.raises(ConversionError, match=word):
        load_issue(folder)


def test_issue_yml_provenance_read_back(tmp_path):
    from converters.archive import load_issue

    folder = tmp_path / "2021-01"
    folder.mkdir()
    (folder / "source.md").write_text("x\n", encoding="utf-8")
    meta = {"year": 2021, "number": 1, "date": None, "source": "source.md", "format": "pdf-markdown",
            "source_url": "https://www.example.gov.cn/2021-01.pdf"}
    (folder / "issue.yml").write_text(yaml.safe_dump(meta), encoding="utf-8")
    assert load_issue(folder).provenance == {"source_url": "https://www.example.gov.cn/2021-01.pdf"}
    meta.update(pdf_sha256="ab" * 32, pdf_pages=3)
    (folder / "issue.yml").write_text(yaml.safe_dump(meta), encoding="utf-8")
    with pytest.raises(ConversionError, match="format is pdf-text"):
        load_issue(folder)


def _dump_page(header: str, folio: str, lines: list[str]) -> str:
    return "\f" + "\n".join([header, folio, *lines]) + "\n"


def test_a_dump_page_of_figures_is_typeset_across_the_page():
    """A page of statistics rows, all about as narrow, is a table set across the page, not a
    two-column page as the chronicle's narrow wrapped lines are: set in two columns, the title
    would share its baseline with a row of the second column and the statistics be lost."""
    rows = [f"{label}、某某指标第{k + 1}项(亿元) {100 + 7.25 * k:.2f} {k % 5 - 1.5:.1f}"
            for k, label in enumerate("一二三四五六七八九十" * 2)]
    chronicle = [line for day, n in CHRONICLE_DAYS for line in events(day, n)]
    prose = wrap(ARTICLE_1.replace("\u2f00", "一") + ARTICLE_2 * 3, 40)
    dump = (_dump_page("市政府文件", "连云港市人民政府公报 1",
                       ["市政府关于印发连云港市某某管理办法的通知", "连政发〔2021〕5号", *prose,
                        "连云港市人民政府", "2021年3月1日"])
            + _dump_page("市政府文件", "2 连云港市人民政府公报",
                         ["2021 年 1-2 月份主要经济指标", "指    标 本月止累计 比上年同期增长％", *rows, "数据来源：市统计局"])
            + _dump_page("大事记", "连云港市人民政府公报 3",
                         ["连云港市人民政府大事记", "（2021年2月1日—28日）", *chronicle]))
    layout = [{kind for kind, _ in page.blocks} for page in text_dump_pages(dump)]
    assert layout == [{"line"}, {"line"}, {"columns"}]
    text = extract(from_text_dump(dump), "issue.pdf").text
    statistics = text.split("\f")[2].split("\n")
    assert statistics[statistics.index("2021 年 1-2 月份主要经济指标"):][2:22] == rows
    from_dump, from_pdf = convert(dump), convert(text)
    assert _facts(from_pdf) == _facts(from_dump)
    assert [d.kind for d in from_pdf.documents] == ["document", "statistics", "chronicle"]


# --- the seed issues typeset as PDFs ------------------------------------------------------------

def _seed(folder: str) -> tuple[str, str]:
    """(format, text) of a seed issue's source under docs_src."""
    for name, fmt in (("source.txt", "pdf-text"), ("source.md", "pdf-markdown")):
        if (ROOT / "docs_src" / folder / name).exists():
            return fmt, (ROOT / "docs_src" / folder / name).read_text(encoding="utf-8")
    raise FileNotFoundError(folder)


@pytest.fixture(scope="session")
def seed_pdfs(expected) -> dict:
    """Each seed issue typeset as a PDF and extracted again, once per session: {folder: (the dump's
    conversion, the PDF's conversion)}. The time it takes is printed (pytest -s)."""
    out = {}
    for seed, folder in SEED_FOLDERS.items():
        fmt, dump = _seed(folder)
        facts = expected[seed]
        meta = IssueMeta(folder, facts["year"], facts.get("number"), facts.get("date"))
        from_dump = convert_text(dump, "dump", meta, fmt, PATTERNS)
        start = time.perf_counter()
        pdf = from_text_dump(dump) if fmt == "pdf-text" else from_markdown_dump(dump, from_dump.documents)
        typeset_s = time.perf_counter() - start
        extracted = extract(pdf, f"{folder}.pdf")
        extract_s = time.perf_counter() - start - typeset_s
        print(f"{folder}: {extracted.pages} pages typeset in {typeset_s:.2f} s, extracted in {extract_s:.2f} s")
        out[folder] = (from_dump, convert_text(extracted.text, "pdf", meta, "pdf-text", PATTERNS))
    return out


def _facts(result) -> list[tuple]:
    return [(d.kind, d.doc_number, d.title, d.issuer, d.date, d.pages, d.articles, d.chapters,
             [r["indicator"] for r in d.rows or []], d.days) for d in result.documents]


@pytest.mark.parametrize("seed,folder", SEED_FOLDERS.items())
def test_seed_typeset_as_pdf_converts_like_its_dump(seed_pdfs, expected, seed, folder):
    from_dump, from_pdf = seed_pdfs[folder]
    assert _facts(from_pdf) == _facts(from_dump)
    assert not from_pdf.lost
    if from_dump.format == "pdf-text":
        assert from_pdf.characters == from_dump.characters
    # and the hand-checked facts
    by_number = {d.doc_number: d for d in from_pdf.documents if d.kind == "document"}
    for want in expected[seed]["documents"]:
        doc = by_number[want["doc_number"]]
        assert doc.title in (want.get("title_any") or [want["title"]])
        assert doc.issuer in (want.get("issuer_any") or [want["issuer"]]) and doc.date == want["date"]
        if "table_rows_min" in want:
            rows = max(len(b.rows or []) for b in doc.blocks if b.type == "table")
            assert rows - 1 >= want["table_rows_min"], want["doc_number"]
