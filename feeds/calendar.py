"""meetings.ics: the meetings that giấy mời announce, for any calendar application."""

from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Calendar, Event

from scraper.normalize.dates import VN

# A giấy mời states when a meeting starts, rarely when it ends.
ASSUMED_LENGTH = timedelta(hours=2)


def build_meetings(rows: list[dict]) -> bytes:
    """iCalendar bytes with one event per notice that has a meeting time."""
    calendar = Calendar()
    calendar.add("prodid", "-//partysites-scraper//meetings//VI")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Lịch họp theo giấy mời")
    calendar.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    for row in rows:
        if not row.get("meeting_time"):
            continue
        start = datetime.fromisoformat(row["meeting_time"]).astimezone(VN)
        event = Event()
        event.add("uid", f"{row['notice_key']}@partysites")
        event.add("dtstamp", datetime.fromisoformat(row["first_seen"]))
        event.add("dtstart", start)
        event.add("dtend", start + ASSUMED_LENGTH)
        number = row.get("doc_number")
        event.add("summary", f"{number}: {row['title']}" if number else row["title"])
        if row.get("meeting_place"):
            event.add("location", row["meeting_place"])
        if row.get("url"):
            event.add("url", row["url"])
        event.add("description", f"{row.get('site_name') or ''}\n{row.get('url') or ''}".strip())
        calendar.add_component(event)
    calendar.add_missing_timezones()  # a VTIMEZONE for Asia/Ho_Chi_Minh, so every reader agrees
    return calendar.to_ical()
