"""The merged feed, written from the crawled archive and read back as a reader would."""

from __future__ import annotations

import sqlite3
from email.utils import parsedate_to_datetime

import feedparser
from conftest import run_scraper
from icalendar import Calendar
from lxml import etree


def test_feed_parses_and_carries_every_article(crawl_run, tmp_path):
    out = tmp_path / "feeds"
    proc = run_scraper("feed", "--db", str(crawl_run.db), "--out", str(out),
                       "--base-url", "https://feeds.example/")
    assert "rss.xml: written" in proc.stdout and "meetings.ics: written" in proc.stdout
    raw = (out / "rss.xml").read_bytes()
    parsed = feedparser.parse(raw)
    assert not parsed.bozo, parsed.get("bozo_exception")
    con = sqlite3.connect(crawl_run.db)
    expected = dict(con.execute("select url, title from articles where duplicate_of is null"))
    expected.update(con.execute("select url, doc_number || ': ' || title from notices"))
    con.close()
    assert len(parsed.entries) == len(expected)
    for entry in parsed.entries:
        assert entry.id == entry.link and entry.link in expected
        assert entry.title == expected[entry.link]
        assert entry.published_parsed and entry.summary
        assert entry.tags[0].term
    tree = etree.fromstring(raw)
    dates = [parsedate_to_datetime(d) for d in tree.xpath("//item/pubDate/text()")]
    assert all(d.endswith("+0700") for d in tree.xpath("//item/pubDate/text()"))
    assert dates == sorted(dates, reverse=True)
    ns = {"content": "http://purl.org/rss/1.0/modules/content/",
          "atom": "http://www.w3.org/2005/Atom"}
    bodies = tree.xpath("//item/content:encoded/text()", namespaces=ns)
    assert len(bodies) == len(expected) and all("<p>" in b for b in bodies)
    enclosures = tree.xpath("//item/enclosure")
    assert len(enclosures) == 8  # every sample notice has a PDF, HEAD-described
    assert all(e.get("type") == "application/pdf" and int(e.get("length")) > 0 for e in enclosures)
    assert not any("<script" in b for b in bodies)
    assert tree.xpath("//channel/atom:link[@rel='self']/@href", namespaces=ns) == [
        "https://feeds.example/rss.xml"]
    assert tree.xpath("//channel/language/text()") == ["vi"]
    assert tree.xpath("//channel/link/text()") == ["https://feeds.example/"]


def test_rewriting_an_unchanged_feed_leaves_the_file_alone(crawl_run, tmp_path):
    out = tmp_path / "feeds"
    run_scraper("feed", "--db", str(crawl_run.db), "--out", str(out))
    before = (out / "rss.xml").stat()
    content = (out / "rss.xml").read_bytes()
    proc = run_scraper("feed", "--db", str(crawl_run.db), "--out", str(out))
    assert proc.stdout.count(": unchanged\n") == 3
    assert (out / "rss.xml").read_bytes() == content
    assert (out / "rss.xml").stat().st_mtime_ns == before.st_mtime_ns
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_notices_feed_and_meetings_calendar(crawl_run, tmp_path):
    out = tmp_path / "feeds"
    run_scraper("feed", "--db", str(crawl_run.db), "--out", str(out))
    notices = feedparser.parse((out / "notices.xml").read_bytes())
    assert not notices.bozo and len(notices.entries) == 8
    assert all(e.title.split(":")[0].endswith("/ĐUK") for e in notices.entries)
    assert all(e.enclosures and e.enclosures[0].type == "application/pdf" for e in notices.entries)
    calendar = Calendar.from_ical((out / "meetings.ics").read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 6  # three giấy mời on each sample site
    first = events[0]
    assert first.decoded("dtstart").utcoffset().total_seconds() == 7 * 3600
    assert str(first["summary"]).split(":")[0].endswith("-GM/ĐUK")
    assert str(first["location"])
    assert len({str(e["uid"]) for e in events}) == 6
