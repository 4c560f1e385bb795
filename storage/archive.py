"""The archive: one SQLite file, written through sqlite-utils, read by Datasette.

Articles are keyed by canonical URL; a re-crawl updates `last_seen` and, when the content
changed, the row. Each crawl of a site is one `crawls` row with its figures.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, replace
from datetime import datetime
from pathlib import Path
from typing import Literal

import sqlite_utils

from scraper.items import Article, Notice
from scraper.normalize.dates import VN
from scraper.normalize.docnumbers import (
    DocNumber,
    find_doc_numbers,
    parse_doc_number,
    sentence_at,
)
from scraper.normalize.text import clean_text, fold, tone_key
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


NOTICE_CONTENT = ("title", "doc_number", "date", "url", "attachments", "text",
                  "meeting_time", "meeting_place")
NOTICE_COLUMNS = ("site_id", "doc_number", "doc_type", "doc_type_name", "issuer", "title",
                  "date", "url", "text", "html", "meeting_time", "meeting_place")


def notice_key(notice: Notice) -> str:
    """A notice is its number on its site; without one, its page, else its title."""
    if notice.doc_number:
        return f"{notice.site_id}|{notice.doc_number}"
    if notice.url:
        return f"{notice.site_id}|url:{notice.url}"
    return f"{notice.site_id}|title:{fold(notice.title)}"


def _merge_notice(known: dict | None, notice: Notice) -> dict:
    """What we now know: new values win, but a block's line never blanks a page's text."""
    merged = {k: getattr(notice, k) for k in NOTICE_COLUMNS}
    if known:
        for key in NOTICE_COLUMNS:
            if merged[key] in (None, "") and known.get(key) not in (None, ""):
                merged[key] = known[key]
    files = {a["url"]: a for a in json.loads(known["attachments"])} if known else {}
    for item in notice.attachments:
        if item.get("size") is not None or item["url"] not in files:
            files[item["url"]] = item
    merged["attachments"] = json.dumps(list(files.values()), ensure_ascii=False)
    merged["attachment_url"] = next(iter(files), None)
    return merged


def doc_scope(doc: DocNumber, local: str) -> str:
    """Central documents are one document everywhere; a TU or ĐUK number is its province's."""
    return "Trung ương" if doc.central else local


def document_key(scope: str, doc: DocNumber, issued: str | None) -> str:
    return f"{scope}|{doc.canonical}|{issued or ''}"


