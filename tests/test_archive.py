import json
import sqlite3
from dataclasses import replace

import pytest
import sqlite_utils

from scraper.items import Article, FetchedPage, Notice
from scraper.registry import Site
from storage.archive import Archive
from storage.schema import migrations

BODY = ("Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh tổ chức hội nghị quán triệt Chỉ thị "
        "số 05-CT/TW của Bộ Chính trị. ") * 5


def article(**changes) -> Article:
    base = dict(url="https://a.vn/news/x-1.html", cms="nukeviet", kind="article", title="Tin",
                summary=None, author=None, published="2024-01-19T05:58:00+07:00",
                text="Đảng ủy Khối họp.", html="<p>Đảng ủy Khối họp.</p>", images=[],
                documents=[], notices=[], site_id="a")
    base.update(changes)
    return Article(**base)


@pytest.fixture
def archive(tmp_path):
    archive = Archive(tmp_path / "a.db")
    archive.upsert_site(Site(id="a", name="A", url="https://a.vn/", province="Sơn La"))
    archive.upsert_site(Site(id="b", name="B", url="https://b.vn/", province="Bắc Ninh"))
    yield archive
    archive.close()


def test_save_new_unchanged_updated_keeps_the_previous_version(archive):
    assert archive.save_article(article(), seen="2024-01-19T06:00:00+07:00") == ("new", 1)
    assert archive.save_article(article(), seen="2024-01-20T06:00:00+07:00") == ("unchanged", 1)
    assert archive.db["revisions"].count == 0
    assert archive.save_article(article(text="Đã sửa."), seen="2024-01-21T06:00:00+07:00") == (
        "updated", 1)
    rows = archive.newest_articles()
    assert len(rows) == 1
    row = rows[0]
    assert row["first_seen"] == "2024-01-19T06:00:00+07:00"
    assert row["last_seen"] == "2024-01-21T06:00:00+07:00"
    assert row["text"] == "Đã sửa." and row["site_name"] == "A" and row["province"] == "Sơn La"
    [revision] = archive.db["revisions"].rows
    assert revision["source"] == "article" and revision["source_id"] == 1
    assert json.loads(revision["record"])["text"] == "Đảng ủy Khối họp."
    assert revision["last_seen"] == "2024-01-20T06:00:00+07:00"
    assert revision["content_hash"] != row["content_hash"]


SEARCH = "select count(*) from articles_search where articles_search match ?"


@pytest.mark.parametrize("query", ["Đảng ủy Khối", "đảng uỷ khối", "dang uy khoi",
                                   '"Đảng ủy Khối"', '"đảng uỷ khối"', '"dang uy khoi"'])
def test_search_finds_both_tone_placements_and_no_diacritics(archive, query):
    archive.save_article(article(text="Hội nghị của Đảng ủy Khối các cơ quan."))
    archive.save_article(article(url="https://a.vn/2.html", text="Đảng uỷ Khối họp phiên."))
    assert archive.db.execute(SEARCH, [query]).fetchone()[0] == 2


def test_exact_diacritics_stay_precise(archive):
    archive.save_article(article(text="Đảng ủy Khối họp."))
    archive.save_article(article(url="https://a.vn/2.html", text="Hội nghị đang diễn ra."))
    assert archive.db.execute(SEARCH, ["đang"]).fetchone()[0] == 1
    assert archive.db.execute(SEARCH, ["Đảng"]).fetchone()[0] == 1
    assert archive.db.execute(SEARCH, ["dang"]).fetchone()[0] == 2  # no diacritics: both


def test_search_follows_updates(archive):
    archive.save_article(article())
    archive.save_article(article(text="Nội dung khác."))
    assert archive.db.execute(SEARCH, ["khoi"]).fetchone()[0] == 0
    assert archive.db.execute(SEARCH, ["khác"]).fetchone()[0] == 1


