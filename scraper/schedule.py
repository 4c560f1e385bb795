"""`scraper schedule`: every site crawled on its own cron, each crawl in a child process.

Twisted's reactor cannot be restarted, so each crawl is a `scraper crawl` child. A site never has
two crawls at once (one instance, missed runs coalesced), the feeds are rebuilt after a crawl
that changed the archive, and SIGTERM/SIGINT stop cleanly: the running crawl is told to finish
(Scrapy's graceful shutdown) and is recorded, interrupted if it had to stop early.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger

from feeds import write_feeds
from feeds.config import FeedSpec
from storage.archive import Archive

from .normalize.dates import VN
from .registry import Site

DEFAULT_CRON = "17 */6 * * *"  # four times a day, off the hour
DEFAULT_JITTER = 900  # seconds: spread sites without their own schedule
MISFIRE_GRACE = 3600
JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": MISFIRE_GRACE}
logger = logging.getLogger("scraper.schedule")


def trigger_for(site: Site) -> BaseTrigger:
    """The site's cron (Asia/Ho_Chi_Minh), or the default with jitter."""
    minute, hour, day, month, weekday = (site.schedule or DEFAULT_CRON).split()
    return CronTrigger(minute=minute, hour=hour, day=day, month=month, day_of_week=weekday,
                       timezone=VN, jitter=None if site.schedule else DEFAULT_JITTER)


def build_scheduler(sites: list[Site], job: Callable[[str], Any], *, background: bool = False,
                    trigger: Callable[[Site], BaseTrigger] = trigger_for) -> BaseScheduler:
    """One job per site; a site's runs never overlap, missed runs collapse into one."""
    kind = BackgroundScheduler if background else BlockingScheduler
    scheduler = kind(timezone=VN, job_defaults=JOB_DEFAULTS)
    for site in sites:
        scheduler.add_job(job, trigger(site), args=[site.id], id=site.id, name=f"crawl {site.id}")
    return scheduler


class CrawlRunner:
    """Runs `scraper crawl` children one site at a time and rebuilds the feeds after changes."""

    def __init__(self, sites_file: str, db: str, out: str, settings: tuple[str, ...] = (), *,
                 base_url: str | None = None, custom: list[FeedSpec] = ()):
        """base_url and custom: as `scraper feed` takes them (--base-url, --config)."""
        self.sites_file, self.db, self.out, self.settings = sites_file, db, out, settings
        self.base_url, self.custom = base_url, list(custom)
        self.children: set[subprocess.Popen] = set()
        self.lock = threading.Lock()
        self.stopping = threading.Event()

    def command(self, site_ids: list[str]) -> list[str]:
        cmd = [sys.executable, "-m", "scraper", "crawl", "--sites", self.sites_file,
               "--db", self.db]
        for site_id in site_ids:
            cmd += ["--site", site_id]
        for setting in self.settings:
            cmd += ["--set", setting]
        return cmd

    def crawl(self, site_ids: list[str]) -> int:
        """One child crawl; its output goes to the log. Returns its exit code."""
        if self.stopping.is_set():
            return 0
        before = self._last_crawl_id()
        child = subprocess.Popen(self.command(site_ids), stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, text=True)
        with self.lock:
            self.children.add(child)
        assert child.stdout is not None
        for line in child.stdout:
            logger.info("%s: %s", ",".join(site_ids), line.rstrip())
        code = child.wait()
        with self.lock:
            self.children.discard(child)
        logger.info("crawl of %s ended with %s", ",".join(site_ids), code)
        if self._changed_since(before):
            self.rebuild_feeds()
        return code

    def rebuild_feeds(self) -> None:
        for name, changed in write_feeds(self.db, self.out, self.base_url,
                                         custom=self.custom).items():
            if changed:
                logger.info("feed %s rewritten", name)

    def stop(self) -> None:
        """Ask running crawls to finish (Scrapy stops gracefully on the first SIGTERM)."""
        self.stopping.set()
        with self.lock:
            for child in self.children:
                child.send_signal(signal.SIGTERM)

    def _last_crawl_id(self) -> int:
        if not Path(self.db).exists():
            return 0
        archive = Archive(self.db)
        try:
            return next(archive.db.query("select coalesce(max(id), 0) as n from crawls"))["n"]
        finally:
            archive.close()

    def _changed_since(self, crawl_id: int) -> bool:
        if not Path(self.db).exists():
            return False
        archive = Archive(self.db)
        try:
            row = next(archive.db.query(
                "select coalesce(sum(new + updated + notices), 0) as n from crawls where id > ?",
                [crawl_id]))
            return row["n"] > 0
        finally:
            archive.close()


def log_to_file(path: Path) -> None:
    """The scheduler's log, rotated: five files of 5 MB."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(path, maxBytes=5 * 1024 * 1024, backupCount=5,
                                  encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def run_schedule(sites: list[Site], runner: CrawlRunner, once: bool) -> int:
    """--once: every site now, then the feeds; else the schedule until SIGTERM/SIGINT."""
    def on_signal(signum: int, _frame: Any) -> None:
        logger.info("signal %s: finishing the running crawl, then stopping", signum)
        runner.stop()
        if scheduler is not None and scheduler.running:
            threading.Thread(target=scheduler.shutdown, kwargs={"wait": True}).start()

    scheduler: BaseScheduler | None = None
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    if once:
        code = runner.crawl([s.id for s in sites])
        runner.rebuild_feeds()
        return code
    scheduler = build_scheduler(sites, lambda site_id: runner.crawl([site_id]))
    for job in scheduler.get_jobs():
        logger.info("scheduled %s: %s", job.name, job.trigger)
    scheduler.start()
    return 0
