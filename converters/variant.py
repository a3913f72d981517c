"""The Traditional-Chinese variant of the archive, made with OpenCC (issue 4).

One function gives the converter for a profile::

    from converters.variant import get_converter
    conv = get_converter("s2tw")              # the profile comes from gazette.yml, key `variant`
    conv.convert("关于公布连云港市…")          # -> "關於公布連雲港市…"
    conv.convert_markdown(page_source)        # a page's front matter + Markdown/HTML body
    conv.check_fully_converted(html_text)     # -> characters still in Simplified form

Profiles
    Only OpenCC's *character* profiles are allowed: ``s2tw`` (Taiwan standard characters, the
    default), ``s2t`` (OpenCC's standard Traditional) and ``s2hk`` (Hong Kong characters). Phrase
    profiles (``s2twp``, ``s2hkp``…) are refused with a ValueError: they rewrite vocabulary
    (数据 -> 資料, 信息 -> 資訊), which changes the wording of legal texts. A gazette is converted
    character by character; OpenCC's phrase table is still used, but only to pick the right
    character where one Simplified character stands for several Traditional ones (发 -> 發/髮).

Overrides
    ``converters/data/variant_overrides.tsv`` corrects what OpenCC gets wrong in official documents:
    ``simplified<TAB>traditional[<TAB>profiles]`` per line, ``#`` starts a comment, the optional
    third column restricts an entry to some profiles (comma-separated). Matching is leftmost-longest
    on the Simplified text; OpenCC's output is patched at the matched positions only, so OpenCC's
    context around the match is kept. Every entry was checked against what OpenCC 1.4.2 actually
    outputs on the seed issues under ``docs_src/`` (see the comments in the file); an entry is added
    only for a genuine error, never to restyle a correct conversion.

What Markdown conversion never changes
    HTML tag and attribute names, attribute values that are machine data (``id``, ``href``, ``src``,
    ``class``, ``data-search-*``…), Markdown link and image URLs, attr_list blocks ``{ #art_1 }``,
    code (fenced blocks, inline code spans, ``<code>``/``<pre>``/``<kbd>`` elements; indented code
    blocks are not recognised), HTML comments, ``<script>``/``<style>``, bare URLs and front-matter
    keys (YAML or JSON; in JSON, each string value is converted on its own, and one that is all ASCII,
    such as a page's ``official`` facts, is left as written). Attribute values that readers see
    (``title``, ``alt``, ``aria-label``, ``placeholder``, ``data-citation``, ``content`` of
    ``<meta name="description">``…) are converted, each on its own. Text separated only by inline
    tags (for example a page mark ``<span class="page-mark">`` in the middle of a sentence) is
    converted as one string, so a word split by a page break still gets the right character.

Idempotence and the completeness check
    OpenCC alone is not idempotent: some characters are both a Simplified character and a correct
    Traditional one (准 in 批准, 征 in 远征, 干 in 若干, 制 in 机制, 合 in 结合), and converting a
    Traditional text again may change them (批准後 -> 批準後). So ``convert`` leaves a text alone
    when it is already Traditional: it holds a Traditional-only character (後, 發) and no
    Simplified-only one (发, 们). ``check_fully_converted`` reports only Simplified-only characters,
    never the shared ones. The two character sets of each profile are in
    ``converters/data/variant_charsets.tsv``, generated from OpenCC's own dictionaries and the
    overrides by ``python -m converters.variant --charsets`` (a test checks the file is current;
    regenerate it after changing the overrides or upgrading OpenCC).

When a wrong character is found
    Check what OpenCC outputs (``python -c 'import opencc; print(opencc.OpenCC("s2tw.json").convert("…"))'``),
    add the shortest entry that fixes it to the override file with a comment quoting the real
    phrase as ``原文 -> OpenCC: 錯誤輸出`` (a test checks these claims still hold, so an entry that
    OpenCC fixes upstream is noticed), regenerate the character sets, and add the phrase to a pair
    under ``tests/fixtures/variant/``.

Conversions are cached per text, so each document (and each repeated title or label) is
converted once per process. ``python -m converters.variant [profile] < page.md`` converts one page.

The profiles, the overrides and the character sets are read (and the sets generated) by variant_data.py.
"""

