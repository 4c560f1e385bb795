"""Writing every feed file from the archive, each atomically and only when it changed.

Under the output folder: rss.xml and atom.xml (all sites merged), notices.xml, sites/<id>.xml,
provinces/<slug>.xml, custom/<id>.xml for the operator's feeds, and meetings.ics.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from storage.archive import Archive

from .calendar import build_meetings
from .config import FeedSpec
from .entries import ENTRY_COLUMNS, Entry, article_entry, moment_of, notice_entry, slug
from .rss import Channel, build_atom, build_rss, rss_item

DEFAULT_LIMIT = 100
TEMP_SUFFIX = ".partial"  # write_atomic's temporary files, never a feed
SITE_NAME = "Tin từ các trang Đảng bộ tỉnh"
T = TypeVar("T")


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
Key = tuple[tuple[datetime, str], str, int]  # (order, table, id)


def _order(key: dict) -> tuple[datetime, str]:
    return moment_of(key["moment"], ""), key["url"] or ""


def kept_keys(archive: Archive, limit: int, kind: str = "all", **where: object) -> list[Key]:
    """The keys of a selection's items, articles and notices merged, newest first."""
    tables = [t for t, wanted in (("articles", kind in ("all", "articles")
                                   and not where.get("doc_type")),
                                  ("notices", kind in ("all", "notices"))) if wanted]
    keys: list[Key] = []
    since = None
    for table in tables:
        keys += [(_order(key), table, key["id"])
                 for key in archive.newest_keys(table, limit, since, **where)]
        if len(keys) >= limit:
            # nothing older than the limit-th item so far can be kept: read the other kind
            # from that day on (a day earlier, for a time stored in another zone)
            oldest = sorted(keys, reverse=True)[limit - 1][0][0]
            since = (oldest - timedelta(days=1)).date().isoformat()
    return sorted(keys, reverse=True)[:limit]


def read_entries(archive: Archive, base: str, table: str, ids: list[int]
                 ) -> list[tuple[tuple[str, int], Entry]]:
    """The entries of those rows, keyed by (table, id)."""
    return [((table, row["id"]), _ENTRY[table](row, base))
            for row in archive.rows(table, ids, ENTRY_COLUMNS[table])]


def select_entries(archive: Archive, base: str, limit: int, kind: str = "all",
                   cache: dict[tuple[str, int], Entry] | None = None, **where: object
                   ) -> list[Entry]:
    """Entries of one selection, newest first; only the kept items' rows are read, each once
    per cache (write_feeds reads them for all feeds at once)."""
    kept = kept_keys(archive, limit, kind, **where)
    cache = {} if cache is None else cache
    for table in ("articles", "notices"):
        missing = [row_id for _, t, row_id in kept if t == table and (t, row_id) not in cache]
        cache.update(read_entries(archive, base, table, missing))
    return [cache[table, row_id] for _, table, row_id in kept]


def newest_entries(archive: Archive, limit: int = DEFAULT_LIMIT, base: str = "") -> list[Entry]:
    """The merged feed's items."""
    return select_entries(archive, base, limit)


class _Readers:
    """A few threads, each with its own connection to the archive.

    When the archive is not in memory a build is mostly random reads (its indexes, then some
    6,000 rows at 100,000 articles); the disk answers several at once sooner than one after
    another (cold, 3.3 s for a build in one thread, 2.2 s in four). More threads lose more
    to contention for the interpreter than they gain: once the rows are read and rendered
    faster, two did better than four (warm 1.6 s against 1.8, cold 1.9 against 2.0)."""

    THREADS = 2
    ROWS = 250  # rows a read asks for at once

    def __init__(self, path: Path) -> None:
        self.path = path
        self.local = threading.local()
        self.opened: list[Archive] = []
        self.lock = threading.Lock()
        self.executor = ThreadPoolExecutor(self.THREADS, thread_name_prefix="feed-reader")

    def _archive(self) -> Archive:
        archive = getattr(self.local, "archive", None)
        if archive is None:
            archive = self.local.archive = Archive(self.path, any_thread=True)
            with self.lock:
                self.opened.append(archive)
        return archive

    def submit(self, function: Callable[..., T], *args: Any) -> Future[T]:
        """function(archive, *args) in one of the threads."""
        return self.executor.submit(lambda: function(self._archive(), *args))

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)
        for archive in self.opened:
            archive.close()


@dataclass
class _Feed:
    name: str
    title: str
    description: str
    limit: int
    kind: str = "all"
    atom: str | None = None
    where: dict[str, object] = field(default_factory=dict)


