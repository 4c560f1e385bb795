"""Item pipelines: normalize what the spider selected, then archive it."""

from __future__ import annotations

from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet.task import LoopingCall

from storage.archive import PreparedArticle, PreparedPage, compress_page
from storage.batch import BatchWriter, release, shared_writer

from . import workers
from .items import (
    Article,
    ArticlePage,
    CrawlError,
    FetchedPage,
    Notice,
    NoticeRef,
    NotModified,
    PictureDescribed,
)
from .prepare import normalize_item
from .signals import archive_flush


def _good_responses(stats: dict[str, Any]) -> int:
    prefix = "downloader/response_status_count/"
    return sum(count for key, count in stats.items()
               if key.startswith(prefix) and key[len(prefix):].isdigit()
               and int(key[len(prefix):]) < 400)


class NormalizePipeline:
    """ArticlePage → PreparedArticle and FetchedPage → PreparedPage, in the normalization
    workers (scraper/workers.py); a page without a title or body becomes a CrawlError."""

    def __init__(self, stats: Any, processes: int) -> None:
        self.stats = stats
        self.processes = processes

    @classmethod
    def from_crawler(cls, crawler: Any) -> NormalizePipeline:
        processes = crawler.settings.get("NORMALIZE_WORKERS")
        return cls(crawler.stats,
                   workers.default_workers() if processes in (None, "") else int(processes))

    async def process_item(self, item: Any) -> Any:
        if isinstance(item, FetchedPage):  # only the body goes to the worker and back
            digest, compressed = await workers.run(self.processes, compress_page, item.body)
            return PreparedPage(item, digest, compressed)
        if not isinstance(item, ArticlePage | NoticeRef):
            return item
        try:
            if isinstance(item, ArticlePage):
                record = await workers.run(self.processes, normalize_item, item)
            else:
                record = normalize_item(item)
        except Exception as exc:  # noqa: BLE001 - recorded against the URL; the crawl goes on
            record = CrawlError(item.site_id, item.url or "?",
                                f"normalization failed: {type(exc).__name__}: {exc}")
        if isinstance(record, CrawlError):
            self.stats.inc_value("scraper/errors")
        elif isinstance(record, PreparedArticle) and record.article.guard_hits:
            self.stats.inc_value("scraper/guard_hits", record.article.guard_hits)
        return record


class ArchivePipeline:
    """Writes articles to the SQLite archive and records the crawl with its figures.

    Writes go out in batches (ARCHIVE_BATCH_ITEMS, ARCHIVE_BATCH_SECONDS; storage/batch.py)
    through one writer per process; the `archive_flush` signal commits what is held."""

    def __init__(self, db_path: str, crawler: Any) -> None:
        self.db_path = db_path
        self.crawler = crawler
        self.writer: BatchWriter | None = None
        self.ticker: LoopingCall | None = None
        self.crawl_id: int | None = None
        self.counts = {"new": 0, "updated": 0, "unchanged": 0, "notices": 0}

    @classmethod
    def from_crawler(cls, crawler: Any) -> ArchivePipeline:
        db_path = crawler.settings.get("ARCHIVE_DB")
        if not db_path:
            raise NotConfigured("ARCHIVE_DB is not set")
        pipeline = cls(db_path, crawler)
        # pipelines close before the engine says why the crawl ended: record it then
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(pipeline.flush, signal=archive_flush)
        return pipeline

    def open_spider(self) -> None:
        site = self.crawler.spider.site
        settings = self.crawler.settings
        self.writer = shared_writer(
            self.db_path, items=settings.getint("ARCHIVE_BATCH_ITEMS", 100),
            seconds=settings.getfloat("ARCHIVE_BATCH_SECONDS", 2.0))
        archive = self.writer.archive
        self.writer.run(archive.upsert_site, site)
        self.crawl_id = self.writer.run(archive.start_crawl, site.id)
        self.flush()  # the crawl is on record even if the process dies before the next commit
        # a batch waiting for items that do not come is committed all the same
        self.ticker = LoopingCall(self._commit_stale)
        self.ticker.start(self.writer.seconds, now=False)

    def flush(self) -> None:
        if self.writer is not None:
            self.writer.commit()

    def _commit_stale(self) -> None:
        if self.writer is not None and self.writer.stale():
            self.writer.commit()

    def process_item(self, item: Any) -> Any:
        if self.writer is None:
            return item
        write, archive = self.writer.run, self.writer.archive
        if isinstance(item, CrawlError):
            write(archive.record_error, self.crawl_id, item)
        elif isinstance(item, FetchedPage | PreparedPage):
            if write(archive.save_page, item):
                self.crawler.stats.inc_value("scraper/pages_stored")
        elif isinstance(item, Article | PreparedArticle):
            result, _ = write(archive.save_article, item)
            self.counts[result] += 1
            self.crawler.stats.inc_value(f"scraper/articles/{result}")
        elif isinstance(item, NotModified):
            if write(archive.mark_not_modified, item.kind, item.url) and item.kind == "article":
                self.counts["unchanged"] += 1
                self.crawler.stats.inc_value("scraper/articles/unchanged")
        elif isinstance(item, PictureDescribed):
            write(archive.describe_picture, item.article_url, item.src, item.size, item.type)
        elif isinstance(item, Notice):
            result, _ = write(archive.save_notice, item)
            self.counts["notices"] += 1
            self.crawler.stats.inc_value(f"scraper/notices/{result}")
        return item

    def spider_closed(self, spider: Any, reason: str) -> None:
        """Record the crawl: interrupted when it did not end by itself (SIGTERM, a limit)."""
        if self.writer is None or self.crawl_id is None:
            return
        if self.ticker is not None and self.ticker.running:
            self.ticker.stop()
        archive = self.writer.archive
        for error in getattr(spider, "reported", []):
            self.writer.run(archive.record_error, self.crawl_id, error)
        stats = self.crawler.stats
        # a response the HTTP cache stood in with because the server failed is not a fetch
        recovered = stats.get_value("httpcache/errorrecovery", 0)
        pages = stats.get_value("response_received_count", 0) - recovered
        errors = stats.get_value("scraper/errors", 0) + recovered
        if reason != "finished":
            status = "interrupted"
        elif _good_responses(stats.get_stats()) - recovered <= 0:
            status = "failed"  # nothing fetched, or only errors
        else:
            status = "ok"
        home = getattr(self.crawler.spider, "home", {})
        self.writer.run(
            archive.finish_crawl,
            self.crawl_id, pages=pages, new=self.counts["new"], updated=self.counts["updated"],
            notices=self.counts["notices"], errors=errors, status=status,
            home_status=home.get("status"), home_host=home.get("host"),
        )
        release(self.writer)
        self.writer = None
