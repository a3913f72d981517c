"""A query in either script is rewritten into the page's script before searching (the map learnt from the
seed archive)."""

from converters.search_map import convert_query, script_maps
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
