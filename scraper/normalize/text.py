"""Vietnamese text hygiene: one canonical form before any regex, hash or comparison."""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

# Characters that look like spaces or hyphens but break literal matches, invisible ones, and ETH
# (what Đ becomes when windows-1258 bytes are read as cp1252; in Vietnamese text it is Đ).
_REPLACE = {
    **dict.fromkeys("\u00a0\u2007\u202f\u3000\t\r\f\v", " "),
    **dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff", ""),
    **dict.fromkeys("\u2010\u2011", "-"),
    "Ð": "Đ", "ð": "đ",
}
# One pass over the few odd characters, found by regex: most text has none of them.
_ODD = re.compile("[" + "".join(_REPLACE) + "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _replace(match: re.Match[str]) -> str:
    return _REPLACE.get(match.group(), "")


def clean_text(value: str | None) -> str:
    """NFC, one space between words, no invisible or control characters."""
    if not value:
        return ""
    if not value.isascii():
        value = unicodedata.normalize("NFC", value)
    value = _ODD.sub(_replace, value)
    # str methods, not a regex over every character: a third of the cost on article text,
    # and nothing at all for text already clean
    if "\n" in value:
        value = value.replace("\n", " ")
    while "  " in value:
        value = value.replace("  ", " ")
    return value.strip()


_UNPARSABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def parsable(html: str) -> str:
    """A page's text without what XML parsers refuse (control characters, lone surrogates
    from broken decoding); none of it is ever visible text."""
    return _UNPARSABLE.sub("", html)


def clean_or_none(value: str | None) -> str | None:
    """clean_text, with an empty result as None (for optional record fields)."""
    return clean_text(value) or None


_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


@cache
def _strip_marks() -> dict[int, str | None]:
    """A str.translate table: each precomposed character of the Basic Multilingual Plane to
    its letters without marks, each combining mark to nothing (built on first use, ~50 ms).

    The same result as decomposing, dropping the marks and recomposing, at a tenth of the
    cost: the search index and the story fingerprints fold every article's text. ASCII maps
    to itself: translate pays for a raised KeyError on each character missing from the table,
    which doubled the cost on Vietnamese text (mostly ASCII letters)."""
    table: dict[int, str | None] = {point: chr(point) for point in range(0x80)}
    for point in range(0x80, 0x10000):
        char = chr(point)
        if unicodedata.category(char) == "Mn":
            table[point] = None
            continue
        decomposed = unicodedata.normalize("NFD", char)
        if decomposed == char:
            continue
        bare = unicodedata.normalize(
            "NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn"))
        if bare != char:
            table[point] = bare
    return table


def fold(value: str) -> str:
    """Lower-case, tone-less, đ→d: the key two spellings of one phrase share."""
    value = clean_text(value).casefold().replace("đ", "d")
    if value.isascii():
        return value
    value = value.translate(_strip_marks())
    if _ASTRAL.search(value):  # outside the table: the long way
        value = "".join(c for c in unicodedata.normalize("NFD", value)
                        if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", value)


def is_upper_name(value: str) -> bool:
    """True for a short all-capitals line such as a newspaper byline ("NGỌC DIỆP")."""
    words = value.split()
    return (
        1 <= len(words) <= 5
        and all(w.isalpha() for w in words)
        and value == value.upper()
        and value != value.lower()
    )


# --- tone-mark placement -----------------------------------------------------------------
# "hoà"/"hòa", "uỷ"/"ủy": two placements of one tone coexist, even inside one article. Text is
# stored as published; comparisons go through tone_key, which moves every tone to the old-style
# vowel (the majority in these sites' texts).

_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
_HAT_VOWELS = frozenset("ăâêôơư")
_ONSETS = ("ngh", "ng", "gh", "gi", "qu", "ch", "kh", "nh", "ph", "th", "tr")
_CODAS = ("ch", "ng", "nh", "c", "m", "n", "p", "t")
_VOWELS = frozenset("aăâeêioôơuưy")
_WORD_RE = re.compile(r"[^\W\d_]+")


def _split_syllable(word: str) -> tuple[str, str, str] | None:
    """onset, vowel nucleus, coda of a lower-case toneless syllable; None if not Vietnamese."""
    onset = next((o for o in _ONSETS if word.startswith(o) and len(word) > len(o)), "")
    if not onset and word[0] not in _VOWELS:
        if word[0] not in "bcdđghklmnpqrstvx":
            return None
        onset = word[0]
    rest = word[len(onset):]
    if onset == "gi" and not any(c in _VOWELS for c in rest):
        onset, rest = "g", word[1:]  # "gì", "gìn": the i is the vowel
    coda = next((c for c in _CODAS if rest.endswith(c) and len(rest) > len(c)), "")
    nucleus = rest[: len(rest) - len(coda)]
    if not nucleus or any(c not in _VOWELS for c in nucleus):
        return None
    return onset, nucleus, coda


def _tone_position(nucleus: str, closed: bool, style: str) -> int:
    hats = [i for i, c in enumerate(nucleus) if c in _HAT_VOWELS]
    if hats:
        return hats[-1]
    if closed:
        return len(nucleus) - 1
    if len(nucleus) == 3:
        return 1
    if style == "new" and nucleus in ("oa", "oe", "uy"):
        return 1  # "hoà", "khoẻ", "thuỷ": the only place the two styles differ
    return 0  # one vowel, or an open diphthong ("hòa", "thủy" in the old style)


@lru_cache(maxsize=1 << 16)  # a few thousand syllables make up nearly every text
def _retone(word: str, style: str = "old") -> str:
    decomposed = unicodedata.normalize("NFD", word)
    tones = [c for c in decomposed if c in _TONE_MARKS]
    if len(tones) != 1:
        return word
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
    parts = _split_syllable(bare.lower())
    if parts is None:
        return word
    onset, nucleus, coda = parts
    at = len(onset) + _tone_position(nucleus, bool(coda), style)
    return unicodedata.normalize("NFC", bare[: at + 1] + tones[0] + bare[at + 1 :])


@lru_cache(maxsize=1 << 16)
def _retone_token(token: str, style: str) -> str:
    """One space-free piece of text ("Đảng", "uỷ,", "(2020)") with each word retoned: text is
    split on spaces, which costs far less than a regex split into words."""
    return _WORD_RE.sub(lambda m: _retone(m.group(), style), token)


def _placed(text: str, tokens: list[str], style: str) -> str:
    """Only the few distinct tokens that change are looked up in the join: a callback per word
    made this the costliest step of archiving an article."""
    changed = {t: new for t in set(tokens) if (new := _retone_token(t, style)) != t}
    return " ".join([changed.get(t, t) for t in tokens]) if changed else text


def tone_key(value: str, style: str = "old") -> str:
    """The text with every tone mark placed in one style: "Đảng uỷ" and "Đảng ủy" agree.

    `style` is "old" (hòa, thủy: the majority on these sites) or "new" (hoà, thuỷ).
    """
    text = clean_text(value)
    return _placed(text, text.split(" "), style)


def tone_keys(value: str) -> tuple[str, str]:
    """tone_key in both styles, cleaning and splitting the text once (the search index
    stores both)."""
    text = clean_text(value)
    tokens = text.split(" ")
    return _placed(text, tokens, "old"), _placed(text, tokens, "new")
