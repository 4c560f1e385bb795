"""The spider every CMS family shares: home page, listings (bounded), then each page once.

A family's spider is this class with its profile (spiders/profile.py); the spider decides which
pages to fetch (new ones, known ones when due), the profile reads them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urljoin, urlsplit

import scrapy
from parsel import Selector
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response
from twisted.python.failure import Failure

from scraper.items import (
    ArticlePage,
    CrawlError,
    FetchedPage,
    NoticeRef,
    NotModified,
    PictureDescribed,
)
from scraper.normalize.dates import DateCandidate, parse_vn_datetime
from scraper.normalize.notice import is_attachment
from scraper.normalize.text import parsable
from scraper.recheck import RecheckPolicy
from scraper.registry import RegistryError, Site, load_registry
from scraper.signals import archive_flush

from .profile import CmsProfile, Page


def known_pages(db_path: str | None, site_id: str) -> dict:
    """What the archive already holds of the site (nothing when there is no archive yet)."""
    if not db_path or not Path(db_path).exists():
        return {}
    from storage.archive import Archive

    archive = Archive(db_path)
    try:
        return archive.known_pages(site_id)
    finally:
        archive.close()


def page_selector(response: scrapy.http.TextResponse) -> Selector:
    """A parse of the page for one callback, not cached on the response: the response lives
    until its items are archived, and its tree (some 30 times the page's size) with it. Held
    by every response in flight, those trees were most of a crawl's memory."""
    return Page(parsable(response.text))


def _selector(html: str, parsed: Selector | None) -> Selector:
    """The selector a caller already has for the page, else a parse of its parsable text."""
    return parsed if parsed is not None else Page(parsable(html))


def article_page(profile: CmsProfile, html: str, url: str, site_id: str | None,
                 listing_date: str | None = None, parsed: Selector | None = None
                 ) -> ArticlePage:
    """What the spiders (and `scraper reprocess`) select on an article page."""
    page = profile.parse(_selector(html, parsed), url)
    page.site_id = site_id
    if listing_date:
        page.dates.append(DateCandidate(listing_date, "text"))
    return page


def notice_page(profile: CmsProfile, html: str, url: str, site_id: str | None,
                listing: NoticeRef | None = None, parsed: Selector | None = None
                ) -> ArticlePage:
    """What the spiders (and `scraper reprocess`) select on a notice's own page."""
    page = profile.parse_notice(_selector(html, parsed), url)
    page.site_id = site_id
    page.listing = listing
    return page


def _file_description(response: Response) -> tuple[int | None, str | None]:
    """A file's size and media type, as a HEAD response gives them."""
    length = response.headers.get("Content-Length")
    kind = response.headers.get("Content-Type")
    return (int(length) if length and length.isdigit() else None,
            kind.decode("latin-1").split(";")[0].strip() if kind else None)


def _head(url: str, callback: Any, errback: Any, **cb_kwargs: Any) -> scrapy.Request:
    """A HEAD for a file's size and type, wherever the file is hosted, never cached."""
    return scrapy.Request(url, method="HEAD", callback=callback, errback=errback,
                          cb_kwargs=cb_kwargs, dont_filter=True,
                          meta={"allow_offsite": True, "dont_cache": True})


class CmsSpider(scrapy.Spider):
    """Home page, listing pages (bounded pagination), then each article once.

    Run as `scrapy crawl <cms> -a site=<id>`, or by `scraper crawl` with a Site object.
    """

    name = "cms"
    profile_class: ClassVar[type[CmsProfile] | None] = None

    def __init__(self, site: Site | str | None = None, sites_file: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._site_arg = site
        self._sites_file = sites_file
        self.site: Site
        self.profile: CmsProfile | None = self.profile_class() if self.profile_class else None

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> CmsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.site = spider._resolve_site(crawler.settings)
        spider.allowed_domains = [spider.site.host]
        spider.max_pages = crawler.settings.getint("LISTING_MAX_PAGES", 5)
        spider.head_files = crawler.settings.getbool("FILES_HEAD", True)
        spider.pictures_described = crawler.settings.getint("FILES_HEAD_PICTURES", 100)
        spider.home = {"status": None, "host": None}  # what the home page answered
        spider.reported = []  # failures found outside callbacks, archived when the crawl ends
        spider.recheck = RecheckPolicy.from_settings(
            crawler.settings, known_pages(crawler.settings.get("ARCHIVE_DB"), spider.site.id))
        spider.archive_db = crawler.settings.get("ARCHIVE_DB")
        spider.reader = None  # the archive, read-only, opened on first use (_archive)
        spider.notices_seen = set()
        spider.pictures_asked = False
        crawler.signals.connect(spider.on_spider_error, signal=signals.spider_error)
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        return spider

    def _resolve_site(self, settings: Any) -> Site:
        if isinstance(self._site_arg, Site):
            return self._site_arg
        if not self._site_arg:
            raise RegistryError(f"spider '{self.name}' needs a site: -a site=<id>")
        sites = load_registry(self._sites_file or settings.get("SITES_FILE"))
        for site in sites:
            if site.id == self._site_arg:
                return site
        raise RegistryError(f"no site '{self._site_arg}' in the registry")

    # ---------------------------------------------------------------- requests
    def _request(self, url: str, callback: Any, **meta: Any) -> scrapy.Request:
        if self.profile is not None:
            url = self.canonical(url)
        return scrapy.Request(url, callback=callback, errback=self.on_error, meta=meta)

    def _page_request(self, url: str, callback: Any, **meta: Any) -> scrapy.Request:
        """An article or notice page. It bypasses the HTTP cache (the archive keeps every
        page already; storing each a second time was a sixth of a crawl's time), and a known
        page is asked for conditionally, with the validators it last came with: unchanged, it
        costs a 304."""
        request = self._request(url, callback, dont_cache=True, **meta)
        if self.recheck.is_new(request.url) or self.recheck.refresh or not self.archive_db:
            return request
        validators = self._archive().validators(request.url)
        if validators.get("etag"):
            request.headers["If-None-Match"] = validators["etag"]
        if validators.get("last-modified"):
            request.headers["If-Modified-Since"] = validators["last-modified"]
        if validators:
            request.meta["handle_httpstatus_list"] = [304]
        return request

    def _archive(self) -> Any:
        """The archive, read-only for the spider, opened on first use."""
        if self.reader is None:
            from storage.archive import Archive

            self.reader = Archive(self.archive_db)
        return self.reader

    def closed(self, reason: str) -> None:
        if self.reader is not None:
            self.reader.close()
            self.reader = None

    def _not_modified(self, response: Response, kind: str) -> NotModified | None:
        if response.status != 304:
            return None
        self.crawler.stats.inc_value("scraper/not_modified")
        return NotModified(self.site.id, self.canonical(response.url), kind)

    async def start(self) -> AsyncIterator[Any]:
        yield self._request(self.site.url, self.parse_home, home=True)

    def parse_home(self, response: Response) -> Iterable[Any]:
        """The home page: detect the CMS if unknown, then its teasers and the listing pages."""
        self.home = {"status": response.status, "host": urlsplit(response.url).hostname}
        if self.profile is None:
            from spiders import detect_profile

            self.profile = detect_profile(response.text)()
            self.logger.info("%s: detected CMS %s", self.site.id, self.profile.name)
        yield from self.parse_listing(response, page=0)
        starts = self.site.start_urls or tuple(
            urljoin(self.site.url, p) for p in self.profile.start_paths
        )
        for url in starts:
            yield self._request(url, self.parse_listing, page=1)
        for url in self.notice_listings():
            yield self._request(url, self.parse_listing, page=1)
        for path in self.profile.discovery_paths:
            yield scrapy.Request(urljoin(self.site.url, path), callback=self.parse_discovery,
                                 errback=self.on_optional_error, meta={"depth_left": 1})

    def parse_discovery(self, response: Response) -> Iterable[Any]:
        """Article links from an RSS/Atom feed or a sitemap (a sitemap index one level deep)."""
        assert self.profile is not None
        xml = Selector(text=response.text, type="xml")
        xml.remove_namespaces()
        for loc in xml.xpath("//sitemap/loc/text()").getall():
            if response.meta.get("depth_left"):
                yield scrapy.Request(urljoin(response.url, loc.strip()),
                                     callback=self.parse_discovery,
                                     errback=self.on_optional_error, meta={"depth_left": 0})
        links = xml.xpath("//item/link/text() | //entry/link/@href | //url/loc/text()").getall()
        for link in links:
            url = self.canonical(urljoin(response.url, link.strip()))
            if not self.profile.is_article_url(url, self.site.host):
                continue
            if not self.recheck.wants(url):
                self.crawler.stats.inc_value("scraper/known_skipped")
            elif self.is_notice_url(url):
                yield self._page_request(url, self.parse_notice,
                                         listing=NoticeRef(None, "", None, url, self.site.id))
            else:
                yield self._page_request(url, self.parse_article)

    def parse_listing(self, response: Response, page: int | None = None) -> Iterable[Any]:
        """Teasers of a listing page (articles or notices) and the next pages, bounded."""
        assert self.profile is not None
        page = response.meta.get("page", 1) if page is None else page
        self.crawler.stats.inc_value("scraper/listing_pages")
        yield from self.notice_blocks(self.profile.notices(response.selector, response.url))
        notices_here = self.is_notice_url(response.url)
        unknown = 0
        for url, shown in self.profile.listing_links(response.selector, response.url,
                                                     self.site.host):
            url = self.canonical(url)
            unknown += self.recheck.is_new(url)
            if not self.recheck.wants(url):
                self.crawler.stats.inc_value("scraper/known_skipped")
                continue
            if notices_here or self.is_notice_url(url):
                shown_day = parse_vn_datetime(shown or "")
                listed = NoticeRef(None, "", shown_day.date().isoformat() if shown_day else None,
                                   url, self.site.id)
                yield self._page_request(url, self.parse_notice, listing=listed)
            else:
                yield self._page_request(url, self.parse_article, listing_date=shown)
        # newest first: a page without anything new means the pages after it are known too
        if page and page < self.max_pages and (unknown or self.recheck.refresh):
            for url in self.profile.next_pages(response.selector, response.url):
                yield self._request(url, self.parse_listing, page=page + 1)

    def parse_article(self, response: Response) -> Iterable[Any]:
        assert self.profile is not None
        if unchanged := self._not_modified(response, "article"):
            yield unchanged
            return
        if not isinstance(response, scrapy.http.TextResponse):
            yield self._unusable(response, "not a text page")
            return
        shown = response.meta.get("listing_date")
        yield self.fetched(response, "article", shown)
        try:
            page = article_page(self.profile, response.text, self.canonical(response.url),
                                self.site.id, shown, page_selector(response))
        except Exception as exc:  # noqa: BLE001 - one bad page must not stop the crawl
            yield self._unusable(response, f"extraction failed: {type(exc).__name__}: {exc}")
            return
        yield from self.notice_blocks(page.notices)
        if not self.recheck.is_new(page.url):  # keep what earlier HEADs found of its pictures
            page.media = self._archive().known_media(page.url)
        yield page

    # ---------------------------------------------------------------- notices
    def notice_listings(self) -> tuple[str, ...]:
        assert self.profile is not None
        return self.site.notice_urls or tuple(
            urljoin(self.site.url, p) for p in self.profile.notice_paths
        )

    def is_notice_url(self, url: str) -> bool:
        return any(url.startswith(p) for p in self.notice_listings())

    def notice_blocks(self, refs: list[NoticeRef]) -> Iterable[Any]:
        """Notices of a page's blocks (each once per crawl), and requests for their pages."""
        for ref in refs:
            key = ref.doc_number or ref.url or ref.title
            if key in self.notices_seen:
                continue
            self.notices_seen.add(key)
            ref.site_id = self.site.id
            yield ref
            if (ref.url and not is_attachment(ref.url)
                    and urlsplit(ref.url).hostname == self.site.host
                    and self.recheck.wants(self.canonical(ref.url))):
                yield self._page_request(ref.url, self.parse_notice, listing=ref)

    def parse_notice(self, response: Response) -> Iterable[Any]:
        assert self.profile is not None
        if unchanged := self._not_modified(response, "notice"):
            yield unchanged
            return
        if not isinstance(response, scrapy.http.TextResponse):
            yield self._unusable(response, "not a text page")
            return
        listing = response.meta.get("listing")
        yield self.fetched(response, "notice", listing.date if listing else None)
        try:
            page = notice_page(self.profile, response.text, self.canonical(response.url),
                               self.site.id, listing, page_selector(response))
        except Exception as exc:  # noqa: BLE001 - one bad page must not stop the crawl
            yield self._unusable(response, f"extraction failed: {type(exc).__name__}: {exc}")
            return
        yield from self._describe(page, page.attachments, 0)

    def fetched(self, response: Response, kind: str, listing_date: str | None) -> FetchedPage:
        headers = {k.decode("latin-1").lower(): b", ".join(v).decode("latin-1")
                   for k, v in response.headers.items()}
        return FetchedPage(self.canonical(response.url), self.site.id, kind, response.status,
                           headers, response.body, listing_date)

    def canonical(self, url: str) -> str:
        assert self.profile is not None
        return self.profile.canonical(url, self.site.url)

    def _describe(self, page: ArticlePage, files: list[dict], index: int) -> Iterable[Any]:
        """HEAD each attachment of a notice in turn for its size and type, then hand on the
        page. Files are never downloaded."""
        if not self.head_files or index >= len(files):
            yield page
            return
        yield _head(files[index]["url"], self.on_head, self.on_head_error,
                    page=page, files=files, index=index)

    def on_head(self, response: Response, page: ArticlePage, files: list[dict], index: int
                ) -> Iterable[Any]:
        files[index]["size"], files[index]["type"] = _file_description(response)
        yield from self._describe(page, files, index + 1)

    def on_head_error(self, failure: Failure) -> Iterable[Any]:
        kwargs = failure.request.cb_kwargs
        self.logger.info("%s: no HEAD for %s: %s", self.site.id, failure.request.url,
                         failure.getErrorMessage())
        yield from self._describe(kwargs["page"], kwargs["files"], kwargs["index"] + 1)

    # ---------------------------------------------------------------- feed pictures
    def on_idle(self, spider: Any) -> None:
        """Once every page is archived, HEAD the lead pictures of the site's newest articles
        that have none described yet: the feeds' enclosures need their size and type.

        Only the newest FILES_HEAD_PICTURES articles are asked for: the feeds show no more, and
        a backfill of years of articles asked a HEAD per page, doubling its requests."""
        if self.pictures_asked or not self.head_files or not self.archive_db:
            return
        self.pictures_asked = True
        self.crawler.signals.send_catch_log(archive_flush)  # every article is readable
        wanted = self._archive().undescribed_pictures(self.site.id, self.pictures_described)
        for article_url, src in wanted:
            self.crawler.engine.crawl(_head(src, self.on_picture_head, self.on_picture_error,
                                            article_url=article_url, src=src))
        if wanted:
            raise DontCloseSpider

    def on_picture_head(self, response: Response, article_url: str, src: str
                        ) -> Iterable[PictureDescribed]:
        size, kind = _file_description(response)  # size 0: the server does not say
        yield PictureDescribed(self.site.id, article_url, src, size or 0, kind)

    def on_picture_error(self, failure: Failure) -> Iterable[PictureDescribed]:
        """A picture that is gone (404, 410) is recorded as such (size 0, no enclosure);
        one not reached (a timeout, a 500) is asked again by the next crawl."""
        response = getattr(failure.value, "response", None)
        if response is not None and response.status in (404, 410):
            kwargs = failure.request.cb_kwargs
            yield PictureDescribed(self.site.id, kwargs["article_url"], kwargs["src"], 0, None)
            return
        self.logger.info("%s: no HEAD for %s: %s", self.site.id, failure.request.url,
                         failure.getErrorMessage())

    # ---------------------------------------------------------------- failures
    def on_optional_error(self, failure: Failure) -> None:
        """A feed or sitemap the site does not have: worth a log line, not an error."""
        self.logger.info("%s: no %s (%s)", self.site.id, failure.request.url,
                         failure.getErrorMessage())

    def on_error(self, failure: Failure) -> Iterable[CrawlError]:
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        response = getattr(failure.value, "response", None)
        if request is not None and request.meta.get("home"):
            self.home = {"status": response.status if response is not None else None,
                         "host": urlsplit((response or request).url).hostname}
        reason = failure.getErrorMessage() or failure.type.__name__
        self._count_error(url, reason)
        yield CrawlError(self.site.id, url, f"{failure.type.__name__}: {reason}",
                         response.status if response is not None else None)

    def on_spider_error(self, failure: Failure, response: Response, spider: Any) -> None:
        """A page our code could not handle: counted like a fetch failure; the crawl goes on."""
        reason = f"extraction failed: {failure.type.__name__}: {failure.getErrorMessage()}"
        self._count_error(response.url, reason)

    def report(self, url: str, reason: str) -> None:
        """A failure found outside a callback (a refused request): archived at the end."""
        self.logger.warning("%s: refused %s: %s", self.site.id, url, reason)
        self.reported.append(CrawlError(self.site.id, url, reason))

    def _unusable(self, response: Response, reason: str) -> CrawlError:
        self._count_error(response.url, reason)
        return CrawlError(self.site.id, response.url, reason, response.status)

    def _count_error(self, url: str, reason: str) -> None:
        self.crawler.stats.inc_value("scraper/errors")
        self.logger.warning("%s: failed %s: %s", self.site.id, url, reason)
