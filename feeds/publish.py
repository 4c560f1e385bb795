"""Writing every feed file from the archive, each atomically and only when it changed.

Under the output folder: rss.xml and atom.xml (all sites merged), notices.xml, sites/<id>.xml,
provinces/<slug>.xml, custom/<id>.xml for the operator's feeds, and meetings.ics.
"""

from __future__ import annotations

import logging
import os
import tempfile
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime, timedelta
from pathlib import Path

from scraper import workers
from storage.archive import Archive

from .calendar import build_meetings
from .config import FeedSpec
from .entries import ENTRY_COLUMNS, Entry, article_entry, moment_of, notice_entry, slug
from .rss import Channel, build_atom, build_rss, feed_bodies, feed_body

logger = logging.getLogger(__name__)
DEFAULT_LIMIT = 100
TEMP_SUFFIX = ".partial"  # write_atomic's temporary files, never a feed
SITE_NAME = "Tin từ các trang Đảng bộ tỉnh"


def write_atomic(path: Path, data: bytes) -> bool:
    """Replace path with data via a temporary file and rename; skip if nothing changed."""
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def remove_leftovers(out_dir: Path) -> None:
    """Temporary files of a write that was killed before its rename (never a feed itself)."""
    if out_dir.exists():
        for stale in out_dir.rglob(f".*{TEMP_SUFFIX}"):
            stale.unlink(missing_ok=True)


# how an archive row becomes an entry, and what orders it: its moment, then its page (as the
# archive's indexes order rows: Archive.newest_keys; a notice without a page comes last)
_ENTRY = {"articles": article_entry, "notices": notice_entry}


def _order(key: dict) -> tuple[datetime, str]:
    return moment_of(key["moment"], ""), key["url"] or ""


def select_entries(archive: Archive, base: str, limit: int, kind: str = "all",
                   cache: dict[tuple[str, int], Entry] | None = None, **where: object
                   ) -> list[Entry]:
    """Entries of one selection, articles and notices merged, newest first.

    Only the kept items' rows are read, each once per cache: a build passes one cache to every
    feed, and an item is in three or four of them (merged, its site's, its province's)."""
    tables = [t for t, wanted in (("articles", kind in ("all", "articles")
                                   and not where.get("doc_type")),
                                  ("notices", kind in ("all", "notices"))) if wanted]
    keys: list[tuple[tuple[datetime, str], str, int]] = []
    since = None
    for table in tables:
        keys += [(_order(key), table, key["id"])
                 for key in archive.newest_keys(table, limit, since, **where)]
        if len(keys) >= limit:
            # nothing older than the limit-th item so far can be kept: read the other kind
            # from that day on (a day earlier, for a time stored in another zone)
            oldest = sorted(keys, reverse=True)[limit - 1][0][0]
            since = (oldest - timedelta(days=1)).date().isoformat()
    kept = sorted(keys, reverse=True)[:limit]
    cache = {} if cache is None else cache
    for table in tables:
        missing = [row_id for _, t, row_id in kept if t == table and (t, row_id) not in cache]
        for row in archive.rows(table, missing, ENTRY_COLUMNS[table]):
            cache[table, row["id"]] = _ENTRY[table](row, base)
    return [cache[table, row_id] for _, table, row_id in kept]


def newest_entries(archive: Archive, limit: int = DEFAULT_LIMIT, base: str = "") -> list[Entry]:
    """The merged feed's items."""
    return select_entries(archive, base, limit)


# below this many articles and notices one process writes the feeds sooner than it starts a
# worker to share the work with
PARALLEL_FROM = 1000


