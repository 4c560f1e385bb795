"""Shared fixtures: the sample sites served for real, and one real crawl of them."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from scraper.registry import Site, dump_registry
from scraper.samples import SAMPLE_SITES, SampleSite
from scraper.samples.server import SampleServer

ROOT = Path(__file__).resolve().parents[1]
GOLD_DIR = Path(__file__).parent / "fixtures" / "sample_sites"
LOCAL = ["--set", "AUTOTHROTTLE_ENABLED=false"]


def wait_until_up(url: str, proc: subprocess.Popen | None = None, seconds: float = 60) -> None:
    """Poll a server we started until it answers (or its process died, or time ran out)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            if (proc is not None and proc.poll() is not None) or time.monotonic() > deadline:
                raise AssertionError(f"{url} never answered") from None
            time.sleep(0.2)


def rows(db: Path, sql: str, params: Any = ()) -> list[dict]:
    """Query the archive as a reader would, one dict per row."""
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in con.execute(sql, params)]
    finally:
        con.close()


def run_scraper(*args: str, cwd: Path | None = None, check: bool = True,
                stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    """The installed command, in a child process (Twisted's reactor runs once per process)."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    proc = subprocess.run(
        [sys.executable, "-m", "scraper", *args], cwd=cwd or ROOT, capture_output=True,
        env=env, timeout=240, input=stdin.decode() if stdin is not None else None, text=True,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"scraper {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


@dataclass
class Served:
    sample: SampleSite
    server: SampleServer
    site: Site
    gold: dict

    def url(self, path: str) -> str:
        return self.server.url.rstrip("/") + path


@pytest.fixture(scope="session")
def served():
    """Every sample site on its own 127.0.0.1 port, with its hand-written gold record."""
    out: dict[str, Served] = {}
    for sample in SAMPLE_SITES:
        server = SampleServer(sample.root).start()
        gold = json.loads((GOLD_DIR / f"{sample.folder}.json").read_text(encoding="utf-8"))
        out[sample.id] = Served(sample, server, sample.site(server.url), gold)
    yield out
    for item in out.values():
        item.server.stop()


@dataclass
class CrawlRun:
    folder: Path
    db: Path
    sites_file: Path
    output: str


@pytest.fixture(scope="session")
def crawl_run(served, tmp_path_factory) -> CrawlRun:
    folder = tmp_path_factory.mktemp("crawl")
    sites_file = folder / "sites.toml"
    sites_file.write_text(dump_registry([s.site for s in served.values()]), encoding="utf-8")
    db = folder / "archive.db"
    proc = run_scraper("crawl", "--sites", str(sites_file), "--db", str(db), *LOCAL)
    return CrawlRun(folder, db, sites_file, proc.stdout)
