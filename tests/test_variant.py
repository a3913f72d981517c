"""The Traditional-Chinese variant (converters/variant.py): OpenCC character profiles plus overrides."""

from __future__ import annotations

import re
from pathlib import Path

import opencc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from converters import variant_data
from converters.config import VARIANTS, load_config
from converters.variant import (_MD_PROTECTED, INLINE_TAGS, VariantConverter, _keeps_ascii, _protected_pieces,
                               check_fully_converted, get_converter)
from converters.variant_data import CHARSETS_PATH, OVERRIDES_PATH, PROFILES, VariantError, charset, read_overrides

from conftest import SEED_ISSUES

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "variant"
ROOT = Path(__file__).resolve().parent.parent
CASES = sorted(p.name.removesuffix(".in.md") for p in FIXTURES.glob("*.in.md"))


@pytest.fixture(scope="module")
def conv() -> VariantConverter:
    return get_converter("s2tw")


# ---------------------------------------------------------------- fixtures: Simplified in, Traditional out


@pytest.mark.parametrize("case", CASES)
def test_fixture_pairs(conv, case):
    source = (FIXTURES / f"{case}.in.md").read_text(encoding="utf-8")
    expected = (FIXTURES / f"{case}.out.md").read_text(encoding="utf-8")
    assert conv.convert_markdown(source) == expected


@pytest.mark.parametrize("case", CASES)
def test_fixture_outputs_are_fully_converted_and_stable(conv, case):
    expected = (FIXTURES / f"{case}.out.md").read_text(encoding="utf-8")
    assert conv.convert_markdown(expected) == expected
    visible = re.sub(r"<(script|style)\b.*?</\1>|<!--.*?-->|`[^`]*`|<[^>]*>|\]\([^)]*\)", "", expected, flags=re.S)
    assert conv.check_fully_converted(visible) == []


def test_fixture_cases_exist():
    assert len(CASES) >= 3
    for case in CASES:
        assert (FIXTURES / f"{case}.out.md").exists(), f"{case}.in.md has no {case}.out.md"


# ---------------------------------------------------------------- plain text, checked against OpenCC


@pytest.mark.parametrize("simplified, traditional", [
    # OpenCC is right on these (checked on docs_src); no override needed.
    ("关于印发连云港市", "關於印發連雲港市"),
    ("党员干部", "黨員幹部"),
    ("制定本办法", "制定本辦法"),
    ("准予登记", "准予登記"),
    ("注明来源", "註明來源"),
    ("征收集体土地", "徵收集體土地"),
    ("步道总里程", "步道總里程"),
    ("贷款余额", "貸款餘額"),
    ("若干问题", "若干問題"),
    ("标准", "標準"),
    # Character profile: vocabulary is kept (a phrase profile would give 資料 / 資訊).
    ("数据共享和信息公开", "數據共享和信息公開"),
])
def test_convert_matches_checked_examples(conv, simplified, traditional):
    assert conv.convert(simplified) == traditional


def test_profiles_differ_only_where_expected():
    assert get_converter("s2tw").convert("平台") == "平臺"
    assert get_converter("s2hk").convert("平台") == "平台"
    assert get_converter("s2t").convert("为了") == "爲了"
    assert get_converter("s2tw").convert("为了") == "為了"


def test_convert_keeps_length_and_ascii(conv):
    text = "第1条 根据《连政规发〔2019〕2号》(see https://example.com/a?b=1) 发布。"
    out = conv.convert(text)
    assert len(out) == len(text)
    assert [c for c in out if c.isascii()] == [c for c in text if c.isascii()]


def test_convert_is_cached(conv):
    text = "连云港市人民政府关于缓存测试的通知"
    conv.convert(text)
    hits = conv.convert.cache_info().hits
    assert conv.convert(text) == "連雲港市人民政府關於緩存測試的通知"
    assert conv.convert.cache_info().hits == hits + 1


def test_get_converter_is_cached_per_profile():
    assert get_converter("s2tw") is get_converter("s2tw")
    assert get_converter() is get_converter("s2tw")
    assert get_converter("s2hk") is not get_converter("s2tw")


# ---------------------------------------------------------------- overrides


