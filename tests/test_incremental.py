"""Crawling again: only what is new or due is fetched, and an edit becomes a revision."""

from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
from datetime import datetime, timedelta

import pytest
from conftest import LOCAL, run_scraper

from scraper.normalize.dates import VN
from scraper.registry import dump_registry
from scraper.samples import SAMPLE_SITES
from scraper.samples.server import SampleServer

SAMPLE = next(s for s in SAMPLE_SITES if s.cms == "nukeviet")
# the home, the listings' first pages, and the CMS's own feed and sitemap
FIRST_PAGES = {"/", "/robots.txt", *SAMPLE.start_paths, *SAMPLE.notice_paths, "/news/rss/",
               "/sitemap.xml"}
WIDE_WINDOW = ["--set", "RECHECK_STOP_DAYS=100000"]  # the sample articles are years old


@pytest.fixture
def site(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(SAMPLE.root, root)
    with SampleServer(root) as server:
        sites = tmp_path / "sites.toml"
        sites.write_text(dump_registry([SAMPLE.site(server.url)]), encoding="utf-8")
        yield server, root, sites, tmp_path / "archive.db"


def crawl(sites, db, *extra):
    return run_scraper("crawl", "--sites", str(sites), "--db", str(db), *LOCAL, *WIDE_WINDOW,
                       *extra)


def query(db, sql, params=()):
    con = sqlite3.connect(db)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def make_due(db, url) -> str:
    """The article was last seen 40 days ago, so its re-check is due; that time, returned."""
    long_ago = (datetime.now(VN) - timedelta(days=40)).isoformat(timespec="seconds")
    con = sqlite3.connect(db)
    con.execute("update articles set last_seen = ? where url = ?", [long_ago, url])
    con.commit()
    con.close()
    return long_ago


def test_an_unchanged_site_costs_only_its_first_listing_pages(site):
    server, _, sites, db = site
    crawl(sites, db)
    articles = query(db, "select url, content_hash from articles order by url")
    server.log.clear()
    crawl(sites, db)
    fetched = {path for method, path, _ in server.log if method == "GET"}
    assert fetched == FIRST_PAGES
    assert not [entry for entry in server.log if entry[0] == "HEAD"]
    # the listings themselves were asked conditionally and had not changed
    assert {(path, status) for _, path, status in server.log if path in SAMPLE.start_paths} == {
        (SAMPLE.start_paths[0], 304)}
    assert query(db, "select url, content_hash from articles order by url") == articles
    [(new, updated, status)] = query(db, "select new, updated, status from crawls "
                                     "order by id desc limit 1")
    assert (new, updated, status) == (0, 0, "ok")


def test_an_edit_is_caught_when_the_page_is_due(site):
    server, root, sites, db = site
    crawl(sites, db)
    [(url, old_text)] = query(db, "select url, text from articles where title like 'Nền nếp%'")
    page = root / url.split("/", 3)[3]
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("Bám sát nội dung học và làm theo",
                                 "Bám sát (đã sửa) nội dung học và làm theo"), encoding="utf-8")
    # within its window the page is not fetched again...
    server.log.clear()
    crawl(sites, db)
    assert not query(db, "select * from revisions")
    # ...once its re-check is due (last seen 40 days ago) the edit becomes a revision
    make_due(db, url)
    server.log.clear()
    crawl(sites, db)
    fetched = {path for method, path, _ in server.log if method == "GET"}
    assert fetched == FIRST_PAGES | {"/" + url.split("/", 3)[3]}
    [(source, record)] = query(db, "select source, record from revisions")
    assert source == "article" and json.loads(record)["text"] == old_text
    [(text,)] = query(db, "select text from articles where url = ?", [url])
    assert "(đã sửa)" in text
    assert query(db, "select updated from crawls order by id desc limit 1") == [(1,)]


def picture_heads(server) -> list[str]:
    return [path for method, path, _ in server.log
            if method == "HEAD" and path.endswith((".jpg", ".jpeg", ".png"))]


