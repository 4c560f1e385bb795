"""Feeds built from the archive."""

from .rss import build_rss, write_feeds

__all__ = ["build_rss", "write_feeds"]