def test_overrides_fix_real_errors_of_opencc(conv):
    raw = opencc.OpenCC("s2tw.json")
    for simplified, opencc_wrong, ours in [
        ("包括发布单位", "包括髮布單位", "包括發布單位"),
        ("粮食面积", "糧食麵積", "糧食面積"),
        ("副市长胡建军", "副市長鬍建軍", "副市長胡建軍"),
        ("足球后备人才", "足球后備人才", "足球後備人才"),
        ("相关注册人员", "相關注冊人員", "相關註冊人員"),
        ("关于公布连云港", "關於公佈連雲港", "關於公布連雲港"),
    ]:
        assert raw.convert(simplified) == opencc_wrong, "OpenCC changed: re-check this override"
        assert conv.convert(simplified) == ours


def test_every_override_applies_in_its_profiles():
    entries = read_overrides()
    assert entries, "the override file is empty"
    for entry in entries:
        for profile in entry.profiles or PROFILES:
            assert get_converter(profile).convert(entry.simplified) == entry.traditional, entry


def test_override_file_claims_about_opencc_still_hold(conv):
    # The comments quote what OpenCC outputs ("包括发布单位 -> OpenCC: 包括髮布單位"); if OpenCC is fixed
    # upstream, the claim fails here and the override can go. Our output must differ from OpenCC's.
    claims = re.findall(r"(\S+) -> OpenCC: ([^\s;,.()]+)", OVERRIDES_PATH.read_text(encoding="utf-8"))
    assert len(claims) >= 10
    raw = opencc.OpenCC("s2tw.json")
    for simplified, wrong in claims:
        assert wrong in raw.convert(simplified), (simplified, raw.convert(simplified), wrong)
        assert conv.convert(simplified) != raw.convert(simplified), simplified


def test_override_longest_match_wins(conv):
    assert conv.convert("局长胡") == "局長胡"
    assert conv.convert("长胡子") == "長鬍子"
    assert conv.convert("企业，并购重组") == "企業，併購重組"
    assert conv.convert("险费，并为其") == "險費，並為其"


def test_profile_specific_overrides():
    assert get_converter("s2tw").convert("发布") == "發布"
    assert get_converter("s2hk").convert("包括发布") == "包括發佈"
    assert get_converter("s2t").convert("公布") == "公佈"


@pytest.mark.parametrize("content, message", [
    ("公布\n", "expected"),
    ("公布\t公佈佈\n", "same number"),
    ("公布\t公布\ts2twp\n", "unknown profile"),
    ("公布\t公布\n# comment\n公布\t公佈\n", "already overridden"),
])
def test_bad_override_file_names_the_line(tmp_path, content, message):
    path = tmp_path / "variant_overrides.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(VariantError, match=message) as info:
        read_overrides(path)
    assert "variant_overrides.tsv:" in str(info.value)


def test_custom_overrides():
    conv = VariantConverter("s2tw", overrides={"信息": "資訊"})
    assert conv.convert("政府信息公开") == "政府資訊公開"


# ---------------------------------------------------------------- profiles


@pytest.mark.parametrize("profile", ["s2twp", "s2twp.json", "s2hkp"])
def test_phrase_profiles_are_refused(profile):
    with pytest.raises(ValueError, match=r"s2(tw|hk)p.*phrase profile"):
        get_converter(profile)


@pytest.mark.parametrize("profile", ["t2s", "tw2sp", "", "S2TW"])
def test_unknown_profiles_are_refused(profile):
    with pytest.raises(ValueError, match="profile"):
        VariantConverter(profile)


def test_profiles_match_config_and_gazette_yml():
    assert tuple(VARIANTS) == PROFILES
    profile = load_config(ROOT / "gazette.yml").variant
    assert get_converter(profile).profile == profile


# ---------------------------------------------------------------- Markdown and HTML


def test_markup_is_untouched(conv):
    source = (FIXTURES / "notice.in.md").read_text(encoding="utf-8")
    out = conv.convert_markdown(source)
    for pattern in [r'\bid="[^"]*"', r'\bhref="[^"]*"', r'\bclass="[^"]*"', r'\bdata-page="[^"]*"',
                    r"\{ #[^}]*\}", r"\]\([^ )]*", r"^[a-z_]+:"]:
        assert re.findall(pattern, out, re.M) == re.findall(pattern, source, re.M), pattern


