"""`scraper status` and the site_health figures."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta

from conftest import LOCAL, run_scraper

from scraper.items import Article
from scraper.normalize.dates import VN
from scraper.registry import Site, dump_registry
from scraper.samples import SAMPLE_SITES
from scraper.samples.server import SampleServer
from storage.archive import Archive
from storage.health import site_health

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=VN)
SITE = {"id": "a", "url": "https://a.vn/"}


def archive_with(tmp_path, crawls=(), items=()):
    archive = Archive(tmp_path / "a.db")
    archive.upsert_site(Site(id="a", name="A", url="https://a.vn/"))
    for status, home_status, home_host in crawls:
        crawl = archive.start_crawl("a")
        archive.finish_crawl(crawl, pages=1, new=0, updated=0, errors=0, status=status,
                             home_status=home_status, home_host=home_host)
    for n, (seen, published, guard) in enumerate(items):
        archive.save_article(Article(
            url=f"https://a.vn/{n}.html", cms="x", kind="article", title=f"Tin {n}",
            summary=None, author=None, published=published, text=f"Bài {n}.", html="",
            images=[], documents=[], notices=[], site_id="a", guard_hits=guard),
            seen=seen)
    return archive


def day(n: float) -> str:
    return (NOW - timedelta(days=n)).isoformat(timespec="seconds")


def test_two_failed_crawls_make_a_site_unhealthy(tmp_path):
    archive = archive_with(tmp_path, [("ok", 200, "a.vn"), ("failed", None, None),
                                      ("failed", None, None)])
    health = site_health(archive.db, SITE, NOW)
    assert not health.healthy and "its last two crawls failed" in health.reasons


def test_a_home_that_answers_404_or_moves_is_gone(tmp_path):
    archive = archive_with(tmp_path, [("failed", 404, "a.vn"), ("failed", 410, "a.vn"),
                                      ("ok", 200, "elsewhere.vn")])
    health = site_health(archive.db, SITE, NOW)
    assert health.gone and not health.healthy


def test_silence_is_judged_against_the_sites_own_rhythm(tmp_path):
    # one item every two days for five weeks, then nothing for ten days
    items = [(day(n), day(n), 0) for n in range(10, 45, 2)]
    archive = archive_with(tmp_path, [("ok", 200, "a.vn")], items)
    health = site_health(archive.db, SITE, NOW)
    assert health.history_days >= 28
    assert not health.healthy and health.reasons[0].startswith("nothing new for")
    # the same history seen the day after its last item is healthy
    assert site_health(archive.db, SITE, NOW - timedelta(days=9)).healthy


def test_a_short_history_is_judged_on_extraction(tmp_path):
    items = [(day(1), None, 0), (day(1), None, 1), (day(2), day(2), 0)]
    archive = archive_with(tmp_path, [("ok", 200, "a.vn")], items)
    health = site_health(archive.db, SITE, NOW)
    assert health.undated_share > 0.3 and health.guard_share > 0.1
    assert not health.healthy and len(health.reasons) == 2


def test_status_follows_a_server_that_starts_failing(tmp_path):
    sample = next(s for s in SAMPLE_SITES if s.cms == "onecms")
    root = tmp_path / "site"
    shutil.copytree(sample.root, root)
    sites, db = tmp_path / "sites.toml", tmp_path / "archive.db"
    server = SampleServer(root).start()
    sites.write_text(dump_registry([sample.site(server.url)]), encoding="utf-8")
    run_scraper("crawl", "--sites", str(sites), "--db", str(db), *LOCAL)
    healthy = run_scraper("status", "--db", str(db), "--sites", str(sites), check=False)
    assert healthy.returncode == 0, healthy.stderr
    assert sample.id in healthy.stdout and "UNHEALTHY" not in healthy.stdout
    server.stop()  # the site goes down: connections are refused from now on
    for _ in range(2):
        run_scraper("crawl", "--sites", str(sites), "--db", str(db), *LOCAL,
                    "--set", "RETRY_TIMES=0", check=False)
    failing = run_scraper("status", "--db", str(db), "--sites", str(sites), check=False)
    assert failing.returncode == 1
    assert "UNHEALTHY" in failing.stdout and "last two crawls failed" in failing.stdout
    assert failing.stderr.strip() == f"Error: unhealthy: {sample.id}"
    archive = Archive(db)
    row = archive.db["site_health"].get(sample.id)
    archive.close()
    assert row["healthy"] == 0 and "failed" in row["reasons"]


def test_the_health_query_reads_indexes_only(tmp_path):
    """first_seen sits after each row's text: reading rows for it took 17 s at 100,000."""
    archive = archive_with(tmp_path, items=[(day(1), day(2), 0)])
    statements: list[str] = []
    archive.db.conn.set_trace_callback(statements.append)
    site_health(archive.db, SITE, NOW)
    archive.db.conn.set_trace_callback(None)
    [sql] = [s for s in statements if "union all" in s]
    plan = [r[3] for r in archive.db.execute(f"explain query plan {sql}")]
    assert [step for step in plan if "articles" in step or "notices" in step] == [
        "SEARCH articles USING COVERING INDEX articles_site_seen (site_id=?)",
        "SEARCH notices USING COVERING INDEX notices_site_seen (site_id=?)"]
    archive.close()
