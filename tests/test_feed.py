"""The feeds, written from the crawled archive and read back as readers read them."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import feedparser
import pytest
from conftest import run_scraper
from icalendar import Calendar, Event
from lxml import etree

from feeds.calendar import ASSUMED_LENGTH, build_meetings
from scraper.normalize.dates import VN
from scraper.samples.server import SampleServer

NS = {"content": "http://purl.org/rss/1.0/modules/content/", "atom": "http://www.w3.org/2005/Atom",
      "dc": "http://purl.org/dc/elements/1.1/"}
RFC822 = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|"
                    r"Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} \+0700$")
CONFIG = """
[[feed]]
id = "bao-cao-vien"
title = "Thông báo về báo cáo viên"
kind = "notices"
query = "báo cáo viên"
"""


def validate_rss(raw: bytes) -> etree._Element:
    """The RSS 2.0 rules readers rely on; raise AssertionError on the first broken one."""
    tree = etree.fromstring(raw)
    assert tree.tag == "rss" and tree.get("version") == "2.0"
    [channel] = tree.findall("channel")
    for required in ("title", "link", "description"):
        assert channel.findtext(required), required
    assert channel.findtext("language") == "vi" and channel.findtext("ttl")
    assert channel.xpath("atom:link[@rel='self']/@href", namespaces=NS)
    if channel.findtext("lastBuildDate"):
        assert RFC822.match(channel.findtext("lastBuildDate"))
    guids = []
    for item in channel.findall("item"):
        assert item.findtext("title") or item.findtext("description")
        assert RFC822.match(item.findtext("pubDate") or ""), item.findtext("pubDate")
        assert len(item.findall("guid")) == 1
        guids.append(item.findtext("guid"))
        for enclosure in item.findall("enclosure"):
            assert enclosure.get("url") and enclosure.get("type")
            assert int(enclosure.get("length")) > 0
        for source in item.findall("source"):
            assert source.get("url") and source.text
    assert len(guids) == len(set(guids)), "duplicate guids"
    dates = [parsedate_to_datetime(i.findtext("pubDate")) for i in channel.findall("item")]
    assert dates == sorted(dates, reverse=True), "items are newest first"
    return channel


@pytest.fixture(scope="module")
def published(crawl_run, tmp_path_factory):
    out = tmp_path_factory.mktemp("feeds")
    config = out.parent / "feeds.toml"
    config.write_text(CONFIG, encoding="utf-8")
    proc = run_scraper("feed", "--db", str(crawl_run.db), "--out", str(out), "--base-url",
                       "https://feeds.example/", "--config", str(config))
    return out, proc.stdout


def all_feeds(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*.xml"))


def test_every_feed_file_is_written(published):
    out, stdout = published
    names = {str(p.relative_to(out)) for p in all_feeds(out)}
    assert names == {"rss.xml", "atom.xml", "notices.xml", "sites/sonla-dukcqdn.xml",
                     "sites/binhthuan-baodientu.xml", "provinces/son-la.xml",
                     "provinces/binh-thuan.xml", "custom/bao-cao-vien.xml"}
    assert (out / "meetings.ics").exists() and "written" in stdout


def test_every_feed_parses_as_readers_parse_it(published):
    out, _ = published
    for path in all_feeds(out):
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.entries, path
        for entry in parsed.entries:
            assert entry.get("id") and entry.get("link") and entry.get("title"), path
            assert entry.get("published_parsed") or entry.get("updated_parsed"), path
        if path.name != "atom.xml":
            validate_rss(path.read_bytes())
    atom = feedparser.parse((out / "atom.xml").read_bytes())
    assert atom.version == "atom10"


def test_merged_feed_items(published, crawl_run):
    out, _ = published
    con = sqlite3.connect(crawl_run.db)
    expected = dict(con.execute("select url, title from articles where duplicate_of is null"))
    expected.update(con.execute("select url, doc_number || ': ' || title from notices"))
    pictured = {u for (u,) in con.execute("select url from articles where duplicate_of is null "
                                          "and images != '[]'")}
    pictured |= {u for (u,) in con.execute("select url from notices")}
    con.close()
    channel = validate_rss((out / "rss.xml").read_bytes())
    items = channel.findall("item")
    assert {i.findtext("guid"): i.findtext("title") for i in items} == expected
    assert channel.findtext("link") == "https://feeds.example/"
    assert channel.xpath("atom:link[@rel='self']/@href", namespaces=NS) == [
        "https://feeds.example/rss.xml"]
    for item in items:
        body = item.findtext("content:encoded", namespaces=NS)
        assert body and "<p>" in body and "<script" not in body
        categories = {c.text for c in item.findall("category")}
        assert categories & {"Bài viết", "Thông báo"} and categories & {"Sơn La", "Bình Thuận"}
        source = item.find("source")
        assert re.fullmatch(r"https://feeds\.example/sites/[a-z-]+\.xml", source.get("url"))
        enclosure = item.find("enclosure")  # the lead picture, or the notice's PDF
        if item.findtext("guid") in pictured:
            assert enclosure.get("type") in ("image/jpeg", "image/png", "application/pdf")
        else:
            assert enclosure is None
    assert item.xpath("//dc:creator/text()", namespaces=NS)


def test_site_province_and_custom_feeds_hold_their_own(published):
    out, _ = published
    sonla = feedparser.parse((out / "sites" / "sonla-dukcqdn.xml").read_bytes())
    assert sonla.entries
    for entry in sonla.entries:
        assert "Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Sơn La" in {t.term for t in entry.tags}
    province = feedparser.parse((out / "provinces" / "binh-thuan.xml").read_bytes())
    assert province.entries and all("Bình Thuận" in {t.term for t in e.tags}
                                    for e in province.entries)
    custom = feedparser.parse((out / "custom" / "bao-cao-vien.xml").read_bytes())
    assert [e.title.split(":")[0] for e in custom.entries] == ["134-GM/ĐUK", "134-GM/ĐUK"]


def test_rewriting_an_unchanged_feed_leaves_every_file_alone(published, crawl_run):
    out, _ = published
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()}
    proc = run_scraper("feed", "--db", str(crawl_run.db), "--out", str(out), "--base-url",
                       "https://feeds.example/", "--config", str(out.parent / "feeds.toml"))
    assert proc.stdout.count(": unchanged\n") == len(before)
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in out.rglob(".*")]


def test_notices_feed_and_meetings_calendar(published):
    out, _ = published
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


@pytest.mark.parametrize(("line", "message"), [
    ('kind = "videos"', "key 'kind': one of all, articles, notices"),
    # a query SQLite cannot run stopped every feed of the build, with a traceback
    ("query = '\"báo cáo viên'", "key 'query': not a full-text search (unterminated string)"),
    ('query = "hội nghị AND"', "key 'query': not a full-text search (fts5: syntax error near \"\")"),
])
def test_a_bad_feed_configuration_is_one_line(crawl_run, tmp_path, line, message):
    bad = tmp_path / "feeds.toml"
    bad.write_text(f'[[feed]]\nid = "x"\ntitle = "X"\n{line}\n', encoding="utf-8")
    proc = run_scraper("feed", "--db", str(crawl_run.db), "--out", str(tmp_path / "o"),
                       "--config", str(bad), check=False)
    assert proc.returncode != 0
    assert proc.stderr.strip() == f"Error: {bad}: feed 'x': {message}"
    assert not (tmp_path / "o").exists()  # nothing half-written


@pytest.mark.skipif(shutil.which("newsboat") is None,
                    reason="newsboat (Debian package) is not installed")
def test_a_terminal_feed_reader_shows_the_items(published, tmp_path):
    out, _ = published
    with SampleServer(out) as server:
        urls = tmp_path / "urls"
        urls.write_text(server.url + "rss.xml\n", encoding="utf-8")
        cache = tmp_path / "cache.db"
        proc = subprocess.run(
            ["newsboat", "-u", str(urls), "-c", str(cache), "-C", os.devnull,
             "-x", "reload", "print-unread"],
            capture_output=True, text=True, timeout=120,
            env={**os.environ, "HOME": str(tmp_path)},
        )
    assert proc.returncode == 0, proc.stderr
    shown = feedparser.parse((out / "rss.xml").read_bytes()).entries
    assert f"{len(shown)} unread articles" in proc.stdout
    con = sqlite3.connect(cache)
    titles = {t for (t,) in con.execute("select title from rss_item")}
    con.close()
    assert titles == {e.title for e in shown}


def test_the_shipped_feed_configuration_loads():
    from feeds.config import load_feed_config

    specs = load_feed_config(Path(__file__).resolve().parents[1] / "feeds.toml")
    assert {s.id for s in specs} == {"dai-hoi", "giay-moi"}


def icalendar_meetings(rows: list[dict]) -> bytes:
    """The calendar as icalendar itself writes it (what build_meetings did before)."""
    calendar = Calendar()
    calendar.add("prodid", "-//partysites-scraper//meetings//VI")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Lịch họp theo giấy mời")
    calendar.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    for row in rows:
        start = datetime.fromisoformat(row["meeting_time"]).astimezone(VN)
        event = Event()
        event.add("uid", f"{row['notice_key']}@partysites")
        event.add("dtstamp", datetime.fromisoformat(row["first_seen"]))
        event.add("dtstart", start)
        event.add("dtend", start + ASSUMED_LENGTH)
        number = row.get("doc_number")
        event.add("summary", f"{number}: {row['title']}" if number else row["title"])
        if row.get("meeting_place"):
            event.add("location", row["meeting_place"])
        if row.get("url"):
            event.add("url", row["url"])
        event.add("description", f"{row.get('site_name') or ''}\n{row.get('url') or ''}".strip())
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


MEETING = {"meeting_time": "2024-03-22T14:00:00+07:00", "notice_key": "a|134-GM/ĐUK",
           "first_seen": "2024-03-20T09:05:00+07:00", "doc_number": "134-GM/ĐUK",
           "title": "Hội nghị Báo cáo viên tháng 3 năm 2024; cập nhật thông tin, định hướng",
           "meeting_place": "Hội trường Đảng ủy Khối, tầng 3", "url": "https://a.vn/tb/1.html",
           "site_name": "Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Sơn La"}


@pytest.mark.parametrize("changes", [
    {},
    {"doc_number": None, "meeting_place": None, "url": None, "site_name": None},
    {"meeting_time": "2024-03-22T07:00:00+00:00", "first_seen": "2024-03-20T09:05:00"},
    {"title": "Đảng ủy " * 30 + "kết thúc", "meeting_place": "a\\b;c,d\ne\r\nf 😀" * 9},
    {"title": "x" * 73 + "\\;" + "ỷ" * 40, "url": "https://a.vn/tb/1.html?a=b,c;d"},
    {"title": "^" * 80 + "\\" * 75, "site_name": "😀" * 30},
    {"title": "a\\Nb\rc\r\n\\n,;", "meeting_place": "\\\\N\r\r"},
])
def test_the_calendar_is_what_icalendar_writes(changes):
    """build_meetings writes the events itself, byte for byte as icalendar does (folding,
    escapes, zones), because icalendar's per-character folding was its whole cost."""
    rows = [{**MEETING, **changes}, {**MEETING, "notice_key": "a|135-GM/ĐUK"}]
    assert build_meetings(rows) == icalendar_meetings(rows)
    assert build_meetings([]) == icalendar_meetings([])
    assert build_meetings([{**MEETING, "meeting_time": None}]) == icalendar_meetings([])


def test_one_reader_thread_or_many_write_the_same_feeds(crawl_run, tmp_path, monkeypatch):
    """A build reads and renders in several threads; the files do not depend on how many."""
    import feeds.publish
    from feeds.publish import write_feeds

    monkeypatch.setattr(feeds.publish._Readers, "THREADS", 1)
    write_feeds(crawl_run.db, tmp_path / "alone", "https://feeds.example/")
    monkeypatch.setattr(feeds.publish._Readers, "THREADS", 8)
    monkeypatch.setattr(feeds.publish._Readers, "ROWS", 3)
    write_feeds(crawl_run.db, tmp_path / "shared", "https://feeds.example/")
    files = sorted(p.relative_to(tmp_path / "alone") for p in (tmp_path / "alone").rglob("*.*"))
    assert len(files) > 5 and files == sorted(
        p.relative_to(tmp_path / "shared") for p in (tmp_path / "shared").rglob("*.*"))
    for name in files:
        assert (tmp_path / "alone" / name).read_bytes() == (tmp_path / "shared" / name).read_bytes()
