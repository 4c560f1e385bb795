"""`scraper schedule`: no overlapping runs, --once, and a clean stop on SIGTERM."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time

import feedparser
from apscheduler.triggers.interval import IntervalTrigger
from conftest import ROOT

from scraper.registry import Site, dump_registry
from scraper.samples import SAMPLE_SITES
from scraper.samples.server import SampleServer
from scraper.schedule import build_scheduler, trigger_for


def test_a_sites_runs_never_overlap():
    runs: list[tuple[float, float]] = []
    active = threading.Semaphore(1)

    def slow_crawl(site_id: str) -> None:
        assert active.acquire(blocking=False), "two crawls of one site at once"
        start = time.monotonic()
        time.sleep(0.5)
        runs.append((start, time.monotonic()))
        active.release()

    site = Site(id="a", name="A", url="https://a.vn/")
    scheduler = build_scheduler([site], slow_crawl, background=True,
                                trigger=lambda s: IntervalTrigger(seconds=0.1))
    scheduler.start()
    time.sleep(2.2)
    scheduler.shutdown(wait=True)
    assert len(runs) >= 2
    ordered = sorted(runs)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(ordered, ordered[1:],
                                                                    strict=False))


def test_cron_from_the_registry_or_a_jittered_default():
    own = trigger_for(Site(id="a", name="A", url="https://a.vn/", schedule="*/30 * * * *"))
    default = trigger_for(Site(id="b", name="B", url="https://b.vn/"))
    assert str(own.timezone) == "Asia/Ho_Chi_Minh" and own.jitter is None
    assert default.jitter and "minute='17'" in str(default)


def schedule(tmp_path, sites_file, *extra, wait=True):
    cmd = [sys.executable, "-m", "scraper", "schedule", "--sites", str(sites_file), "--db",
           str(tmp_path / "archive.db"), "--out", str(tmp_path / "feeds"), "--once",
           "--set", "AUTOTHROTTLE_ENABLED=false", *extra]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    if wait:
        proc.wait(timeout=240)
    return proc


def test_once_crawls_every_site_and_rebuilds_the_feeds(served, tmp_path):
    sites_file = tmp_path / "sites.toml"
    sites_file.write_text(dump_registry([s.site for s in served.values()]), encoding="utf-8")
    proc = schedule(tmp_path, sites_file, "--base-url", "https://feeds.example/")
    assert proc.returncode == 0, proc.stderr.read()
    con = sqlite3.connect(tmp_path / "archive.db")
    crawled = {row[0]: row[1] for row in con.execute("select site_id, status from crawls")}
    con.close()
    assert crawled == {site_id: "ok" for site_id in served}
    assert (tmp_path / "feeds" / "meetings.ics").exists()
    # the feeds as `scraper feed` writes them: the operator's feeds (feeds.toml) and self links
    # under the public address, not the folder's file:// path
    rss = feedparser.parse((tmp_path / "feeds" / "rss.xml").read_bytes())
    assert rss.entries and not rss.bozo
    assert {link.href for link in rss.feed.links if link.rel == "self"} == {
        "https://feeds.example/rss.xml"}
    assert feedparser.parse((tmp_path / "feeds" / "custom" / "giay-moi.xml").read_bytes()).entries
    log = (tmp_path / "logs" / "scraper.log").read_text(encoding="utf-8")
    assert "ended with 0" in log


def test_sigterm_during_a_crawl_leaves_the_archive_consistent(tmp_path):
    sample = next(s for s in SAMPLE_SITES if s.cms == "nukeviet")
    root = tmp_path / "site"
    shutil.copytree(sample.root, root)
    with SampleServer(root) as server:
        sites_file = tmp_path / "sites.toml"
        sites_file.write_text(dump_registry([sample.site(server.url)]), encoding="utf-8")
        proc = schedule(tmp_path, sites_file, "--set", "DOWNLOAD_DELAY=0.7",
                        "--set", "RANDOMIZE_DOWNLOAD_DELAY=false", wait=False)
        db = tmp_path / "archive.db"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:  # wait until the crawl is under way
            if db.exists():
                con = sqlite3.connect(db)
                try:
                    running = con.execute("select count(*) from crawls where status = 'running'"
                                          ).fetchone()[0]
                    pages = con.execute("select count(*) from pages").fetchone()[0]
                except sqlite3.OperationalError:
                    running = pages = 0
                con.close()
                if running and pages:
                    break
            time.sleep(0.2)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=120)
    assert proc.returncode == 0, proc.stderr.read()
    con = sqlite3.connect(db)
    [(status, finished)] = con.execute("select status, finished from crawls").fetchall()
    assert status == "interrupted" and finished
    assert con.execute("pragma integrity_check").fetchone()[0] == "ok"
    urls = [u for (u,) in con.execute("select url from articles")]
    assert len(urls) == len(set(urls))
    con.close()


def test_a_bad_feed_configuration_stops_the_schedule_before_any_crawl(tmp_path):
    sites_file = tmp_path / "sites.toml"
    sites_file.write_text(dump_registry([SAMPLE_SITES[0].site("http://127.0.0.1:9/")]),
                          encoding="utf-8")
    bad = tmp_path / "feeds.toml"
    bad.write_text('[[feed]]\nid = "x"\ntitle = "X"\nquery = "AND"\n', encoding="utf-8")
    proc = schedule(tmp_path, sites_file, "--config", str(bad))
    assert proc.returncode != 0
    assert proc.stderr.read().strip().startswith(f"Error: {bad}: feed 'x': key 'query'")
    assert not (tmp_path / "archive.db").exists()