from __future__ import annotations

import functools
import itertools
import html
import json
import re
import sys
from collections.abc import Iterator

import opencc

from .variant_data import VariantError, charset, check_profile, load_overrides, write_charsets

DEFAULT_PROFILE = "s2tw"

# Attributes whose values are text a reader sees (or a screen reader reads): converted.
TEXT_ATTRIBUTES = frozenset({
    "title", "alt", "aria-label", "aria-description", "aria-roledescription", "aria-placeholder",
    "aria-valuetext", "placeholder", "label", "summary", "abbr", "data-citation", "data-title",
    "data-label", "data-tooltip",
})
# <meta name=…> whose `content` is text.
TEXT_META_NAMES = frozenset({
    "description", "og:description", "og:title", "twitter:title", "twitter:description", "keywords",
})
# Tags that do not break a sentence: text on both sides is converted as one string.
INLINE_TAGS = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "cite", "data", "del", "dfn", "em", "i", "ins", "kbd", "mark",
    "q", "rp", "rt", "ruby", "s", "small", "span", "strong", "sub", "sup", "time", "u", "wbr",
})
# Elements whose content is never converted.
RAW_TAGS = ("script", "style", "code", "pre", "kbd", "samp", "var", "textarea")


_TAG = re.compile(r"""<(/?)([A-Za-z][A-Za-z0-9:-]*)((?:\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*(/?)>""")
_ATTR = re.compile(r"""(\s+)([^\s"'<>/=]+)(?:(\s*=\s*)("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_MD_PROTECTED = re.compile(
    r"(?P<fence>^ {0,3}(?P<fchar>`{3,}|~{3,})[^\n]*\n.*?^ {0,3}(?P=fchar)[ \t]*$)"
    r"|(?P<comment><!--.*?-->)"
    r"|(?P<raw><(?P<rawtag>" + "|".join(RAW_TAGS) + r")\b[^>]*>.*?</(?P=rawtag)\s*>)"
    r"|(?P<tag>" + _TAG.pattern + r")"
    r"|(?P<autolink><(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[^\s@<>]+@[^\s@<>]+)>)"
    r"|(?P<code>(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`))"
    r"|(?P<link>\]\(\s*(?P<url><[^>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)(?:\s+(?P<title>\"[^\"\n]*\"|'[^'\n]*'|\([^)\n]*\)))?\s*\))"
    r"|(?P<reflabel>\]\[[^\]\n]*\])"
    r"|(?P<refdef>^ {0,3}\[[^\]\n]+\]:[ \t]*\S+)"
    r"|(?P<attrlist>\{:?[ \t]*(?:[#.][^\s{}]+|[A-Za-z_][\w-]*=(?:\"[^\"]*\"|'[^']*'|[^\s}]+))(?:[ \t]+(?:[#.][^\s{}]+|[A-Za-z_][\w-]*=(?:\"[^\"]*\"|'[^']*'|[^\s}]+)))*[ \t]*\})"
    r"|(?P<url_bare>\b(?:https?|ftp)://[^\s<>\"'）)】]+)"
    r"|(?P<entity>&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);)",
    re.S | re.M | re.I,
)
# Where a match of _MD_PROTECTED can start: the first character of every branch but two (tags,
# comments, code, links, attribute lists, entities, URLs; no other character matches these case-blind),
# and a line start (fences, reference definitions). See _protected_pieces.
_PROTECTED_START = re.compile(r"[<`\]{&hHfF\n]")
# The group of a tag's name in _MD_PROTECTED.
_TAG_NAME = _MD_PROTECTED.groupindex["tag"] + 2
# A YAML mapping key at the start of a line: "key:", "- key:", '"quoted key":'.
_YAML_KEY = re.compile(r"""^([ \t]*(?:-[ \t]+)*(?:"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^\s#'"\-?:,\[\]{}|>&*!%@`][^\n]*?)[ \t]*:)(?=[ \t]|$)""")
# A value that starts a block scalar: "key: |", "key: >-", "- |2".
_YAML_BLOCK = re.compile(r"[|>][0-9+-]*[ \t]*(?:#.*)?$")
# A string in JSON (its text as written, escapes and all), and the colon after it when it is a key.
_JSON_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"([ \t]*:)?')


class VariantConverter:
    """OpenCC for one character profile, plus the override dictionary, with a per-text cache."""

    def __init__(self, profile: str = DEFAULT_PROFILE, overrides: dict[str, str] | None = None):
        self.profile = check_profile(profile)
        self._cc = opencc.OpenCC(f"{self.profile}.json")
        self.overrides = dict(load_overrides(self.profile) if overrides is None else overrides)
        for simp, trad in self.overrides.items():
            if len(simp) != len(trad) or not simp:
                raise VariantError(f"override '{simp}' -> '{trad}': both sides need the same length")
        keys = sorted(self.overrides, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, keys))) if keys else None
        self.convert = functools.lru_cache(maxsize=65536)(self._convert)

    def __repr__(self) -> str:
        return f"VariantConverter({self.profile!r}, {len(self.overrides)} overrides)"

    # -- plain text

    def _convert(self, text: str) -> str:
        """`text` in Traditional characters: OpenCC, then the overrides at their positions."""
        if not isinstance(text, str):
            raise TypeError(f"convert() needs a str, not {type(text).__name__}")
        if text.isascii() or self.is_traditional(text):
            return text
        out = self._cc.convert(text)
        if len(out) != len(text) or not _keeps_ascii(text, out):
            # Never seen with the character profiles (their dictionaries map every string to one of
            # the same length), but positions must line up for the overrides and for Markdown.
            out = "".join(self._char(c) for c in text)
        if self._pattern is None:
            return out
        pieces, last = [], 0
        for m in self._pattern.finditer(text):
            pieces.append(out[last:m.start()])
            pieces.append(self.overrides[m.group()])
            last = m.end()
        if not pieces:
            return out
        pieces.append(out[last:])
        return "".join(pieces)

    def is_traditional(self, text: str) -> bool:
        """True when `text` is already Traditional: a Traditional-only character and no Simplified-only one.

        Such a text is returned unchanged by convert(), which makes conversion idempotent: OpenCC
        alone would turn 批准後 into 批準後 on a second pass.
        """
        return (charset(self.profile, "simplified-only").isdisjoint(text)
                and not charset(self.profile, "traditional-only").isdisjoint(text))

    def _char(self, c: str) -> str:
        if c.isascii():
            return c
        out = self._cc.convert(c)
        return out if len(out) == 1 else c

    # -- the completeness check

    def check_fully_converted(self, text: str) -> list[str]:
        """Characters of `text` that are still Simplified, in order of first appearance.

        A character counts when converting `text` changes it and the profile never outputs it
        (a Simplified-only character such as 发 or 们). Characters that are correct Traditional in
        some context but that OpenCC converts out of it (准 in 批准, 布 in 發布) are not reported:
        converting a Traditional text again is not a no-op (see the module docstring). An empty
        list means fully converted.
        """
        if text.isascii():
            return []
        out = self.convert(text)
        if out == text:
            return []
        left = charset(self.profile, "simplified-only")
        found: dict[str, None] = {}
        for a, b in zip(text, out):
            if a != b and a in left:
                found[a] = None
        return list(found)

    # -- Markdown + HTML + front matter

    def convert_markdown(self, markdown: str) -> str:
        """A page's source (optional front matter: YAML, or one line of JSON; then Markdown with inline
        HTML) in Traditional."""
        if markdown.isascii():
            return markdown
        front, body = _split_front_matter(markdown)
        converted_front = (self._convert_json_front(front) or self._convert_yaml(front)) if front else ""
        return converted_front + self._convert_body(body)

    def convert_html(self, text: str) -> str:
        """An HTML fragment or page in Traditional (same rules as Markdown bodies)."""
        return self._convert_body(text)

    def _convert_json_front(self, front: str) -> str | None:
        """Front matter that is one line of JSON (an object) with each string value converted on its own,
        as written (escapes kept), and no key; None for any other front matter."""
        parts = front.split("\n", 2)
        if len(parts) < 3 or not parts[1].startswith("{") or parts[2].strip() not in ("---", "..."):
            return None
        fence, line, rest = parts
        try:
            if not isinstance(json.loads(line), dict):
                return None
        except ValueError:
            return None

        def value(m: re.Match) -> str:
            literal = m.group(1)
            if m.group(2) is not None or literal.isascii():  # a key, or nothing to convert
                return m.group()
            return f'"{self.convert(literal)}"'

        return f"{fence}\n{_JSON_STRING.sub(value, line)}\n{rest}"

    def _convert_yaml(self, front: str) -> str:
        lines = front.split("\n")
        out = []
        block_indent = None  # inside a block scalar (| or >): lines indented more than this are text
        for n, line in enumerate(lines):
            indent = len(line) - len(line.lstrip(" "))
            if block_indent is not None and (not line.strip() or indent > block_indent):
                out.append(self.convert(line))
                continue
            block_indent = None
            if n == 0 or line.strip() in ("---", "...") or line.lstrip().startswith("#"):
                out.append(line)
                continue
            m = _YAML_KEY.match(line)
            rest = line[m.end():] if m else line
            out.append((m.group(1) if m else "") + self.convert(rest))
            if _YAML_BLOCK.match(rest.strip()) or (not m and _YAML_BLOCK.match(line.strip().lstrip("- "))):
                block_indent = indent
        return "\n".join(out)

    def _convert_body(self, body: str) -> str:
        # The text between protected pieces is joined across inline markup, with "\n" where a block
        # boundary lies between, converted once, and cut back into place (the character profiles keep
        # the length of every string). One pass over the pieces: the body has hundreds of tags.
        if body.isascii():
            return body
        pieces: list[str] = []  # the body, piece by piece; the text pieces are replaced once converted
        texts: list[tuple[int, int]] = []  # each text piece: its index in `pieces`, its offset in `joined`
        joined: list[str] = []  # the text pieces, and "\n" between two where a block boundary lies
        breaking, last, offset = False, 0, 0
        for m in itertools.chain(_protected_pieces(body), (None,)):
            start = len(body) if m is None else m.start()
            if start > last:
                if breaking and joined:
                    joined.append("\n")
                    offset += 1
                breaking = False
                text = body[last:start]
                texts.append((len(pieces), offset))
                pieces.append(text)
                joined.append(text)
                offset += len(text)
            if m is None:
                break
            kind, piece = m.lastgroup, m.group()
            if kind == "tag":
                if not piece.isascii():
                    piece = self._convert_tag(piece)
                breaking = breaking or m.group(_TAG_NAME).lower() not in INLINE_TAGS
            elif kind == "link":
                title = m.group("title")
                if title and not title.isascii():
                    t_start, t_end = m.start("title") - start, m.end("title") - start
                    piece = piece[:t_start + 1] + self.convert(piece[t_start + 1:t_end - 1]) + piece[t_end - 1:]
            else:
                breaking = breaking or kind in ("fence", "raw", "comment")
            pieces.append(piece)
            last = m.end()
        source = "".join(joined)
        out = self.convert(source)
        if len(out) == len(source):
            for n, at in texts:
                pieces[n] = out[at:at + len(pieces[n])]
        else:  # pragma: no cover - length is preserved by every character profile
            for n, _ in texts:
                pieces[n] = self.convert(pieces[n])
        return "".join(pieces)

    def _convert_tag(self, tag: str) -> str:
        if tag.isascii():  # most tags: nothing to convert, and no need to parse them again
            return tag
        m = _TAG.fullmatch(tag)
        if not m or m.group(1):
            return tag
        name = m.group(2).lower()
        attrs = m.group(3)
        meta_text = False
        if name == "meta":
            for a in _ATTR.finditer(attrs):
                if a.group(2).lower() in ("name", "property") and a.group(4):
                    value = html.unescape(a.group(4).strip("\"'")).lower()
                    meta_text = meta_text or value in TEXT_META_NAMES

        def attr(a: re.Match) -> str:
            key, value = a.group(2).lower(), a.group(4)
            if value is None or value.isascii():
                return a.group()
            textual = key in TEXT_ATTRIBUTES or (meta_text and key == "content")
            if key.startswith("data-search"):
                textual = False
            if not textual:
                return a.group()
            quote = value[0] if value[0] in "\"'" else ""
            inner = value[1:-1] if quote else value
            return f"{a.group(1)}{a.group(2)}{a.group(3)}{quote}{self.convert(inner)}{quote}"

        start = m.start(3)
        return tag[:start] + _ATTR.sub(attr, attrs) + tag[m.end(3):]


def _keeps_ascii(text: str, out: str) -> bool:
    """True when every ASCII character of `text` is unchanged at its position in `out` (as long as it)."""
    # Fast and exact when `text` holds no "?": encoding turns every other character into "?", so equal
    # encodings mean equal ASCII characters at every ASCII position of `text`; else look one by one.
    if "?" not in text and text.encode("ascii", "replace") == out.encode("ascii", "replace"):
        return True
    return all(a == b for a, b in zip(text, out) if a.isascii())


def _protected_pieces(body: str) -> Iterator[re.Match]:
    """The matches of _MD_PROTECTED.finditer(body), the same ones, found several times faster: finditer
    tries the pattern's dozen branches at every position, this tries them only where one can start
    (_PROTECTED_START). `^` and the look-behinds see the whole string in match(body, pos) as in finditer."""
    match, search = _MD_PROTECTED.match, _PROTECTED_START.search
    candidate = 0  # the start of the text is a line start
    while True:
        m = match(body, candidate)
        if m:
            yield m
            pos = m.end()  # never empty: every branch consumes a character
        else:
            pos = candidate + 1
        if pos > 0 and body[pos - 1:pos] == "\n":  # pos is a line start
            candidate = pos
            continue
        start = search(body, pos)
        if start is None:
            return
        candidate = start.end() if start.group() == "\n" else start.start()


def _split_front_matter(text: str) -> tuple[str, str]:
    """('---\\n…\\n---\\n', body) when the text starts with front matter (YAML, or one line of JSON,
    which is YAML too), else ('', text)."""
    if not text.startswith("---"):
        return "", text
    first = text.find("\n")
    if first < 0 or text[:first].strip() != "---":
        return "", text
    m = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M).search(text, first + 1)
    if not m:
        return "", text
    end = m.end()
    if end < len(text) and text[end] == "\n":
        end += 1
    return text[:end], text[end:]


def get_converter(profile: str = DEFAULT_PROFILE) -> VariantConverter:
    """The converter for a character profile (s2tw, s2t, s2hk), made once per process.

    Raises VariantError (a ValueError) naming the profile for a phrase profile such as s2twp or an
    unknown one.
    """
    return _converter(check_profile(profile))


@functools.cache
def _converter(profile: str) -> VariantConverter:
    return VariantConverter(profile)


def convert(text: str, profile: str = DEFAULT_PROFILE) -> str:
    return get_converter(profile).convert(text)


def check_fully_converted(text: str, profile: str = DEFAULT_PROFILE) -> list[str]:
    """Characters of `text` still in Simplified form for `profile` (see VariantConverter)."""
    return get_converter(profile).check_fully_converted(text)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args == ["--charsets"]:
        print(f"wrote {write_charsets()}")
        return 0
    profile = args[0] if args else DEFAULT_PROFILE
    sys.stdout.write(get_converter(profile).convert_markdown(sys.stdin.read()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
