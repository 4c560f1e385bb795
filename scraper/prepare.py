"""A selected page as the archive takes it: normalized, with what the archive derives from it.

Pure and CPU-bound, so it runs in the normalization workers (scraper/workers.py); this module
imports no Scrapy, which keeps each worker process small.
"""

from __future__ import annotations

from storage.archive import PreparedArticle, prepare_article

from .items import ArticlePage, CrawlError, Notice, NoticeRef
from .normalize.article import normalize_article
from .normalize.notice import normalize_notice, notice_from_ref


def normalize_item(item: ArticlePage | NoticeRef) -> Notice | PreparedArticle | CrawlError:
    """The record for a notice or an article, or why the page is unusable."""
    if isinstance(item, NoticeRef):
        return notice_from_ref(item)
    if item.kind == "notice":
        return normalize_notice(item)
    article = normalize_article(item)
    missing = "title" if not article.title else "body text" if not article.text else None
    if missing:  # a login wall, an empty or binary page: recorded against its URL
        return CrawlError(item.site_id, item.url, f"no article on the page: no {missing}")
    return prepare_article(article)
