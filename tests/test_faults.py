"""A crawl through a site full of faults completes, archives every good page, records every
failure with its reason, and leaves what was archived before untouched."""

from __future__ import annotations

import shutil

import pytest
from conftest import LOCAL, rows, run_scraper
from faults import FaultServer

from scraper.registry import dump_registry
from scraper.samples import SAMPLE_SITES

SAMPLE = next(s for s in SAMPLE_SITES if s.cms == "nukeviet")
FAST = ["--set", "DOWNLOAD_TIMEOUT=2", "--set", "RETRY_TIMES=1", "--set",
        "RETRY_BACKOFF_BASE=0.1", "--set", "RETRY_BACKOFF_MAX=2", "--set", "LISTING_MAX_PAGES=4"]


@pytest.fixture(scope="module")
def faulty_crawl(tmp_path_factory):
    folder = tmp_path_factory.mktemp("faults")
    root = folder / "site"
    shutil.copytree(SAMPLE.root, root)
    with FaultServer(root) as server:
        site = SAMPLE.site(server.url)
        clean = folder / "clean.toml"
        clean.write_text(dump_registry([site]), encoding="utf-8")
        db = folder / "archive.db"
        run_scraper("crawl", "--sites", str(clean), "--db", str(db), *LOCAL)
        before = rows(db, "select url, content_hash, last_seen from articles order by url")
        faulty = folder / "faulty.toml"
        faulty_site = site.__class__(**{**site.__dict__} if hasattr(site, "__dict__") else {
            f: getattr(site, f) for f in site.__slots__})
        faulty.write_text(dump_registry([faulty_site]).replace(
            "start_urls = [", f'start_urls = ["{server.url}news/loi/", '), encoding="utf-8")
        proc = run_scraper("crawl", "--sites", str(faulty), "--db", str(db), *LOCAL, *FAST,
                           "--refresh", check=False)
        yield db, before, proc, server


def test_the_crawl_completes_and_archives_every_good_page(faulty_crawl):
    db, before, proc, server = faulty_crawl
    assert proc.returncode == 0, proc.stderr
    titles = {r["title"] for r in rows(db, "select title from articles")}
    assert {"Không khai báo bảng mã", "Bảng mã Windows-1258 của Đảng ủy Khối",
            "Trang bị cắt", "Ngày không có thật"} <= titles
    [impossible] = rows(db, "select published from articles where title = 'Ngày không có thật'")
    assert impossible["published"] is None
    [crawl] = rows(db, "select * from crawls order by id desc limit 1")
    assert crawl["status"] == "ok" and crawl["errors"] >= 7


def test_every_failure_is_recorded_with_its_reason(faulty_crawl):
    db, *_ = faulty_crawl
    errors = {r["url"].split("/", 3)[3].split("?")[0]: r for r in rows(db, "select * from errors")}
    for path in ("news/loi/cham-1.html", "news/loi/reset-2.html", "news/loi/loi-500-3.html",
                 "news/loi/ban-503-4.html", "news/loi/mat-404-5.html", "news/loi/xoa-410-6.html",
                 "news/loi/lon-11.html", "news/loi/rong-13.html", "news/loi/nhi-phan-10.html",
                 "news/loi/dang-nhap-12.html"):
        assert path in errors, (path, sorted(errors))
        assert errors[path]["reason"]
    assert errors["news/loi/mat-404-5.html"]["status"] == 404
    assert errors["news/loi/xoa-410-6.html"]["status"] == 410
    assert errors["news/loi/loi-500-3.html"]["status"] == 500
    refused = {r["url"].rsplit("/", 1)[1]: r["reason"] for r in rows(db, "select * from errors")
               if "private or local" in r["reason"]}
    assert "localhost" in refused["ngoai-8.html"] and "169.254.169.254" in refused["meta-9.html"]
    assert any("max" in r["reason"].lower() or "size" in r["reason"].lower() or
               "cancel" in r["reason"].lower() for r in rows(db, "select reason from errors "
                                                             "where url like '%lon-11%'"))


def test_nothing_archived_before_changes_and_nothing_is_doubled(faulty_crawl):
    db, before, *_ = faulty_crawl
    after = {r["url"]: r["content_hash"] for r in rows(db, "select url, content_hash from articles")}
    assert all(after[r["url"]] == r["content_hash"] for r in before)
    urls = [r["url"] for r in rows(db, "select url from articles")]
    assert len(urls) == len(set(urls)) and not [u for u in urls if "PHPSESSID" in u or "utm_" in u]
    assert rows(db, "pragma integrity_check") == [{"integrity_check": "ok"}]


def test_traps_are_bounded(faulty_crawl):
    *_, server = faulty_crawl
    pages = {p for _, p, _ in server.log if p.startswith("/news/loi/page-")}
    assert len(pages) <= 3  # LISTING_MAX_PAGES=4 counts the first page
    assert not [p for _, p, _ in server.log if p == "/bi-mat" or p.startswith("/news/loi/lich")]
