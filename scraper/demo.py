"""`scraper demo`: the whole job, offline, on the bundled sample sites."""

from __future__ import annotations

import shutil
from contextlib import ExitStack
from pathlib import Path

from feeds import write_feeds

from .crawl import run_crawl
from .registry import dump_registry
from .samples import SAMPLE_SITES
from .samples.server import SampleServer

# Local mirrors need no politeness delay; real sites keep the defaults.
LOCAL_OVERRIDES = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0, "LOG_LEVEL": "WARNING"}


def run_demo(out: Path) -> tuple[list[dict], Path, Path]:
    """Serve, crawl, archive, publish. Returns the site summary, archive path and feed dir."""
    out.mkdir(parents=True, exist_ok=True)
    db = out / "archive.db"
    for stale in (db, out / "archive.db-wal", out / "archive.db-shm"):
        stale.unlink(missing_ok=True)
    feeds = out / "feeds"
    shutil.rmtree(feeds, ignore_errors=True)
    with ExitStack() as stack:
        sites = []
        for sample in SAMPLE_SITES:
            server = stack.enter_context(SampleServer(sample.root))
            sites.append(sample.site(server.url))
        (out / "sites.toml").write_text(
            "# The bundled sample sites as served during the last demo run.\n"
            + dump_registry(sites), encoding="utf-8",
        )
        summary = run_crawl(sites, db, LOCAL_OVERRIDES)
    write_feeds(db, feeds)
    return summary, db, feeds
