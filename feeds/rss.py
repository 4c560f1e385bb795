"""Entries → RSS 2.0 and Atom 1.0 bytes (feedgen), safe for any reader.

Every text goes through xml_text (no characters XML forbids) and every body through the nh3
allowlist; the output depends only on the entries, so an unchanged archive gives the same bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from feedgen.feed import FeedGenerator

from scraper.normalize.sanitize import sanitize_html

from .entries import Entry


@lru_cache(maxsize=4096)
def _content(html: str) -> str:
    """An entry's body as a feed carries it; one entry is in four feeds or more (merged, Atom,
    its site's, its province's), and sanitizing was a third of writing them all."""
    return xml_text(sanitize_html(html))

TTL_MINUTES = 60
# XML 1.0 forbids these even as character references.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(value: str | None) -> str:
    return _XML_ILLEGAL.sub("", value or "")


def plain(value: str | None) -> str:
    """A text field (title, description, category, author): readers may render it as HTML,
    so angle brackets become look-alike quotes that can never open a tag."""
    return xml_text(value).replace("<", "‹").replace(">", "›")


@dataclass(frozen=True)
class Channel:
    title: str
    description: str
    link: str  # the page the feed is about
    self_url: str  # where the feed itself is published


def _generator(entries: list[Entry], channel: Channel) -> FeedGenerator:
    fg = FeedGenerator()
    fg.load_extension("dc")
    fg.id(channel.self_url)
    fg.title(plain(channel.title))
    fg.subtitle(plain(channel.description))
    fg.link(href=channel.self_url, rel="self")
    fg.link(href=channel.link, rel="alternate")  # last: feedgen makes the last link RSS's <link>
    fg.language("vi")
    fg.ttl(TTL_MINUTES)
    fg.generator("partysites-scraper")
    if entries:
        newest = max(e.moment for e in entries)
        fg.lastBuildDate(newest)
        fg.updated(newest)
    return fg


def _add(fg: FeedGenerator, item: Entry, atom: bool) -> None:
    entry = fg.add_entry()
    entry.guid(xml_text(item.guid), permalink=item.permalink)
    entry.id(xml_text(item.guid))
    entry.link(href=xml_text(item.link))
    entry.title(plain(item.title).strip() or "(không có tiêu đề)")
    entry.pubDate(item.moment)
    entry.updated(item.moment)
    entry.description(plain(item.summary))
    html = _content(item.content_html) if item.content_html else ""
    if html:
        # CDATA reads best in RSS, but cannot hold "]]>"; Atom takes escaped HTML
        cdata = not atom and "]]>" not in html
        entry.content(html, type="CDATA" if cdata else "html")
    for term in item.categories:
        entry.category(term=plain(term))
    if item.author:
        entry.dc.dc_creator(plain(item.author))
        if atom:
            entry.author({"name": plain(item.author)})
    if not atom:
        entry.source(url=item.source[1], title=plain(item.source[0]))
    if item.enclosure:
        entry.enclosure(**item.enclosure)


def build_rss(entries: list[Entry], channel: Channel) -> bytes:
    """RSS 2.0 for entries given newest first."""
    fg = _generator(entries, channel)
    for item in reversed(entries):  # feedgen prepends: add oldest first
        _add(fg, item, atom=False)
    return fg.rss_str(pretty=True)


def build_atom(entries: list[Entry], channel: Channel) -> bytes:
    """Atom 1.0 for entries given newest first."""
    fg = _generator(entries, channel)
    if not entries:
        fg.updated("1970-01-01T00:00:00+00:00")
    for item in reversed(entries):
        _add(fg, item, atom=True)
    return fg.atom_str(pretty=True)
