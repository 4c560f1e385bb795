"""A real crawl of the sample sites through Scrapy's engine, checked field by field."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import lxml.html
import pytest
from conftest import LOCAL, rows, run_scraper


def gold_articles(served):
    for item in served.values():
        for path, expected in item.gold["articles"].items():
            yield pytest.param(item, path, expected, id=f"{item.sample.id}{path}")


def article_row(db, url):
    found = rows(db, "select * from articles where url = ?", [url])
    assert found, f"{url} was not archived"
    return found[0]


def test_every_gold_article_is_archived_exactly(crawl_run, served):
    for item in served.values():
        for path, expected in item.gold["articles"].items():
            row = article_row(crawl_run.db, item.url(path))
            paragraphs = row["text"].split("\n\n")
            assert row["site_id"] == item.sample.id
            assert row["title"] == expected["title"], path
            assert row["published"] == expected["published"], path
            assert row["author"] == expected["author"], path
            assert row["summary"] == expected["summary"], path
            assert paragraphs[0] == expected["first_paragraph"], path
            assert paragraphs[-1] == expected["last_paragraph"], path
            images = json.loads(row["images"])
            assert len(images) == expected["image_count"], path
            captions = [i["caption"] for i in images if i["caption"]]
            assert captions == expected["captions"], path
            assert all(i["src"].startswith(item.server.url) for i in images)
            for caption in expected["captions"]:
                assert caption not in row["text"], path


def visible(html: str) -> str:
    """What a reader sees of the HTML: its text and its alt texts (not URLs)."""
    tree = lxml.html.fragment_fromstring(html, create_parent="div")
    return " ".join([tree.text_content(), *tree.xpath("//img/@alt")])


def test_no_boilerplate_in_any_body(crawl_run, served):
    for item in served.values():
        for row in rows(crawl_run.db, "select * from articles where site_id = ?",
                        [item.sample.id]):
            shown = visible(row["html"])
            for phrase in item.gold["boilerplate"]:
                assert phrase not in row["text"], (row["url"], phrase)
                assert phrase not in shown, (row["url"], phrase)
            assert row["guard_hits"] == 0, row["url"]
            assert "<script" not in row["html"] and "<form" not in row["html"]


def test_only_articles_are_archived_and_pagination_was_followed(crawl_run, served):
    for item in served.values():
        archived = {r["url"] for r in rows(crawl_run.db,
                                           "select url from articles where site_id = ?",
                                           [item.sample.id])}
        assert archived >= {item.url(p) for p in item.gold["articles"]}
        not_articles = {n["url"] for n in item.gold["notices"]} | set(item.gold["listing_pages"])
        assert not archived & {item.url(p) for p in not_articles}
        assert not [u for u in archived if "/print/" in u or "/savefile/" in u]
        asked = set(item.server.requests)
        assert "/robots.txt" in asked
        for listing in item.gold["listing_pages"]:
            assert listing in asked, listing


def test_crawls_are_recorded_per_site(crawl_run, served):
    for item in served.values():
        crawl = rows(crawl_run.db, "select * from crawls where site_id = ? order by id",
                     [item.sample.id])[0]
        assert crawl["status"] == "ok"
        assert crawl["new"] >= len(item.gold["articles"])
        assert crawl["pages"] > len(item.gold["articles"])
        assert crawl["errors"] == 0
        assert crawl["started"].endswith("+07:00") and crawl["finished"] >= crawl["started"]
        assert item.sample.id in crawl_run.output


def test_sites_table_and_fts(crawl_run, served):
    sites = {r["id"]: r for r in rows(crawl_run.db, "select * from sites")}
    for item in served.values():
        assert sites[item.sample.id]["name"] == item.sample.name
        assert sites[item.sample.id]["province"] == item.sample.province
    hits = rows(crawl_run.db, "select rowid from articles_search where articles_search match ?",
                ['"đại hội"'])
    assert hits
    mode = rows(crawl_run.db, "pragma journal_mode")[0]["journal_mode"]
    assert mode == "wal"


def test_second_crawl_adds_no_rows(crawl_run, served):
    before = rows(crawl_run.db, "select url, first_seen, content_hash from articles order by url")
    notices_before = rows(crawl_run.db, "select notice_key, first_seen, content_hash from notices "
                          "order by notice_key")
    documents_before = rows(crawl_run.db, "select count(*) as n from documents")
    proc = run_scraper("crawl", "--sites", str(crawl_run.sites_file), "--db",
                       str(crawl_run.db), *LOCAL)
    after = rows(crawl_run.db, "select url, first_seen, content_hash from articles order by url")
    assert after == before
    assert rows(crawl_run.db, "select notice_key, first_seen, content_hash from notices "
                "order by notice_key") == notices_before
    assert rows(crawl_run.db, "select count(*) as n from documents") == documents_before
    latest = rows(crawl_run.db, "select * from crawls where id in "
                  "(select max(id) from crawls group by site_id)")
    assert all(r["new"] == 0 and r["updated"] == 0 and r["status"] == "ok" for r in latest)
    assert "site" in proc.stdout
    integrity = rows(crawl_run.db, "pragma integrity_check")[0]["integrity_check"]
    assert integrity == "ok"


def test_a_story_on_both_sites_is_linked_and_fed_once(crawl_run, served):
    copies = rows(crawl_run.db, """
        select a.title, a.site_id, o.site_id as original_site from articles a
        join articles o on o.id = a.duplicate_of""")
    # three seed stories are printed by both sample sites
    assert len(copies) == 3
    assert all(c["site_id"] != c["original_site"] for c in copies)
    titles = [r["title"] for r in rows(crawl_run.db,
                                       "select title from articles where duplicate_of is null")]
    assert len(titles) == len(set(titles))


def test_reprocess_rebuilds_the_archive_identically_without_network(crawl_run, tmp_path):
    blocker = tmp_path / "nonet"
    blocker.mkdir()
    (blocker / "sitecustomize.py").write_text(
        "import socket\n"
        "def _refuse(*a, **k):\n"
        "    raise OSError('network is off for this test')\n"
        "socket.socket.connect = _refuse\n"
        "socket.create_connection = _refuse\n"
    )
    before = rows(crawl_run.db, "select url, content_hash from articles order by url")
    notices = rows(crawl_run.db, "select notice_key, content_hash from notices order by 1")
    revisions = rows(crawl_run.db, "select count(*) as n from revisions")
    proc = subprocess.run(
        [sys.executable, "-m", "scraper", "reprocess", "--db", str(crawl_run.db)],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": f"{blocker}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"},
    )
    assert proc.returncode == 0, proc.stderr
    assert "updated: 0" in proc.stdout and "new: 0" in proc.stdout
    assert rows(crawl_run.db, "select url, content_hash from articles order by url") == before
    assert rows(crawl_run.db, "select notice_key, content_hash from notices order by 1") == notices
    assert rows(crawl_run.db, "select count(*) as n from revisions") == revisions
    stored = rows(crawl_run.db, "select count(distinct url) as n from pages where kind = 'article'")
    assert stored[0]["n"] == len(before)
