"""Bylines printed inside the body: a labelled line, a name in capitals, a name over a role."""

from __future__ import annotations

import re

from .body import Block
from .text import clean_text, is_upper_name

_LABEL = re.compile(
    r"^(?:tác\s+giả(?:\s+bài\s+viết)?|người\s+viết|bài(?:\s+và\s+ảnh)?|bài,\s*ảnh|tin,?\s*ảnh)"
    r"\s*:\s*(?P<name>.+)$",
    re.IGNORECASE,
)
_ROLE_WORDS = re.compile(
    r"\b(?:bí\s+thư|phó|trưởng|ủy\s+viên|uỷ\s+viên|uvbch|uvbtv|tuv|chủ\s+tịch|giám\s+đốc|"
    r"ban\s+|đảng\s+ủy|đảng\s+uỷ|tỉnh\s+ủy|tỉnh\s+uỷ|chuyên\s+viên|phóng\s+viên|cộng\s+tác\s+viên|"
    r"cán\s+bộ|văn\s+phòng|hội\s+|sở\s+|ctv|pv)",
    re.IGNORECASE,
)
MAX_ROLE_LEN = 160


# "Nguồn tin: …" names where a story came from, not who wrote it.
_SOURCE = re.compile(r"^(?:nguồn(?:\s+tin)?|theo)\s*:", re.IGNORECASE)
# "(Theo Báo Sơn La)", "Nguồn: Báo Nhân Dân" closing a syndicated story.
_SOURCE_CREDIT = re.compile(r"^\(?\s*(?:theo|nguồn(?:\s+tin)?\s*:)\s+[^.;]{2,80}\)?$",
                            re.IGNORECASE)


def is_source_line(text: str) -> bool:
    return bool(_SOURCE.match(clean_text(text)))


_UNIT_SEP = re.compile(r"\s+[-–]\s+|,\s+")


def strip_label(value: str | None) -> str | None:
    """The writer's name from a byline: no "Tác giả bài viết:" label, no " - Ban …" unit."""
    value = clean_text(value)
    m = _LABEL.match(value)
    if m:
        value = clean_text(m["name"])
    parts = _UNIT_SEP.split(value, maxsplit=1)
    if len(parts) == 2 and is_person_name(parts[0]) and _is_role(parts[1]):
        value = parts[0]
    return value or None


def is_capitalised_name(text: str) -> bool:
    """Two to six capitalised words and nothing else ("Vương Thị Ninh")."""
    words = text.split()
    return 2 <= len(words) <= 6 and all(
        w.isalpha() and w[0].isupper() and (len(w) == 1 or w[1:].islower()) for w in words
    )


def is_person_name(text: str) -> bool:
    return is_capitalised_name(text) or is_upper_name(text)


def _is_role(text: str) -> bool:
    return len(text) <= MAX_ROLE_LEN and bool(_ROLE_WORDS.search(text)) and not text.endswith(".")


def _paragraphs(blocks: list[Block]) -> list[int]:
    return [i for i, b in enumerate(blocks) if b.tag == "p"]


def take_byline(blocks: list[Block]) -> tuple[str | None, list[Block]]:
    """Find a byline at the end or the start of the body; return it and the body without it."""
    paras = _paragraphs(blocks)
    if paras and _SOURCE_CREDIT.match(blocks[paras[-1]].text):
        blocks = _without(blocks, paras[-1])
        paras = _paragraphs(blocks)
    if not paras:
        return None, blocks
    last = paras[-1]
    text = blocks[last].text
    if _LABEL.match(text):
        return strip_label(text), _without(blocks, last)
    if len(paras) >= 2 and paras[-2] == last - 1:
        name, role = blocks[last - 1].text, text
        if is_person_name(name) and _is_role(role):
            return name, _without(blocks, last - 1, last)
    if is_upper_name(text) or (
        is_capitalised_name(text) and (blocks[last].right or blocks[last].bold)
    ):
        return text, _without(blocks, last)
    first = paras[0]
    if len(paras) >= 2 and paras[1] == first + 1:
        name, role = blocks[first].text, blocks[first + 1].text
        if is_person_name(name) and _is_role(role):
            return name, _without(blocks, first, first + 1)
    return None, blocks


def _without(blocks: list[Block], *indexes: int) -> list[Block]:
    return [b for i, b in enumerate(blocks) if i not in indexes]
