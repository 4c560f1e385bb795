"""Killed at any moment (SIGKILL), the archive stays sound and the next run completes."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

import feedparser
from conftest import LOCAL, ROOT, run_scraper

from scraper.registry import dump_registry
from scraper.samples import SAMPLE_SITES
from scraper.samples.server import SampleServer

SAMPLE = next(s for s in SAMPLE_SITES if s.cms == "onecms")


def start(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "scraper", *args], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "PYTHONWARNINGS": "ignore"})


def test_sigkill_during_crawls_and_feed_writes(tmp_path):
    rng = random.Random(20241122)
    root = tmp_path / "site"
    shutil.copytree(SAMPLE.root, root)
    db, feeds = tmp_path / "archive.db", tmp_path / "feeds"
    with SampleServer(root) as server:
        sites = tmp_path / "sites.toml"
        sites.write_text(dump_registry([SAMPLE.site(server.url)]), encoding="utf-8")
        crawl = ["crawl", "--sites", str(sites), "--db", str(db), *LOCAL,
                 "--set", "DOWNLOAD_DELAY=0.2", "--refresh"]
        for _ in range(4):
            proc = start(*crawl)
            time.sleep(rng.uniform(0.8, 3.5))
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            if db.exists():
                con = sqlite3.connect(db)
                assert con.execute("pragma integrity_check").fetchone()[0] == "ok"
                con.close()
                writer = start("feed", "--db", str(db), "--out", str(feeds))
                time.sleep(rng.uniform(0.0, 0.6))
                writer.send_signal(signal.SIGKILL)
                writer.wait()
                for feed in feeds.rglob("*.xml") if feeds.exists() else []:
                    assert not feedparser.parse(feed.read_bytes()).bozo, feed  # old or new
        run_scraper(*crawl[:-1])  # the next run completes
    run_scraper("feed", "--db", str(db), "--out", str(feeds))
    con = sqlite3.connect(db)
    assert con.execute("pragma integrity_check").fetchone()[0] == "ok"
    urls = [u for (u,) in con.execute("select url from articles")]
    assert len(urls) == len(set(urls)) and len(urls) >= 4
    keys = [k for (k,) in con.execute("select notice_key from notices")]
    assert len(keys) == len(set(keys))
    statuses = [s for (s,) in con.execute("select status from crawls order by id")]
    assert statuses[-1] == "ok" and "running" not in statuses
    con.close()
    assert not [p for p in feeds.rglob(".*")]
    assert all(not feedparser.parse(f.read_bytes()).bozo for f in feeds.rglob("*.xml"))
