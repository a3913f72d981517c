"""converters.decode: the encodings a source arrives in, and the refusals."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from converters.decode import decode_source, plausibility
from converters.model import ConversionError

from conftest import SEED_ISSUES

SAMPLE = "连云港市人民政府公报\n市政府关于印发连云港市节约用水管理办法的通知\n连政规发〔2020〕4号\n第一条　为了节约用水，制定本办法。\n"


@pytest.fixture(scope="module")
def seed_text() -> str:
    return (SEED_ISSUES / "2019-d73dbd3f" / "source.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "gb18030", "gbk",
                                      "utf-32"])
def test_sample_in_every_accepted_encoding(encoding):
    data = SAMPLE.encode(encoding)  # UTF-16 without BOM is accepted only because it reads as Chinese
    assert decode_source(data, "x.txt") == SAMPLE


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gb18030"])
def test_whole_seed_issue_round_trips(seed_text, encoding):
    assert decode_source(seed_text.encode(encoding), "seed.txt") == seed_text


def test_gbk_with_bom_free_utf16_is_not_confused():
    assert decode_source(codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"), "x") == SAMPLE
    assert decode_source(codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"), "x") == SAMPLE


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_newlines_normalised(newline):
    data = SAMPLE.replace("\n", newline).encode("gb18030")
    assert decode_source(data, "x.txt") == SAMPLE


def test_form_feed_and_tab_kept():
    text = "第一页\f第二页\t表格\n"
    assert decode_source(text.encode("utf-8"), "x") == text


def _refusal(data: bytes, name: str = "in/gazette.txt") -> str:
    with pytest.raises(ConversionError) as info:
        decode_source(data, name)
    message = str(info.value)
    assert name in message and "\n" not in message
    return message


@pytest.mark.parametrize("data", [b"", b"  \n\r\n\t", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF8 + b"\n "])
def test_empty(data):
    assert "empty" in _refusal(data)


@pytest.mark.parametrize("data,word", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "image"),
    (b"PK\x03\x04\x14\x00", "ZIP"),
    (b"\x7fELF\x02\x01\x01\x00", "program"),
    (b"abc\x00\x01\x02\xff\xfe\x00\x00\x13" * 50, "binary"),
    (b"plain text with a bell \x07 in it", "binary"),
])
def test_binary(data, word):
    assert word in _refusal(data)


@pytest.mark.parametrize("data", [
    bytes(range(0x80, 0x100)) * 4,  # 0x80 and 0xFF are not GB18030
    "Übergröße – café résumé naïve façade".encode("cp1252") * 20,  # decodes as GB18030, to rare ideographs
    "中華民國政府公報第一期".encode("big5") * 20,
])
def test_undecodable(data):
    message = _refusal(data)
    assert "UTF-8" in message


def test_plausibility():
    assert plausibility(SAMPLE) == 1.0
    assert plausibility("\u0e01\u0e02\u0e03") == 0.0


@settings(deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_give_text_or_one_sentence(data):
    try:
        text = decode_source(data, "any.bin")
    except ConversionError as exc:
        assert "any.bin" in str(exc) and "\n" not in str(exc)
    else:
        assert isinstance(text, str) and "\r" not in text


@settings(deadline=None)
@given(st.text(alphabet=st.sampled_from(list("连云港市人民政府关于印发的通知第一条款项〔〕号，。、；：（）0123456789 \n")),
               min_size=1, max_size=300), st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030"]))
def test_chinese_text_round_trips(text, encoding):
    if not text.strip():
        return
    assert decode_source(text.encode(encoding), "x.txt") == text
