"""RSS 2.0 feeds: the merged feed of every site (articles and notices) and notices.xml.

Items carry a guid that never changes when a page is re-crawled or edited (the article's
canonical URL; a notice's site and number), so readers never show an item twice. lastBuildDate
is the newest item's time, so an unchanged archive gives a byte-identical file, left alone.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime

from feedgen.feed import FeedGenerator

from scraper.normalize.dates import VN
from scraper.normalize.sanitize import sanitize_html

TTL_MINUTES = 60
# XML 1.0 forbids these even as character references.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(value: str | None) -> str:
    return _XML_ILLEGAL.sub("", value or "")


@dataclass
class Entry:
    """One feed item, whatever archive row it came from."""

    guid: str
    permalink: bool
    link: str
    title: str
    moment: datetime
    summary: str
    content_html: str
    categories: list[str]
    author: str | None = None
    enclosure: dict | None = None  # {"url", "length", "type"}
    extra: dict = field(default_factory=dict)


def _moment(value: str | None, fallback: str) -> datetime:
    moment = datetime.fromisoformat(value or fallback)
    return moment if moment.tzinfo else moment.replace(tzinfo=VN)


def article_entry(row: dict) -> Entry:
    text = row.get("text") or ""
    return Entry(
        guid=row["url"], permalink=True, link=row["url"], title=row["title"],
        moment=_moment(row.get("published"), row["first_seen"]),
        summary=row.get("summary") or text.split("\n\n", 1)[0],
        content_html=row.get("html") or "", categories=[row["site_name"]],
        author=row.get("author"),
    )


def notice_entry(row: dict) -> Entry:
    """A notice, titled with its number; its first described attachment as the enclosure."""
    number = row.get("doc_number")
    title = f"{number}: {row['title']}" if number else row["title"]
    files = json.loads(row.get("attachments") or "[]")
    sized = next((f for f in files if f.get("size") and f.get("type")), None)
    link = row.get("url") or row.get("attachment_url") or row["site_url"]
    return Entry(
        guid=row.get("url") or f"urn:partysites:notice:{row['notice_key']}",
        permalink=bool(row.get("url")), link=link, title=title,
        moment=_moment(row.get("date"), row["first_seen"]),
        summary=row["title"], content_html=row.get("html") or "",
        categories=[row["site_name"], row.get("doc_type_name") or "Thông báo"],
        enclosure={"url": sized["url"], "length": str(sized["size"]), "type": sized["type"]}
        if sized else None,
    )


def build_rss(entries: list[Entry], *, title: str, link: str, self_url: str,
              description: str) -> bytes:
    """RSS 2.0 bytes for entries (newest first)."""
    fg = FeedGenerator()
    fg.load_extension("dc")
    fg.title(title)
    fg.link(href=self_url, rel="self")
    fg.link(href=link, rel="alternate")  # last: feedgen makes the last link RSS's <link>
    fg.description(description)
    fg.language("vi")
    fg.ttl(TTL_MINUTES)
    fg.generator("partysites-scraper")
    if entries:
        fg.lastBuildDate(max(e.moment for e in entries))
    for item in reversed(entries):  # feedgen prepends: add oldest first
        entry = fg.add_entry()
        entry.guid(item.guid, permalink=item.permalink)
        entry.link(href=item.link)
        entry.title(xml_text(item.title))
        entry.pubDate(item.moment)
        entry.description(xml_text(item.summary))
        if item.content_html:
            entry.content(xml_text(sanitize_html(item.content_html)), type="CDATA")
        for term in item.categories:
            entry.category(term=xml_text(term))
        if item.author:
            entry.dc.dc_creator(xml_text(item.author))
        if item.enclosure:
            entry.enclosure(**item.enclosure)
    return fg.rss_str(pretty=True)
