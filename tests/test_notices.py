"""Notices of the sample sites, crawled for real, and the citation index built from them."""

from __future__ import annotations

import json

from conftest import Served
from test_crawl import rows


def notice_rows(db, site_id):
    return {r["doc_number"]: r for r in rows(db, "select * from notices where site_id = ?",
                                             [site_id])}


def test_every_notice_is_archived_once_with_its_parts(crawl_run, served: dict[str, Served]):
    for item in served.values():
        archived = notice_rows(crawl_run.db, item.sample.id)
        assert len(archived) == len(item.gold["notices"])
        for gold in item.gold["notices"]:
            row = archived[gold["doc_number"]]
            assert row["title"] == gold["title"]
            assert row["date"] == gold["date"]
            assert row["url"] == item.url(gold["url"])
            code = gold["doc_number"].split("-")[1].split("/")[0]
            assert row["doc_type"] == code and row["issuer"] == "ĐUK"
            assert row["doc_type_name"] == {"GM": "Giấy mời", "TB": "Thông báo"}[code]
            files = json.loads(row["attachments"])
            assert [f["url"] for f in files] == [item.url(u) for u in gold["attachments"]]
            assert row["attachment_url"] == files[0]["url"]
            assert all(f["type"] == "application/pdf" and f["size"] > 0 for f in files)
            assert row["meeting_time"] == gold.get("meeting_time")
            assert row["meeting_place"] == gold.get("meeting_place")
            assert row["text"] and gold["doc_number"] in row["text"]


def test_notices_are_searchable(crawl_run):
    hits = rows(crawl_run.db, "select n.doc_number from notices n join notices_search f "
                "on f.rowid = n.id where notices_search match ?", ["bồi dưỡng đảng viên"])
    assert {h["doc_number"] for h in hits} == {"189-TB/ĐUK"}


def test_which_articles_cite_a_document(crawl_run, served):
    found = rows(crawl_run.db, """
        select distinct a.url, m.sentence from documents d
        join document_mentions m on m.document_id = d.id and m.source = 'article'
        join articles a on a.id = m.source_id
        where d.symbol = ? order by a.url""", ["05-CT/TW"])
    expected = {r["url"] for r in rows(crawl_run.db, "select url from articles where "
                                       "documents like '%\"05-CT/TW\"%'")}
    assert {f["url"] for f in found} == expected and len(expected) >= 2
    assert all("05-CT/TW" in f["sentence"] or "05" in f["sentence"] for f in found)
    central = rows(crawl_run.db, "select distinct scope from documents where symbol = ?",
                   ["05-CT/TW"])
    assert central == [{"scope": "Trung ương"}]  # one document, whichever province cites it


def test_what_a_committee_issued_in_a_month(crawl_run):
    issued = rows(crawl_run.db, """
        select scope, symbol, issued from documents
        where issuer = 'ĐUK' and issued like '2024-03%' order by scope, symbol""")
    assert {(r["scope"], r["symbol"]) for r in issued} == {
        (province, symbol) for province in ("Bình Thuận", "Sơn La")
        for symbol in ("132-GM/ĐUK", "133-GM/ĐUK", "134-GM/ĐUK", "189-TB/ĐUK")
    }


def test_provincial_numbers_are_keyed_by_province_and_date(crawl_run):
    found = rows(crawl_run.db, "select scope, issued from documents where symbol = '10-NQ/TU' "
                 "order by scope, issued")
    # Bắc Ninh's resolution of 2013 is syndicated on both sites; Bình Thuận's own of 2022 too
    assert {"scope": "Bình Thuận", "issued": "2022-03-18"} in found
    assert {"scope": "Sơn La", "issued": "2013-08-20"} in found
    assert len({(r["scope"], r["issued"]) for r in found}) == len(found)
