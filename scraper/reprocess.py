"""`scraper reprocess`: extract the archive again from its stored pages, without the network.

After an extractor improves, every stored article and notice page goes through today's
profiles and normalization; changed records keep their previous version in `revisions`.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from spiders import PROFILES, detect_profile
from spiders.base import article_page, notice_page
from storage.archive import Archive

from .extract import decode_page
from .items import NoticeRef
from .normalize.article import normalize_article
from .normalize.notice import normalize_notice


def reprocess(db_path: str | Path, site_ids: tuple[str, ...] = ()) -> Counter[str]:
    """Re-extract every stored page (of the named sites); count new/updated/unchanged/skipped."""
    archive = Archive(db_path)
    counts: Counter[str] = Counter()
    try:
        cms_of = {row["id"]: row["cms"] for row in archive.db["sites"].rows}
        for site_id in site_ids or sorted(cms_of):
            if site_id not in cms_of:
                raise ValueError(f"no site '{site_id}' in the archive")
            for page in archive.latest_pages(site_id):
                html = decode_page(page.body, page.headers.get("content-type"))
                cms = cms_of[site_id]
                profile = (PROFILES[cms] if cms in PROFILES else detect_profile(html))()
                if page.kind == "notice":
                    listing = (NoticeRef(None, "", page.listing_date, page.url, site_id)
                               if page.listing_date else None)
                    notice = normalize_notice(notice_page(profile, html, page.url, site_id,
                                                          listing))
                    counts[archive.save_notice(notice)[0]] += 1
                    continue
                selected = article_page(profile, html, page.url, site_id, page.listing_date)
                selected.media = archive.known_media(page.url)  # what the crawl's HEADs said
                article = normalize_article(selected)
                if not article.title or not article.text:
                    counts["skipped"] += 1
                    continue
                counts[archive.save_article(article)[0]] += 1
    finally:
        archive.close()
    return counts
