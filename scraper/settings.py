"""Scrapy settings for the party-site crawler, plus ours (prefixed, commented)."""

import os

BOT_NAME = "partysites"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# Politeness toward small, slow government servers.
# CONTACT_URL: where a site's webmaster can reach the operator; it goes into the User-Agent.
# Set it with the SCRAPER_CONTACT_URL environment variable or --set CONTACT_URL=…
CONTACT_URL = os.environ.get("SCRAPER_CONTACT_URL", "")
USER_AGENT = "partysites-scraper/0.1 (archival crawler for party committee sites)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [408, 429, 500, 502, 503, 504, 522, 524]
# RETRY_BACKOFF_*: seconds before a retry (doubling each time) when the server sends no
# Retry-After; a Retry-After is honoured up to RETRY_BACKOFF_MAX.
RETRY_BACKOFF_BASE = 2.0
RETRY_BACKOFF_MAX = 120.0
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "scraper.middlewares.PoliteRetryMiddleware": 550,
    # first of all (before the offsite filter, robots.txt and the cache): a private address is
    # never asked anything, and the refusal is recorded as such
    "scraper.middlewares.PrivateAddressMiddleware": 40,
}
# PRIVATE_ADDRESS_GUARD: refuse requests to loopback/private/link-local/metadata addresses other
# than the site's own registered host.
PRIVATE_ADDRESS_GUARD = True
COOKIES_ENABLED = False
# Scrapy starts this many tasks for every response's output; ours yield a handful of items and
# requests each, and at the default 100 the task bookkeeping was a tenth of a crawl's CPU.
CONCURRENT_ITEMS = 16
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"

ITEM_PIPELINES = {
    "scraper.pipelines.NormalizePipeline": 300,
    "scraper.pipelines.ArchivePipeline": 800,
}

# NORMALIZE_WORKERS: processes that normalize articles while the crawl goes on downloading
# (scraper/workers.py); unset: one per core but the reactor's, at most four; 0: none.
NORMALIZE_WORKERS = None

# ARCHIVE_DB: the SQLite archive the ArchivePipeline writes.
ARCHIVE_DB = "data/archive.db"
# Archive writes are committed in batches of this many items, or after this many seconds
# (each commit makes the search index write out; storage/batch.py)
ARCHIVE_BATCH_ITEMS = 100
ARCHIVE_BATCH_SECONDS = 2.0
# SITES_FILE: the registry `scrapy crawl <cms> -a site=<id>` reads.
SITES_FILE = "sites.toml"
# LISTING_MAX_PAGES: how deep pagination of one listing goes in one crawl.
LISTING_MAX_PAGES = 5
# FILES_HEAD: ask each notice attachment's size and type with a HEAD request, and the lead
# picture's of a site's newest FILES_HEAD_PICTURES articles (what feeds show), once the rest of
# its crawl is done: for the archive and the feed enclosures (files are never downloaded).
FILES_HEAD = True
FILES_HEAD_PICTURES = 100

# Incremental crawling: known pages are fetched again on a decaying schedule (scraper.recheck),
# or all at once with CRAWL_REFRESH (`scraper crawl --refresh`).
RECHECK_FACTOR = 0.25
RECHECK_MIN_HOURS = 1
RECHECK_MAX_DAYS = 30
RECHECK_STOP_DAYS = 90
CRAWL_REFRESH = False

# Conditional requests: Scrapy's HTTP cache with the RFC 2616 policy sends If-None-Match and
# If-Modified-Since for pages seen before; max-age=0 makes it ask the server every time.
HTTPCACHE_ENABLED = True
HTTPCACHE_POLICY = "scrapy.extensions.httpcache.RFC2616Policy"
HTTPCACHE_GZIP = True
HTTPCACHE_STORAGE = "scraper.middlewares.QuickGzipCacheStorage"
HTTPCACHE_DIR = "httpcache"  # set beside the archive by scraper.crawl
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "vi,en;q=0.5",
    "Cache-Control": "max-age=0",
}

# PROGRESS_*: live per-site figures on stderr ("auto": when it is a terminal; "always"; false).
PROGRESS_ENABLED = "auto"
PROGRESS_INTERVAL = 2.0
EXTENSIONS = {"scraper.progress.Progress": 500}
