"""The baseline for the crawl benchmark: plain Scrapy with a trivial parse.

Usage: python bench/plain_crawl.py SITE_URL ARTICLE_REGEX LISTING_REGEX [SITE_URL ...]
Starts at each site's home page, follows the listing pages and article links its regexes match
(robots.txt obeyed, as ours does) and yields each article's URL and headline: no extraction, no
archive, no HTTP cache. Prints the number of articles parsed.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from typing import Any

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.linkextractors import LinkExtractor

# the crawl benchmark gives ours the same (see bench/crawl_throughput.py, SHARED_SETTINGS)
SETTINGS = {
    "ROBOTSTXT_OBEY": True,
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "COOKIES_ENABLED": False,
    "TELNETCONSOLE_ENABLED": False,
    "LOG_LEVEL": "WARNING",
    "USER_AGENT": "partysites-scraper/0.1 (archival crawler for party committee sites)",
}


class PlainSpider(scrapy.Spider):
    name = "plain"

    def __init__(self, site: str, articles: str, listings: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_urls = [site]
        self.articles = re.compile(articles)
        self.listings = re.compile(listings)
        self.links = LinkExtractor(allow=(articles, listings))
        self.parsed = 0

    def parse(self, response: scrapy.http.Response) -> Iterator[scrapy.Request]:
        for link in self.links.extract_links(response):
            article = self.articles.search(link.url)
            yield response.follow(link.url, self.parse_article if article else self.parse)

    def parse_article(self, response: scrapy.http.Response) -> Iterator[dict]:
        self.parsed += 1
        yield {"url": response.url, "title": response.css("h1::text").get()}


def main(argv: list[str]) -> None:
    process = CrawlerProcess(SETTINGS)
    crawlers = []
    for start in range(0, len(argv), 3):
        site, articles, listings = argv[start:start + 3]
        crawler = process.create_crawler(PlainSpider)
        crawlers.append(crawler)
        process.crawl(crawler, site=site, articles=articles, listings=listings)
    process.start()
    print(sum(c.spider.parsed for c in crawlers))


if __name__ == "__main__":
    main(sys.argv[1:])
