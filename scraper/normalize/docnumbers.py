"""Party document numbers ("134-GM/ĐUK", "576/NQ-TU", "14- HD/TCTW") found in running text."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date

from .text import clean_text

# Type codes, longest first so "QĐi" wins over "QĐ". D and Ð stand for Đ in the wild.
TYPE_NAMES = {
    "NQ": "Nghị quyết", "QĐ": "Quyết định", "QĐi": "Quy định", "QyĐ": "Quy định",
    "CT": "Chỉ thị", "KL": "Kết luận", "HD": "Hướng dẫn", "TB": "Thông báo", "GM": "Giấy mời",
    "KH": "Kế hoạch", "CV": "Công văn", "BC": "Báo cáo", "TTr": "Tờ trình",
    "CTr": "Chương trình", "ĐA": "Đề án", "CĐ": "Công điện", "TT": "Thông tri",
    "QC": "Quy chế", "BB": "Biên bản", "BS": "Bản sao", "QN": "Quyết nghị",
    "TC": "Tổ chức", "PA": "Phương án", "TTri": "Thông tri",
}
_KEY = {code.upper().replace("Đ", "D"): code for code in TYPE_NAMES}
_TYPES = "|".join(sorted((re.escape(k) for k in _KEY), key=len, reverse=True))
_D = "[DĐÐ]"
_TYPE_RE = _TYPES.replace("D", _D)
_DASH = r"[\-\u2010-\u2014\u2212]"

DOC_NUMBER = re.compile(
    rf"""(?<![\w/.\-])
    (?P<num>\d{{1,5}})
    (?:
        \s?{_DASH}\s?(?P<type>{_TYPE_RE})\s?/\s?(?P<body>[A-Z{_D[1:-1]}][A-Z0-9{_D[1:-1]}]{{0,11}})
      | \s?/\s?(?P<stype>{_TYPE_RE})\s?{_DASH}\s?(?P<sbody>[A-Z{_D[1:-1]}][A-Z0-9{_D[1:-1]}]{{0,11}})
      | (?P<ntype>{_TYPE_RE})/(?P<nbody>[A-Z{_D[1:-1]}][A-Z0-9{_D[1:-1]}]{{0,11}})
    )
    (?:{_DASH}(?P<year>(?:19|20)\d{{2}}))?
    (?![\w])""",
    re.VERBOSE | re.IGNORECASE,
)
# State bodies keep their own layout; they are not party documents.
STATE_BODIES = frozenset({"UBND", "HĐND", "CP", "TTG", "BNV", "BTC", "QH"})


# "… số 293-QĐ/TW ngày 23/3/2010": the issue date that follows a number.
_ISSUED = re.compile(r"^\s*,?\s*(?:ban\s+hành\s+)?ngày\s+(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})",
                     re.IGNORECASE)
_ISSUED_YEAR = re.compile(r"^\s*,?\s*(?:năm|ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm)\s+((?:19|20)\d{2})",
                          re.IGNORECASE)
# The word before "số" names the type when the code is ambiguous (QĐ is Quyết định or Quy định).
_NAMED_BEFORE = re.compile(r"(quy\s+định|quyết\s+định)\s+(?:số\s*:?\s*)?$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")


@dataclass(frozen=True, slots=True)
class DocNumber:
    number: str
    type: str
    type_name: str
    issuer: str
    year: int | None
    raw: str
    start: int = 0
    end: int = 0
    issued: str | None = None  # ISO date, or a year, when the text states it

    @property
    def canonical(self) -> str:
        return f"{self.number}-{self.type}/{self.issuer}"

    @property
    def central(self) -> bool:
        """Issued by a central body (TW, TCTW, VPTW…), the same document in every province."""
        return self.issuer.endswith("TW")


def _issued(text: str, end: int, year: int | None) -> str | None:
    after = text[end : end + 60]
    m = _ISSUED.match(after)
    if m:
        try:
            return date(int(m[3]), int(m[2]), int(m[1])).isoformat()
        except ValueError:
            return None
    m = _ISSUED_YEAR.match(after)
    if m:
        return m[1]
    return str(year) if year else None


def _type_name(text: str, start: int, code: str) -> str:
    named = _NAMED_BEFORE.search(text[max(0, start - 25) : start])
    if named and code == "QĐ":
        return " ".join(named[1].split()).capitalize()
    return TYPE_NAMES[code]


def _canonical_type(raw: str) -> str:
    return _KEY[raw.upper().replace("Đ", "D").replace("Ð", "D")]


def find_doc_numbers(text: str) -> list[DocNumber]:
    """Every party document number in the text, in order of appearance."""
    found = []
    text = clean_text(text)
    for m in DOC_NUMBER.finditer(text):
        raw_type = m["type"] or m["stype"] or m["ntype"]
        issuer = (m["body"] or m["sbody"] or m["nbody"]).replace("Ð", "Đ")
        if issuer != issuer.upper() or issuer in STATE_BODIES:
            continue
        if raw_type[0].islower():
            continue
        code = _canonical_type(raw_type)
        year = int(m["year"]) if m["year"] else None
        found.append(DocNumber(
            m["num"], code, _type_name(text, m.start(), code), issuer, year, m.group(0),
            m.start(), m.end(), _issued(text, m.end(), year),
        ))
    return found


def sentence_bounds(text: str) -> list[int]:
    """Where the text's sentences begin and end, for sentence_at."""
    return [0, *(m.end() for m in _SENTENCE_END.finditer(text)), len(text)]


def sentence_at(text: str, start: int, end: int, bounds: list[int] | None = None) -> str:
    """The sentence of the text that holds [start, end); pass sentence_bounds(text) when
    asking for several."""
    bounds = bounds if bounds is not None else sentence_bounds(text)
    left = bounds[bisect_right(bounds, start) - 1]
    at = bisect_left(bounds, end)
    right = bounds[at] if at < len(bounds) else len(text)
    return text[left:right].strip()


def parse_doc_number(text: str) -> DocNumber | None:
    """The first document number in a string (a notice's symbol line), or None."""
    found = find_doc_numbers(text)
    return found[0] if found else None


def cited_documents(text: str) -> list[str]:
    """Canonical forms of the documents a text cites, each once, in order."""
    seen: dict[str, None] = {}
    for doc in find_doc_numbers(text):
        seen.setdefault(doc.canonical)
    return list(seen)
