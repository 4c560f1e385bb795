"""Vietnamese publication dates → ISO 8601 in Asia/Ho_Chi_Minh.

Vietnamese sites write dates day-first, in many shapes ("Thứ sáu - 16/10/2020 04:47",
"19/01/2024, 05:58", "Ngày 16 tháng 10 năm 2020", "16h47 ngày 16/10/2020"). Generic parsers
guess month-first on ambiguous numbers, so absolute dates are parsed here by regex.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from .text import clean_text

VN = ZoneInfo("Asia/Ho_Chi_Minh")

_MONTH_WORDS = {
    "một": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "bẩy": 7,
    "tám": 8, "chín": 9, "mười": 10, "mười một": 11, "mười hai": 12,
}
_MONTH_WORD_RE = "|".join(sorted(map(re.escape, _MONTH_WORDS), key=len, reverse=True))

_DATE_NUMERIC = re.compile(
    r"(?<![\d/.\-])(?P<d>\d{1,2})\s*(?P<sep>[/.\-])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<y>\d{4})(?!\d)"
)
_DATE_WORDS = re.compile(
    rf"(?<!\d)(?P<d>\d{{1,2}})\s+tháng\s+(?P<m>\d{{1,2}}|{_MONTH_WORD_RE})\s*[,/]?\s*"
    rf"(?:năm\s+)?(?P<y>\d{{4}})(?!\d)",
    re.IGNORECASE,
)
_TIME = re.compile(
    r"(?<![\d:])(?P<H>\d{1,2})\s*(?::|h|giờ)\s*(?P<M>\d{2})(?:\s*phút)?(?::(?P<S>\d{2}))?"
    r"(?:\s*(?P<ampm>SA|CH|AM|PM)\b)?(?![\d/])",
    re.IGNORECASE,
)
_TZ = re.compile(r"(?:GMT|UTC)\s*(?P<sign>[+-])\s*(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?", re.I)
# NukeViet writes article:published_time with PHP date('Y-m-dTH:i:s'), where T is the zone
# abbreviation: "2020-10-16+0704:47:00" or "2020-10-16ICT04:47:00".
_NUKEVIET_META = re.compile(r"^(?P<d>\d{4}-\d{2}-\d{2})(?P<zone>.*?)(?P<t>\d{2}:\d{2}(?::\d{2})?)$")
_ZONE_OFFSET = re.compile(r"^(?P<sign>[+-])(?P<h>\d{2}):?(?P<m>\d{2})?$")

# A time more than this far from the date in a widget belongs to something else.
_TIME_REACH = 30


@dataclass(frozen=True, slots=True)
class DateCandidate:
    """One place a page states its publication time, in the profile's order of trust."""

    value: str
    kind: str = "text"  # "text" (visible, day-first) or "iso" (machine-readable)
    tz: timezone | ZoneInfo | None = None  # the zone the page rendered times in, when stated


def offset_zone(hours: float | None) -> timezone | None:
    """The fixed zone for an offset in hours (NukeViet's nv_my_ofs)."""
    if hours is None:
        return None
    return timezone(timedelta(minutes=round(hours * 60)))


def _month(word: str) -> int:
    return int(word) if word.isdigit() else _MONTH_WORDS[" ".join(word.lower().split())]


def _find_date(text: str) -> tuple[date, tuple[int, int]] | None:
    found = []
    for pattern in (_DATE_NUMERIC, _DATE_WORDS):
        for m in pattern.finditer(text):
            try:
                day = date(int(m["y"]), _month(m["m"]), int(m["d"]))
            except (ValueError, KeyError):
                continue
            found.append((m.start(), day, m.span()))
    if not found:
        return None
    _, day, span = min(found, key=lambda f: f[0])
    return day, span


def _find_time(text: str, span: tuple[int, int], earliest: bool = False
               ) -> tuple[int, int, int] | None:
    """The time beside the date: the closest, or the earliest one ("từ 7h30 - 9h00")."""
    best = None
    for m in _TIME.finditer(text):
        if span[0] <= m.start() < span[1]:
            continue
        distance = span[0] - m.end() if m.end() <= span[0] else m.start() - span[1]
        if distance > _TIME_REACH:
            continue
        hour, minute, second = int(m["H"]), int(m["M"]), int(m["S"] or 0)
        ampm = (m["ampm"] or "").upper()
        if ampm in ("CH", "PM") and hour < 12:
            hour += 12
        elif ampm in ("SA", "AM") and hour == 12:
            hour = 0
        if hour > 23 or minute > 59 or second > 59:
            continue
        rank = m.start() if earliest else distance
        if best is None or rank < best[0]:
            best = (rank, (hour, minute, second))
    return best[1] if best else None


def _explicit_zone(text: str) -> timezone | None:
    m = _TZ.search(text)
    if not m:
        return None
    minutes = int(m["h"]) * 60 + int(m["m"] or 0)
    return timezone(timedelta(minutes=minutes if m["sign"] == "+" else -minutes))


def parse_vn_datetime(text: str, tz: timezone | ZoneInfo | None = None,
                      earliest_time: bool = False) -> datetime | None:
    """The first day-first date in a date widget, with the time next to it.

    `tz` is the zone the page rendered its times in (Vietnam unless the page says otherwise);
    `earliest_time` takes the first of several times (a meeting "từ 7h30 - 9h00").
    """
    text = clean_text(text)
    found = _find_date(text)
    if not found:
        return None
    day, span = found
    hms = _find_time(text, span, earliest_time) or (0, 0, 0)
    zone = _explicit_zone(text) or tz or VN
    return datetime(day.year, day.month, day.day, *hms, tzinfo=zone)


def parse_last_date(text: str) -> date | None:
    """The last valid day-first date of a line (a list item's own date closes it)."""
    text = clean_text(text)
    for m in reversed(list(_DATE_NUMERIC.finditer(text))):
        try:
            return date(int(m["y"]), int(m["m"]), int(m["d"]))
        except ValueError:
            continue
    return None


def parse_iso_datetime(value: str, tz: timezone | ZoneInfo | None = None) -> datetime | None:
    """ISO 8601 from JSON-LD, meta or <time>, tolerating NukeViet's malformed meta value."""
    value = clean_text(value)
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        m = _NUKEVIET_META.match(value)
        if not m:
            return None
        try:
            parsed = datetime.fromisoformat(f"{m['d']}T{m['t']}")
        except ValueError:
            return None
        zone = _ZONE_OFFSET.match(m["zone"])
        if zone:
            minutes = int(zone["h"]) * 60 + int(zone["m"] or 0)
            tz = timezone(timedelta(minutes=minutes if zone["sign"] == "+" else -minutes))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz or VN)
    return parsed


def to_iso(moment: datetime) -> str:
    """ISO 8601 in Vietnam's zone, to the second: the one form the archive stores."""
    return moment.astimezone(VN).isoformat(timespec="seconds")


def pick_published(
    candidates: list[DateCandidate], now: datetime | None = None
) -> str | None:
    """The first candidate that parses and is not in the future, as ISO 8601 +07:00."""
    limit = (now or datetime.now(VN)) + timedelta(days=1)
    for cand in candidates:
        if not cand.value:
            continue
        parse = parse_iso_datetime if cand.kind == "iso" else parse_vn_datetime
        moment = parse(cand.value, cand.tz)
        if moment is not None and datetime(1945, 1, 1, tzinfo=VN) < moment <= limit:
            return to_iso(moment)
    return None