def test_syndicated_copy_points_to_the_first(archive):
    assert archive.save_article(article(url="https://a.vn/1.html", text=BODY))[0] == "new"
    archive.save_article(article(url="https://b.vn/9.html", site_id="b",
                                 text=BODY.replace("ủy", "uỷ").replace(". ", ".\n\n")))
    archive.save_article(article(url="https://a.vn/3.html", text="Bài khác hẳn. " * 40))
    rows = {r["url"]: r for r in archive.db["articles"].rows}
    assert rows["https://b.vn/9.html"]["duplicate_of"] == rows["https://a.vn/1.html"]["id"]
    assert rows["https://a.vn/1.html"]["duplicate_of"] is None
    assert rows["https://a.vn/3.html"]["duplicate_of"] is None
    assert {r["url"] for r in archive.newest_articles()} == {"https://a.vn/1.html",
                                                            "https://a.vn/3.html"}


def test_pages_are_kept_compressed_once_per_body(archive):
    page = FetchedPage("https://a.vn/1.html", "a", "article", 200,
                       {"content-type": "text/html; charset=utf-8", "set-cookie": "x"},
                       ("<p>" + "Đảng ủy " * 500 + "</p>").encode(), "2024-01-19")
    assert archive.save_page(page) is True
    assert archive.save_page(page) is False
    row = next(iter(archive.db["pages"].rows))
    assert len(row["body"]) < len(page.body) / 5
    assert json.loads(row["headers"]) == {"content-type": "text/html; charset=utf-8"}
    [again] = archive.latest_pages("a")
    assert again.body == page.body and again.listing_date == "2024-01-19"


def test_notice_edits_are_kept_and_block_lines_merge(archive):
    notice = Notice(site_id="a", title="Hội nghị", doc_number="134-GM/ĐUK", doc_type="GM",
                    doc_type_name="Giấy mời", issuer="ĐUK", date="2024-03-22",
                    url="https://a.vn/tb/1.html", text="Kính mời dự hội nghị lúc 14 giờ.")
    assert archive.save_notice(notice)[0] == "new"
    line = Notice(site_id="a", title="Hội nghị", doc_number="134-GM/ĐUK", date="2024-03-22",
                  url="https://a.vn/tb/1.html")
    assert archive.save_notice(line)[0] == "unchanged"
    edited = replace(notice, text="Kính mời dự hội nghị lúc 15 giờ.")
    assert archive.save_notice(edited)[0] == "updated"
    assert archive.db["notices"].count == 1
    assert archive.db["revisions"].count == 1


def test_citations_are_keyed_by_scope(archive):
    archive.save_article(article(url="https://a.vn/1.html",
                                 text="Nghị quyết số 10-NQ/TU ngày 20/8/2013 và Chỉ thị 05-CT/TW."))
    archive.save_article(article(url="https://b.vn/1.html", site_id="b",
                                 text="Nghị quyết số 10-NQ/TU ngày 18/3/2022 và Chỉ thị 05-CT/TW."))
    docs = {(r["scope"], r["symbol"], r["issued"]) for r in archive.db["documents"].rows}
    assert docs == {("Sơn La", "10-NQ/TU", "2013-08-20"), ("Bắc Ninh", "10-NQ/TU", "2022-03-18"),
                    ("Trung ương", "05-CT/TW", None)}
    assert archive.db["document_mentions"].count == 4


def test_crawl_rows(archive):
    crawl = archive.start_crawl("a")
    archive.finish_crawl(crawl, pages=3, new=1, updated=0, errors=0, status="ok")
    summary = archive.site_summary()
    assert summary[0] == {"id": "a", "name": "A", "articles": 0, "notices_archived": 0,
                          "pages": 3, "new": 1, "updated": 0, "notices": 0, "errors": 0,
                          "status": "ok"}


