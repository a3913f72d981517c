"""text.squeeze: the spaces layout put in a line removed, word spaces between Latin letters or digits kept."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from converters.text import squeeze


def plain_squeeze(text: str) -> str:
    """squeeze as the character loop alone (what it was before lines without a space were returned at once)."""
    text = text.replace("\u3000", " ").strip()
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


def test_squeeze_examples():
    assert squeeze("　连 云 港　市 ") == "连云港市"
    assert squeeze("GB  50016 规范") == "GB 50016规范"
    assert squeeze("第一条\t为了") == "第一条\t为了"  # only spaces (and ideographic spaces) are layout


LINE = st.text(alphabet=st.sampled_from(list(" \u3000\t\nab12连云港，A")), max_size=30)


@given(LINE)
@example("")
@example("   ")
def test_squeeze_is_the_plain_loop(text):
    assert squeeze(text) == plain_squeeze(text)
