"""Liferay portals (6.2 and 7.x): asset publisher full content, journal articles."""

from __future__ import annotations

import re
from typing import ClassVar

from parsel import Selector

from .base import CmsSpider
from .profile import CmsProfile

# Liferay themes print a missing field as the word "null" before the headline.
_NULL_PREFIX = re.compile(r"^(?:null\s+)+", re.I)


class LiferayProfile(CmsProfile):
    name = "liferay"
    signatures = (
        re.compile(r"Liferay\.(?:Portlet|ThemeDisplay|currentURL)|themeDisplay|/-/asset_publisher/"
                   r"|p_p_id_com_liferay_|p_p_id_101_INSTANCE_"),
    )

    article_path = re.compile(r"/-/asset_publisher/[^/]+/content/|/-/[\w-]+$|assetEntryId=")
    listing_item_css = (".asset-abstract, .asset-entry, .portlet-asset-publisher li, .news-item",)
    listing_date_css = (".metadata-publish-date", ".news-date", ".date-info", ".date")
    listing_exclude_css = ("header", "nav", "footer", "#column-2")
    next_page_css = ('.lfr-pagination-buttons a[rel="next"]::attr(href)',
                     ".pagination li.next a::attr(href)", 'a[rel="next"]::attr(href)')

    title_css = (".taglib-header .header-title", ".component-title .asset-title",
                 ".asset-full-content .asset-title", "h1.title", "h1")
    lead_css = (".asset-full-content .asset-summary", ".asset-summary", ".sapo",
                ".journal-content-article .summary")
    body_css = (".asset-full-content .journal-content-article", ".journal-content-article",
                ".asset-full-content .asset-content")
    body_drop_css = (".news-info", ".asset-links", ".asset-details", ".taglib-discussion",
                     ".taglib-social-bookmarks", ".asset-ratings", ".taglib-asset-links",
                     ".asset-metadata")
    byline_css = (".metadata-author .user-info strong", ".metadata-author .user-name")
    # scoped first: related assets in the same portlet print their own publish dates
    date_css = (".asset-full-content .metadata-publish-date", ".asset-full-content .news-date",
                ".asset-full-content .date-info", ".news-date", ".metadata-publish-date",
                ".date-info")

    def title(self, sel: Selector) -> str:
        return _NULL_PREFIX.sub("", super().title(sel))


class LiferaySpider(CmsSpider):
    name = "liferay"
    profile_class: ClassVar[type[CmsProfile]] = LiferayProfile
