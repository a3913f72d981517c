"""Decoding a source as received: UTF-8 (with or without BOM), UTF-16 (BOM) or GB18030/GBK.

`decode_source` returns the text with newlines normalised to \\n, or raises a ConversionError whose
message is one sentence naming the file: an empty file, a binary file (a PDF, an image, NUL bytes)
and a text in another encoding are refused rather than guessed at.
"""

from __future__ import annotations

import codecs

from .model import ConversionError

# Characters a gazette text dump is made of: CJK ideographs, CJK and full-width punctuation,
# ASCII, Latin-1 punctuation, general punctuation (—, …, “”), number forms (Ⅰ, ①) and box drawing.
_PLAUSIBLE = (
    (0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x2100, 0x218F), (0x2190, 0x21FF),
    (0x2200, 0x22FF), (0x2460, 0x24FF), (0x2500, 0x257F), (0x25A0, 0x25FF), (0x2600, 0x26FF),
    (0x3000, 0x303F), (0x3200, 0x33FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF), (0x0391, 0x03C9), (0x0401, 0x0451),
)
# The most frequent characters of modern Chinese: about half of a real gazette's ideographs are among
# them, while Latin-1 or Big5 bytes misread as GB18030 give rare ideographs only.
_COMMON = set(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而"
    "方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应"
    "开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命"
    "此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求"
    "老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处府研市县"
)
_WHITESPACE = set("\n\r\t\f\v")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_BINARY_MAGIC = (
    (b"%PDF-", "a PDF file, not a text dump (`gazette add` reads a PDF itself)"),
    (b"PK\x03\x04", "a ZIP or Office file, not a text dump"),
    (b"\x89PNG", "a PNG image, not a text dump"),
    (b"\xff\xd8\xff", "a JPEG image, not a text dump"),
    (b"GIF8", "a GIF image, not a text dump"),
    (b"\xd0\xcf\x11\xe0", "an old Office document, not a text dump"),
    (b"\x7fELF", "a program, not a text dump"),
    (b"\x1f\x8b", "a gzip archive, not a text dump"),
)


def _is_plausible_char(ch: str) -> bool:
    if ch in _WHITESPACE:
        return True
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in _PLAUSIBLE)


def _control_chars(text: str) -> int:
    return sum(1 for ch in text if (ord(ch) < 32 and ch not in _WHITESPACE) or ord(ch) == 0x7F)


def plausibility(text: str) -> float:
    """Share of characters a Chinese gazette dump plausibly contains (1.0 = all of them)."""
    sample = text[:200_000]
    if not sample:
        return 0.0
    return sum(1 for ch in sample if _is_plausible_char(ch)) / len(sample)


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _refuse_control_chars(text: str, name: str) -> None:
    if _control_chars(text[:200_000]):
        raise ConversionError(f"{name} looks like a binary file (it contains control characters), not a text dump.")


def _accept(text: str, threshold: float) -> bool:
    return _control_chars(text[:200_000]) == 0 and plausibility(text) >= threshold


def decode_source(data: bytes, name: str) -> str:
    """The text of a source file as received, newlines normalised; ConversionError when refused."""
    if not data.strip(b" \t\r\n\f\v"):
        raise ConversionError(f"{name} is empty: there is no text to add.")
    for magic, what in _BINARY_MAGIC:
        if data.startswith(magic):
            raise ConversionError(f"{name} is {what}.")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                raise ConversionError(f"{name} starts with a {encoding.upper()} byte-order mark "
                                      f"but is not valid {encoding.upper()} text.") from None
            text = text.lstrip("\ufeff")
            if not text.strip():
                raise ConversionError(f"{name} is empty: there is no text to add.")
            _refuse_control_chars(text, name)
            return _normalise(text)
    if b"\x00" in data:
        # UTF-16 without a byte-order mark has NUL bytes too; accept it only when it reads as Chinese text
        for encoding in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if _accept(text, 0.98):
                return _normalise(text)
        raise ConversionError(f"{name} looks like a binary file (it contains NUL bytes), not a text dump.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        _refuse_control_chars(text, name)
        score = plausibility(text)
        if score < 0.95:
            # a short GB18030 text can happen to be valid UTF-8 too (印 = D3 A1 = ӡ): prefer the Chinese reading
            try:
                other = data.decode("gb18030")
            except UnicodeDecodeError:
                other = None
            if other is not None and _control_chars(other[:200_000]) == 0:
                other_score = plausibility(other)
                if other_score > score and other_score >= 0.95:
                    return _normalise(other)
        return _normalise(text)
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise ConversionError(f"{name} is neither UTF-8 nor GB18030/GBK text (save it as UTF-8 and add it again)."
                              ) from None
    _refuse_control_chars(text, name)
    ideographs = [ch for ch in text[:200_000] if 0x4E00 <= ord(ch) <= 0x9FFF]
    common = sum(1 for ch in ideographs if ch in _COMMON)
    if plausibility(text) < 0.95 or (len(ideographs) >= 20 and common < 0.1 * len(ideographs)):
        raise ConversionError(f"{name} decodes as GB18030 only to unlikely characters, so its encoding is unknown "
                              f"(save it as UTF-8 and add it again).")
    return _normalise(text)
