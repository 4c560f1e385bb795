import sqlite3

import pytest

from scraper.registry import Site
from storage import batch
from storage.archive import Archive
from tests.test_archive import BODY, article


@pytest.fixture
def db_path(tmp_path):
    path = tmp_path / "a.db"
    archive = Archive(path)
    archive.upsert_site(Site(id="a", name="A", url="https://a.vn/", province="Sơn La"))
    archive.close()
    return path


def committed_urls(path) -> set[str]:
    """What another connection (Datasette, the spider's reader) sees."""
    with sqlite3.connect(path) as reader:
        return {url for (url,) in reader.execute("select url from articles")}


def url(n: int) -> str:
    return f"https://a.vn/news/x-{n}.html"


def test_writes_are_committed_by_the_batch(db_path):
    writer = batch.shared_writer(db_path, items=3, seconds=3600)
    try:
        save = writer.archive.save_article
        assert writer.run(save, article(url=url(1)))[0] == "new"
        writer.run(save, article(url=url(2)))
        assert committed_urls(db_path) == set()
        writer.run(save, article(url=url(3)))  # the third fills the batch
        assert committed_urls(db_path) == {url(1), url(2), url(3)}
        writer.run(save, article(url=url(4)))
        writer.commit()  # what the archive_flush signal does
        assert url(4) in committed_urls(db_path)
    finally:
        batch.release(writer)


def test_a_batch_older_than_its_seconds_commits_with_the_next_write(db_path):
    writer = batch.shared_writer(db_path, items=100, seconds=0)
    try:
        writer.run(writer.archive.save_article, article(url=url(1)))
        assert committed_urls(db_path) == {url(1)}
    finally:
        batch.release(writer)


def test_a_failed_write_loses_only_itself(db_path, monkeypatch):
    """The batch is rolled back and the writes before the failed one are made again; the
    failed one leaves nothing half-written (its article without its search row)."""
    import storage.archive

    writer = batch.shared_writer(db_path, items=100, seconds=3600)
    try:
        save = writer.archive.save_article
        writer.run(save, article(url=url(1), text=BODY))
        writer.run(save, article(url=url(2), text=BODY))

        write_search = storage.archive.write_search

        def broken_for_one(db, table, rowid, columns):
            if "hỏng" in columns["old"]:
                raise sqlite3.OperationalError("disk I/O error")
            write_search(db, table, rowid, columns)

        monkeypatch.setattr(storage.archive, "write_search", broken_for_one)
        with pytest.raises(sqlite3.OperationalError):
            writer.run(save, article(url=url(3), text=BODY + " hỏng"))
        assert committed_urls(db_path) == {url(1), url(2)}
        writer.run(save, article(url=url(4), text=BODY))
    finally:
        batch.release(writer)
    assert committed_urls(db_path) == {url(1), url(2), url(4)}
    with sqlite3.connect(db_path) as reader:
        indexed = reader.execute("select count(*) from articles_search where articles_search "
                                 "match 'quán'").fetchone()[0]
    assert indexed == 3


def test_sites_crawled_in_one_process_share_one_writer(db_path):
    """Two connections on one thread, one waiting for the other's open batch, would wait
    until the busy timeout and fail."""
    first = batch.shared_writer(db_path, items=100, seconds=3600)
    second = batch.shared_writer(db_path, items=100, seconds=3600)
    assert first is second
    first.run(first.archive.save_article, article(url=url(1)))
    batch.release(first)  # commits; the other user keeps it open
    assert committed_urls(db_path) == {url(1)}
    second.run(second.archive.save_article, article(url=url(2)))
    batch.release(second)
    assert committed_urls(db_path) == {url(1), url(2)}
    with pytest.raises(sqlite3.ProgrammingError):  # closed by its last user
        second.archive.db.execute("select 1")
    again = batch.shared_writer(db_path)
    assert again is not first
    batch.release(again)
