import sqlite3

from scraper.items import Article
from scraper.registry import Site
from storage.archive import Archive


def article(**changes) -> Article:
    base = dict(url="https://a.vn/news/x-1.html", cms="nukeviet", kind="article", title="Tin",
                summary=None, author=None, published="2024-01-19T05:58:00+07:00",
                text="Đảng ủy Khối họp.", html="<p>Đảng ủy Khối họp.</p>", images=[],
                documents=[], notices=[], site_id="a")
    base.update(changes)
    return Article(**base)


def test_save_new_unchanged_updated(tmp_path):
    archive = Archive(tmp_path / "a.db")
    archive.upsert_site(Site(id="a", name="A", url="https://a.vn/", province="Sơn La"))
    assert archive.save_article(article(), seen="2024-01-19T06:00:00+07:00") == ("new", 1)
    assert archive.save_article(article(), seen="2024-01-20T06:00:00+07:00") == ("unchanged", 1)
    assert archive.save_article(article(text="Đã sửa."), seen="2024-01-21T06:00:00+07:00") == (
        "updated", 1)
    rows = archive.newest_articles()
    assert len(rows) == 1
    row = rows[0]
    assert row["first_seen"] == "2024-01-19T06:00:00+07:00"
    assert row["last_seen"] == "2024-01-21T06:00:00+07:00"
    assert row["text"] == "Đã sửa." and row["site_name"] == "A" and row["province"] == "Sơn La"
    archive.close()


def test_fts_folds_diacritics_and_follows_updates(tmp_path):
    archive = Archive(tmp_path / "a.db")
    archive.upsert_site(Site(id="a", name="A", url="https://a.vn/"))
    archive.save_article(article())
    con = sqlite3.connect(tmp_path / "a.db")
    match = "select count(*) from articles_fts where articles_fts match ?"
    assert con.execute(match, ["khoi"]).fetchone()[0] == 1
    assert con.execute(match, ['"Đảng ủy Khối"']).fetchone()[0] == 1
    archive.save_article(article(text="Nội dung khác."))
    assert con.execute(match, ["khoi"]).fetchone()[0] == 0
    con.close()
    archive.close()


def test_crawl_rows(tmp_path):
    archive = Archive(tmp_path / "a.db")
    archive.upsert_site(Site(id="a", name="A", url="https://a.vn/"))
    crawl = archive.start_crawl("a")
    archive.finish_crawl(crawl, pages=3, new=1, updated=0, errors=0, status="ok")
    summary = archive.site_summary()
    assert summary == [{"id": "a", "name": "A", "articles": 0, "notices_archived": 0, "pages": 3,
                        "new": 1, "updated": 0, "notices": 0, "errors": 0, "status": "ok"}]
    archive.close()


def test_fingerprint_ignores_tone_placement(tmp_path):
    archive = Archive(tmp_path / "a.db")
    archive.upsert_site(Site(id="a", name="A", url="https://a.vn/"))
    archive.save_article(article(url="https://a.vn/1.html", text="Đảng ủy Khối họp."))
    archive.save_article(article(url="https://a.vn/2.html", text="Đảng uỷ Khối  họp."))
    archive.save_article(article(url="https://a.vn/3.html", text="Nội dung khác."))
    keys = [r["fingerprint"] for r in archive.db.query(
        "select fingerprint from articles order by url")]
    assert keys[0] == keys[1] != keys[2]
    archive.close()
