"""Archive rows → feed entries: one shape for articles and notices, whatever the format."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime

from scraper.normalize.dates import VN
from scraper.normalize.text import fold

KIND_LABELS = {"article": "Bài viết", "notice": "Thông báo"}
# what the entries read of each archive row (with the site's name, url and province)
ENTRY_COLUMNS = {
    "articles": ("url", "site_id", "title", "summary", "text", "author", "published",
                 "first_seen", "html", "images"),
    "notices": ("url", "site_id", "notice_key", "doc_number", "doc_type_name", "title", "date",
                "first_seen", "html", "attachments", "attachment_url"),
}


@dataclass(eq=False)
class Entry:
    """One feed item, rendered once however many feeds carry it (feeds/rss.py); equal only to
    itself."""

    guid: str
    permalink: bool
    link: str
    title: str
    moment: datetime
    summary: str
    content_html: str
    categories: list[str]
    source: tuple[str, str]  # (site name, the site's own feed URL)
    author: str | None = None
    enclosure: dict | None = None  # {"url", "length", "type"}
    # content_html as feeds carry it, and the RSS <item>, once computed (feeds/rss.py)
    body: str | None = None
    rss: bytes | None = None


def slug(value: str) -> str:
    """"Sơn La" → "son-la": file names for province feeds."""
    return re.sub(r"[^a-z0-9]+", "-", fold(value)).strip("-")


def site_feed_url(base: str, site_id: str) -> str:
    return f"{base}sites/{site_id}.xml"


def moment_of(value: str | None, fallback: str) -> datetime:
    moment = datetime.fromisoformat(value or fallback)
    return moment if moment.tzinfo else moment.replace(tzinfo=VN)


def _categories(row: dict, kind: str, *more: str | None) -> list[str]:
    return [c for c in (row["site_name"], row.get("site_province"), KIND_LABELS[kind], *more)
            if c]


def _enclosure(files: list[dict]) -> dict | None:
    described = next((f for f in files if f.get("size") and f.get("type")), None)
    if described is None:
        return None
    url = described.get("url") or described.get("src")
    return {"url": url, "length": str(described["size"]), "type": described["type"]}


def article_entry(row: dict, base: str) -> Entry:
    text = row.get("text") or ""
    images = json.loads(row.get("images") or "[]")
    return Entry(
        guid=row["url"], permalink=True, link=row["url"], title=row["title"],
        moment=moment_of(row.get("published"), row["first_seen"]),
        summary=row.get("summary") or text.split("\n\n", 1)[0],
        content_html=row.get("html") or "", categories=_categories(row, "article"),
        source=(row["site_name"], site_feed_url(base, row["site_id"])),
        author=row.get("author"), enclosure=_enclosure(images[:1]),
    )


def notice_entry(row: dict, base: str) -> Entry:
    """A notice, titled with its number; its first described attachment as the enclosure."""
    number = row.get("doc_number")
    files = json.loads(row.get("attachments") or "[]")
    return Entry(
        guid=row.get("url") or f"urn:partysites:notice:{row['notice_key']}",
        permalink=bool(row.get("url")),
        link=row.get("url") or row.get("attachment_url") or row["site_url"],
        title=f"{number}: {row['title']}" if number else row["title"],
        moment=moment_of(row.get("date"), row["first_seen"]),
        summary=row["title"], content_html=row.get("html") or "",
        categories=_categories(row, "notice", row.get("doc_type_name")),
        source=(row["site_name"], site_feed_url(base, row["site_id"])),
        enclosure=_enclosure(files),
    )
