"""The archive: one SQLite file, written through sqlite-utils, read by Datasette.

Articles are keyed by canonical URL; a re-crawl updates `last_seen` and, when the content
changed, the row. Each crawl of a site is one `crawls` row with its figures.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Literal

import sqlite_utils

from scraper.items import Article
from scraper.normalize.dates import VN
from scraper.normalize.text import tone_key
from scraper.registry import Site

SaveResult = Literal["new", "updated", "unchanged"]
# Fields whose change makes a new version of an article.
CONTENT_FIELDS = ("title", "summary", "author", "published", "text", "html", "images")
FTS_TOKENIZER = "unicode61 remove_diacritics 2"


def now_iso() -> str:
    return datetime.now(VN).isoformat(timespec="seconds")


def fingerprint(title: str, text: str) -> str:
    """One key for one story however a site spells its tones or spaces ("uỷ"/"ủy")."""
    key = tone_key(f"{title}\n{text}").casefold()
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def content_hash(record: dict) -> str:
    payload = json.dumps([record.get(k) for k in CONTENT_FIELDS], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class Archive:
    def __init__(self, path: str | Path) -> None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite_utils.Database(path)
        self.db.execute("PRAGMA busy_timeout = 10000")
        self.db.enable_wal()
        self.db.execute("PRAGMA foreign_keys = ON")
        self.ensure_schema()

    def close(self) -> None:
        self.db.close()

    def ensure_schema(self) -> None:
        db = self.db
        if "sites" not in db.table_names():
            db["sites"].create(
                {"id": str, "name": str, "url": str, "province": str, "cms": str}, pk="id"
            )
        if "articles" not in db.table_names():
            db["articles"].create(
                {
                    "id": int, "url": str, "site_id": str, "cms": str, "kind": str,
                    "title": str, "summary": str, "author": str, "published": str,
                    "text": str, "html": str, "images": str, "documents": str,
                    "first_seen": str, "last_seen": str, "content_hash": str,
                    "fingerprint": str, "guard_hits": int,
                },
                pk="id",
                foreign_keys=[("site_id", "sites", "id")],
                not_null={"url", "site_id", "title"},
            )
            db["articles"].create_index(["url"], unique=True)
            db["articles"].create_index(["published"])
            db["articles"].create_index(["fingerprint"])
            db["articles"].create_index(["site_id", "published"])
            db["articles"].enable_fts(
                ["title", "summary", "text"], tokenize=FTS_TOKENIZER, create_triggers=True
            )
        if "crawls" not in db.table_names():
            db["crawls"].create(
                {
                    "id": int, "site_id": str, "started": str, "finished": str, "pages": int,
                    "new": int, "updated": int, "errors": int, "status": str,
                },
                pk="id",
                foreign_keys=[("site_id", "sites", "id")],
            )
            db["crawls"].create_index(["site_id", "started"])

    # ------------------------------------------------------------------ sites and crawls
    def upsert_site(self, site: Site) -> None:
        with self.db.conn:
            self.db["sites"].upsert(
                {"id": site.id, "name": site.name, "url": site.url,
                 "province": site.province, "cms": site.cms},
                pk="id",
            )

    def start_crawl(self, site_id: str) -> int:
        with self.db.conn:
            table = self.db["crawls"].insert(
                {"site_id": site_id, "started": now_iso(), "pages": 0, "new": 0,
                 "updated": 0, "errors": 0, "status": "running"}
            )
        return int(table.last_pk)

    def finish_crawl(self, crawl_id: int, *, pages: int, new: int, updated: int, errors: int,
                     status: str) -> None:
        with self.db.conn:
            self.db["crawls"].update(
                crawl_id,
                {"finished": now_iso(), "pages": pages, "new": new, "updated": updated,
                 "errors": errors, "status": status},
            )

    # ------------------------------------------------------------------ articles
    def save_article(self, article: Article, seen: str | None = None) -> SaveResult:
        """Insert a new article, or update a known one; never a second row for one URL."""
        seen = seen or now_iso()
        record = asdict(article)
        row = {
            "url": article.url, "site_id": article.site_id, "cms": article.cms,
            "kind": article.kind, "title": article.title, "summary": article.summary,
            "author": article.author, "published": article.published, "text": article.text,
            "html": article.html, "images": json.dumps(article.images, ensure_ascii=False),
            "documents": json.dumps(article.documents, ensure_ascii=False),
            "guard_hits": article.guard_hits,
            "fingerprint": fingerprint(article.title, article.text),
        }
        digest = content_hash(record)
        table = self.db["articles"]
        with self.db.conn:
            existing = list(table.rows_where("url = ?", [article.url], select="id, content_hash"))
            if not existing:
                table.insert({**row, "first_seen": seen, "last_seen": seen,
                              "content_hash": digest})
                return "new"
            known = existing[0]
            if known["content_hash"] == digest:
                table.update(known["id"], {"last_seen": seen})
                return "unchanged"
            table.update(known["id"], {**row, "last_seen": seen, "content_hash": digest})
            return "updated"

    def newest_articles(self, limit: int = 100) -> list[dict]:
        """Articles newest first (by published, else first seen), with their site."""
        sql = """
            select a.*, s.name as site_name, s.url as site_url, s.province as province
            from articles a join sites s on s.id = a.site_id
            order by coalesce(a.published, a.first_seen) desc, a.id desc
            limit ?
        """
        return [dict(r) for r in self.db.query(sql, [limit])]

    def site_summary(self) -> list[dict]:
        """Per site: articles archived and the figures of its latest crawl."""
        sql = """
            select s.id, s.name,
              (select count(*) from articles a where a.site_id = s.id) as articles,
              c.pages, c.new, c.updated, c.errors, c.status
            from sites s
            left join crawls c on c.id = (
              select id from crawls where site_id = s.id order by id desc limit 1)
            order by s.id
        """
        return [dict(r) for r in self.db.query(sql)]
