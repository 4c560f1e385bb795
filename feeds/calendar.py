"""meetings.ics: the meetings that giấy mời announce, for any calendar application.

icalendar writes the calendar's frame and its VTIMEZONE; the events are written here, line by
line as icalendar would: its serializer folds every line one character at a time, which took
two seconds for the 5,000 meetings of a 100,000-article archive (bench/archive_scale.py), and
a vText for each value was another 0.3 s.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache

from icalendar import Calendar, Timezone

from scraper.normalize.dates import VN

# A giấy mời states when a meeting starts, rarely when it ends.
ASSUMED_LENGTH = timedelta(hours=2)
TZID = "Asia/Ho_Chi_Minh"
_FOLD_AT = 75  # octets a line may not reach (RFC 5545 §3.1, as icalendar counts)


def _fold(line: str) -> str:
    """RFC 5545 folding as icalendar does it: at most 74 octets a piece, never inside a
    character nor right after a backslash, pieces joined by CRLF and a space."""
    if len(line) < _FOLD_AT and line.isascii():  # most lines: no need to count octets
        return line
    data = line.encode("utf-8")
    if len(data) < _FOLD_AT:
        return line
    pieces, start = [], 0
    while len(data) - start >= _FOLD_AT:
        end = start + _FOLD_AT - 1
        while data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: back to the character
            end -= 1
        if end - start > 1 and data[end - 1] in b"\\^":  # keep an escape with what it escapes
            end -= 1
        pieces.append(data[start:end])
        start = end
    pieces.append(data[start:])
    return b"\r\n ".join(pieces).decode("utf-8")


def _text(value: str) -> str:
    """A TEXT value escaped as icalendar escapes it (RFC 5545 §3.3.11), in the same order."""
    return (value.replace(r"\N", "\n").replace("\\", "\\\\").replace(";", r"\;")
            .replace(",", r"\,").replace("\r\n", r"\n").replace("\n", r"\n")
            .replace("\r", r"\n"))


def _basic(m: datetime) -> str:
    """RFC 5545's basic format, 20240608T091500 (strftime took a sixth of the calendar)."""
    return f"{m.year:04d}{m.month:02d}{m.day:02d}T{m.hour:02d}{m.minute:02d}{m.second:02d}"


def _local(moment: datetime) -> str:
    return f";TZID={TZID}:{_basic(moment.astimezone(VN))}"


def _stamp(moment: datetime) -> str:
    """DTSTAMP is in UTC; a time without a zone is taken as UTC already."""
    return _basic(moment.astimezone(UTC) if moment.tzinfo else moment) + "Z"


def _event_lines(row: dict) -> list[str]:
    """One notice's VEVENT, its properties in icalendar's order."""
    start = datetime.fromisoformat(row["meeting_time"])
    number = row.get("doc_number")
    lines = [
        "BEGIN:VEVENT",
        "SUMMARY:" + _text(f"{number}: {row['title']}" if number else row["title"]),
        "DTSTART" + _local(start),
        "DTEND" + _local(start + ASSUMED_LENGTH),
        "DTSTAMP:" + _stamp(datetime.fromisoformat(row["first_seen"])),
        "UID:" + _text(f"{row['notice_key']}@partysites"),
        "DESCRIPTION:" + _text(f"{row.get('site_name') or ''}\n{row.get('url') or ''}".strip()),
    ]
    if row.get("meeting_place"):
        lines.append("LOCATION:" + _text(row["meeting_place"]))
    if row.get("url"):
        lines.append("URL:" + row["url"])
    lines.append("END:VEVENT")
    return [_fold(line) for line in lines]


@cache
def _frame(with_timezone: bool) -> tuple[bytes, bytes]:
    """The calendar around its events, split where they go; the same for every build
    (icalendar computes the VTIMEZONE from the zone database: 30 ms)."""
    calendar = Calendar()
    calendar.add("prodid", "-//partysites-scraper//meetings//VI")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Lịch họp theo giấy mời")
    calendar.add("x-wr-timezone", TZID)
    if with_timezone:  # a VTIMEZONE for Asia/Ho_Chi_Minh, so every reader agrees
        calendar.add_component(Timezone.from_tzid(TZID))
    frame = calendar.to_ical()
    end = frame.rindex(b"END:VCALENDAR")
    return frame[:end], frame[end:]


def build_meetings(rows: list[dict]) -> bytes:
    """iCalendar bytes with one event per notice that has a meeting time."""
    events = [line for row in rows if row.get("meeting_time") for line in _event_lines(row)]
    head, tail = _frame(bool(events))
    return head + "".join(f"{line}\r\n" for line in events).encode("utf-8") + tail
