"""The archive's schema, as migrations applied once each, in order (sqlite-utils Migrations).

An archive written by an earlier version opens with its data intact: only the migrations it has
not seen run. Never edit a migration that has shipped; add the next one.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from contextlib import closing

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from scraper.normalize.text import fold, tone_keys

migrations = Migrations("partysites-archive")

SEARCH_TOKENIZER = "unicode61 remove_diacritics 0"
# what the meetings calendar reads of a notice (Archive.meetings), all in m009's index
MEETING_COLUMNS = ("meeting_time", "id", "notice_key", "doc_number", "title", "first_seen",
                   "url", "meeting_place", "site_id")
_NOT_ALNUM = re.compile(r"[\W_]+")  # \w is str.isalnum() plus "_"


@migrations()
def m001_initial(db: Database) -> None:
    """Sites, articles, notices, crawls and the citation index (the first release)."""
    if "sites" not in db.table_names():
        db["sites"].create({"id": str, "name": str, "url": str, "province": str, "cms": str},
                           pk="id")
    if "articles" not in db.table_names():
        db["articles"].create(
            {"id": int, "url": str, "site_id": str, "cms": str, "kind": str, "title": str,
             "summary": str, "author": str, "published": str, "text": str, "html": str,
             "images": str, "documents": str, "first_seen": str, "last_seen": str,
             "content_hash": str, "fingerprint": str, "guard_hits": int},
            pk="id", foreign_keys=[("site_id", "sites", "id")],
            not_null={"url", "site_id", "title"},
        )
        db["articles"].create_index(["url"], unique=True)
        db["articles"].create_index(["published"])
        db["articles"].create_index(["fingerprint"])
        db["articles"].create_index(["site_id", "published"])
        db["articles"].enable_fts(["title", "summary", "text"],
                                  tokenize="unicode61 remove_diacritics 2", create_triggers=True)
    if "notices" not in db.table_names():
        db["notices"].create(
            {"id": int, "notice_key": str, "site_id": str, "doc_number": str, "doc_type": str,
             "doc_type_name": str, "issuer": str, "title": str, "date": str, "url": str,
             "attachment_url": str, "attachments": str, "text": str, "html": str,
             "meeting_time": str, "meeting_place": str, "first_seen": str, "last_seen": str,
             "content_hash": str},
            pk="id", foreign_keys=[("site_id", "sites", "id")],
            not_null={"notice_key", "site_id"},
        )
        db["notices"].create_index(["notice_key"], unique=True)
        db["notices"].create_index(["site_id", "date"])
        db["notices"].create_index(["doc_type", "date"])
        db["notices"].enable_fts(["title", "text"], tokenize="unicode61 remove_diacritics 2",
                                 create_triggers=True)
    if "documents" not in db.table_names():
        db["documents"].create(
            {"id": int, "document_key": str, "scope": str, "symbol": str, "number": str,
             "doc_type": str, "doc_type_name": str, "issuer": str, "issued": str,
             "first_seen": str},
            pk="id",
        )
        db["documents"].create_index(["document_key"], unique=True)
        db["documents"].create_index(["symbol"])
        db["documents"].create_index(["issuer", "issued"])
    if "document_mentions" not in db.table_names():
        db["document_mentions"].create(
            {"id": int, "document_id": int, "source": str, "source_id": int, "site_id": str,
             "sentence": str, "first_seen": str},
            pk="id", foreign_keys=[("document_id", "documents", "id")],
        )
        db["document_mentions"].create_index(["document_id", "source", "source_id"], unique=True)
        db["document_mentions"].create_index(["source", "source_id"])
    if "crawls" not in db.table_names():
        db["crawls"].create(
            {"id": int, "site_id": str, "started": str, "finished": str, "pages": int,
             "new": int, "updated": int, "notices": int, "errors": int, "status": str},
            pk="id", foreign_keys=[("site_id", "sites", "id")],
        )
        db["crawls"].create_index(["site_id", "started"])


@migrations()
def m002_pages_revisions_search(db: Database) -> None:
    """Raw pages, earlier versions, syndicated copies, and search that folds Vietnamese."""
    db["pages"].create(
        {"id": int, "url": str, "site_id": str, "kind": str, "status": int, "headers": str,
         "body": bytes, "content_hash": str, "listing_date": str, "fetched_at": str,
         "last_fetched": str},
        pk="id", foreign_keys=[("site_id", "sites", "id")], not_null={"url", "body"},
    )
    db["pages"].create_index(["url", "content_hash"], unique=True)
    db["pages"].create_index(["site_id", "kind"])
    db["revisions"].create(
        {"id": int, "source": str, "source_id": int, "content_hash": str, "first_seen": str,
         "last_seen": str, "record": str},
        pk="id",
    )
    db["revisions"].create_index(["source", "source_id"])
    db["articles"].add_column("duplicate_of", int, fk="articles", fk_col="id")
    db["articles"].create_index(["duplicate_of"])
    for table in ("articles", "notices"):
        db[table].disable_fts()
        db.execute(f"create virtual table {table}_search using fts5("
                   f"old, new, folded, tokenize = '{SEARCH_TOKENIZER}')")
    for row in db.query("select id, title, summary, text from articles"):
        index_search(db, "articles", row["id"], row["title"], row["summary"], row["text"])
        db["articles"].update(row["id"], {
            "fingerprint": text_fingerprint(f"{row['summary'] or ''}\n{row['text'] or ''}")})
    for row in db.query("select id, doc_number, title, text from notices"):
        index_search(db, "notices", row["id"], row["doc_number"], row["title"], row["text"])


def search_query_error(query: str) -> str | None:
    """What SQLite says of a full-text query against the search tables, None if it runs (an
    operator's feed query is checked when its file is read, not when every feed is written)."""
    with closing(sqlite3.connect(":memory:")) as db:
        db.execute(f"create virtual table s using fts5(old, new, folded, "
                   f"tokenize = '{SEARCH_TOKENIZER}')")
        try:
            db.execute("select rowid from s where s match ?", [query]).fetchall()
        except sqlite3.Error as error:
            return str(error)
    return None


def search_columns(*parts: str | None, folded: str | None = None) -> dict[str, str]:
    """The text three ways: both tone placements as published letters, and folded to ASCII.

    A query in either placement ("đảng ủy", "đảng uỷ") meets one of the first two exactly, so
    "đang" finds "đang" and not "Đảng"; a query without diacritics ("dang uy") meets the third.
    folded: the parts already folded, when the caller has them (prepare_article).
    """
    text = "\n".join(p for p in parts if p)
    old, new = tone_keys(text)
    return {"old": old, "new": new, "folded": fold(text) if folded is None else folded}


def index_search(db: Database, table: str, rowid: int, *parts: str | None) -> None:
    """(Re)index one row of articles or notices (call inside the row's transaction)."""
    write_search(db, table, rowid, search_columns(*parts))


def write_search(db: Database, table: str, rowid: int, columns: dict[str, str]) -> None:
    """Store search_columns computed beforehand (a crawl computes them in a worker)."""
    db.execute(f"delete from {table}_search where rowid = ?", [rowid])
    db.execute(f"insert into {table}_search (rowid, old, new, folded) values (?, ?, ?, ?)",
               [rowid, columns["old"], columns["new"], columns["folded"]])


def text_fingerprint(text: str) -> str:
    """The same story syndicated elsewhere: its body with case, tones and spacing folded."""
    return folded_fingerprint(fold(text))


def folded_fingerprint(folded: str) -> str:
    """text_fingerprint of a text already folded."""
    return hashlib.sha256(_NOT_ALNUM.sub("", folded).encode("utf-8")).hexdigest()


@migrations()
def m003_facets(db: Database) -> None:
    """Province and year beside each article and notice, for Datasette's facets."""
    for table, dated in (("articles", "published"), ("notices", "date")):
        db[table].add_column("province", str)
        db.execute(f"alter table {table} add column year text "
                   f"generated always as (substr({dated}, 1, 4)) virtual")
        db.execute(f"update {table} set province = "
                   f"(select province from sites where sites.id = {table}.site_id)")
        db[table].create_index(["province"])


@migrations()
def m004_health(db: Database) -> None:
    """What each crawl saw of the site's home page, and the health figures per site."""
    db["crawls"].add_column("home_status", int)
    db["crawls"].add_column("home_host", str)
    db["site_health"].create(
        {"site_id": str, "checked": str, "healthy": int, "gone": int, "reasons": str,
         "last_success": str, "newest_item": str, "newest_age_days": float,
         "items_per_day_7d": float, "items_per_day_28d": float, "history_days": float,
         "undated_share": float, "guard_share": float, "recent_items": int},
        pk="site_id", foreign_keys=[("site_id", "sites", "id")],
    )


@migrations()
def m005_errors(db: Database) -> None:
    """One row per failed URL of a crawl: what failed and why."""
    db["errors"].create(
        {"id": int, "crawl_id": int, "site_id": str, "url": str, "reason": str, "status": int,
         "seen": str},
        pk="id", foreign_keys=[("site_id", "sites", "id")],
    )
    db["errors"].create_index(["site_id", "seen"])


@migrations()
def m006_newest_first(db: Database) -> None:
    """Indexes in the order feeds read: newest first, merged, per site and per province.

    Without them every feed sorted the whole table (100 feeds at 100,000 articles)."""
    for table, dated in (("articles", "published"), ("notices", "date")):
        moment = f"coalesce({dated}, first_seen)"
        db.execute(f"create index if not exists {table}_newest on {table} ({moment})")
        for column in ("site_id", "province"):
            db.execute(f"create index if not exists {table}_{column}_newest "
                       f"on {table} ({column}, {moment})")


@migrations()
def m007_health_covering(db: Database) -> None:
    """What `scraper status` reads of every article and notice, in indexes of their own.

    The health query read each whole row to reach first_seen, which sits after the text: up to
    17 s for `scraper status` at 100,000 articles when the file was not in memory."""
    db.execute("create index if not exists articles_site_seen "
               "on articles (site_id, first_seen, published, guard_hits)")
    db.execute("create index if not exists notices_site_seen "
               "on notices (site_id, first_seen, date)")


@migrations()
def m008_feed_order(db: Database) -> None:
    """The moment feeds order by (published or date, else first seen) as a column, and indexes
    that hold all a feed reads to choose its items, replacing m006's.

    m006 indexed the expression, and SQLite (3.40) still reads each row to return it: a
    random read per row, most of a feed build when the archive was not in memory."""
    # what else the selection reads: whether an article is a syndicated copy (merged and
    # province feeds leave copies out), a notice's key (its guid when it has no page)
    for table, dated, extra in (("articles", "published", ", duplicate_of"),
                                ("notices", "date", ", notice_key")):
        db[table].add_column("moment", str)
        db.execute(f"update {table} set moment = coalesce({dated}, first_seen)")
        db.execute(f"drop index if exists {table}_newest")
        db.execute(f"create index {table}_moment on {table} (moment, url{extra})")
        for column in ("site_id", "province"):
            db.execute(f"drop index if exists {table}_{column}_newest")
            db.execute(f"create index {table}_{column}_moment "
                       f"on {table} ({column}, moment, url{extra})")


@migrations()
def m009_meetings(db: Database) -> None:
    """The meetings calendar's columns in an index of the notices that announce one.

    Finding them read every notice whole: meeting_time sits after the text and the html."""
    db.execute(f"create index notices_meetings on notices ({', '.join(MEETING_COLUMNS)}) "
               "where meeting_time is not null")


@migrations()
def m010_feeds_by_type(db: Database) -> None:
    """Feeds of a document type (feeds.toml's doc_types) chosen from an index alone, as m008's
    per site and province: through (doc_type, date) each notice of the type was read whole."""
    db.execute("create index notices_doc_type_moment on notices "
               "(doc_type, moment, url, notice_key)")


@migrations()
def m011_known_pages(db: Database) -> None:
    """What a crawl reads of each known page before it starts (Archive.known_pages), in indexes
    of their own: it read every article and notice of the site whole to reach last_seen, 0.8 s
    for a site of 1,700 articles when the archive was not in memory."""
    db.execute("create index articles_known on articles "
               "(site_id, url, published, first_seen, last_seen)")
    db.execute("create index notices_known on notices (site_id, url, date, first_seen, last_seen) "
               "where url is not null and text is not null")