def test_an_archive_of_the_previous_schema_opens_with_its_data(tmp_path, caplog):
    path = tmp_path / "old.db"
    old = sqlite_utils.Database(path)
    migrations.apply(old, stop_before="m002_pages_revisions_search")
    old["sites"].insert({"id": "a", "name": "A", "url": "https://a.vn/", "province": "Sơn La"})
    old["articles"].insert({"id": 7, "url": "https://a.vn/1.html", "site_id": "a",
                            "title": "Tin cũ", "text": "Đảng ủy Khối họp.",
                            "first_seen": "2024-01-01T00:00:00+07:00", "content_hash": "x"})
    assert "articles_fts" in old.table_names()
    old.close()
    archive = Archive(path)
    # the operator hears why opening it takes a while (a minute at 100,000 articles)
    assert "bringing the archive up to date (m002_pages_revisions_search, m003" in caplog.text
    assert archive.db["articles"].get(7)["title"] == "Tin cũ"
    assert archive.db["articles"].get(7)["province"] == "Sơn La"
    assert archive.db["articles"].get(7)["moment"] == "2024-01-01T00:00:00+07:00"
    assert archive.newest_keys("articles", 5, site_id="a")[0]["id"] == 7
    assert "duplicate_of" in archive.db["articles"].columns_dict
    assert {"pages", "revisions", "articles_search"} <= set(archive.db.table_names())
    assert "articles_fts" not in archive.db.table_names()
    assert archive.db.execute(SEARCH, ["dang uy khoi"]).fetchone()[0] == 1
    assert archive.db.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert archive.db.execute("pragma foreign_key_check").fetchall() == []
    archive.close()
    con = sqlite3.connect(path)
    applied = [r[0] for r in con.execute("select name from _sqlite_migrations order by name")]
    con.close()
    assert applied[:2] == ["m001_initial", "m002_pages_revisions_search"]
    reopened = sqlite_utils.Database(path)
    assert migrations.pending(reopened) == []  # every later migration ran too
    reopened.close()


def test_newest_articles_order_limit_and_copies(archive):
    for n, published in enumerate(["2024-01-03T08:00:00+07:00", None, "2024-01-05T08:00:00+07:00",
                                   "2024-01-05T08:00:00+07:00"]):
        archive.save_article(article(url=f"https://a.vn/{n}.html", published=published,
                                     text=f"Tin số {n}."), seen="2024-01-04T08:00:00+07:00")
    for url in ("https://b.vn/1.html", "https://b.vn/2.html"):  # the second is a copy
        archive.save_article(article(url=url, site_id="b", text=BODY,
                                     published="2024-01-04T12:00:00+07:00"))
    newest = archive.newest_articles(4)
    assert [r["url"] for r in newest] == ["https://a.vn/3.html", "https://a.vn/2.html",
                                          "https://b.vn/1.html", "https://a.vn/1.html"]
    assert newest[0]["site_name"] == "A" and newest[0]["text"] == "Tin số 3."
    assert [r["url"] for r in archive.newest_articles(province="Bắc Ninh")] == [
        "https://b.vn/1.html"]
    assert {r["url"] for r in archive.newest_articles(site_id="b")} == {"https://b.vn/1.html",
                                                                       "https://b.vn/2.html"}


def test_the_merged_selection_reads_the_newest_first_index(archive):
    """Not the duplicate_of index, which nearly every article shares: through it, a feed sorted
    the whole table (seconds at 100,000 articles)."""
    archive.save_article(article())
    statements: list[str] = []
    archive.db.conn.set_trace_callback(statements.append)
    archive.newest_articles(10)
    archive.db.conn.set_trace_callback(None)
    [sql] = [s for s in statements if "order by a.moment desc" in s]
    plan = " ".join(r[3] for r in archive.db.execute(f"explain query plan {sql}"))
    assert "articles_moment" in plan and "duplicate_of" not in plan


@pytest.mark.parametrize(("table", "where"), [
    ("articles", {"site_id": "a"}), ("articles", {"province": "Sơn La"}),
    ("notices", {"site_id": "a"}), ("notices", {"province": "Sơn La"}), ("notices", {}),
    # feeds.toml's selections: a document type (m010), a full-text query (through the
    # newest-first index, keeping the rows that match)
    ("notices", {"doc_type": "GM"}), ("notices", {"query": "mời"}),
    ("articles", {"query": "họp"}), ("articles", {"site_id": "a", "query": "họp"}),
])
def test_a_feed_chooses_its_items_from_an_index_alone(archive, table, where):
    """Reading each row for its dates was one random read per row: most of a feed build when
    the archive was not in memory (bench/profiling.md)."""
    archive.save_article(article(published=None))
    archive.save_notice(Notice(site_id="a", doc_number="134-GM/ĐUK", doc_type="GM",
                               title="Giấy mời", date=None, url="https://a.vn/tb/1.html"))
    statements: list[str] = []
    archive.db.conn.set_trace_callback(statements.append)
    keys = archive.newest_keys(table, 10, **where)
    archive.db.conn.set_trace_callback(None)
    [sql] = [s for s in statements if "order by" in s]
    plan = " ".join(r[3] for r in archive.db.execute(f"explain query plan {sql}"))
    assert "COVERING INDEX" in plan and "TEMP B-TREE" not in plan, plan
    [key] = keys
    row = archive.db[table].get(key["id"])
    assert key["moment"] == row["first_seen"]  # no date: when it was first archived


