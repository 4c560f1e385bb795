"""The archive: one SQLite file, written through sqlite-utils, read by Datasette.

Articles are keyed by canonical URL and notices by their site and number; a re-crawl updates
`last_seen` and, when the content changed, keeps the previous version in `revisions`. Fetched
pages are kept compressed in `pages`, so the archive can be re-extracted without the network.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import zlib
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import sqlite_utils

from scraper.items import Article, CrawlError, FetchedPage, Notice
from scraper.normalize.dates import VN
from scraper.normalize.text import fold
from scraper.registry import Site

from .citations import Citation, find_citations, write_citations
from .schema import (
    MEETING_COLUMNS,
    folded_fingerprint,
    index_search,
    migrations,
    search_columns,
    write_search,
)

logger = logging.getLogger(__name__)
SaveResult = Literal["new", "updated", "unchanged"]
# Fields whose change makes a new version.
CONTENT_FIELDS = ("title", "summary", "author", "published", "text", "html", "images")
NOTICE_CONTENT = ("title", "doc_number", "date", "url", "attachments", "text",
                  "meeting_time", "meeting_place")
NOTICE_COLUMNS = ("site_id", "doc_number", "doc_type", "doc_type_name", "issuer", "title",
                  "date", "url", "text", "html", "meeting_time", "meeting_place")
# Response headers worth keeping with a page: how to decode it and how to ask for it again.
KEPT_HEADERS = ("content-type", "last-modified", "etag", "content-length")
MIN_SYNDICATED_TEXT = 300  # shorter bodies are too generic to call two pages one story


def now_iso() -> str:
    return datetime.now(VN).isoformat(timespec="seconds")


def content_hash(record: dict, fields: tuple[str, ...] = CONTENT_FIELDS) -> str:
    payload = json.dumps([record.get(k) for k in fields], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


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


def _moment(dated: str | None, first_seen: str) -> str:
    """What feeds order a row by: its publication date, else when it was first archived (the
    `moment` column, as coalesce(dated, first_seen) in SQL)."""
    return dated if dated is not None else first_seen


# a page's latest stored body (the one fetched last): what a recheck compares with
_LATEST_PAGE = "select id from pages where url = ? order by last_fetched desc, id desc limit 1"


def _insert(db: sqlite_utils.Database, table: str, record: dict[str, Any]) -> int:
    """Plain SQL for the rows a crawl writes per page: sqlite-utils' insert reads the table's
    schema first, every time. Returns the new row's id."""
    columns = ", ".join(f'"{name}"' for name in record)
    marks = ", ".join("?" * len(record))
    return int(db.execute(f"insert into {table} ({columns}) values ({marks})",
                          list(record.values())).lastrowid)


def _update(db: sqlite_utils.Database, table: str, row_id: int, values: dict[str, Any]) -> None:
    """Plain SQL, as _insert."""
    assignments = ", ".join(f'"{name}" = ?' for name in values)
    db.execute(f"update {table} set {assignments} where id = ?", [*values.values(), row_id])


def _dicts(cursor: sqlite3.Cursor) -> Iterator[dict]:
    """Rows as dicts, straight from sqlite3 (the feeds read thousands per build)."""
    names = [d[0] for d in cursor.description]
    return (dict(zip(names, row, strict=True)) for row in cursor)


def _selection(alias: str, table: str, where: dict[str, Any]) -> tuple[list[str], dict]:
    """SQL conditions for a feed's selection; each value may be one value or a list."""
    clauses, params = [], {}
    for column in ("site_id", "province", "doc_type"):
        values = where.get(column)
        if not values:
            continue
        values = [values] if isinstance(values, str) else list(values)
        names = [f"{column}{i}" for i in range(len(values))]
        clauses.append(f"{alias}.{column} in ({', '.join(':' + n for n in names)})")
        params.update(zip(names, values, strict=True))
    if where.get("query"):
        # unary +: walk the newest-first index and keep the rows that match, stopping at the
        # limit, rather than read every matching row for its date (0.45 s for a common word
        # among 20,000 notices, when the archive was not in memory; 0.014 s this way)
        clauses.append(f"+{alias}.id in (select rowid from {table}_search "
                       f"where {table}_search match :query)")
        params["query"] = where["query"]
    return clauses, params


