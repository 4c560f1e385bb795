"""The merged RSS 2.0 feed: newest items of every site, written atomically.

Items carry a guid that is the article's canonical URL, so a re-crawl or an edit never makes a
reader show the item twice. lastBuildDate is the newest item's time, so an unchanged archive
gives a byte-identical file and the file is left alone.
"""

from __future__ import annotations

import os
import re
import tempfile
from datetime import datetime
from pathlib import Path

from feedgen.feed import FeedGenerator

from scraper.normalize.sanitize import sanitize_html
from storage.archive import Archive

DEFAULT_LIMIT = 100
TTL_MINUTES = 60
# XML 1.0 forbids these even as character references.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(value: str | None) -> str:
    return _XML_ILLEGAL.sub("", value or "")


def _moment(row: dict) -> datetime:
    return datetime.fromisoformat(row.get("published") or row["first_seen"])


def build_rss(rows: list[dict], *, title: str, link: str, self_url: str, description: str
              ) -> bytes:
    """RSS 2.0 bytes for archive rows (newest first) as returned by Archive.newest_articles."""
    fg = FeedGenerator()
    fg.load_extension("dc")
    fg.title(title)
    fg.link(href=self_url, rel="self")
    fg.link(href=link, rel="alternate")  # last: feedgen makes the last link RSS's <link>
    fg.description(description)
    fg.language("vi")
    fg.ttl(TTL_MINUTES)
    fg.generator("partysites-scraper")
    if rows:
        fg.lastBuildDate(max(_moment(r) for r in rows))
    for row in reversed(rows):  # feedgen prepends: add oldest first
        entry = fg.add_entry()
        entry.guid(row["url"], permalink=True)
        entry.link(href=row["url"])
        entry.title(xml_text(row["title"]))
        entry.pubDate(_moment(row))
        entry.description(xml_text(row.get("summary") or _first_paragraph(row.get("text"))))
        entry.content(xml_text(sanitize_html(row.get("html") or "")), type="CDATA")
        entry.category(term=xml_text(row["site_name"]))
        if row.get("author"):
            entry.dc.dc_creator(xml_text(row["author"]))
    return fg.rss_str(pretty=True)


def _first_paragraph(text: str | None) -> str:
    return (text or "").split("\n\n", 1)[0]


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


def write_feeds(db_path: str | Path, out_dir: str | Path, base_url: str | None = None,
                limit: int = DEFAULT_LIMIT) -> dict[str, bool]:
    """Write every feed under out_dir; return {file name: rewritten?}."""
    out_dir = Path(out_dir)
    base = (base_url or out_dir.resolve().as_uri()).rstrip("/") + "/"
    archive = Archive(db_path)
    try:
        rows = archive.newest_articles(limit)
    finally:
        archive.close()
    rss = build_rss(
        rows,
        title="Tin từ các trang Đảng bộ tỉnh",
        link=base,
        self_url=base + "rss.xml",
        description="Bài viết mới từ các trang của Tỉnh ủy, Đảng ủy Khối và Ban Tuyên giáo",
    )
    return {"rss.xml": write_atomic(out_dir / "rss.xml", rss)}
