"""Crawl throughput: our whole pipeline against plain Scrapy on the same local mirror.

Usage: python bench/crawl_throughput.py [ARTICLES_PER_FAMILY]
Generates a mirror of each sample family (bench/mirror.py), serves each on 127.0.0.1 in this
process, then runs, each in its own child process and with throttling off:
  1. plain Scrapy with a trivial parse (bench/plain_crawl.py),
  2. `scraper crawl` into a new archive (download, extract, normalize, archive, HTTP cache),
  3. `scraper crawl` again on the unchanged mirror (the incremental re-crawl).
For each: wall time of the command, article pages fetched, pages per second, requests the
servers answered, and the child's peak resident memory (from wait4).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.mirror import build_mirror  # noqa: E402
from scraper.registry import dump_registry  # noqa: E402
from scraper.samples.server import SampleServer  # noqa: E402

# what both crawls are given: no politeness delay on a local mirror, the same concurrency
SHARED_SETTINGS = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0,
                   "CONCURRENT_REQUESTS": 16, "CONCURRENT_REQUESTS_PER_DOMAIN": 16}
# ours only: the whole backfill (the default stops after five listing pages per crawl)
OUR_SETTINGS = {**SHARED_SETTINGS, "LISTING_MAX_PAGES": 10_000, "PROGRESS_ENABLED": False}
# the baseline's link patterns per family: articles, then listing pages
PATTERNS = {
    "nukeviet": (r"/news/xay-dung-dang/[\w-]+-\d+\.html$", r"/news/xay-dung-dang/(page-\d+)?$"),
    "onecms": (r"127\.0\.0\.1:\d+/[\w-]+-\d{3,}\.html$", r"/xay-dung-dang/(\?page=\d+)?$"),
}


@dataclass
class Run:
    name: str
    seconds: float
    cpu_seconds: float  # the crawl's own, user and system
    peak_rss_mb: float  # the process and its descendants together
    process_rss_mb: list[float]  # each process's own peak, largest first
    requests: int  # what the servers answered, robots.txt and HEADs included
    article_gets: int  # GETs of article pages
    exit_code: int
    output: str

    @property
    def pages_per_second(self) -> float:
        return self.article_gets / self.seconds if self.seconds else 0.0


class TreeMonitor(threading.Thread):
    """Samples a process and all its descendants from /proc: the peak of their summed resident
    memory, and the CPU time each used (crawls start worker processes of their own).

    Finding the descendants reads every process's stat (3 ms of CPU here, taken from the
    crawl being measured): that is done every `rescan` samples, the known tree's in between."""

    def __init__(self, pid: int, interval: float = 0.1, rescan: int = 10) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.rescan = pid, interval, rescan
        self.peak_rss = 0  # bytes
        self.cpu: dict[int, float] = {}  # pid → seconds, as last seen
        self.rss: dict[int, int] = {}  # pid → its own peak, bytes
        self.tree = {pid}
        self.done = threading.Event()

    def run(self) -> None:
        samples = 0
        while not self.done.wait(self.interval):
            self.sample(rescan=samples % self.rescan == 0)
            samples += 1

    def sample(self, rescan: bool = True) -> None:
        if rescan:
            self.tree = self.descendants()
        rss = 0
        for pid in self.tree:
            stat = _stat(pid)
            if stat:  # utime, stime in clock ticks; rss in pages
                self.cpu[pid] = (int(stat[11]) + int(stat[12])) / CLOCK_TICKS
                own = int(stat[21]) * PAGE_SIZE
                self.rss[pid] = max(self.rss.get(pid, 0), own)
                rss += own
        self.peak_rss = max(self.peak_rss, rss)

    def descendants(self) -> set[int]:
        parents: dict[int, int] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                stat = _stat(int(entry.name))
                if stat:
                    parents[int(entry.name)] = int(stat[1])
        tree, frontier = {self.pid}, [self.pid]
        while frontier:
            parent = frontier.pop()
            children = [pid for pid, ppid in parents.items() if ppid == parent]
            tree.update(children)
            frontier += children
        return tree


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def _stat(pid: int) -> list[str] | None:
    """Fields of /proc/PID/stat after the command name (state, ppid, …), or None."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw[raw.rindex(")") + 2:].split()


def run_measured(command: list[str], cwd: Path
                 ) -> tuple[float, float, float, list[float], int, str]:
    """Run a command; its wall time, CPU time, peak resident memory in MB (its own and its
    descendants' together, and each process's own), exit code and output."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        monitor = TreeMonitor(child.pid)
        monitor.start()
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        monitor.done.set()
        monitor.join()
        child.returncode = os.waitstatus_to_exitcode(status)
        # the child's own figure from wait4 (exact), the others' as last sampled
        monitor.cpu[child.pid] = usage.ru_utime + usage.ru_stime
        rss = max(monitor.peak_rss, usage.ru_maxrss * 1024)
        out.seek(0)
        each = sorted((round(b / 2**20, 1) for b in monitor.rss.values()), reverse=True)
        return (seconds, sum(monitor.cpu.values()), rss / 2**20, each, child.returncode,
                out.read().decode(errors="replace"))


