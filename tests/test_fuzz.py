"""Hypothesis-generated HTML and bytes through extraction and the document-number parser:
no exception escapes, and every output is well formed."""

from __future__ import annotations

import unicodedata

import lxml.html
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scraper.extract import ExtractError, decode_page, extract_page
from scraper.normalize.dates import parse_vn_datetime
from scraper.normalize.docnumbers import find_doc_numbers, parse_doc_number

FRAGMENTS = st.sampled_from([
    "<p>", "</p>", "<div class='bodytext'>", "</div>", "<h1>", "</h1>", "<img src='x.jpg'>",
    "<figure><img src=a.png><figcaption>", "</figcaption></figure>", "<table><tr><td>", "</td>",
    "<ul><li>", "<script>alert(1)</script>", "<a href='javascript:x'>", "</a>", "<br>", "&nbsp;",
    "&#x0;", "<!--", "-->", "<![CDATA[", "]]>", "Đảng ủy Khối", "134-GM/ĐUK", "576/NQ-TU",
    "Thứ sáu - 16/10/2020 04:47", "31/02/2024", "\x00", "\ud800", "<meta charset=windows-1258>",
    '<meta name="generator" content="NukeViet v4.5">', "POWERED BY ONECMS", "nv_my_ofs=7",
    '<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"x"}</script>',
    "<span class='h5'>", "<div id='news-bodyhtml'>", "Tác giả bài viết: X", "<b>", "</b>",
])
PAGES = st.lists(st.one_of(FRAGMENTS, st.text(max_size=30)), max_size=40).map("".join)
CMS = st.sampled_from([None, "nukeviet", "onecms", "vhv", "liferay", "wordpress", "generic"])
FUZZ = settings(max_examples=120, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def check_record(record) -> None:
    for value in (record.title, record.text, record.summary or "", record.author or ""):
        assert unicodedata.is_normalized("NFC", value)
        assert "\x00" not in value
    if record.html:
        lxml.html.fragment_fromstring(record.html, create_parent="div")
        assert "<script" not in record.html.lower() and "javascript:" not in record.html.lower()
    if record.published:
        assert record.published.endswith("+07:00")


@FUZZ
@given(PAGES, CMS)
def test_extraction_never_raises_on_generated_html(html, cms):
    try:
        record = extract_page(html, "https://site.example/news/a-1.html", cms)
    except ExtractError:
        return
    check_record(record)


@FUZZ
@given(st.binary(max_size=2000), st.sampled_from([None, "text/html", "text/html; charset=utf-8",
                                                  "text/html; charset=windows-1258",
                                                  "text/html; charset=bogus"]))
def test_extraction_never_raises_on_generated_bytes(body, content_type):
    html = decode_page(body, content_type)
    try:
        record = extract_page(html.replace("\x00", ""), "https://site.example/a-1.html")
    except ExtractError:
        return
    check_record(record)


@FUZZ
@given(st.text(max_size=200))
def test_document_numbers_and_dates_never_raise(text):
    for doc in find_doc_numbers(text):
        assert parse_doc_number(doc.canonical).canonical == doc.canonical
        assert doc.number.isdigit() and doc.issuer == doc.issuer.upper()
    moment = parse_vn_datetime(text)
    assert moment is None or moment.tzinfo is not None
