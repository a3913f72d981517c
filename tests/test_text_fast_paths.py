"""Fast paths give what their plain definitions give: text.squeeze (the spaces layout put in a line
removed, word spaces between Latin letters or digits kept), text.display_width (a line's width in em) and
the blank runs compact_html makes one line break (site/common.py)."""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from converters.site.common import BLANK, BLANK_RE
from converters.text import _display_width, display_width, drop_layout_spaces, squeeze


def test_squeeze_examples():
    assert squeeze("　连 云 港　市 ") == "连云港市"
    assert squeeze("GB  50016 规范") == "GB 50016规范"
    assert squeeze("第一条\t为了") == "第一条\t为了"  # only spaces (and ideographic spaces) are layout


LINE = st.text(alphabet=st.sampled_from(list(" \u3000\t\nab12连云港，A")), max_size=30)


@given(LINE)
@example("")
@example("   ")
def test_the_shortcut_for_a_line_without_a_space_changes_nothing(text):
    """squeeze returns a line without a space at once: the same as the character loop would."""
    assert squeeze(text) == drop_layout_spaces(text.replace("\u3000", " ").strip())


def test_display_width_examples():
    assert display_width("关于ab") == 3.0
    assert display_width("“通知”…—●，（一）") == 11.0
    assert display_width("·ｱ") == 1.5  # a middle dot (two UTF-8 bytes) is one em; a half-width kana half


@given(st.text(alphabet=st.one_of(st.sampled_from(list("连云港“”‘’…—·●，。（）　ａＡｱ\t ab1")), st.characters()), max_size=40))
@example("")
def test_display_width_measured_in_c_is_the_character_loop(text):
    assert display_width(text) == _display_width(text)


@given(st.text(alphabet=st.sampled_from(list(" \t\n\r\x0b\x0c\u3000\u2028ab<>")), max_size=40))
@example("a \t\n \n\u3000b")
def test_blank_runs_found_by_the_fast_pattern_are_the_plain_ones(text):
    assert BLANK_RE.sub("\n", text) == re.sub(BLANK, "\n", text)
