"""Writing every feed file from the archive, each atomically and only when it changed.

Under the output folder: rss.xml and atom.xml (all sites merged), notices.xml, sites/<id>.xml,
provinces/<slug>.xml, custom/<id>.xml for the operator's feeds, and meetings.ics.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from storage.archive import Archive

from .calendar import build_meetings
from .config import FeedSpec
from .entries import Entry, article_entry, notice_entry, slug
from .rss import Channel, build_atom, build_rss

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


def select(archive: Archive, base: str, limit: int, kind: str = "all", **where: object
           ) -> list[Entry]:
    """Entries of one selection, articles and notices merged, newest first."""
    entries: list[Entry] = []
    if kind in ("all", "articles") and not where.get("doc_type"):
        entries += [article_entry(r, base) for r in archive.newest_articles(limit, **where)]
    if kind in ("all", "notices"):
        entries += [notice_entry(r, base) for r in archive.newest_notices(limit, **where)]
    return sorted(entries, key=lambda e: (e.moment, e.guid), reverse=True)[:limit]


def newest_entries(archive: Archive, limit: int = DEFAULT_LIMIT, base: str = "") -> list[Entry]:
    """The merged feed's items."""
    return select(archive, base, limit)


def write_feeds(db_path: str | Path, out_dir: str | Path, base_url: str | None = None,
                limit: int = DEFAULT_LIMIT, custom: list[FeedSpec] = ()) -> dict[str, bool]:
    """Write every feed under out_dir; return {relative file name: rewritten?}."""
    out_dir = Path(out_dir)
    base = (base_url or out_dir.resolve().as_uri()).rstrip("/") + "/"
    outputs: dict[str, bytes] = {}
    remove_leftovers(out_dir)

    def feed(name: str, title: str, description: str, entries: list[Entry],
             atom: str | None = None) -> None:
        channel = Channel(title, description, base, base + name)
        outputs[name] = build_rss(entries, channel)
        if atom:
            outputs[atom] = build_atom(entries, Channel(title, description, base, base + atom))

    archive = Archive(db_path)
    try:
        feed("rss.xml", SITE_NAME, "Bài viết và thông báo mới từ các trang của Tỉnh ủy, Đảng ủy "
             "Khối và Ban Tuyên giáo", select(archive, base, limit), atom="atom.xml")
        feed("notices.xml", "Thông báo, giấy mời của các cấp ủy",
             "Thông báo, giấy mời họp, kế hoạch… kèm số, ký hiệu văn bản",
             select(archive, base, limit, kind="notices"))
        for site in archive.sites():
            feed(f"sites/{site['id']}.xml", site["name"], f"Bài viết và thông báo: {site['name']}",
                 select(archive, base, limit, site_id=site["id"]))
        for province in sorted({s["province"] for s in archive.sites() if s["province"]}):
            feed(f"provinces/{slug(province)}.xml", f"Tỉnh {province}",
                 f"Bài viết và thông báo của các trang tỉnh {province}",
                 select(archive, base, limit, province=province))
        for spec in custom:
            feed(f"custom/{spec.id}.xml", spec.title, spec.description or spec.title,
                 select(archive, base, spec.limit or limit, kind=spec.kind,
                        site_id=list(spec.sites), province=list(spec.provinces),
                        doc_type=list(spec.doc_types), query=spec.query))
        outputs["meetings.ics"] = build_meetings(archive.meetings())
    finally:
        archive.close()
    return {name: write_atomic(out_dir / name, data) for name, data in outputs.items()}
