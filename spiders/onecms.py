"""ONECMS (Neko): provincial newspapers; JSON-LD NewsArticle, sapo, "POWERED BY ONECMS"."""

from __future__ import annotations

import re
from typing import ClassVar

from .base import CmsProfile, CmsSpider


class OneCmsProfile(CmsProfile):
    name = "onecms"
    generator = re.compile(r"onecms", re.I)
    signatures = (re.compile(r"POWERED\s+BY\s+ONECMS", re.I),)

    start_paths = ()
    article_path = re.compile(r"^/[\w-]+-\d{3,}\.html$")
    listing_item_css = ("article", ".story", ".item")
    next_page_css = ('a[rel="next"]::attr(href)',)

    title_css = ("h1",)
    lead_css = (".sapo",)
    body_css = ('[itemprop="articleBody"]',)
    date_css = ("time",)


class OneCmsSpider(CmsSpider):
    name = "onecms"
    profile_class: ClassVar[type[CmsProfile]] = OneCmsProfile
