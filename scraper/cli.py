"""The `scraper` command: each subcommand wraps one library call."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .registry import RegistryError, load_registry, select_sites

if TYPE_CHECKING:
    from feeds.config import FeedSpec

DEFAULT_SITES = "sites.toml"
DEFAULT_DB = "data/archive.db"
DEFAULT_FEEDS = "data/feeds"
DEFAULT_FEED_CONFIG = "feeds.toml"


def _parse_setting(values: tuple[str, ...]) -> dict[str, Any]:
    settings: dict[str, Any] = {}
    for value in values:
        key, sep, raw = value.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"'{value}' is not KEY=VALUE", param_hint="--set")
        settings[key.strip()] = raw.strip()
    return settings


def _table(rows: list[dict], columns: list[tuple[str, str]]) -> str:
    header = [title for _, title in columns]
    body = [["" if r.get(k) is None else str(r.get(k)) for k, _ in columns] for r in rows]
    widths = [max(len(x) for x in col) for col in zip(header, *body, strict=False)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in body]
    return "\n".join(lines)


def _command(name: str) -> str:
    """How to run one of our commands from here: the one installed beside this Python if any."""
    beside = Path(sys.executable).parent / name
    if not beside.exists():
        return name
    try:
        return str(beside.relative_to(Path.cwd()))
    except ValueError:
        return str(beside)


SUMMARY_COLUMNS = [("id", "site"), ("pages", "pages"), ("new", "new"), ("updated", "updated"),
                   ("notices", "notices"), ("errors", "errors"), ("articles", "articles"),
                   ("notices_archived", "notices archived"), ("status", "status")]


@click.group()
@click.version_option(package_name="partysites-scraper")
def main() -> None:
    """Crawl Vietnamese party committee sites into an SQLite archive and RSS feeds."""


@main.command()
@click.option("--out", "out", default="demo", show_default=True, type=click.Path(path_type=Path),
              help="Folder for the archive, the feeds and the sample registry.")
def demo(out: Path) -> None:
    """Serve the bundled sample sites on 127.0.0.1, crawl them, archive, write the feed."""
    from feeds.publish import newest_entries
    from storage.archive import Archive

    from .demo import run_demo

    summary, db, feeds = run_demo(out)
    click.echo(_table(summary, SUMMARY_COLUMNS))
    archive = Archive(db)
    newest = newest_entries(archive, 10)
    archive.close()
    click.echo("\nNewest feed items:")
    for entry in newest:
        click.echo(f"  {entry.moment.isoformat()[:16]}  [{entry.categories[0]}] {entry.title}")
    click.echo(
        f"\nArchive: {db}\nFeeds:   {feeds / 'rss.xml'}, {feeds / 'notices.xml'}, "
        f"{feeds / 'meetings.ics'}\n"
        f"Browse the archive:  {_command('scraper')} serve --db {db} --feeds {feeds}\n"
        f"                     (then open http://127.0.0.1:8001/)"
    )
    failed = [r["id"] for r in summary if r["status"] != "ok" or not r["articles"]]
    if failed:
        raise click.ClickException(f"the crawl of {', '.join(failed)} did not succeed")


@main.command()
@click.option("--sites", "sites_file", default=DEFAULT_SITES, show_default=True,
              help="The site registry.")
@click.option("--site", "site_ids", multiple=True, metavar="ID",
              help="Crawl only this site (repeatable); default: every enabled site.")
@click.option("--db", default=DEFAULT_DB, show_default=True, help="The SQLite archive.")
@click.option("--set", "settings", multiple=True, metavar="KEY=VALUE",
              help="Override a Scrapy setting, e.g. --set AUTOTHROTTLE_ENABLED=false.")
@click.option("--refresh", is_flag=True,
              help="Fetch known article and notice pages again now (to catch edits at once).")
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's log.")
def crawl(sites_file: str, site_ids: tuple[str, ...], db: str, settings: tuple[str, ...],
          refresh: bool, verbose: bool) -> None:
    """Crawl the registry's sites into the archive and print a per-site summary."""
    from .crawl import run_crawl

    try:
        sites = select_sites(load_registry(sites_file), site_ids)
    except RegistryError as exc:
        raise click.ClickException(str(exc)) from None
    if not sites:
        raise click.ClickException(f"{sites_file}: no enabled site to crawl")
    overrides = {"LOG_LEVEL": "INFO" if verbose else "WARNING", "CRAWL_REFRESH": refresh,
                 **_parse_setting(settings)}
    summary = run_crawl(sites, db, overrides)
    click.echo(_table(summary, SUMMARY_COLUMNS))
    if any(r["status"] == "failed" for r in summary):
        sys.exit(1)


