from datetime import datetime

import pytest

from scraper.normalize.dates import (
    VN,
    DateCandidate,
    offset_zone,
    parse_iso_datetime,
    parse_vn_datetime,
    pick_published,
    to_iso,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Thứ sáu - 16/10/2020 04:47", "2020-10-16T04:47:00+07:00"),
        ("19/01/2024, 05:58", "2024-01-19T05:58:00+07:00"),
        ("Ngày 16 tháng 10 năm 2020", "2020-10-16T00:00:00+07:00"),
        ("ngày 03 tháng bốn năm 2018", "2018-04-03T00:00:00+07:00"),
        ("16h47 ngày 16/10/2020", "2020-10-16T16:47:00+07:00"),
        ("16 giờ 47 phút, ngày 16/10/2020", "2020-10-16T16:47:00+07:00"),
        ("Cập nhật lúc 10:20, Thứ Hai, 12/02/2024", "2024-02-12T10:20:00+07:00"),
        ("Cập nhật lúc: 18:00 |22/05/2022", "2022-05-22T18:00:00+07:00"),
        ("04:35 15/03/2016", "2016-03-15T04:35:00+07:00"),
        ("08:00 | 26/06/2025", "2025-06-26T08:00:00+07:00"),
        ("Chủ nhật, 03/08/2025 16:05", "2025-08-03T16:05:00+07:00"),
        ("Thứ tư, 08 Tháng 9 2021 15:09", "2021-09-08T15:09:00+07:00"),
        ("Tin đăng ngày: 6/2/2020 - Xem: 92", "2020-02-06T00:00:00+07:00"),
        ("05/03/2024", "2024-03-05T00:00:00+07:00"),  # day first, always
        ("16-10-2020", "2020-10-16T00:00:00+07:00"),
        ("16.10.2020", "2020-10-16T00:00:00+07:00"),
        ("4:47:00 CH 16/10/2020", "2020-10-16T16:47:00+07:00"),
        ("16/10/2020 | 04:47 GMT+7", "2020-10-16T04:47:00+07:00"),
        ("12/02/2024 10:20 (GMT+07:00)", "2024-02-12T10:20:00+07:00"),
        ("16/10/2020\u00a004:47", "2020-10-16T04:47:00+07:00"),
    ],
)
def test_visible_dates_are_day_first(raw, expected):
    assert to_iso(parse_vn_datetime(raw)) == expected


@pytest.mark.parametrize("raw", ["31/02/2024", "nhiệm kỳ 2020-2025", "khóa XIII", "", "13/13/2020"])
def test_not_dates(raw):
    assert parse_vn_datetime(raw) is None


def test_page_zone_is_converted_to_vietnam():
    # NukeViet rendered for a visitor in UTC-4 states nv_my_ofs=-4
    moment = parse_vn_datetime("Thứ năm - 15/10/2020 17:47", offset_zone(-4))
    assert to_iso(moment) == "2020-10-16T04:47:00+07:00"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-01-19T05:58:00+07:00", "2024-01-19T05:58:00+07:00"),
        ("2024-01-18T22:58:00Z", "2024-01-19T05:58:00+07:00"),
        ("2024-01-19T05:58:00", "2024-01-19T05:58:00+07:00"),
        ("2024-01-19", "2024-01-19T00:00:00+07:00"),
        ("2020-10-16+0704:47:00", "2020-10-16T04:47:00+07:00"),  # NukeViet's malformed meta
        ("2020-10-15-0417:47:00", "2020-10-16T04:47:00+07:00"),
    ],
)
def test_iso_dates(raw, expected):
    assert to_iso(parse_iso_datetime(raw)) == expected


def test_nukeviet_meta_with_zone_abbreviation_uses_page_zone():
    assert to_iso(parse_iso_datetime("2020-10-16ICT04:47:00", offset_zone(7))) == (
        "2020-10-16T04:47:00+07:00"
    )


def test_pick_published_takes_first_valid_and_refuses_future():
    now = datetime(2024, 3, 22, 12, 0, tzinfo=VN)
    candidates = [
        DateCandidate("", "iso"),
        DateCandidate("not a date", "iso"),
        DateCandidate("2030-01-01T00:00:00+07:00", "iso"),
        DateCandidate("Thứ sáu - 16/10/2020 04:47"),
    ]
    assert pick_published(candidates, now=now) == "2020-10-16T04:47:00+07:00"
    assert pick_published([], now=now) is None
