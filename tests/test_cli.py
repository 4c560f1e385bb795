"""The `scraper` command as a user runs it: extract, errors, demo."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import feedparser
from conftest import ROOT, run_scraper

from scraper.samples import SAMPLE_SITES


def test_extract_json_matches_the_gold(served):
    for item in served.values():
        path, expected = next(iter(item.gold["articles"].items()))
        page = item.sample.root / path.lstrip("/")
        for cms in ([], ["--cms", item.sample.cms]):
            proc = run_scraper("extract", str(page), "--url", item.url(path), "--json", *cms)
            record = json.loads(proc.stdout)
            assert record["cms"] == item.sample.cms  # detected without --cms
            assert record["kind"] == "article"
            assert record["title"] == expected["title"]
            assert record["published"] == expected["published"]
            assert record["author"] == expected["author"]
            assert record["text"].split("\n\n")[0] == expected["first_paragraph"]
            assert set(record) >= {"url", "summary", "html", "images", "documents", "notices"}


def test_extract_reads_stdin():
    sample = SAMPLE_SITES[0]
    page = next(sample.root.glob("news/*/*-*.html"))
    proc = run_scraper("extract", "-", "--url", "http://127.0.0.1/x-1.html",
                       stdin=page.read_bytes())
    assert proc.stdout.startswith("title: ")


def test_user_errors_are_one_line_without_traceback(tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_text("   ")
    bad = tmp_path / "sites.toml"
    bad.write_text('[[site]]\nid = "x"\nname = "X"\nurl = "nope"\n')
    cases = [
        ("extract", str(tmp_path / "missing.html"), "--url", "http://a.vn/"),
        ("extract", str(empty), "--url", "http://a.vn/"),
        ("extract", str(empty), "--url", "http://a.vn/", "--cms", "drupal"),
        ("crawl", "--sites", str(bad), "--db", str(tmp_path / "a.db")),
        ("crawl", "--sites", str(tmp_path / "none.toml")),
        ("feed", "--db", str(tmp_path / "none.db")),
    ]
    for args in cases:
        proc = run_scraper(*args, check=False)
        assert proc.returncode != 0, args
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), (args, proc.stderr)
    proc = run_scraper("crawl", "--sites", str(bad), check=False)
    assert f"{bad}: site 'x': key 'url'" in proc.stderr


def test_scrapy_sees_the_spiders():
    proc = subprocess.run([sys.executable, "-m", "scrapy", "list"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert {"nukeviet", "onecms"} <= set(proc.stdout.split())


def test_demo_runs_end_to_end(tmp_path):
    out = tmp_path / "demo"
    proc = run_scraper("demo", "--out", str(out))
    for sample in SAMPLE_SITES:
        assert sample.id in proc.stdout
    assert "Newest feed items" in proc.stdout and "serve --db" in proc.stdout
    parsed = feedparser.parse((out / "feeds" / "rss.xml").read_bytes())
    assert not parsed.bozo and len(parsed.entries) >= 8
    assert (out / "archive.db").exists() and (out / "sites.toml").exists()


def test_crawl_progress_per_site(served, tmp_path):
    from scraper.registry import dump_registry

    sites = tmp_path / "sites.toml"
    sites.write_text(dump_registry([s.site for s in served.values()]), encoding="utf-8")
    proc = run_scraper("crawl", "--sites", str(sites), "--db", str(tmp_path / "a.db"),
                       "--set", "AUTOTHROTTLE_ENABLED=false", "--set", "PROGRESS_ENABLED=always",
                       "--set", "PROGRESS_INTERVAL=0.2")
    for site_id in served:
        assert re.search(rf"^{site_id}: \d+ pages, \d+ articles, \d+ notices, 0 errors "
                         r"\(finished\)$", proc.stderr, re.M), proc.stderr
