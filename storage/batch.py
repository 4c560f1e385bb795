"""Archive writes grouped into shared transactions, for crawls.

Each commit makes the search index (FTS5) write out what it holds, and one transaction per
saved page and article made those commits most of the archive's time in a crawl: saving a page
and its article took 3.8 ms in single transactions, 2.2 ms in batches of 100. A savepoint per
write would keep failures apart but flushes the index just the same, so a failed write instead
rolls the batch back and replays the writes before it one transaction each.

Every site crawled in a process writes through the process's one writer for that archive: two
connections on one reactor thread, one waiting for the other's open batch, would wait forever.
Readers (Datasette, the spider's own lookups) see a batch when it commits: after `items`
writes or `seconds`, on `commit()`, and when the last user releases the writer.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .archive import Archive

logger = logging.getLogger(__name__)


class BatchWriter:
    def __init__(self, archive: Archive, items: int = 100, seconds: float = 2.0) -> None:
        self.archive = archive
        self.items = items
        self.seconds = seconds
        self.done: list[tuple[Callable[..., Any], tuple, dict]] = []  # the open batch
        self.opened = 0.0
        self.users = 0

    def run(self, write: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Call one of the archive's write methods inside the open batch."""
        conn = self.archive.db.conn
        if not conn.in_transaction:
            conn.execute("BEGIN")
            self.opened = time.monotonic()
        self.archive.in_batch = True
        try:
            result = write(*args, **kwargs)
        except BaseException:
            self._replay()
            raise
        finally:
            self.archive.in_batch = False
        self.done.append((write, args, kwargs))
        if len(self.done) >= self.items or self.stale():
            self.commit()
        return result

    def stale(self) -> bool:
        return bool(self.done) and time.monotonic() - self.opened >= self.seconds

    def commit(self) -> None:
        if self.archive.db.conn.in_transaction:
            self.archive.db.conn.execute("COMMIT")
        self.done = []

    def _replay(self) -> None:
        """Undo the batch the failed write spoiled and redo the writes before it, one
        transaction each, so that only the failed one is lost."""
        conn = self.archive.db.conn
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        done, self.done = self.done, []
        self.archive.in_batch = False
        for write, args, kwargs in done:
            try:
                write(*args, **kwargs)
            except Exception:  # noqa: BLE001 - it succeeded before; say so and go on
                logger.exception("%s: a write replayed after a failed one failed",
                                 self.archive.path)


_WRITERS: dict[Path, BatchWriter] = {}


def shared_writer(db_path: str | Path, **batch: Any) -> BatchWriter:
    """The process's writer for this archive (opened on first use); give it back with
    `release`."""
    key = Path(db_path).resolve()
    writer = _WRITERS.get(key)
    if writer is None:
        writer = _WRITERS[key] = BatchWriter(Archive(db_path), **batch)
    writer.users += 1
    return writer


def release(writer: BatchWriter) -> None:
    """Commit what the writer holds; the last user closes it."""
    writer.commit()
    writer.users -= 1
    if writer.users <= 0:
        _WRITERS.pop(writer.archive.path.resolve(), None)
        writer.archive.close()