@dataclass(slots=True)
class PreparedPage:
    """A fetched page with its digest and compressed body, computed before the write."""

    page: FetchedPage
    digest: str
    compressed: bytes


def compress_page(body: bytes) -> tuple[str, bytes]:
    """Pure: the body's digest and its stored form (zlib level 6: a third faster than 9 and
    0.5% larger on these pages)."""
    return hashlib.sha256(body).hexdigest(), zlib.compress(body, 6)


def prepare_page(page: FetchedPage) -> PreparedPage:
    return PreparedPage(page, *compress_page(page.body))


@dataclass(slots=True)
class PreparedArticle:
    """An article with everything the archive derives from it, computed before the write
    (a crawl does it in a worker process: see scraper/workers.py)."""

    article: Article
    row: dict[str, Any]  # the articles row, but for the columns only the archive knows
    digest: str
    search: dict[str, str]
    citations: list[Citation]


def prepare_article(article: Article) -> PreparedArticle:
    """Pure: the row, its content hash, search columns and citations of an article.

    Lead and body are folded once for both the fingerprint and the search column (folding is
    per character, so the title's fold and theirs joined is the whole text's)."""
    # lead and body together: one site prints the lead apart, another as a paragraph
    body = fold(f"{article.summary or ''}\n{article.text}")
    folded = " ".join(part for part in (fold(article.title or ""), body) if part)
    return prepared_article(
        article, folded_fingerprint(body),
        search_columns(article.title, article.summary, article.text, folded=folded),
        find_citations("\n\n".join(filter(None, [article.summary, article.text]))),
    )


def prepared_article(article: Article, fingerprint: str, search: dict[str, str],
                     citations: list[Citation]) -> PreparedArticle:
    """The article's row and content hash, with what was derived from its text."""
    row = {
        "url": article.url, "site_id": article.site_id, "cms": article.cms,
        "kind": article.kind, "title": article.title, "summary": article.summary,
        "author": article.author, "published": article.published, "text": article.text,
        "html": article.html, "images": json.dumps(article.images, ensure_ascii=False),
        "documents": json.dumps(article.documents, ensure_ascii=False),
        "guard_hits": article.guard_hits, "fingerprint": fingerprint,
    }
    return PreparedArticle(article, row, content_hash({**row, "images": article.images}),
                           search, citations)