def _is_article(path: str) -> bool:
    return bool(re.search(r"-\d{3,}\.html$", path)) and "/print/" not in path \
        and "/savefile/" not in path


def measured_run(name: str, command: list[str], cwd: Path, servers: list[SampleServer]) -> Run:
    before = [len(s.log) for s in servers]
    seconds, cpu, rss, each, code, output = run_measured(command, cwd)
    answered = [entry for s, b in zip(servers, before, strict=True) for entry in s.log[b:]]
    gets = sum(1 for method, path, status in answered
               if method == "GET" and status == 200 and _is_article(path))
    return Run(name, seconds, cpu, rss, each, len(answered), gets, code, output)


def bench_crawl(per_family: int = 2600, work: Path | None = None) -> dict:
    """Mirror, serve, and run the three crawls; the figures as a dict."""
    bin_dir = Path(sys.executable).parent
    with ExitStack() as stack:
        work = work or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-")))
        started = time.perf_counter()
        mirrors = [build_mirror(work / f"mirror-{family}", family, per_family)
                   for family in ("nukeviet", "onecms")]
        build_seconds = time.perf_counter() - started
        servers = [stack.enter_context(SampleServer(m.root)) for m in mirrors]
        sites = [m.sample.site(s.url) for m, s in zip(mirrors, servers, strict=True)]
        (work / "sites.toml").write_text(dump_registry(sites), encoding="utf-8")

        plain_args = []
        for site, mirror in zip(sites, mirrors, strict=True):
            plain_args += [site.url, *PATTERNS[mirror.sample.cms]]
        plain = measured_run("plain Scrapy", [sys.executable, str(ROOT / "bench/plain_crawl.py"),
                                              *plain_args], work, servers)

        ours_command = [str(bin_dir / "scraper"), "crawl", "--sites", "sites.toml",
                        "--db", "data/archive.db"]
        for key, value in OUR_SETTINGS.items():
            ours_command += ["--set", f"{key}={value}"]
        ours = measured_run("ours", ours_command, work, servers)
        again = measured_run("ours, re-crawl", ours_command, work, servers)
        archived = _archived(work / "data/archive.db")
        db_bytes = sum(f.stat().st_size for f in (work / "data").glob("archive.db*"))

    failed = [r for r in (plain, ours, again) if r.exit_code]
    if failed:
        raise RuntimeError("; ".join(f"{r.name} exited {r.exit_code}: {r.output[-2000:]}"
                                     for r in failed))
    generated = sum(len(m.articles) for m in mirrors)
    return {
        "generated_articles": generated,
        "listing_pages": sum(m.listing_pages for m in mirrors),
        "mirror_build_seconds": round(build_seconds, 1),
        "runs": [{k: v for k, v in asdict(r).items() if k != "output"}
                 | {"pages_per_second": round(r.pages_per_second, 1)}
                 for r in (plain, ours, again)],
        "archived_articles": archived,
        "archive_mb_per_1000_articles": round(db_bytes / 2**20 / max(archived, 1) * 1000, 2),
        "speed_ratio": round(ours.pages_per_second / plain.pages_per_second, 3),
        "recrawl_request_share": round(again.requests / ours.requests, 4),
    }


def _archived(db: Path) -> int:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return conn.execute("select count(*) from articles").fetchone()[0]


def main() -> None:
    per_family = int(sys.argv[1]) if len(sys.argv) > 1 else 2600
    print(json.dumps(bench_crawl(per_family), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
