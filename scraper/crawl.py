"""Running crawls: one Scrapy crawler per site, all in one reactor run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from spiders import spider_for
from storage.archive import Archive
from storage.health import record_health

from . import workers
from .registry import Site


def crawl_settings(db_path: str | Path, overrides: dict[str, Any] | None = None) -> Settings:
    settings = Settings()
    settings.setmodule("scraper.settings", priority="project")
    settings.set("ARCHIVE_DB", str(db_path), priority="cmdline")
    settings.set("HTTPCACHE_DIR", str(Path(db_path).resolve().parent / "httpcache"),
                 priority="cmdline")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    contact = settings.get("CONTACT_URL")
    if contact and "+http" not in settings.get("USER_AGENT", ""):
        agent = settings.get("USER_AGENT").rstrip(")")
        settings.set("USER_AGENT", f"{agent}; +{contact})", priority="cmdline")
    return settings


def run_crawl(sites: list[Site], db_path: str | Path,
              overrides: dict[str, Any] | None = None) -> list[dict]:
    """Crawl the sites into the archive; return the per-site summary rows.

    Blocks until every crawl ends. Twisted's reactor cannot restart, so call this once per
    process (the scheduler runs each crawl in a child process).
    """
    Archive(db_path).close()  # create the schema before crawlers open it concurrently
    process = CrawlerProcess(crawl_settings(db_path, overrides))
    for site in sites:
        process.crawl(spider_for(site.cms), site=site)
    try:
        process.start()
    finally:
        workers.shutdown()
    archive = Archive(db_path)
    try:
        record_health(archive.db)
        wanted = {s.id for s in sites}
        return [row for row in archive.site_summary() if row["id"] in wanted]
    finally:
        archive.close()