def _planned_feeds(archive: Archive, limit: int, custom: list[FeedSpec]) -> list[_Feed]:
    feeds = [
        _Feed("rss.xml", SITE_NAME, "Bài viết và thông báo mới từ các trang của Tỉnh ủy, Đảng ủy "
              "Khối và Ban Tuyên giáo", limit, atom="atom.xml"),
        _Feed("notices.xml", "Thông báo, giấy mời của các cấp ủy",
              "Thông báo, giấy mời họp, kế hoạch… kèm số, ký hiệu văn bản", limit, "notices"),
    ]
    sites = archive.sites()
    feeds += [_Feed(f"sites/{site['id']}.xml", site["name"],
                    f"Bài viết và thông báo: {site['name']}", limit,
                    where={"site_id": site["id"]}) for site in sites]
    feeds += [_Feed(f"provinces/{slug(province)}.xml", f"Tỉnh {province}",
                    f"Bài viết và thông báo của các trang tỉnh {province}", limit,
                    where={"province": province})
              for province in sorted({s["province"] for s in sites if s["province"]})]
    feeds += [_Feed(f"custom/{spec.id}.xml", spec.title, spec.description or spec.title,
                    spec.limit or limit, spec.kind,
                    where={"site_id": list(spec.sites), "province": list(spec.provinces),
                           "doc_type": list(spec.doc_types), "query": spec.query})
              for spec in custom]
    return feeds


def _kept(archive: Archive, feed: _Feed) -> list[Key]:
    return kept_keys(archive, feed.limit, feed.kind, **feed.where)


def _rendered_entries(archive: Archive, base: str, table: str, ids: list[int]
                      ) -> list[tuple[tuple[str, int], Entry]]:
    """read_entries, each rendered as its RSS item while other threads wait for the disk."""
    read = read_entries(archive, base, table, ids)
    for _, entry in read:
        rss_item(entry)
    return read


def _calendar(archive: Archive) -> bytes:
    return build_meetings(archive.meetings())


def write_feeds(db_path: str | Path, out_dir: str | Path, base_url: str | None = None,
                limit: int = DEFAULT_LIMIT, custom: list[FeedSpec] = ()) -> dict[str, bool]:
    """Write every feed under out_dir; return {relative file name: rewritten?}."""
    out_dir = Path(out_dir)
    base = (base_url or out_dir.resolve().as_uri()).rstrip("/") + "/"
    remove_leftovers(out_dir)
    archive = Archive(db_path)  # brings the archive's schema up to date first
    try:
        feeds = _planned_feeds(archive, limit, custom)
    finally:
        archive.close()
    entries: dict[tuple[str, int], Entry] = {}  # shared by every feed of this build
    readers = _Readers(Path(db_path))
    try:
        calendar = readers.submit(_calendar)
        # each feed's rows are asked for as soon as its keys are known, so that the disk
        # always has reads waiting
        choosing = {readers.submit(_kept, feed): n for n, feed in enumerate(feeds)}
        kept: list[list[Key]] = [[] for _ in feeds]
        asked: set[tuple[str, int]] = set()
        reads: list[Future] = []
        for future in as_completed(choosing):
            kept[choosing[future]] = keys = future.result()
            for table in ("articles", "notices"):
                ids = sorted(row_id for _, t, row_id in keys
                             if t == table and (t, row_id) not in asked)
                asked.update((table, row_id) for row_id in ids)
                reads += [readers.submit(_rendered_entries, base, table, ids[s:s + _Readers.ROWS])
                          for s in range(0, len(ids), _Readers.ROWS)]
        for future in reads:
            entries.update(future.result())
        outputs: dict[str, bytes] = {"meetings.ics": calendar.result()}
    finally:
        readers.close()
    for feed, keys in zip(feeds, kept, strict=True):
        entries_of = [entries[table, row_id] for _, table, row_id in keys]
        outputs[feed.name] = build_rss(entries_of, Channel(feed.title, feed.description, base,
                                                           base + feed.name))
        if feed.atom:
            outputs[feed.atom] = build_atom(entries_of, Channel(
                feed.title, feed.description, base, base + feed.atom))
    # the files in threads too: most of writing one is waiting for its fsync
    with ThreadPoolExecutor(_Readers.THREADS) as writer:
        written = writer.map(lambda name: write_atomic(out_dir / name, outputs[name]), outputs)
        return dict(zip(outputs, written, strict=True))
