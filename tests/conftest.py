"""Shared fixtures: the sample sites served for real, and one real crawl of them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from scraper.registry import Site, dump_registry
from scraper.samples import SAMPLE_SITES, SampleSite
from scraper.samples.server import SampleServer

ROOT = Path(__file__).resolve().parents[1]
GOLD_DIR = Path(__file__).parent / "fixtures" / "sample_sites"
LOCAL = ["--set", "AUTOTHROTTLE_ENABLED=false"]


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
