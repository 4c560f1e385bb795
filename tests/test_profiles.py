"""Every hand-labelled page of the corpus through the spiders' own extraction path."""

from __future__ import annotations

import pytest

from bench.corpus import boilerplate_found, load_corpus, text_f1
from scraper.extract import decode_page, extract_page
from spiders import PROFILES

PAGES = load_corpus()
MIN_F1 = 0.98


@pytest.fixture(scope="module", params=PAGES, ids=lambda p: f"{p.family}/{p.name}")
def extracted(request):
    page = request.param
    cms = None if page.family == "generic" else page.family
    html = decode_page(page.body, page.content_type)
    return page, extract_page(html, page.url, cms)


def test_every_family_has_three_pages():
    families = {p.family for p in PAGES}
    for name in PROFILES:
        if name in families:
            assert sum(p.family == name for p in PAGES) >= 3, name


def test_title(extracted):
    page, record = extracted
    assert record.title == page.gold["title"]


def test_published_to_the_minute(extracted):
    page, record = extracted
    expected = page.gold["published"]
    assert (record.published or "")[:16] == (expected or "")[:16]


def test_author(extracted):
    page, record = extracted
    assert record.author == page.gold["author"]


def test_summary(extracted):
    page, record = extracted
    assert record.summary == page.gold["summary"]


def test_text_f1(extracted):
    page, record = extracted
    assert text_f1(page, record.text) >= MIN_F1


def test_no_boilerplate(extracted):
    page, record = extracted
    assert boilerplate_found(page, record.text, record.html) == []
    if page.family != "generic":  # known families are cleaned by structure alone
        assert record.guard_hits == 0


def test_images_and_captions(extracted):
    page, record = extracted
    assert [i["caption"] for i in record.images] == [i["caption"] for i in page.gold["images"]]
    assert [i["src"] for i in record.images] == [i["src"] for i in page.gold["images"]]


def test_documents(extracted):
    page, record = extracted
    assert record.documents == page.gold["documents"]


def test_cms_is_detected(extracted):
    page, _ = extracted
    html = decode_page(page.body, page.content_type)
    assert extract_page(html, page.url).cms == page.family


# Sidebar notices printed on corpus pages: (symbol, date) pairs a reader sees there.
SIDEBAR_NOTICES = {
    "laocai-tinhuy_2025_03_11": {("134-GM/ĐUK", "2024-03-22"), ("133-GM/ĐUK", "2024-03-15"),
                                 ("132-GM/ĐUK", "2024-03-14"), ("189-TB/ĐUK", "2024-03-05")},
    "phuyen-dukcqdn_2020_10_16": {("134-GM/ĐUK", "2024-03-22"), ("133-GM/ĐUK", "2024-03-15"),
                                  ("132-GM/ĐUK", "2024-03-14"), ("189-TB/ĐUK", "2024-03-05")},
    "phutho-danguykhoi_2025_03_03": {("178-GM/ĐUK", "2025-02-28"), ("402-TB/ĐUK", "2025-02-20"),
                                     ("96-KH/ĐUK", "2025-02-10")},
    "longan-btg_2023_09_15": {("97-GM/ĐUK", "2023-09-13"), ("96-GM/ĐUK", "2023-09-11"),
                              ("142-TB/ĐUK", "2023-09-05")},
}


@pytest.mark.parametrize("name", sorted(SIDEBAR_NOTICES))
def test_sidebar_notices_on_every_family(name):
    page = next(p for p in PAGES if p.name == name)
    record = extract_page(decode_page(page.body, page.content_type), page.url)
    found = {(n["doc_number"], n["date"]) for n in record.notices}
    assert SIDEBAR_NOTICES[name] <= found
    assert all(n["title"] and not n["title"].endswith("/ĐUK") for n in record.notices)


def test_a_notice_line_is_read_once_and_its_link_resolved_per_page():
    """Sidebars repeat their notice lines on every page: read once, linked from each page."""
    from parsel import Selector

    from spiders.nukeviet import NukeVietProfile

    html = ('<ul class="block-thongbao"><li><strong>134-GM/ĐUK</strong> '
            '<a href="thong-bao/giay-moi-134.html">Giấy mời dự hội nghị</a> '
            '<span class="tb-date">03/12/2026</span></li></ul>')
    profile = NukeVietProfile()
    first_page = profile.notices(Selector(text=html), "https://a.example/news/x/a-1.html")
    again = profile.notices(Selector(text=html), "https://a.example/vi/b-2.html")
    assert len(profile._notice_lines) == 1
    assert [(r.doc_number, r.title, r.date) for r in first_page] == [
        ("134-GM/ĐUK", "Giấy mời dự hội nghị", "2026-12-03")] == [
        (r.doc_number, r.title, r.date) for r in again]
    assert first_page[0].url == "https://a.example/news/x/thong-bao/giay-moi-134.html"
    assert again[0].url == "https://a.example/vi/thong-bao/giay-moi-134.html"


def test_selectors_naming_what_the_page_lacks_are_passed_over():
    from spiders.profile import Page, could_match, first

    page = Page('<div class="news_column"><h1 class="title">Tin</h1>'
                '<p id="lead">Sapo</p></div><script>var x = "c-notice-item";</script>')
    assert not could_match(page, ".bodytext")  # not in the source: no walk of the tree
    assert not could_match(page, "#news-bodyhtml, .block-thongbao > li")
    assert could_match(page, ".missing, h1.title")  # one alternative may match
    assert could_match(page, "li.c-notice-item")  # in the source (a script): walked, no match
    assert first(page, (".bodytext", "#lead", "h1")).get() == '<p id="lead">Sapo</p>'
    assert first(page, ("li.c-notice-item", ".nothing")) is None
    # a selection made from the page keeps no source: its selectors are always walked
    column = page.css(".news_column")[0]
    assert could_match(column, ".bodytext") and first(column, ("h1.title",)).get()
