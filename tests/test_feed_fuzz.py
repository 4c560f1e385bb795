"""Hostile titles and bodies never break a feed or carry a script into a reader."""

from __future__ import annotations

from datetime import datetime

import feedparser
import lxml.html
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from feeds.entries import Entry
from feeds.rss import Channel, build_atom, build_rss
from scraper.normalize.dates import VN

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
                 content_html=html, categories=["Site", author], source=("Site", "https://a.vn/s"),
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
