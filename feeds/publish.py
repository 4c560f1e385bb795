"""Writing the feed files from the archive, each atomically and only when it changed."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from storage.archive import Archive

from .calendar import build_meetings
from .rss import Entry, article_entry, build_rss, notice_entry

DEFAULT_LIMIT = 100


def write_atomic(path: Path, data: bytes) -> bool:
    """Replace path with data via a temporary file and rename; skip if nothing changed."""
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
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


def newest_entries(archive: Archive, limit: int = DEFAULT_LIMIT) -> list[Entry]:
    """The merged feed's items: articles and notices of every site, newest first."""
    entries = [article_entry(r) for r in archive.newest_articles(limit)]
    entries += [notice_entry(r) for r in archive.newest_notices(limit)]
    return sorted(entries, key=lambda e: (e.moment, e.guid), reverse=True)[:limit]


def write_feeds(db_path: str | Path, out_dir: str | Path, base_url: str | None = None,
                limit: int = DEFAULT_LIMIT) -> dict[str, bool]:
    """Write every feed under out_dir; return {file name: rewritten?}."""
    out_dir = Path(out_dir)
    base = (base_url or out_dir.resolve().as_uri()).rstrip("/") + "/"
    archive = Archive(db_path)
    try:
        merged = newest_entries(archive, limit)
        notices = [notice_entry(r) for r in archive.newest_notices(limit)]
        meetings = archive.meetings()
    finally:
        archive.close()
    outputs = {
        "rss.xml": build_rss(
            merged, title="Tin từ các trang Đảng bộ tỉnh", link=base, self_url=base + "rss.xml",
            description="Bài viết và thông báo mới từ các trang của Tỉnh ủy, Đảng ủy Khối và "
                        "Ban Tuyên giáo",
        ),
        "notices.xml": build_rss(
            notices, title="Thông báo, giấy mời của các cấp ủy", link=base,
            self_url=base + "notices.xml",
            description="Thông báo, giấy mời họp, kế hoạch… kèm số, ký hiệu văn bản",
        ),
        "meetings.ics": build_meetings(meetings),
    }
    return {name: write_atomic(out_dir / name, data) for name, data in outputs.items()}
