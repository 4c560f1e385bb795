"""WordPress news themes (Newspaper, JNews, GeneratePress, Docly and the like)."""

from __future__ import annotations

import re
from typing import ClassVar

from .base import CmsSpider
from .profile import CmsProfile


class WordPressProfile(CmsProfile):
    name = "wordpress"
    generator = re.compile(r"WordPress", re.I)
    signatures = (re.compile(r"/wp-content/(?:themes|plugins|uploads)/|/wp-includes/|wp-json"),)

    start_paths = ("/",)
    discovery_paths = ("/feed/", "/wp-sitemap.xml")
    # permalinks: /2024/01/19/slug/, /slug/, /slug.html or ?p=123; archives are not articles
    article_path = re.compile(
        r"^/(?!category/|tag/|page/|author/|wp-|feed/|comments/|search/)"
        r"(?:\d{4}/\d{2}/(?:\d{2}/)?)?[^/?#]+(?:/|\.html?)?$"
    )
    listing_item_css = ("article, .td_module_wrap, .jeg_post, .post-item",)
    listing_date_css = ("time::attr(datetime)", ".entry-date", ".td-post-date", ".jeg_meta_date")
    listing_exclude_css = ("header", "nav", "footer", "aside", ".widget", "#comments")
    next_page_css = ('a.next.page-numbers::attr(href)', 'link[rel="next"]::attr(href)',
                     '.nav-previous a::attr(href)')

    title_css = ("h1.entry-title", "h1.jeg_post_title", ".td-post-title h1", "h1.banner_title",
                 "article h1", "h1")
    lead_css = ("p.td-post-sub-title", ".jeg_post_subtitle", ".entry-subtitle")
    lead_image_css = (".td-post-featured-image", ".jeg_featured", ".wp-block-post-featured-image")
    body_css = (".td-post-content", ".jeg_inner_content .content-inner",
                ".entry-content .content-inner", ".blog_single_content.entry-content",
                ".entry-content", "article .post-content")
    body_drop_css = (".td-post-featured-image", ".post-views", ".sharedaddy", ".jp-relatedposts",
                     ".jeg_post_tags", ".jeg_share_button", ".wp-block-embed", ".addtoany_share")
    # classic theme author boxes name the WordPress account ("admin"), not the writer, so only
    # the block themes' post-author block is read; other bylines come from the body
    byline_css = (".wp-block-post-author-name",)
    date_css = ("time.entry-date.published", ".td-post-date time", ".jeg_meta_date",
                ".entry-meta time.published", ".posted-on time", "time.entry-date")


class WordPressSpider(CmsSpider):
    name = "wordpress"
    profile_class: ClassVar[type[CmsProfile]] = WordPressProfile
