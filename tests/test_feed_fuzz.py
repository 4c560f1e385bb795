"""Hostile titles and bodies never break a feed or carry a script into a reader.

Bodies reach the feeds as the archive holds them, through the nh3 allowlist (the crawl does it
before storing; tests/test_security.py follows hostile pages from the crawl to the feeds)."""

from __future__ import annotations

from datetime import datetime

import feedparser
import lxml.html
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from feeds.entries import Entry
from feeds.rss import Channel, build_atom, build_rss, feed_body
from scraper.normalize.dates import VN
from scraper.normalize.sanitize import sanitize_html

CHANNEL = Channel("Tin", "Mô tả", "https://feeds.example/", "https://feeds.example/rss.xml")
NASTY = st.sampled_from([
    "]]>", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\x00\x07\x1b",
    "\ud800", "\udfff", "\ufffe", "&#0;", "&amp;", "<![CDATA[x]]>", "javascript:alert(1)",
    '<a href="javascript:alert(1)">x</a>', "<svg/onload=alert(1)>", "<iframe src=//x>",
    "Đảng ủy Khối", "\u202e", "<p>]]></p>", '<a href="https://x/]]>">y</a>',
])
TEXT = st.lists(st.one_of(NASTY, st.text(max_size=40)), max_size=8).map("".join)


def entry(title: str, summary: str, html: str, author: str) -> Entry:
    return Entry(guid="https://a.vn/1.html", permalink=True, link="https://a.vn/1.html",
                 title=title, moment=datetime(2024, 3, 22, 14, 0, tzinfo=VN), summary=summary,
                 content_html=sanitize_html(html), categories=["Site", author],
                 source=("Site", "https://a.vn/s"),
                 author=author or None)


# Fields readers render as HTML (an RSS description may be HTML too).
HTML_FIELDS = {"{http://purl.org/rss/1.0/modules/content/}encoded", "description",
               "{http://www.w3.org/2005/Atom}content", "{http://www.w3.org/2005/Atom}summary"}


def assert_safe(raw: bytes) -> None:
    """Well-formed XML; HTML fields carry no script; text fields carry no markup at all."""
    tree = etree.fromstring(raw)  # raises unless well-formed
    for node in tree.iter():
        if not isinstance(node.tag, str) or not node.text:
            continue
        if node.tag in HTML_FIELDS:
            fragment = lxml.html.fragment_fromstring(node.text, create_parent="div")
            assert not fragment.xpath("//script|//iframe|//svg|//object|//embed")
            for element in fragment.iter():
                for name, value in element.attrib.items():
                    assert not name.lower().startswith("on"), name
                    assert not value.strip().lower().startswith("javascript:"), value
        else:
            assert "<" not in node.text, (node.tag, node.text)
    assert not feedparser.parse(raw).bozo


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, TEXT, TEXT, TEXT)
def test_hostile_items_give_well_formed_safe_feeds(title, summary, html, author):
    item = entry(title, summary, html, author)
    assert_safe(build_rss([item], CHANNEL))
    assert_safe(build_atom([item], CHANNEL))


def test_a_one_megabyte_body():
    body = "<p>" + "Đảng ủy Khối <b>họp</b> ]]> <script>x</script> " * 22000 + "</p>"
    assert len(body) > 1_000_000
    raw = build_rss([entry("Tin dài", "Tóm tắt", body, "PV")], CHANNEL)
    assert_safe(raw)
    assert len(raw) > 500_000


def feedgen_rss(entries: list[Entry], channel: Channel) -> bytes:
    """The reference: RSS as feedgen writes it (feeds/rss.py writes RSS itself, for speed)."""
    from feedgen.feed import FeedGenerator

    from feeds.rss import plain, xml_text

    fg = FeedGenerator()
    fg.load_extension("dc")
    fg.id(channel.self_url)
    fg.title(plain(channel.title))
    fg.subtitle(plain(channel.description))
    fg.link(href=channel.self_url, rel="self")
    fg.link(href=channel.link, rel="alternate")
    fg.language("vi")
    fg.ttl(60)
    fg.generator("partysites-scraper")
    if entries:
        fg.lastBuildDate(max(e.moment for e in entries))
    for item in reversed(entries):
        entry = fg.add_entry()
        entry.guid(xml_text(item.guid), permalink=item.permalink)
        entry.link(href=xml_text(item.link))
        entry.title(plain(item.title).strip() or "(không có tiêu đề)")
        entry.pubDate(item.moment)
        entry.description(plain(item.summary))
        html = feed_body(item.content_html) if item.content_html else ""
        if html:
            entry.content(html, type="CDATA" if "]]>" not in html else "html")
        for term in item.categories:
            entry.category(term=plain(term))
        if item.author:
            entry.dc.dc_creator(plain(item.author))
        entry.source(url=item.source[1], title=plain(item.source[0]))
        if item.enclosure:
            entry.enclosure(**item.enclosure)
    return fg.rss_str(pretty=True)


def _read(raw: bytes) -> tuple[dict, list[dict]]:
    parsed = feedparser.parse(raw)
    assert not parsed.bozo, parsed.get("bozo_exception")
    keys = ("id", "link", "title", "summary", "content", "author", "tags", "published",
            "source", "enclosures")
    feed_keys = ("title", "link", "subtitle", "language", "generator", "updated", "ttl")
    return ({k: parsed.feed.get(k) for k in feed_keys},
            [{k: e.get(k) for k in keys} for e in parsed.entries])


MOMENTS = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2030, 1, 1)).map(
    lambda moment: moment.replace(microsecond=0, tzinfo=VN))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(TEXT, TEXT, TEXT, TEXT, MOMENTS, st.booleans(), st.booleans()),
                max_size=4), TEXT)
def test_rss_reads_as_feedgen_writes_it(items, channel_title):
    entries = [
        Entry(guid=f"https://a.vn/{n}.html", permalink=True, link=f"https://a.vn/{n}.html",
              title=title, moment=moment, summary="Tóm tắt " + summary,
              content_html=sanitize_html(html),
              categories=["Site", author], source=("Site & co", "https://a.vn/s?a=1&b=2"),
              author=author or None,
              enclosure={"url": f"https://a.vn/{n}.jpg?x=1&y=2", "length": "12",
                         "type": "image/jpeg"} if pictured else None)
        for n, (title, summary, html, author, moment, pictured, _) in enumerate(items)]
    channel = Channel("Tin " + channel_title, "Mô tả <b>", "https://feeds.example/",
                      "https://feeds.example/rss.xml")
    ours, reference = _read(build_rss(entries, channel)), _read(feedgen_rss(entries, channel))
    if not entries:  # feedgen stamps an empty feed with the time of the build; we do not
        reference[0]["updated"] = None
    for entry, mine, theirs in zip(entries, ours[1], reference[1], strict=True):
        html = feed_body(entry.content_html) if entry.content_html else ""
        if "]]>" in html:  # feedgen drops a body it cannot put in CDATA; we escape it
            assert mine.pop("content")[0]["value"] == html
            assert theirs.pop("content") is None
    assert ours == reference


def test_an_empty_feed_is_the_same_bytes_every_time():
    """Its lastBuildDate would otherwise change every build, defeating readers' 304s."""
    assert build_rss([], CHANNEL) == build_rss([], CHANNEL)
    assert build_atom([], CHANNEL) == build_atom([], CHANNEL)
