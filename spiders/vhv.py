"""VHV portals: `VHV.init()` bootstrap, ModuleWrapper layout, `?page=Article.News.detail` pages."""

from __future__ import annotations

import re
from typing import ClassVar

from .base import CmsSpider
from .profile import CmsProfile


class VhvProfile(CmsProfile):
    name = "vhv"
    signatures = (
        re.compile(r"VHV\.init\(|\$\.extend\(VHV\.App|/publish/js/lib2-|Article\.News\.detail"),
    )

    article_path = re.compile(r"(?:/[\w-]+-\d+\.html?$|[?&]page=Article\.News\.detail)")
    listing_item_css = (
        ".ModuleWrapper .news-item, .ModuleWrapper li, .ModuleWrapper article, .list-news .item",
    )
    listing_date_css = (".post-date", ".date", ".time")
    listing_exclude_css = ("header", "nav", "footer", ".region-top", ".region-bottom",
                           ".panel.frame-general")
    next_page_css = ('.pagination a[rel="next"]::attr(href)',
                     '.pagination li.active + li a::attr(href)')

    title_css = ("h1.title-detail", ".news-detail-layout-type-2 h1", "article h1", "h1")
    lead_css = (".brief.font-size-text", "div.brief", ".article-brief")
    body_css = ('.content-detail[itemprop="articleBody"]', "div.content-detail",
                ".article-content")
    body_drop_css = (".social-connect", ".block_share", ".rating", ".tools-detail", ".modal")
    byline_css = (".author-detail .author-name", ".author-detail")
    date_css = ("span.post-date", ".post-date", ".date-detail")

    notice_item_css = (".panel.frame-general .notice-item, .frame-general li.notice",)
    notice_number_css = (".notice-symbol", ".symbol", "a", "strong")
    notice_title_css = (".notice-brief", ".notice-title", "a")
    notice_date_css = (".notice-date", ".date")


class VhvSpider(CmsSpider):
    name = "vhv"
    profile_class: ClassVar[type[CmsProfile]] = VhvProfile
