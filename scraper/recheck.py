"""Which known pages a crawl fetches again: new ones always, known ones on a decaying schedule.

A page is checked again once a share of its age has passed since it was last seen (an article
of a day is looked at hourly, one of a month every week or so), never more often than
RECHECK_MIN_HOURS, at least every RECHECK_MAX_DAYS, and no more once it is RECHECK_STOP_DAYS old.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from .normalize.dates import VN


@dataclass
class RecheckPolicy:
    known: dict[str, tuple[datetime, datetime]] = field(default_factory=dict)  # url → (born, seen)
    now: datetime = field(default_factory=lambda: datetime.now(VN))
    factor: float = 0.25
    min_interval: timedelta = timedelta(hours=1)
    max_interval: timedelta = timedelta(days=30)
    stop_after: timedelta = timedelta(days=90)
    refresh: bool = False  # `scraper crawl --refresh`: fetch every known page now

    @classmethod
    def from_settings(cls, settings: Any, known: dict[str, tuple[datetime, datetime]]
                      ) -> RecheckPolicy:
        return cls(
            known=known,
            factor=settings.getfloat("RECHECK_FACTOR", 0.25),
            min_interval=timedelta(hours=settings.getfloat("RECHECK_MIN_HOURS", 1)),
            max_interval=timedelta(days=settings.getfloat("RECHECK_MAX_DAYS", 30)),
            stop_after=timedelta(days=settings.getfloat("RECHECK_STOP_DAYS", 90)),
            refresh=settings.getbool("CRAWL_REFRESH", False),
        )

    def is_new(self, url: str) -> bool:
        return url not in self.known

    def wants(self, url: str) -> bool:
        """Fetch this page in this crawl?"""
        if self.refresh or url not in self.known:
            return True
        born, seen = self.known[url]
        age = self.now - born
        if age > self.stop_after:
            return False
        interval = min(max(age * self.factor, self.min_interval), self.max_interval)
        return self.now - seen >= interval