class Archive:
    def __init__(self, path: str | Path, any_thread: bool = False) -> None:
        """any_thread: a connection that threads may share, one at a time (and close from
        another thread than the one that opened it)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite_utils.Database(sqlite3.connect(path, check_same_thread=not any_thread))
        self.db.execute("PRAGMA busy_timeout = 10000")
        self.db.enable_wal()
        # with WAL, NORMAL loses nothing a killed program committed (only an OS crash may lose
        # the last transactions, never corrupt the file) and saves an fsync per saved item
        self.db.execute("PRAGMA synchronous = NORMAL")
        # checkpoints (each with an fsync) every 40 MB of WAL rather than 4: a crawl writes
        # the same index and search pages again and again, and copies each once per checkpoint
        self.db.execute("PRAGMA wal_autocheckpoint = 10000")
        self.db.execute("PRAGMA foreign_keys = ON")
        self._provinces: dict[str | None, str | None] = {}  # site → province, for each save
        self.in_batch = False  # a BatchWriter (storage/batch.py) holds the transaction
        pending = migrations.pending(self.db)
        if pending and "articles" in self.db.table_names():  # not a new archive
            logger.warning("%s: bringing the archive up to date (%s); on a large archive this "
                           "takes a minute", path, ", ".join(m.name for m in pending))
        migrations.apply(self.db)

    def close(self) -> None:
        self.db.close()

    def _atomic(self) -> AbstractContextManager:
        """One write's own transaction; inside a writer's batch, a share of that one (no
        savepoint: each would make the search index write out, as a commit does)."""
        return nullcontext() if self.in_batch else self.db.atomic()

    # ------------------------------------------------------------------ sites and crawls
    def upsert_site(self, site: Site) -> None:
        self._provinces.pop(site.id, None)
        with self._atomic():
            self.db["sites"].upsert(
                {"id": site.id, "name": site.name, "url": site.url,
                 "province": site.province, "cms": site.cms},
                pk="id",
            )

    def start_crawl(self, site_id: str) -> int:
        with self._atomic():
            # a crawl still "running" was killed (SIGKILL, power loss): say so
            self.db.execute("update crawls set status = 'interrupted', finished = ? "
                            "where site_id = ? and status = 'running'", [now_iso(), site_id])
            table = self.db["crawls"].insert(
                {"site_id": site_id, "started": now_iso(), "pages": 0, "new": 0,
                 "updated": 0, "notices": 0, "errors": 0, "status": "running"}
            )
        return int(table.last_pk)

    def finish_crawl(self, crawl_id: int, *, pages: int, new: int, updated: int, errors: int,
                     status: str, notices: int = 0, home_status: int | None = None,
                     home_host: str | None = None) -> None:
        with self._atomic():
            self.db["crawls"].update(
                crawl_id,
                {"finished": now_iso(), "pages": pages, "new": new, "updated": updated,
                 "notices": notices, "errors": errors, "status": status,
                 "home_status": home_status, "home_host": home_host},
            )

    def record_error(self, crawl_id: int | None, error: CrawlError) -> None:
        with self._atomic():
            _insert(self.db, "errors", {"crawl_id": crawl_id, "site_id": error.site_id,
                                        "url": error.url, "reason": error.reason[:500],
                                        "status": error.status, "seen": now_iso()})

    # ------------------------------------------------------------------ raw pages
    def save_page(self, page: FetchedPage | PreparedPage, seen: str | None = None) -> bool:
        """Keep a fetched page (compressed, once per distinct body); True if it was new."""
        seen = seen or now_iso()
        prepared = page if isinstance(page, PreparedPage) else prepare_page(page)
        page, digest = prepared.page, prepared.digest
        with self._atomic():
            known = self.db.execute("select id from pages where url = ? and content_hash = ?",
                                    [page.url, digest]).fetchone()
            if known:
                self.db.execute("update pages set last_fetched = ? where id = ?",
                                [seen, known[0]])
                return False
            headers = {k: v for k, v in page.headers.items() if k.lower() in KEPT_HEADERS}
            _insert(self.db, "pages", {
                "url": page.url, "site_id": page.site_id, "kind": page.kind,
                "status": page.status, "headers": json.dumps(headers, ensure_ascii=False),
                "body": prepared.compressed, "content_hash": digest,
                "listing_date": page.listing_date, "fetched_at": seen, "last_fetched": seen,
            })
            return True

    def validators(self, url: str) -> dict[str, str]:
        """The ETag and Last-Modified the page last came with, as a recheck asks with them
        (If-None-Match, If-Modified-Since); empty when the site sent neither."""
        found = self.db.execute(f"select headers from pages where id = ({_LATEST_PAGE})",
                                [url]).fetchone()
        headers = json.loads(found[0]) if found and found[0] else {}
        return {key: headers[key] for key in ("etag", "last-modified") if headers.get(key)}

    def mark_not_modified(self, kind: str, url: str, seen: str | None = None) -> bool:
        """The site said the page has not changed: seen now, its latest body fetched now.
        False when the archive has no such article or notice."""
        seen = seen or now_iso()
        table = "articles" if kind == "article" else "notices"
        with self._atomic():
            found = self.db.execute(f"update {table} set last_seen = ? where url = ?",
                                    [seen, url]).rowcount
            self.db.execute(f"update pages set last_fetched = ? where id = ({_LATEST_PAGE})",
                            [seen, url])
        return found > 0

    def latest_pages(self, site_id: str | None = None) -> list[FetchedPage]:
        """The most recent body of every stored article and notice page."""
        sql = """
            select p.* from pages p
            where p.kind in ('article', 'notice') and (:site is null or p.site_id = :site)
              and p.id = (select id from pages q where q.url = p.url
                          order by q.last_fetched desc, q.id desc limit 1)
            order by p.id
        """
        return [
            FetchedPage(url=r["url"], site_id=r["site_id"], kind=r["kind"], status=r["status"],
                        headers=json.loads(r["headers"]), body=zlib.decompress(r["body"]),
                        listing_date=r["listing_date"])
            for r in self.db.query(sql, {"site": site_id})
        ]

    # ------------------------------------------------------------------ articles
    def _province(self, site_id: str | None) -> str | None:
        if site_id not in self._provinces:
            found = self.db.execute("select province from sites where id = ?",
                                    [site_id]).fetchone()
            self._provinces[site_id] = found[0] if found else None
        return self._provinces[site_id]

    def save_article(self, article: Article | PreparedArticle, seen: str | None = None
                     ) -> tuple[SaveResult, int]:
        """Insert a new article, or update a known one keeping its previous version."""
        seen = seen or now_iso()
        prepared = article if isinstance(article, PreparedArticle) else prepare_article(article)
        article = prepared.article
        row = {**prepared.row, "province": self._province(article.site_id)}
        with self._atomic():
            known = next(_dicts(self.db.execute("select * from articles where url = ?",
                                                [article.url])), None)
            if known is not None and known["content_hash"] == prepared.digest:
                _update(self.db, "articles", known["id"], {"last_seen": seen})
                return "unchanged", known["id"]
            row["duplicate_of"] = self._original_of(row, known)
            row["moment"] = _moment(row["published"], known["first_seen"] if known else seen)
            if known is None:
                row_id = _insert(self.db, "articles", {
                    **row, "first_seen": seen, "last_seen": seen,
                    "content_hash": prepared.digest})
                result = "new"
            else:
                self._keep_revision("article", known, CONTENT_FIELDS)
                _update(self.db, "articles", known["id"], {**row, "last_seen": seen,
                                                           "content_hash": prepared.digest})
                row_id, result = known["id"], "updated"
            write_search(self.db, "articles", row_id, prepared.search)
            write_citations(self.db, "article", row_id, article.site_id, row["province"],
                            prepared.citations, seen)
        return result, row_id

    def _original_of(self, row: dict, known: dict | None) -> int | None:
        """The first archived copy of the same story on another page, if this is a copy."""
        if len(row["text"] or "") < MIN_SYNDICATED_TEXT:
            return None
        own_id = known["id"] if known else None
        first = self.db.execute(
            "select id from articles where fingerprint = ? and url != ? and duplicate_of is null"
            " order by id limit 1", [row["fingerprint"], row["url"]]).fetchone()
        if first is None or (own_id is not None and first[0] > own_id):
            return None
        return first[0]

    def _keep_revision(self, source: str, known: dict, fields: tuple[str, ...]) -> None:
        _insert(self.db, "revisions", {
            "source": source, "source_id": known["id"], "content_hash": known["content_hash"],
            "first_seen": known["first_seen"], "last_seen": known["last_seen"],
            "record": json.dumps({k: known.get(k) for k in fields}, ensure_ascii=False),
        })

    def known_pages(self, site_id: str) -> dict[str, tuple[datetime, datetime]]:
        """Archived article and notice pages of a site: url → (published or first seen, last
        seen), what a crawl needs to decide which pages to fetch again."""
        sql = """
            select url, coalesce(published, first_seen) as born, last_seen from articles
            where site_id = :site
            union all
            select url, coalesce(date, first_seen), last_seen from notices
            where site_id = :site and url is not null and text is not null
        """
        known = {}
        for row in self.db.query(sql, {"site": site_id}):
            born = datetime.fromisoformat(row["born"])
            known[row["url"]] = (born if born.tzinfo else born.replace(tzinfo=VN),
                                 datetime.fromisoformat(row["last_seen"]))
        return known

    def known_media(self, url: str) -> list[dict]:
        """Sizes and types of an archived article's pictures, as the crawl's HEADs found them."""
        row = self.db.execute("select images from articles where url = ?", [url]).fetchone()
        images = json.loads(row[0]) if row and row[0] else []
        return [{"url": i["src"], "size": i.get("size"), "type": i.get("type")}
                for i in images if i.get("size") is not None]

    def undescribed_pictures(self, site_id: str, newest: int) -> list[tuple[str, str]]:
        """(article URL, lead picture) of the site's newest articles whose pictures no HEAD
        has described yet."""
        rows = self.db.execute("select url, images from articles where site_id = ? "
                               "order by moment desc limit ?", [site_id, newest])
        wanted = []
        for url, images in rows:
            pictures = json.loads(images or "[]")
            if pictures and all(p.get("size") is None for p in pictures):
                wanted.append((url, pictures[0]["src"]))
        return wanted

    def describe_picture(self, url: str, src: str, size: int | None, kind: str | None) -> bool:
        """Record a picture's size and type in its article, as if the article had been
        normalized with them (its content hash with them), so that fetching the unchanged page
        again, which reads them back (known_media), is no new version. False when the archive
        has no such article or picture."""
        with self._atomic():
            known = next(_dicts(self.db.execute(
                f"select id, {', '.join(CONTENT_FIELDS)} from articles where url = ?", [url])),
                None)
            images = json.loads(known["images"] or "[]") if known else []
            if not any(image["src"] == src for image in images):
                return False
            images = [{**image, "size": size, "type": kind} if image["src"] == src else image
                      for image in images]
            self.db.execute("update articles set images = ?, content_hash = ? where id = ?",
                            [json.dumps(images, ensure_ascii=False),
                             content_hash({**known, "images": images}), known["id"]])
        return True

    # ------------------------------------------------------------------ notices
    def save_notice(self, notice: Notice, seen: str | None = None) -> tuple[SaveResult, int]:
        """Insert or merge a notice: a block's line and the notice's page make one row."""
        seen = seen or now_iso()
        with self._atomic():
            known = self._find_notice(notice)
            merged = _merge_notice(known, notice)
            digest = content_hash(merged, NOTICE_CONTENT)
            row = {**merged, "notice_key": notice_key(notice), "content_hash": digest,
                   "last_seen": seen, "province": self._province(notice.site_id),
                   "moment": _moment(merged["date"], known["first_seen"] if known else seen)}
            if known is not None and known["content_hash"] == digest:
                _update(self.db, "notices", known["id"], {"last_seen": seen})
                return "unchanged", known["id"]
            if known is None:
                row_id, result = _insert(self.db, "notices", {**row, "first_seen": seen}), "new"
            else:
                if known["text"] and merged["text"] != known["text"]:
                    self._keep_revision("notice", known, NOTICE_CONTENT)
                _update(self.db, "notices", known["id"], row)
                row_id, result = known["id"], "updated"
            index_search(self.db, "notices", row_id, merged["doc_number"], merged["title"],
                         merged["text"])
            write_citations(self.db, "notice", row_id, notice.site_id, row["province"],
                            find_citations(merged["text"] or merged["title"], notice), seen)
        return result, row_id

    def _find_notice(self, notice: Notice) -> dict | None:
        found = next(_dicts(self.db.execute("select * from notices where notice_key = ?",
                                            [notice_key(notice)])), None)
        if found is None and notice.url:
            found = next(_dicts(self.db.execute("select * from notices where site_id = ? and url = ?",
                                                [notice.site_id, notice.url])), None)
        return found

    # ------------------------------------------------------------------ reading
    def newest_articles(self, limit: int = 100, **where: Any) -> list[dict]:
        """Articles newest first (by published, else first seen), syndicated copies left out
        unless a selection names one site. `where`: site_id, province, query (FTS)."""
        return self.rows("articles", [k["id"] for k in self.newest_keys("articles", limit,
                                                                        **where)])

    def newest_notices(self, limit: int = 100, **where: Any) -> list[dict]:
        """Notices newest first (by their date, else first seen).
        `where`: site_id, province, doc_type, query (FTS)."""
        return self.rows("notices", [k["id"] for k in self.newest_keys("notices", limit,
                                                                       **where)])

    def newest_keys(self, table: Literal["articles", "notices"], limit: int,
                    since: str | None = None, **where: Any) -> list[dict]:
        """The selection's newest rows as feeds order them: id, moment, url (and a notice's
        key), newest first, read from the indexes alone (m008) where the selection allows.
        since: only rows of that day (YYYY-MM-DD) or later.

        Reading each row for its dates was most of a feed build's time whenever the archive
        was not in memory: one random read per row, 20,000 rows for 100 feeds."""
        alias = "a" if table == "articles" else "n"
        clauses, params = _selection(alias, table, where)
        if table == "articles" and not where.get("site_id"):
            # unary +: not through the duplicate_of index, which nearly every row shares, so
            # the newest-first index gives the order and stops at the limit
            clauses.append("+a.duplicate_of is null")
        if since:
            clauses.append(f"{alias}.moment >= :since")
            params["since"] = since
        extra = ", n.notice_key" if table == "notices" else ""
        sql = f"""
            select {alias}.id, {alias}.moment, {alias}.url{extra}
            from {table} {alias} where {" and ".join(clauses) or "1"}
            order by {alias}.moment desc, {alias}.url desc limit :limit
        """
        return list(_dicts(self.db.conn.execute(sql, {**params, "limit": limit})))

    def rows(self, table: Literal["articles", "notices"], ids: list[int],
             columns: tuple[str, ...] = ()) -> list[dict]:
        """Rows (whole, or the columns named) with their site's name, address and province, in
        the order of ids. An article's "text" is read only where it has no summary (all a feed
        shows of it)."""
        wanted = ", ".join(
            "case when coalesce(t.summary, '') = '' then t.text end as text"
            if table == "articles" and name == "text" else f"t.[{name}]"
            for name in ("id", *columns)) if columns else "t.*"
        found = {}
        for chunk in range(0, len(ids), 500):
            part = ids[chunk:chunk + 500]
            cursor = self.db.conn.execute(f"""
                select {wanted}, s.name as site_name, s.url as site_url,
                  s.province as site_province
                from {table} t join sites s on s.id = t.site_id
                where t.id in ({", ".join("?" * len(part))})""", part)
            found.update((record["id"], record) for record in _dicts(cursor))
        return [found[i] for i in ids if i in found]

    def sites(self) -> list[dict]:
        return [dict(r) for r in self.db.query("select * from sites order by id")]

    def meetings(self) -> list[dict]:
        """Notices that announce a meeting, soonest last: what the calendar shows of them, read
        from their index alone (m009)."""
        columns = ", ".join(f"n.{name}" for name in MEETING_COLUMNS)
        sql = f"""
            select {columns}, s.name as site_name from notices n join sites s on s.id = n.site_id
            where n.meeting_time is not null order by n.meeting_time, n.id
        """
        return list(_dicts(self.db.conn.execute(sql)))

    def site_summary(self) -> list[dict]:
        """Per site: articles and notices archived and the figures of its latest crawl."""
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
