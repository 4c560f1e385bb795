"""Vietnamese text hygiene: one canonical form before any regex, hash or comparison."""

from __future__ import annotations

import re
import unicodedata

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
_WS = re.compile(r"[ \n]+")


def _replace(match: re.Match[str]) -> str:
    return _REPLACE.get(match.group(), "")


def clean_text(value: str | None) -> str:
    """NFC, one space between words, no invisible or control characters."""
    if not value:
        return ""
    if not value.isascii():
        value = unicodedata.normalize("NFC", value)
    value = _ODD.sub(_replace, value)
    return _WS.sub(" ", value).strip()


def clean_or_none(value: str | None) -> str | None:
    """clean_text, with an empty result as None (for optional record fields)."""
    return clean_text(value) or None


def fold(value: str) -> str:
    """Lower-case, tone-less, đ→d: the key two spellings of one phrase share."""
    value = clean_text(value).casefold()
    value = "".join(
        c for c in unicodedata.normalize("NFD", value) if unicodedata.category(c) != "Mn"
    )
    return unicodedata.normalize("NFC", value.replace("đ", "d"))


def is_upper_name(value: str) -> bool:
    """True for a short all-capitals line such as a newspaper byline ("NGỌC DIỆP")."""
    words = value.split()
    return (
        1 <= len(words) <= 5
        and all(w.isalpha() for w in words)
        and value == value.upper()
        and value != value.lower()
    )
