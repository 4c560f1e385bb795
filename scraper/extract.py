"""One saved page → the record, through exactly the spiders' profile and normalization."""

from __future__ import annotations

from w3lib.encoding import html_to_unicode

from spiders import PROFILES, detect_profile
from spiders.base import article_page

from .items import Article
from .normalize.article import normalize_article


class ExtractError(ValueError):
    """A page that cannot give a record; the message says why."""


def decode_page(body: bytes, content_type: str | None = None) -> str:
    """Bytes → text the way Scrapy decodes a response: header, BOM, meta charset, detection."""
    _, text = html_to_unicode(content_type, body)
    return text


def extract_page(html: str, url: str, cms: str | None = None) -> Article:
    if cms is not None and cms not in PROFILES:
        raise ExtractError(f"unknown CMS '{cms}' (known: {', '.join(PROFILES)})")
    if not html.strip():
        raise ExtractError("the page is empty")
    profile = PROFILES[cms]() if cms else detect_profile(html)()
    article = normalize_article(article_page(profile, html, profile.canonical(url), None))
    if not article.title and not article.text:
        raise ExtractError("no article found on the page (no title and no body)")
    return article
