"""Feeds built from the archive: RSS for readers, iCalendar for meetings."""

from .publish import write_feeds

__all__ = ["write_feeds"]