def test_refresh_fetches_every_known_page(site):
    server, _, sites, db = site
    crawl(sites, db)
    hashes = query(db, "select url, images, content_hash from articles order by url")
    assert [images for _, images, _ in hashes if '"size": ' in images]  # pictures described
    server.log.clear()
    crawl(sites, db, "--refresh")
    fetched = {path for method, path, _ in server.log if method == "GET"}
    articles = {u.split("/", 3)[3] for (u,) in query(db, "select url from articles")}
    assert {"/" + a for a in articles} <= fetched
    # the pages came again whole, and their pictures' sizes from the archive: no new version
    assert query(db, "select url, images, content_hash from articles order by url") == hashes
    assert not query(db, "select * from revisions")
    assert not picture_heads(server)


def test_pictures_are_described_for_the_newest_articles_once_the_pages_are_in(site):
    """A HEAD per lead picture doubled a backfill's requests; feeds show only the newest."""
    server, root, sites, db = site
    crawl(sites, db, "--set", "FILES_HEAD_PICTURES=2")
    rows = query(db, "select url, images from articles order by moment desc")
    described = {url: [i for i in json.loads(images) if i.get("size") is not None]
                 for url, images in rows}
    newest = [url for url, images in rows[:2] if json.loads(images)]
    assert newest and [url for url, found in described.items() if found] == newest
    for url in newest:
        [picture] = described[url]  # the lead picture, with the size the server sent
        path = "/" + picture["src"].split("/", 3)[3]
        assert picture["size"] == (root / path.lstrip("/")).stat().st_size
        assert picture["type"] in ("image/jpeg", "image/png")
    assert len(picture_heads(server)) == len(newest)
    # described once: the next crawl does not ask again
    server.log.clear()
    crawl(sites, db, "--set", "FILES_HEAD_PICTURES=2")
    assert not picture_heads(server)


def test_the_cms_feed_finds_articles_the_listings_do_not_reach(site):
    server, _, sites, db = site
    # a crawl limited to the first listing page still gets the older article through /news/rss/
    crawl(sites, db, "--set", "LISTING_MAX_PAGES=1")
    assert "/news/xay-dung-dang/page-2" not in {p for _, p, _ in server.log}
    assert query(db, "select count(*) from articles") == [(4,)]
    assert query(db, "select errors from crawls") == [(0,)]  # no sitemap here: not an error


def test_a_due_page_unchanged_costs_a_304_and_no_copy(site):
    """Known pages are asked with the validators they last came with, not through the HTTP
    cache, which stored every page a second time beside the archive's copy."""
    server, _, sites, db = site
    crawl(sites, db)
    [(url,)] = query(db, "select url from articles where title like 'Nền nếp%'")
    path = "/" + url.split("/", 3)[3]
    pages = query(db, "select count(*) from pages")
    cached = [gzip.decompress(m.read_bytes()).decode()
              for m in (db.parent / "httpcache").rglob("meta")]
    assert cached and not [m for m in cached if path in m]  # listings only
    long_ago = make_due(db, url)
    server.log.clear()
    crawl(sites, db)
    assert [(m, s) for m, p, s in server.log if p == path] == [("GET", 304)]
    [(seen,)] = query(db, "select last_seen from articles where url = ?", [url])
    assert seen > long_ago
    assert query(db, "select count(*) from pages") == pages
    assert not query(db, "select * from revisions")
    assert query(db, "select status from crawls order by id desc limit 1") == [("ok",)]


def test_a_picture_that_is_gone_is_recorded_as_such_and_not_asked_again(site):
    server, root, sites, db = site
    for picture in [*root.rglob("*.jpg"), *root.rglob("*.png")]:
        picture.unlink()
    crawl(sites, db)
    pictures = [i for (images,) in query(db, "select images from articles")
                for i in json.loads(images)]
    asked = [i for i in pictures if "size" in i]
    assert asked and all(i["size"] == 0 and i["type"] is None for i in asked)
    server.log.clear()
    crawl(sites, db)
    assert not picture_heads(server)