class _Bodies:
    """The entries' bodies sanitized in a worker process while this one reads the archive.

    At 100,000 articles a build carries some 6,000 distinct bodies, and nh3 took a second for
    them, more than a third of the build. Entries go to the worker in chunks as the feeds
    select them; a body the worker never returns (it died) is sanitized here when written."""

    CHUNK = 250

    def __init__(self, helper: ProcessPoolExecutor | None) -> None:
        self.helper = helper
        self.pending: list[Entry] = []
        self.sent: list[tuple[list[Entry], Future]] = []
        self.seen: set[int] = set()

    def add(self, entries: list[Entry]) -> None:
        if self.helper is None:
            return
        for entry in entries:
            if entry.content_html and id(entry) not in self.seen:
                self.seen.add(id(entry))
                self.pending.append(entry)
        if len(self.pending) >= self.CHUNK:
            self._send()

    def _send(self) -> None:
        if self.helper is not None and self.pending:
            try:
                future = self.helper.submit(feed_bodies,
                                            [entry.content_html for entry in self.pending])
            except BrokenProcessPool:
                self._broken()
                return
            self.sent.append((self.pending, future))
            self.pending = []

    def _broken(self) -> None:
        """The worker died: what it has not returned is sanitized here, when written."""
        logger.warning("feed worker died; sanitizing in this process")
        workers.discard(workers.default_workers())
        self.helper, self.pending = None, []

    def collect(self) -> None:
        """Wait for the worker's bodies; the chunks it has not started are done here."""
        self._send()
        for entries, future in reversed(self.sent):
            if future.cancel():
                for entry in entries:
                    entry.body = feed_body(entry.content_html)
        for entries, future in self.sent:
            if future.cancelled():
                continue
            try:
                bodies = future.result()
            except BrokenProcessPool:
                self._broken()
                return
            for entry, body in zip(entries, bodies, strict=True):
                entry.body = body


def write_feeds(db_path: str | Path, out_dir: str | Path, base_url: str | None = None,
                limit: int = DEFAULT_LIMIT, custom: list[FeedSpec] = ()) -> dict[str, bool]:
    """Write every feed under out_dir; return {relative file name: rewritten?}."""
    out_dir = Path(out_dir)
    base = (base_url or out_dir.resolve().as_uri()).rstrip("/") + "/"
    remove_leftovers(out_dir)
    # (file, channel title, description, entries, Atom file or None), written once all are read
    planned: list[tuple[str, str, str, list[Entry], str | None]] = []
    archive = Archive(db_path)
    entries: dict[tuple[str, int], Entry] = {}  # shared by every feed of this build
    helper = (workers.pool(workers.default_workers()) if archive.size() >= PARALLEL_FROM
              else None)
    bodies = _Bodies(helper)

    def feed(name: str, title: str, description: str, limit: int, kind: str = "all",
             atom: str | None = None, **where: object) -> None:
        selected = select_entries(archive, base, limit, kind, entries, **where)
        bodies.add(selected)
        planned.append((name, title, description, selected, atom))

    try:
        feed("rss.xml", SITE_NAME, "Bài viết và thông báo mới từ các trang của Tỉnh ủy, Đảng ủy "
             "Khối và Ban Tuyên giáo", limit, atom="atom.xml")
        feed("notices.xml", "Thông báo, giấy mời của các cấp ủy",
             "Thông báo, giấy mời họp, kế hoạch… kèm số, ký hiệu văn bản", limit, kind="notices")
        for site in archive.sites():
            feed(f"sites/{site['id']}.xml", site["name"], f"Bài viết và thông báo: {site['name']}",
                 limit, site_id=site["id"])
        for province in sorted({s["province"] for s in archive.sites() if s["province"]}):
            feed(f"provinces/{slug(province)}.xml", f"Tỉnh {province}",
                 f"Bài viết và thông báo của các trang tỉnh {province}", limit,
                 province=province)
        for spec in custom:
            feed(f"custom/{spec.id}.xml", spec.title, spec.description or spec.title,
                 spec.limit or limit, kind=spec.kind, site_id=list(spec.sites),
                 province=list(spec.provinces), doc_type=list(spec.doc_types),
                 query=spec.query)
        meetings = archive.meetings()
    finally:
        archive.close()

    outputs: dict[str, bytes] = {"meetings.ics": build_meetings(meetings)}
    bodies.collect()
    for name, title, description, selected, atom in planned:
        outputs[name] = build_rss(selected, Channel(title, description, base, base + name))
        if atom:
            outputs[atom] = build_atom(selected, Channel(title, description, base, base + atom))
    return {name: write_atomic(out_dir / name, data) for name, data in outputs.items()}
