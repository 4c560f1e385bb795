"""Any other site: trafilatura finds the body, our normalization cleans it.

trafilatura is the well-kept generic extractor; what it returns is HTML that then goes through
the same block walk, widget pruning and phrase guard as every CMS profile.
"""

from __future__ import annotations

import re
from typing import ClassVar

import trafilatura
from htmldate import find_date
from parsel import Selector

from scraper.items import ArticlePage
from scraper.normalize.dates import DateCandidate

from .base import CmsProfile, CmsSpider

_LEADING_HEADINGS = re.compile(r"^\s*(?:<html>\s*<body>\s*)?(?:<h[12][^>]*>.*?</h[12]>\s*)+",
                               re.S | re.I)


class GenericProfile(CmsProfile):
    name = "generic"
    title_css = ("h1.entry-title", "h1.title", "article h1", "h1")
    date_css = ("time", ".post-date", ".entry-date", ".date", ".time", ".ngay-dang")

    def parse(self, sel: Selector, url: str) -> ArticlePage:
        page = super().parse(sel, url)
        html = sel.get()
        page.body_html = self.main_content(html, url)
        page.dates.append(DateCandidate(self.guess_date(html) or "", "iso"))
        return page

    def main_content(self, html: str, url: str) -> str:
        """The article body as trafilatura sees it, without the headline it repeats."""
        body = trafilatura.extract(
            html, url=url, output_format="html", include_comments=False, include_tables=True,
            include_images=True, include_links=True,
        )
        return _LEADING_HEADINGS.sub("", body or "", count=1)

    def guess_date(self, html: str) -> str | None:
        """htmldate's reading of the original date: the last resort (it can take sidebar dates)."""
        return find_date(html, original_date=True, extensive_search=False,
                         outputformat="%Y-%m-%d")


class GenericSpider(CmsSpider):
    name = "generic"
    profile_class: ClassVar[type[CmsProfile]] = GenericProfile