def content_hash(record: dict, fields: tuple[str, ...] = CONTENT_FIELDS) -> str:
    payload = json.dumps([record.get(k) for k in fields], ensure_ascii=False)
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
        if "notices" not in db.table_names():
            db["notices"].create(
                {
                    "id": int, "notice_key": str, "site_id": str, "doc_number": str,
                    "doc_type": str, "doc_type_name": str, "issuer": str, "title": str,
                    "date": str, "url": str, "attachment_url": str, "attachments": str,
                    "text": str, "html": str, "meeting_time": str, "meeting_place": str,
                    "first_seen": str, "last_seen": str, "content_hash": str,
                },
                pk="id",
                foreign_keys=[("site_id", "sites", "id")],
                not_null={"notice_key", "site_id"},
            )
            db["notices"].create_index(["notice_key"], unique=True)
            db["notices"].create_index(["site_id", "date"])
            db["notices"].create_index(["doc_type", "date"])
            db["notices"].enable_fts(["title", "text"], tokenize=FTS_TOKENIZER,
                                     create_triggers=True)
        if "documents" not in db.table_names():
            db["documents"].create(
                {
                    "id": int, "document_key": str, "scope": str, "symbol": str,
                    "number": str, "doc_type": str, "doc_type_name": str, "issuer": str,
                    "issued": str, "first_seen": str,
                },
                pk="id",
            )
            db["documents"].create_index(["document_key"], unique=True)
            db["documents"].create_index(["symbol"])
            db["documents"].create_index(["issuer", "issued"])
        if "document_mentions" not in db.table_names():
            db["document_mentions"].create(
                {"id": int, "document_id": int, "source": str, "source_id": int,
                 "site_id": str, "sentence": str, "first_seen": str},
                pk="id",
                foreign_keys=[("document_id", "documents", "id")],
            )
            db["document_mentions"].create_index(
                ["document_id", "source", "source_id"], unique=True)
            db["document_mentions"].create_index(["source", "source_id"])
        if "crawls" not in db.table_names():
            db["crawls"].create(
                {
                    "id": int, "site_id": str, "started": str, "finished": str, "pages": int,
                    "new": int, "updated": int, "notices": int, "errors": int, "status": str,
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
                 "updated": 0, "notices": 0, "errors": 0, "status": "running"}
            )
        return int(table.last_pk)

    def finish_crawl(self, crawl_id: int, *, pages: int, new: int, updated: int, errors: int,
                     status: str, notices: int = 0) -> None:
        with self.db.conn:
            self.db["crawls"].update(
                crawl_id,
                {"finished": now_iso(), "pages": pages, "new": new, "updated": updated,
                 "notices": notices, "errors": errors, "status": status},
            )

    # ------------------------------------------------------------------ articles
    def save_article(self, article: Article, seen: str | None = None) -> tuple[SaveResult, int]:
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
                return "new", int(table.last_pk)
            known = existing[0]
            if known["content_hash"] == digest:
                table.update(known["id"], {"last_seen": seen})
                return "unchanged", known["id"]
            table.update(known["id"], {**row, "last_seen": seen, "content_hash": digest})
            return "updated", known["id"]

    # ------------------------------------------------------------------ notices
    def save_notice(self, notice: Notice, seen: str | None = None) -> tuple[SaveResult, int]:
        """Insert or merge a notice: a block's line and the notice's page make one row."""
        seen = seen or now_iso()
        table = self.db["notices"]
        with self.db.conn:
            known = self._find_notice(notice)
            merged = _merge_notice(known, notice)
            digest = content_hash(merged, NOTICE_CONTENT)
            row = {**merged, "notice_key": notice_key(notice), "content_hash": digest,
                   "last_seen": seen}
            if known is None:
                table.insert({**row, "first_seen": seen})
                return "new", int(table.last_pk)
            if known["content_hash"] == digest:
                table.update(known["id"], {"last_seen": seen})
                return "unchanged", known["id"]
            table.update(known["id"], row)
            return "updated", known["id"]

    def _find_notice(self, notice: Notice) -> dict | None:
        rows = list(self.db["notices"].rows_where("notice_key = ?", [notice_key(notice)]))
        if not rows and notice.url:
            rows = list(self.db["notices"].rows_where("site_id = ? and url = ?",
                                                       [notice.site_id, notice.url]))
        return rows[0] if rows else None

    # ------------------------------------------------------------------ citations
    def record_citations(self, source: str, source_id: int, site_id: str, text: str,
                         own: Notice | None = None, seen: str | None = None) -> int:
        """The documents a text cites (and a notice's own number) into the citation index."""
        seen = seen or now_iso()
        province = self.db["sites"].get(site_id)["province"] if site_id else None
        text = clean_text(text)
        with self.db.conn:
            self.db["document_mentions"].delete_where("source = ? and source_id = ?",
                                                      [source, source_id])
            cited = [(doc, sentence_at(text, doc.start, doc.end))
                     for doc in find_doc_numbers(text)]
            if own is not None and own.doc_number:
                doc = parse_doc_number(own.doc_number)
                if doc is not None:
                    cited.append((replace(doc, issued=own.date or doc.issued), own.title))
            for doc, sentence in cited:
                document_id = self._document(doc, doc_scope(doc, province or site_id), seen)
                self.db["document_mentions"].insert(
                    {"document_id": document_id, "source": source, "source_id": source_id,
                     "site_id": site_id, "sentence": sentence, "first_seen": seen},
                    ignore=True,
                )
        return len(cited)

    def _document(self, doc: DocNumber, scope: str, seen: str) -> int:
        table = self.db["documents"]
        same = list(table.rows_where("scope = ? and symbol = ?", [scope, doc.canonical]))
        issued = doc.issued
        for row in same:
            if row["issued"] == issued or (issued and row["issued"] and
                                           issued.startswith(row["issued"])):
                if issued and issued != row["issued"]:
                    table.update(row["id"], {"issued": issued,
                                             "document_key": document_key(scope, doc, issued)})
                return row["id"]
        undated = [r for r in same if not r["issued"]]
        if issued and undated:
            table.update(undated[0]["id"], {"issued": issued,
                                            "document_key": document_key(scope, doc, issued)})
            return undated[0]["id"]
        if not issued and len(same) == 1:
            return same[0]["id"]
        table.insert({"document_key": document_key(scope, doc, issued), "scope": scope,
                      "symbol": doc.canonical, "number": doc.number, "doc_type": doc.type,
                      "doc_type_name": doc.type_name, "issuer": doc.issuer, "issued": issued,
                      "first_seen": seen})
        return int(table.last_pk)

    def newest_articles(self, limit: int = 100) -> list[dict]:
        """Articles newest first (by published, else first seen), with their site."""
        sql = """
            select a.*, s.name as site_name, s.url as site_url, s.province as province
            from articles a join sites s on s.id = a.site_id
            order by coalesce(a.published, a.first_seen) desc, a.id desc
            limit ?
        """
        return [dict(r) for r in self.db.query(sql, [limit])]

    def newest_notices(self, limit: int = 100) -> list[dict]:
        """Notices newest first (by their date, else first seen), with their site."""
        sql = """
            select n.*, s.name as site_name, s.url as site_url, s.province as province
            from notices n join sites s on s.id = n.site_id
            order by coalesce(n.date, n.first_seen) desc, n.id desc
            limit ?
        """
        return [dict(r) for r in self.db.query(sql, [limit])]

    def meetings(self) -> list[dict]:
        """Notices that announce a meeting, soonest last."""
        sql = """
            select n.*, s.name as site_name from notices n join sites s on s.id = n.site_id
            where n.meeting_time is not null order by n.meeting_time, n.id
        """
        return [dict(r) for r in self.db.query(sql)]

    def site_summary(self) -> list[dict]:
        """Per site: articles archived and the figures of its latest crawl."""
        sql = """
            select s.id, s.name,
              (select count(*) from articles a where a.site_id = s.id) as articles,
              (select count(*) from notices n where n.site_id = s.id) as notices_archived,
              c.pages, c.new, c.updated, c.notices, c.errors, c.status
            from sites s
            left join crawls c on c.id = (
              select id from crawls where site_id = s.id order by id desc limit 1)
            order by s.id
        """
        return [dict(r) for r in self.db.query(sql)]
