"""ONECMS (Neko): provincial newspapers; JSON-LD NewsArticle, sapo, "POWERED BY ONECMS"."""

from __future__ import annotations

import re
from typing import ClassVar

from .base import CmsSpider
from .profile import CmsProfile


class OneCmsProfile(CmsProfile):
    name = "onecms"
    generator = re.compile(r"onecms", re.I)
    signatures = (re.compile(r"POWERED\s+BY\s+ONECMS|onecms__|/api/getMoreArticle", re.I),)

    start_paths = ()
    # /<slug>-<id>.html at the root
    article_path = re.compile(r"^/[\w-]+-\d{3,}\.html?$")
    listing_item_css = (
        ".l-content .b-grid, .l-content li[pid], .c-head-list .b-grid, .b-grid, li[pid]",
    )
    listing_date_css = (".b-grid__time", "span[datetime]::attr(datetime)", ".time")
    listing_exclude_css = ("header", "nav", "footer", ".l-sidebar")
    next_page_css = ('a.c-more::attr(href)', 'link[rel="next"]::attr(href)',
                     'a[rel="next"]::attr(href)')

    title_css = ("h1.c-detail-head__title", "h1.sc-longform-header-title", ".c-detail-head h1",
                 "h1.title", "h1")
    lead_css = (".c-news-detail h2.desc", "h2.desc", ".sc-longform-header-sapo", ".block-sc-sapo",
                ".sapo", ".c-detail-head__sapo")
    body_css = (".c-news-detail article.entry", "#abody", ".b-maincontent", ".c-news-detail")
    # the newer "longform" template prints its header inside the article element
    body_drop_css = ("div.c-box", ".c-related", ".c-sticky-share", ".sc-longform-header")
    byline_css = (".c-detail-head__author", ".sc-longform-header-author", ".block-sc-author")
    date_css = ("span.c-detail-head__time", ".sc-longform-header-date", ".block-sc-publish-time",
                ".c-detail-head__row time", "time")

    notice_item_css = ("li.c-notice-item, .c-notice-item",)
    attachment_css = (".c-attach",)
    notice_number_css = (".c-notice-item__symbol", ".symbol")
    notice_title_css = (".c-notice-item__title", ".title")
    notice_date_css = (".c-notice-item__date", ".date")


class OneCmsSpider(CmsSpider):
    name = "onecms"
    profile_class: ClassVar[type[CmsProfile]] = OneCmsProfile