def test_attribute_values_text_or_data(conv):
    html = ('<a href="/连云港/" title="链接到此处" data-citation="连政发〔2019〕1号" '
            'data-search-filter="类别:规范性文件" class="链接" id="发布">连云港</a>'
            '<img src="图.png" alt="连云港地图" aria-label="地图"><input placeholder="搜索">'
            '<meta name="description" content="连云港公报"><meta property="og:url" content="/连云港/">')
    out = conv.convert_markdown(html)
    assert 'href="/连云港/"' in out and 'src="图.png"' in out
    assert 'class="链接"' in out and 'id="发布"' in out
    assert 'data-search-filter="类别:规范性文件"' in out
    assert 'title="鏈接到此處"' in out and 'data-citation="連政發〔2019〕1號"' in out
    assert 'alt="連雲港地圖"' in out and 'aria-label="地圖"' in out and 'placeholder="搜索"' in out
    assert 'content="連雲港公報"' in out and 'content="/连云港/"' in out
    assert ">連雲港</a>" in out


def test_links_code_and_comments(conv):
    md = ('见[连云港规定](/连云港/规定/#art_1 "规定标题")和![图](图/图.png)及<https://例.cn/发布>，'
          '`代码发布`，https://example.com/发布 <!-- 发布 -->\n\n```\n发布\n```\n\n[参考]: /路径/发布\n')
    out = conv.convert_markdown(md)
    assert out.startswith('見[連雲港規定](/连云港/规定/#art_1 "規定標題")和![圖](图/图.png)及<https://例.cn/发布>，')
    assert "`代码发布`" in out and "https://example.com/发布" in out and "<!-- 发布 -->" in out
    assert "```\n发布\n```" in out and "[参考]: /路径/发布" in out


def test_script_and_style_untouched(conv):
    md = '<style>.发布::after{content:"发布"}</style><script>var s="发布";</script><p>发布</p>'
    assert conv.convert_markdown(md) == '<style>.发布::after{content:"发布"}</style><script>var s="发布";</script><p>發布</p>'


def test_words_split_by_inline_markup_keep_their_context(conv):
    # 包括发布 alone would be fine; 包括发|布 split by a page mark must not become 髮.
    md = '<p>包括发<span class="page-mark" id="page_3" data-page="3"></span>布单位</p>'
    assert conv.convert_markdown(md) == '<p>包括發<span class="page-mark" id="page_3" data-page="3"></span>布單位</p>'


def test_front_matter_keys_untouched_values_converted(conv):
    md = ('---\ntitle: 关于发布的通知\n"中文键": 中文值\nlist:\n- 规范性文件\nsummary: |\n  键: 发布\n'
          'url: doc/lzgf-2019-2/\n---\n\n正文发布\n')
    out = conv.convert_markdown(md)
    assert out == ('---\ntitle: 關於發布的通知\n"中文键": 中文值\nlist:\n- 規範性文件\nsummary: |\n  鍵: 發布\n'
                   'url: doc/lzgf-2019-2/\n---\n\n正文發布\n')


def test_json_front_matter_values_converted_keys_and_ascii_strings_not(conv):
    import json

    official = json.dumps({"name": "关于发布的通知"})  # ASCII JSON inside a string: the facts as printed
    meta = {"title": "关于发布的通知", "中文键": ["规范性文件", "发布"], "n": 1, "official": official,
            "toc": [[2, "art_1", "第一条 发布"]], "quoted": '"发布"\\\n'}
    md = f"---\n{json.dumps(meta, ensure_ascii=False, separators=(',', ':'))}\n---\n\n<p>发布</p>\n"
    out = conv.convert_markdown(md)
    front, body = out.split("\n---\n")
    assert json.loads(front.removeprefix("---\n")) == {
        "title": "關於發布的通知", "中文键": ["規範性文件", "發布"], "n": 1, "official": official,
        "toc": [[2, "art_1", "第一條 發布"]], "quoted": '"發布"\\\n'}
    assert body == "\n<p>發布</p>\n"
    # a one-line flow mapping that is not JSON is YAML: converted as before
    assert conv.convert_markdown("---\n{title: 发布}\n---\n发布") == "---\n{title: 發布}\n---\n發布"


