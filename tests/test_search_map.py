"""A query in either script is rewritten into the page's script before searching (the map learnt from the
seed archive)."""

from collections import Counter

from hypothesis import example, given
from hypothesis import strategies as st

from converters.search_map import _is_cjk, convert_query, count_aligned, script_maps
from converters.variant import get_converter


def _pairs(seed_results):
    conv = get_converter("s2tw")
    for result in seed_results.values():
        for doc in result.documents:
            for block in doc.blocks:
                if block.text:
                    yield block.text, conv.convert(block.text)


def test_queries_cross_scripts(seed_results):
    maps = script_maps(_pairs(seed_results))
    assert convert_query("公共数据开放", maps["toHant"]) == "公共數據開放"
    assert convert_query("公共數據開放", maps["toHans"]) == "公共数据开放"
    assert convert_query("突发事件预警信息发布", maps["toHant"]) == "突發事件預警信息發布"
    # characters that are the same in both scripts are not in the maps
    assert "公" not in maps["toHant"] and "公" not in maps["toHans"]


def test_unaligned_pairs_are_skipped():
    maps = script_maps([("发展", "發展"), ("发", "發發")])
    assert maps == {"toHant": {"发": "發"}, "toHans": {"發": "发"}}


_TEXT = st.text(alphabet=st.sampled_from(list("发發后後面麵a 。\n㐀䶵一鿿𠀀\u33ff\ua000")), max_size=12)


@given(st.lists(st.tuples(_TEXT, _TEXT), max_size=5))
@example([("发\ud800后", "發\ud800後")])
def test_pairs_counted_as_code_points_are_the_pairs_of_cjk_characters(pairs):
    """count_aligned (numpy) = every aligned pair of characters counted, CJK pairs kept."""
    plain: Counter = Counter()
    for hans, hant in pairs:
        if len(hans) == len(hant):
            plain.update((s, t) for s, t in zip(hans, hant) if _is_cjk(s) and _is_cjk(t))
    counted = count_aligned(pairs)
    assert counted == plain and set(counted) == set(plain)