@main.command()
@click.argument("page")
@click.option("--url", required=True, help="The URL the page was fetched from.")
@click.option("--cms", default=None, help="The CMS profile; detected when omitted.")
@click.option("--json", "as_json", is_flag=True, help="Print the record as JSON.")
def extract(page: str, url: str, cms: str | None, as_json: bool) -> None:
    """Extract one saved page (a file, or - for stdin) exactly as the spiders do."""
    from .extract import ExtractError, decode_page, extract_page

    try:
        body = sys.stdin.buffer.read() if page == "-" else Path(page).read_bytes()
    except OSError as exc:
        raise click.ClickException(f"{page}: cannot read: {exc.strerror}") from None
    try:
        article = extract_page(decode_page(body), url, cms)
    except ExtractError as exc:
        raise click.ClickException(f"{page}: {exc}") from None
    record = asdict(article)
    record.pop("site_id")
    record.pop("guard_hits")
    if as_json:
        click.echo(json.dumps(record, ensure_ascii=False, indent=2))
        return
    for key in ("title", "cms", "published", "author", "summary"):
        click.echo(f"{key}: {record[key]}")
    click.echo(f"images: {len(record['images'])}  documents: {', '.join(record['documents'])}")
    click.echo("")
    click.echo(record["text"])


@main.command()
@click.option("--db", default=DEFAULT_DB, show_default=True, help="The SQLite archive.")
@click.option("--feeds", default=DEFAULT_FEEDS, show_default=True,
              help="The feed folder, served under /feeds/.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True, type=int)
def serve(db: str, feeds: str, host: str, port: int) -> None:
    """Datasette over the archive (read-only), with the feeds beside it under /feeds/."""
    from storage.archive import Archive

    from .serve import serve as run

    if not Path(db).exists():
        raise click.ClickException(f"{db}: no such archive")
    Archive(db).close()  # bring an older archive's schema up to date before serving it
    click.echo(f"Serving {db} on http://{host}:{port}/ (feeds at /feeds/)")
    run(db, feeds if Path(feeds).is_dir() else None, host, port)


@main.command()
@click.option("--sites", "sites_file", default=DEFAULT_SITES, show_default=True,
              help="The site registry.")
@click.option("--db", default=DEFAULT_DB, show_default=True, help="The SQLite archive.")
@click.option("--out", default=DEFAULT_FEEDS, show_default=True, help="Folder for the feeds.")
@click.option("--once", is_flag=True, help="Crawl every enabled site now, rebuild the feeds, exit.")
@click.option("--log-file", default=None,
              help="Rotating log file (default: logs/scraper.log beside the archive).")
@click.option("--set", "settings", multiple=True, metavar="KEY=VALUE",
              help="Scrapy setting passed to every crawl.")
@click.option("--base-url", default=None, help="Public URL of the feed folder (for self links).")
@click.option("--config", "config", default=None,
              help="Operator-defined feeds (TOML); default: feeds.toml when it exists.")
def schedule(sites_file: str, db: str, out: str, once: bool, log_file: str | None,
             settings: tuple[str, ...], base_url: str | None, config: str | None) -> None:
    """Crawl each enabled site on its schedule (cron in the registry), each in a child process."""
    from .schedule import CrawlRunner, log_to_file, run_schedule

    try:
        sites = select_sites(load_registry(sites_file))
    except RegistryError as exc:
        raise click.ClickException(str(exc)) from None
    if not sites:
        raise click.ClickException(f"{sites_file}: no enabled site to crawl")
    custom = _feed_config(config)
    log_to_file(Path(log_file) if log_file else Path(db).resolve().parent / "logs" / "scraper.log")
    runner = CrawlRunner(sites_file, db, out, settings, base_url=base_url, custom=custom)
    code = run_schedule(sites, runner, once)
    if code:
        sys.exit(code)


@main.command()
@click.option("--db", default=DEFAULT_DB, show_default=True, help="The SQLite archive.")
@click.option("--sites", "sites_file", default=None,
              help="The registry: sites it disables are reported but do not fail the check "
                   "(default: sites.toml when it exists).")
def status(db: str, sites_file: str | None) -> None:
    """Per-site health; exits non-zero when an enabled site is unhealthy."""
    from storage.archive import Archive
    from storage.health import record_health

    if not Path(db).exists():
        raise click.ClickException(f"{db}: no such archive")
    disabled: set[str] = set()
    if sites_file or Path(DEFAULT_SITES).exists():
        try:
            disabled = {s.id for s in load_registry(sites_file or DEFAULT_SITES) if not s.enabled}
        except RegistryError as exc:
            raise click.ClickException(str(exc)) from None
    archive = Archive(db)
    try:
        results = record_health(archive.db)
    finally:
        archive.close()
    rows = [{"site": h.site_id, "state": "gone" if h.gone else "ok" if h.healthy else "UNHEALTHY",
             "last success": (h.last_success or "never")[:16],
             "newest (days)": h.newest_age_days, "per day 7d/28d":
             f"{h.items_per_day_7d:g}/{h.items_per_day_28d:g}",
             "undated": f"{h.undated_share:.0%}", "guard": f"{h.guard_share:.0%}",
             "why": "; ".join(h.reasons)} for h in results]
    click.echo(_table(rows, [(k, k) for k in (rows[0] if rows else {"site": 0})]))
    failing = [h.site_id for h in results if not h.healthy and h.site_id not in disabled]
    if failing:
        raise click.ClickException(f"unhealthy: {', '.join(failing)}")


@main.command()
@click.option("--db", default=DEFAULT_DB, show_default=True, help="The SQLite archive.")
@click.option("--site", "site_ids", multiple=True, metavar="ID",
              help="Only this site (repeatable); default: every site in the archive.")
def reprocess(db: str, site_ids: tuple[str, ...]) -> None:
    """Extract the archive again from its stored pages, with no network."""
    from .reprocess import reprocess as run

    if not Path(db).exists():
        raise click.ClickException(f"{db}: no such archive")
    try:
        counts = run(db, site_ids)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(", ".join(f"{k}: {counts[k]}" for k in ("new", "updated", "unchanged", "skipped")))


def _feed_config(config: str | None) -> list[FeedSpec]:
    """The operator's feeds (feeds.toml when it exists and none is named); one-line errors."""
    from feeds.config import FeedConfigError, load_feed_config

    if config is None and Path(DEFAULT_FEED_CONFIG).exists():
        config = DEFAULT_FEED_CONFIG
    try:
        return load_feed_config(config) if config else []
    except FeedConfigError as exc:
        raise click.ClickException(str(exc)) from None


@main.command()
@click.option("--db", default=DEFAULT_DB, show_default=True, help="The SQLite archive.")
@click.option("--out", default=DEFAULT_FEEDS, show_default=True, help="Folder for the feeds.")
@click.option("--base-url", default=None, help="Public URL of the feed folder (for self links).")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(1),
              help="Items per feed.")
@click.option("--config", "config", default=None,
              help="Operator-defined feeds (TOML); default: feeds.toml when it exists.")
def feed(db: str, out: str, base_url: str | None, limit: int, config: str | None) -> None:
    """Write the feeds from the archive (files whose items did not change are left alone)."""
    from feeds import write_feeds

    if not Path(db).exists():
        raise click.ClickException(f"{db}: no such archive")
    custom = _feed_config(config)
    for name, changed in write_feeds(db, out, base_url, limit, custom).items():
        click.echo(f"{Path(out) / name}: {'written' if changed else 'unchanged'}")