def test_a_crawl_reads_what_it_knows_of_a_site_from_indexes(archive):
    """known_pages read every article of the site whole to reach last_seen (m011)."""
    archive.save_article(article())
    archive.save_notice(Notice(site_id="a", doc_number="134-GM/ĐUK", title="Giấy mời",
                               date="2024-03-20", url="https://a.vn/tb/1.html", text="Kính mời"))
    statements: list[str] = []
    archive.db.conn.set_trace_callback(statements.append)
    known = archive.known_pages("a")
    archive.db.conn.set_trace_callback(None)
    [sql] = [s for s in statements if "union all" in s]
    plan = " ".join(r[3] for r in archive.db.execute(f"explain query plan {sql}"))
    assert "COVERING INDEX articles_known" in plan and "INDEX notices_known" in plan, plan
    assert set(known) == {"https://a.vn/news/x-1.html", "https://a.vn/tb/1.html"}


def test_the_calendar_reads_the_meetings_index_alone(archive):
    """Finding the notices that announce a meeting read every notice whole (m009)."""
    archive.save_notice(Notice(site_id="a", doc_number="134-GM/ĐUK", title="Giấy mời họp",
                               date="2024-03-20", url="https://a.vn/tb/1.html",
                               meeting_time="2024-03-22T14:00:00+07:00",
                               meeting_place="Hội trường"))
    archive.save_notice(Notice(site_id="a", doc_number="135-TB/ĐUK", title="Thông báo",
                               date="2024-03-21"))
    statements: list[str] = []
    archive.db.conn.set_trace_callback(statements.append)
    [meeting] = archive.meetings()
    archive.db.conn.set_trace_callback(None)
    [sql] = [s for s in statements if "meeting_time is not null" in s]
    plan = " ".join(r[3] for r in archive.db.execute(f"explain query plan {sql}"))
    assert "COVERING INDEX notices_meetings" in plan and "TEMP B-TREE" not in plan, plan
    assert (meeting["doc_number"], meeting["meeting_place"]) == ("134-GM/ĐUK", "Hội trường")


def test_a_save_that_fails_midway_leaves_nothing_behind(archive, monkeypatch):
    """An article without its search row would count as unchanged and never be indexed."""
    import storage.archive

    def broken(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(storage.archive, "write_search", broken)
    with pytest.raises(sqlite3.OperationalError):
        archive.save_article(article(text=BODY))
    assert archive.db["articles"].count == 0
    monkeypatch.undo()
    assert archive.save_article(article(text=BODY))[0] == "new"
    assert archive.db.execute("select count(*) from articles_search where articles_search "
                              "match 'quán'").fetchone()[0] == 1


def test_a_feed_keeps_what_the_whole_selection_would_order_first(archive):
    """The indexes choose the items; ties on the day go the same way as the feed's order."""
    from feeds.publish import select_entries

    for number, url in [(1, "https://a.vn/tb/1.html"), (2, None), (3, "https://a.vn/tb/3.html"),
                        (4, "https://a.vn/tb/2.html")]:
        archive.save_notice(Notice(site_id="a", doc_number=f"{number}-GM/ĐUK", title="Giấy mời",
                                   date="2024-03-22", url=url))
    archive.save_article(article(published="2024-03-21T08:00:00+07:00"))
    every = select_entries(archive, "https://feeds.example/", 10, site_id="a")
    assert [e.link for e in every][:3] == ["https://a.vn/tb/3.html", "https://a.vn/tb/2.html",
                                           "https://a.vn/tb/1.html"]
    for limit in range(1, 6):
        kept = select_entries(archive, "https://feeds.example/", limit, site_id="a")
        assert [e.guid for e in kept] == [e.guid for e in every[:limit]]
