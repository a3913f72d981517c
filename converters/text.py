"""Small text helpers shared by the stages: widths, Chinese numerals, dates, document numbers."""

from __future__ import annotations

import re
import unicodedata

import numpy as np

CJK_NUMERALS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
                "六": 6, "七": 7, "八": 8, "九": 9}
CJK_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUM = "零〇一二两三四五六七八九十百千"

# Characters that end a sentence (and so a paragraph, when at a line end).
SENTENCE_END = "。！？!?"
CLAUSE_END = "；;：:"

# A document number in any bracket form: 连政办发〔2018〕160号, 连政规发(2013)4号, 苏政发［2017］1号.
DOC_NUMBER_RE = re.compile(
    r"(?P<prefix>[\u4e00-\u9fff]{1,12}?)\s*[〔［\[（(【]\s*(?P<year>(?:19|20)\d{2})\s*[〕］\]）)】]"
    r"\s*(?P<num>\d{1,4})\s*号"
)
DOC_NUMBER_LINE_RE = re.compile(
    r"^\s*(?P<prefix>[\u4e00-\u9fff]{2,12})\s*[〔［\[（(【]\s*(?P<year>(?:19|20)\d{2})\s*[〕］\]）)】]"
    r"\s*(?P<num>\d{1,4})\s*号\s*$"
)
DATE_RE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
# A line that starts a numbered unit: 第三条 / 第二章 / （一） / 一、 / 1. / ● / 附件.
MARKER_RE = re.compile(
    r"^(第[一二三四五六七八九十百零〇两\d]+[条章节]|[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[.．、]|●|附\s*件)"
)
# A chronicle's day heading on a line of its own: 11月1日：
DAY_RE = re.compile(r"^\d{1,2}月\d{1,2}日\s*[：:]?$")
# A signature's issuer line: 连云港市人民政府, 市政府办公室.
ISSUER_RE = re.compile(r"^[\u4e00-\u9fff（）()]{2,30}(人民政府|政府|办公室|办公厅|委员会|管委会|局|厅|委|部|院|中心|公司|协会|小组)$")
DATE_LINE_RE = re.compile(r"^\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")


# Characters display_width counts as one em, all three bytes in UTF-8: CJK ideographs, CJK punctuation,
# full-width forms, and the quotes, ellipsis, dash and bullet printed full width in Chinese text.
_ONLY_ASCII_AND_WIDE = re.compile("[\x00-\x7f\u4e00-\u9fff\u3000-\u303e\uff01-\uff60“”‘’…—●]*")


def code_points(text: str) -> np.ndarray:
    """`text`'s code points as a numpy array (uint32), for counting characters in C; a lone surrogate
    (which a JSON record can hold) is kept as its code point."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def display_width(text: str) -> float:
    """Width in em: CJK and full-width characters count 1, ASCII half."""
    if _ONLY_ASCII_AND_WIDE.fullmatch(text):
        # the usual line, measured in C: each wide character is 3 bytes in UTF-8, each ASCII one 1
        wide = (len(text.encode("utf-8")) - len(text)) // 2
        return wide + (len(text) - wide) / 2
    return _display_width(text)


def _display_width(text: str) -> float:
    """display_width, a character at a time (any text)."""
    total = 0.0
    for ch in text:
        if unicodedata.east_asian_width(ch) in "WF" or ch in "“”‘’…—·●":
            total += 1
        else:
            total += 0.5
    return total


def fits_width(text: str, limit: float) -> bool:
    """display_width(text) <= limit, measured only when the length leaves it open: a character is
    half an em to one em wide, and most lines tested (paragraphs) are far longer than the limit."""
    if len(text) <= limit:
        return True
    if len(text) > 2 * limit:
        return False
    return display_width(text) <= limit


def cn_to_int(text: str) -> int | None:
    """二十三 -> 23, 十五 -> 15, 一百零二 -> 102; digits pass through. None when not a numeral."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in CJK_NUMERALS:
            current = CJK_NUMERALS[ch]
        elif ch in CJK_UNITS:
            total += (current or 1) * CJK_UNITS[ch]
            current = 0
        else:
            return None
    return total + current


def squeeze(text: str) -> str:
    """Remove spaces that only came from layout: between CJK characters, and at the ends.

    Spaces between two Latin letters or digits are kept (one), since they separate words.
    """
    text = text.replace("\u3000", " ").strip()
    if " " not in text:  # most lines: nothing to remove (the loop made conversion ≈ 15 % slower)
        return text
    return drop_layout_spaces(text)


def drop_layout_spaces(text: str) -> str:
    """squeeze's work on a stripped line, character by character (squeeze skips it for a line without a space)."""
    out: list[str] = []
    for i, ch in enumerate(text):
        if ch == " ":
            prev = out[-1] if out else ""
            nxt = text[i + 1] if i + 1 < len(text) else ""
            if prev and nxt and prev.isascii() and prev.isalnum() and nxt.isascii() and nxt.isalnum():
                if prev != " ":
                    out.append(" ")
            continue
        out.append(ch)
    return "".join(out)


def iso_date(text: str) -> str | None:
    m = DATE_RE.search(text)
    if not m:
        return None
    y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def normalise_doc_number(prefix: str, year: str | int, num: str | int) -> str:
    return f"{prefix}〔{int(year)}〕{int(num)}号"


def number_parts(doc_number: str) -> tuple[str, int, int] | None:
    """连政办发〔2018〕160号 -> ("连政办发", 2018, 160); None when it is not a document number."""
    m = DOC_NUMBER_RE.fullmatch(doc_number)
    return (m["prefix"], int(m["year"]), int(m["num"])) if m else None


def strip_markdown_emphasis(text: str) -> str:
    return re.sub(r"\*\*|__", "", text)


def consecutive_runs(numbers: list[int]) -> list[list[int]]:
    """Ascending numbers grouped into runs of consecutive ones: [3, 4, 5, 9, 10] -> [[3, 4, 5], [9, 10]]."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and runs[-1][-1] == n - 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return runs
