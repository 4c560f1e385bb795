"""`scraper serve` started for real: Datasette's JSON API over the crawled archive, feeds beside."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from urllib.parse import quote, urlencode

import pytest
from conftest import ROOT, run_scraper, wait_until_up


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def datasette(crawl_run, tmp_path_factory):
    feeds = tmp_path_factory.mktemp("served-feeds")
    run_scraper("feed", "--db", str(crawl_run.db), "--out", str(feeds))
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "scraper", "serve", "--db", str(crawl_run.db), "--feeds",
         str(feeds), "--port", str(port)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/-/versions.json", proc)
    except AssertionError:
        proc.kill()
        raise AssertionError(proc.stderr.read().decode()) from None
    yield base, feeds
    proc.terminate()
    proc.wait(timeout=20)


def get_json(url: str):
    with urllib.request.urlopen(url, timeout=20) as response:
        return json.loads(response.read())


def search(base: str, query: str, **extra: str) -> list[dict]:
    params = urlencode({"_search": query, "_shape": "array", "_size": "max", **extra})
    return get_json(f"{base}/archive/articles.json?{params}")


@pytest.mark.parametrize("query", ["Đảng ủy Khối", "đảng uỷ khối", "dang uy khoi"])
def test_search_box_finds_dang_uy_khoi_every_way(datasette, query):
    base, _ = datasette
    found = search(base, query)
    assert found
    assert all("Đảng ủy Khối" in r["title"] + r["text"] or "Đảng uỷ Khối" in r["text"]
               or "Đảng ủy khối" in r["text"] for r in found)
    assert len(found) == len(search(base, "Đảng ủy Khối"))


def test_exact_diacritics_and_phrases(datasette):
    base, _ = datasette
    currently = search(base, "đang")
    every_dang = search(base, "Đảng")
    assert 0 < len(currently) < len(every_dang)  # "đang" (currently) is not "Đảng"
    assert all(" đang " in f" {r['text'].lower()} " for r in currently)
    phrase = search(base, '"Đảng ủy Khối các cơ quan"', _searchmode="raw")
    assert phrase and all("đảng ủy khối các cơ quan" in (r["title"] + " " + r["text"]).lower()
                          .replace("uỷ", "ủy") for r in phrase)


def test_metadata_facets_and_canned_queries(datasette):
    base, _ = datasette
    meta = get_json(base + "/-/metadata.json")
    assert meta["title"] and meta["license"] and meta["source"]
    table = get_json(base + "/archive/articles.json?_size=1")
    assert {"site_id", "province", "year"} <= set(table["facet_results"])
    notices = get_json(base + "/archive/notices.json?_size=1")
    assert "doc_type" in notices["facet_results"]
    newest = get_json(base + "/archive/newest_by_province.json?_shape=array&province="
                      + quote("Sơn La"))
    assert newest and all(r["site_id"] == "sonla-dukcqdn" for r in newest)
    monthly = get_json(base + "/archive/notices_by_type_and_month.json?_shape=array")
    assert {"month": "2024-03", "doc_type": "GM", "doc_type_name": "Giấy mời",
            "notices": 6} in monthly
    citing = get_json(base + "/archive/articles_citing.json?_shape=array&symbol=05-CT%2FTW")
    assert citing and all("05" in r["sentence"] for r in citing)
    found = get_json(base + "/archive/search.json?_shape=array&q=" + quote("dang uy khoi"))
    assert found


def test_the_archive_is_read_only(datasette):
    base, _ = datasette
    sql = quote("delete from articles")
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(f"{base}/archive.json?sql={sql}", timeout=20)
    assert info.value.code in (400, 403)


def test_feeds_beside_with_conditional_get(datasette):
    base, feeds = datasette
    with urllib.request.urlopen(base + "/feeds/rss.xml", timeout=20) as response:
        assert response.status == 200
        body = response.read()
        etag, modified = response.headers["ETag"], response.headers["Last-Modified"]
    assert body == (feeds / "rss.xml").read_bytes()
    for header in ({"If-None-Match": etag}, {"If-Modified-Since": modified}):
        request = urllib.request.Request(base + "/feeds/rss.xml", headers=header)
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(request, timeout=20)
        assert info.value.code == 304
    stale = urllib.request.Request(base + "/feeds/rss.xml", headers={"If-None-Match": '"x"'})
    assert urllib.request.urlopen(stale, timeout=20).status == 200
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(base + "/feeds/../archive.db", timeout=20)
    assert info.value.code == 404


@pytest.mark.parametrize("query", ["Đảng ủy Khối", "dang uy khoi", '"đảng uỷ khối các cơ quan"'])
def test_the_canned_search_ranks_what_the_search_box_finds(datasette, query):
    """The canned query ranks the latest 1,000 matches: all of them in an archive this size."""
    base, _ = datasette
    ranked = get_json(f"{base}/archive/search.json?_shape=array&q={quote(query)}")
    assert ranked
    assert {r["url"] for r in ranked} == {r["url"] for r in search(base, query)}


def test_the_articles_table_lists_newest_archived_first(datasette):
    base, _ = datasette
    table = get_json(base + "/archive/articles.json?_shape=objects&_size=max")
    ids = [r["id"] for r in table["rows"]]
    assert ids == sorted(ids, reverse=True)
    found = get_json(base + "/archive/articles.json?_search=" + quote("Đảng ủy Khối"))
    assert {"site_id", "province", "year"} <= set(found["facet_results"])
