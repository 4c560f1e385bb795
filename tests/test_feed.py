"""The merged feed, written from the crawled archive and read back as a reader would."""

from __future__ import annotations

import sqlite3
from email.utils import parsedate_to_datetime

import feedparser
from conftest import run_scraper
from lxml import etree


def test_feed_parses_and_carries_every_article(crawl_run, tmp_path):
    out = tmp_path / "feeds"
    proc = run_scraper("feed", "--db", str(crawl_run.db), "--out", str(out),
                       "--base-url", "https://feeds.example/")
    assert "rss.xml: written" in proc.stdout
    raw = (out / "rss.xml").read_bytes()
    parsed = feedparser.parse(raw)
    assert not parsed.bozo, parsed.get("bozo_exception")
    con = sqlite3.connect(crawl_run.db)
    expected = dict(con.execute("select url, title from articles"))
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
    assert "unchanged" in proc.stdout
    assert (out / "rss.xml").read_bytes() == content
    assert (out / "rss.xml").stat().st_mtime_ns == before.st_mtime_ns
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
