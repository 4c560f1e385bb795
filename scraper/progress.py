"""Live per-site progress on a terminal: pages, items and errors as the crawl goes."""

from __future__ import annotations

import sys
from typing import Any, TextIO

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task


class Progress:
    """One line per site, refreshed every PROGRESS_INTERVAL seconds while it crawls.

    On by default when stderr is a terminal; PROGRESS_ENABLED = "always" forces it (logs),
    false turns it off.
    """

    def __init__(self, stats: Any, interval: float, stream: TextIO) -> None:
        self.stats = stats
        self.interval = interval
        self.stream = stream
        self.loop: task.LoopingCall | None = None
        self.site = "?"

    @classmethod
    def from_crawler(cls, crawler: Any) -> Progress:
        mode = str(crawler.settings.get("PROGRESS_ENABLED", "auto")).lower()
        if mode in ("false", "0", "off", "no") or (mode == "auto" and not sys.stderr.isatty()):
            raise NotConfigured
        extension = cls(crawler.stats, crawler.settings.getfloat("PROGRESS_INTERVAL", 2.0),
                        sys.stderr)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def line(self) -> str:
        value = self.stats.get_value
        items = (value("scraper/articles/new", 0) + value("scraper/articles/updated", 0)
                 + value("scraper/articles/unchanged", 0))
        notices = sum(value(f"scraper/notices/{k}", 0) for k in ("new", "updated", "unchanged"))
        return (f"{self.site}: {value('response_received_count', 0)} pages, {items} articles, "
                f"{notices} notices, {value('scraper/errors', 0)} errors")

    def show(self) -> None:
        self.stream.write(self.line() + "\n")
        self.stream.flush()

    def spider_opened(self, spider: Any) -> None:
        site = getattr(spider, "site", None)
        self.site = site.id if site is not None else spider.name
        self.loop = task.LoopingCall(self.show)
        self.loop.start(self.interval, now=False)

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.stream.write(f"{self.line()} ({reason})\n")
        self.stream.flush()