def test_markdown_without_front_matter_and_lone_dashes(conv):
    assert conv.convert_markdown("---\n发布") == "---\n發布"
    assert conv.convert_markdown("发布\n---\n发布\n") == "發布\n---\n發布\n"


# ---------------------------------------------------------------- idempotence and the completeness check


def test_idempotent_where_opencc_alone_is_not(conv):
    raw = opencc.OpenCC("s2tw.json")
    once = conv.convert("市政府批准后发布，副市长黄远征参加，发挥市场机制作用")
    assert raw.convert(once) != once  # OpenCC would turn 批准後 into 批準後, 遠征 into 遠徵
    assert conv.convert(once) == once


@pytest.mark.archive
def test_idempotent_on_the_archive_sources(conv, project):
    for path in sorted((project / "docs_src").glob("*/source.*")):
        once = conv.convert(path.read_text(encoding="utf-8"))
        assert conv.convert(once) == once, path
        assert conv.check_fully_converted(once) == [], path


def test_check_fully_converted(conv):
    assert conv.check_fully_converted("連雲港市人民政府關於發布的通知") == []
    assert conv.check_fully_converted("批准後若干問題由市政府公布") == []  # shared characters are fine
    assert conv.check_fully_converted("連雲港市发布的通知们") == ["发", "们"]
    assert conv.check_fully_converted("连云港") == ["连"]  # 云 is also Traditional (人云亦云)
    assert check_fully_converted("ASCII only") == []


def test_check_sees_each_simplified_only_character_alone():
    simp = charset("s2tw", "simplified-only")
    conv = get_converter("s2tw")
    assert "发" in simp and "们" in simp and "准" not in simp and "後" not in simp
    for c in sorted(simp)[::50]:
        assert conv.check_fully_converted(c) == [c]


@pytest.mark.skipif(not (Path(opencc.__file__).parent / "clib" / "bin" / "opencc_dict").exists(),
                    reason="the opencc wheel has no opencc_dict tool to regenerate the character sets")
def test_charsets_file_is_current(tmp_path):
    fresh = variant_data.write_charsets(tmp_path / "charsets.tsv")
    assert fresh.read_text(encoding="utf-8") == CHARSETS_PATH.read_text(encoding="utf-8"), (
        "run: python -m converters.variant --charsets")


def test_override_file_is_packaged():
    assert OVERRIDES_PATH.parent == CHARSETS_PATH.parent == ROOT / "converters" / "data"


# ---------------------------------------------------------------- properties

_CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
_CORPUS = "".join(sorted({c for p in SEED_ISSUES.glob("*/source.*")
                          for c in p.read_text(encoding="utf-8") if not c.isascii()}))
_TEXT = st.lists(st.one_of(
    st.text(alphabet=_CORPUS, max_size=12),
    st.text(_CJK, max_size=4),
    st.text(max_size=8),
    st.sampled_from(['<p id="art_1">', "</p>", '<a href="#x" title="链接">', "</a>", "{ #chp_1 }",
                     "[连云港](/连云港/)", "`发布`", "<!-- 发 -->", "---\n", "key: 值\n", "<", ">", '"',
                     "&amp;", "\n\n", "```\n", "<script>", "</script>", '<meta name="description" content="公报">']),
), max_size=12).map("".join)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT)
def test_never_crashes_and_never_changes_ascii(text):
    conv = get_converter("s2tw")
    for out in (conv.convert(text), conv.convert_markdown(text)):
        assert isinstance(out, str) and len(out) == len(text)
        assert [c for c in out if c.isascii()] == [c for c in text if c.isascii()]
    conv.check_fully_converted(text)


@settings(deadline=None)
@given(st.text(alphabet=_CORPUS, max_size=40))
def test_convert_is_idempotent(text):
    conv = get_converter("s2tw")
    once = conv.convert(text)
    assert conv.convert(once) == once
    assert conv.check_fully_converted(once) == []


