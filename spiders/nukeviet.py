"""NukeViet 4 (VINADES): the news module's detail, viewcat and block templates."""

from __future__ import annotations

import re
from typing import ClassVar
from urllib.parse import urlsplit, urlunsplit

from parsel import Selector

from scraper.normalize.dates import DateCandidate, offset_zone
from scraper.normalize.urls import canonical_url

from .base import CmsSpider
from .profile import CmsProfile, first, meta, text_of

_MY_OFS = re.compile(r"nv_my_ofs\s*=\s*(-?\d+(?:\.\d+)?)")
_LANG_PREFIX = re.compile(r"^/vi(?=/[\w-]+/)")


class NukeVietProfile(CmsProfile):
    name = "nukeviet"
    generator = re.compile(r"nukeviet", re.I)
    signatures = (re.compile(r"nv_base_siteurl|nv_my_ofs|/themes/[\w-]+/js/main\.js"),)

    start_paths = ("/news/",)
    # the news module's RSS (30 newest) and the sitemap index NukeViet writes by default
    discovery_paths = ("/news/rss/", "/sitemap.xml")
    # /news/<cat>/<alias>-<id>.html, optionally under /vi/; print/savefile copies excluded
    article_path = re.compile(
        r"^(?:/[a-z]{2})?/[\w-]+/(?!print/|savefile/|sendmail/|tag/|rss/)(?:[\w-]+/)*"
        r"[\w%.-]+-\d+\.html$"
    )
    listing_item_css = (
        ".news_column .panel-body, .news_column li, .viewcat_list li, .viewgrid .item, .news-item",
    )
    listing_date_css = (".text-muted li", ".text-muted", "span.time", "em", ".date")
    next_page_css = (
        'ul.pagination li a[rel="next"]::attr(href)',
        'ul.pagination li.active + li a::attr(href)',
        ".generate_page a.next::attr(href)",
    )
    listing_exclude_css = ("header", "nav", "footer", "#timeoutsess")

    title_css = ('h1.title[itemprop="headline"]', ".news_column h1.title", "h1.title", "h1")
    lead_css = ('.hometext[itemprop="description"]', ".hometext")
    lead_image_css = ("#hometext-imgleft", ".news_column figure.article", "figure.article")
    body_css = ("#news-bodyhtml", ".bodytext", '[itemprop="articleBody"]')
    # detail.tpl prints "Tác giả: …" as p.h5.text-right; the hidden itemprop=author is often a
    # placeholder ("Ban Biên tập"), so it is not read.
    byline_css = (".author-detail p.h5.text-right", ".news_column p.h5.text-right",
                  "p.h5.text-right", ".news_column .author")
    # The visible publish time; itemprop=datePublished is the *edit* time on NukeViet.
    date_css = (".news_column span.h5", "span.h5", ".time")

    notice_item_css = (
        ".block-thongbao > li, .block_notice li, .thongbao li, .block-news-notice .item",
    )
    attachment_css = (".news-download-file",)
    notice_number_css = (".tb-symbol", ".symbol", ".doc-number", "strong", "b")
    notice_title_css = (".tb-title", ".title", "a")
    notice_date_css = (".tb-date", ".date", ".time", "span.text-muted", "em")

    def canonical(self, url: str, site_url: str | None = None) -> str:
        """NukeViet serves each page with and without the /vi/ language prefix."""
        parts = urlsplit(canonical_url(url, site_url))
        return urlunsplit(parts._replace(path=_LANG_PREFIX.sub("", parts.path, count=1)))

    def page_zone(self, sel: Selector):  # noqa: ANN201 - a tzinfo
        """NukeViet renders times in the visitor's zone and says which in nv_my_ofs."""
        found = _MY_OFS.search(" ".join(sel.css("script::text").getall()))
        return offset_zone(float(found.group(1))) if found else None

    def dates(self, sel: Selector) -> list[DateCandidate]:
        zone = self.page_zone(sel)
        return [
            DateCandidate(text_of(first(sel, self.date_css)), "text", zone),
            DateCandidate(meta(sel, "article:published_time") or "", "iso", zone),
        ]


class NukeVietSpider(CmsSpider):
    name = "nukeviet"
    profile_class: ClassVar[type[CmsProfile]] = NukeVietProfile
