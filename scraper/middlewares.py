"""Downloader middlewares: polite retries, and no requests to private addresses."""

from __future__ import annotations

import gzip
import ipaddress
import socket
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.extensions.httpcache import FilesystemCacheStorage
from scrapy.http import Request, Response
from scrapy.settings import BaseSettings
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.response import response_status_message
from twisted.internet import task


def retry_after(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks for: a number, or an HTTP date."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def backoff(attempt: int, base: float, cap: float) -> float:
    """Exponential backoff: base, 2×base, 4×base… never more than cap."""
    return min(cap, base * (2 ** attempt))


class PoliteRetryMiddleware(RetryMiddleware):
    """Scrapy's retries, waiting before each: the server's Retry-After when it sends one,
    else an exponential backoff (a struggling government server gets time to recover)."""

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.base = settings.getfloat("RETRY_BACKOFF_BASE", 2.0)
        self.cap = settings.getfloat("RETRY_BACKOFF_MAX", 120.0)

    async def _wait(self, seconds: float) -> None:
        from twisted.internet import reactor

        if seconds > 0:
            self.crawler.stats.inc_value("retry/waited_seconds", int(seconds))
            await maybe_deferred_to_future(task.deferLater(reactor, seconds, lambda: None))

    def _delay(self, request: Request, response: Response | None = None) -> float:
        asked = retry_after(response.headers.get("Retry-After")) if response is not None else None
        if asked is not None:
            return min(asked, self.cap)
        return backoff(request.meta.get("retry_times", 0), self.base, self.cap)

    async def process_response(self, request: Request, response: Response,
                               spider: Any = None) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        await self._wait(self._delay(request, response))
        return retry

    async def process_exception(self, request: Request, exception: Exception,
                                spider: Any = None) -> Request | Response | None:
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get(
                "dont_retry", False):
            return None
        retry = self._retry(request, exception)
        if retry is not None:
            await self._wait(self._delay(request))
        return retry


def is_private_address(address: str) -> bool:
    """Loopback, private, link-local (cloud metadata included), multicast or reserved."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
            or ip.is_reserved or ip.is_unspecified)


class PrivateAddressMiddleware:
    """No request leaves for a loopback, private, link-local or metadata address (SSRF), directly,
    by redirect or through a DNS name that resolves there, except the site's own host as the
    registry writes it (that is how local mirrors and the tests are crawled)."""

    def __init__(self, resolve: Any = socket.getaddrinfo) -> None:
        self.resolve = resolve
        self.verdicts: dict[str, bool] = {}

    @classmethod
    def from_crawler(cls, crawler: Any) -> PrivateAddressMiddleware:
        if not crawler.settings.getbool("PRIVATE_ADDRESS_GUARD", True):
            raise NotConfigured
        middleware = cls()
        middleware.crawler = crawler
        # Scrapy's offsite filter acts when a request is scheduled, before any downloader
        # middleware: judge there too (connected first, so first to run) and say why
        crawler.signals.connect(middleware.request_scheduled, signal=signals.request_scheduled)
        return middleware

    def request_scheduled(self, request: Request, spider: Any = None) -> None:
        self.process_request(request)
        site = getattr(self.crawler.spider, "site", None)
        host = urlsplit(request.url).hostname or ""
        if (site is not None and request.meta.get("redirect_urls") and host != site.host
                and not request.meta.get("allow_offsite")):
            self._report(request, f"redirected off-site to {host}")

    def refused(self, host: str) -> bool:
        if host not in self.verdicts:
            try:
                addresses = {info[4][0] for info in self.resolve(host, None)}
            except (OSError, UnicodeError):
                return False  # unresolvable: the download itself will fail and say so
            self.verdicts[host] = any(is_private_address(a) for a in addresses)
        return self.verdicts[host]

    def process_request(self, request: Request, spider: Any = None) -> None:
        host = urlsplit(request.url).hostname or ""
        site = getattr(self.crawler.spider, "site", None)
        if site is not None and host == site.host:
            return None
        if self.refused(host):
            reason = f"refused: {host} is a private or local address"
            self._report(request, reason)
            raise IgnoreRequest(reason)
        return None

    def _report(self, request: Request, reason: str) -> None:
        if request.meta.get("reported"):
            return
        request.meta["reported"] = True
        self.crawler.stats.inc_value("scraper/errors")
        report = getattr(self.crawler.spider, "report", None)
        if report is not None:
            origin = (request.meta.get("redirect_urls") or [request.url])[0]
            report(origin, f"{reason} ({request.url})")


class QuickGzipCacheStorage(FilesystemCacheStorage):
    """Scrapy's file cache, gzipped at level 1 instead of gzip's default 9.

    The cache keeps each page only to answer a 304; level 9 made its writes a tenth of a
    crawl's CPU for files a fifth smaller than level 1 gives (bench/crawl_throughput.py)."""

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        if self.use_gzip:
            self._open = partial(gzip.open, compresslevel=1)  # type: ignore[assignment]