# Markup of every kind _MD_PROTECTED knows, cut into pieces so that mixes start and end pieces anywhere:
# at line starts and not, next to letters that case-fold (K is the Kelvin sign, ſ a long s) and to CJK.
_MARKUP = st.lists(st.one_of(
    st.sampled_from(["\n", "  ", " ", "```", "~~~", "`", "``", "<", ">", "</", "/>", "<!--", "-->", "<b>", "</b>", "<p>", "</p>", '<div title="标题">', '](/u "标题")',
                     '<meta name="description" content="公报">',
                     '<a href="#x" title="链接">', "<span\nclass='m'>", "<script>", "</SCRIPT>", "<code>", "</code>",
                     "<http://x.cn>", "<a@b.cn>", "](", "][", "[", "]", "(", ")", "[ref]: ", "[r]: /u", "   ```", " ~~~", "{", "}", "{: #a }",
                     "{ .c k=v }", "&amp;", "&#12;", "&#x1F;", "&", ";", "http://", "HTTPS://", "ftp://", "FTP://", "fhttp://",
                     "h", "f", "H", "F", '"', "'", "=", "#", ".", "K", "ſ", "İ", "?", "发布", "中", "（"]),
    st.text(max_size=3),
), max_size=40).map("".join)


@settings(deadline=None)
@given(_MARKUP)
def test_protected_pieces_are_the_matches_of_the_whole_pattern(text):
    """The fast scan finds exactly what finditer finds, where markup can start anywhere."""
    fast = [(m.span(), m.lastgroup) for m in _protected_pieces(text)]
    assert fast == [(m.span(), m.lastgroup) for m in _MD_PROTECTED.finditer(text)]


def _straightforward_body(conv: VariantConverter, body: str) -> str:
    """What convert_markdown does to a body, written plainly (the code before it was made faster):
    every match of _MD_PROTECTED in turn, the text between them joined across inline tags."""
    segments = []  # (text, convertible, breaks a sentence)
    last = 0
    for m in _MD_PROTECTED.finditer(body):
        if m.start() > last:
            segments.append((body[last:m.start()], True, False))
        piece = m.group()
        if m.group("tag") is not None:
            name = m.group(m.re.groupindex["tag"] + 2).lower()
            segments.append((conv._convert_tag(piece), False, name not in INLINE_TAGS))
        elif m.group("link") is not None:
            title, (start, end) = m.group("title"), m.span("title")
            if title and not title.isascii():
                start, end = start - m.start(), end - m.start()
                piece = piece[:start + 1] + conv.convert(piece[start + 1:end - 1]) + piece[end - 1:]
            segments.append((piece, False, False))
        else:
            breaks = m.group("fence") is not None or m.group("raw") is not None or m.lastgroup == "comment"
            segments.append((piece, False, breaks))
        last = m.end()
    if last < len(body):
        segments.append((body[last:], True, False))
    joined, spans, breaking = "", [], False
    for n, (text, convertible, breaks) in enumerate(segments):
        if not convertible:
            breaking = breaking or breaks
            continue
        if joined and breaking:
            joined += "\n"
        spans.append((n, len(joined)))
        joined += text
        breaking = False
    out = conv.convert(joined)
    result = [text for text, _, _ in segments]
    for n, start in spans:
        result[n] = out[start:start + len(result[n])]
    return "".join(result)


# 头发 is 頭髮, 发 alone 發: whether a boundary is seen between two texts shows in the conversion.
_BOUNDARIES = st.lists(st.sampled_from(["头", "发", "x", "<p>", "<P>", "</p>", "<b>", "<SPAN>", "<!-- -->",
                                        "\n```\n```\n", "<script></script>", "`c`", "&amp;", "[a](b)"]),
                       max_size=12).map("".join)


@settings(deadline=None)
@given(st.one_of(_MARKUP, _BOUNDARIES))
def test_body_conversion_is_the_straightforward_one(text):
    conv = get_converter("s2tw")
    assert conv.convert_html(text) == (text if text.isascii() else _straightforward_body(conv, text))


_SHORT = st.text(alphabet=st.sampled_from("ab?中發发\n\x00é"), max_size=12)


@settings(deadline=None)
@given(_SHORT, st.data())
def test_keeps_ascii_is_the_position_by_position_check(text, data):
    out = data.draw(st.text(alphabet=st.sampled_from("ab?中發发\n\x00é"), min_size=len(text), max_size=len(text)))
    assert _keeps_ascii(text, out) == all(a == b for a, b in zip(text, out) if a.isascii())
