from scraper.items import ArticlePage, NoticeRef
from scraper.normalize.notice import is_attachment, meeting_of, normalize_notice, notice_from_ref


def test_meeting_time_and_place():
    assert meeting_of("Thời gian: vào lúc 08 giờ 00, ngày 15/3/2024.\n\nĐịa điểm: tại Phòng họp "
                      "số 2, Đảng ủy Khối.") == ("2024-03-15T08:00:00+07:00",
                                                  "Phòng họp số 2, Đảng ủy Khối")
    assert meeting_of("Cuộc họp vào lúc 14 giờ 00, ngày 15/3/2024 (thứ Sáu), tại Hội trường "
                      "Tỉnh ủy, số 1 đường X.") == ("2024-03-15T14:00:00+07:00",
                                                    "Hội trường Tỉnh ủy, số 1 đường X")
    assert meeting_of("2. Thời gian: ½ ngày, từ 7h30 -9h00, Thứ ba, ngày 06/02/2018.") == (
        "2018-02-06T07:30:00+07:00", None)
    assert meeting_of("Không có cuộc họp nào.") == (None, None)


def test_attachment_links():
    assert is_attachment("https://a.vn/uploads/134-gm-duk.PDF")
    assert is_attachment("https://a.vn/files/van-ban.docx?v=2")
    assert not is_attachment("https://a.vn/news/thong-bao-1.html")
    assert not is_attachment(None)


def test_a_block_line_alone_is_a_notice():
    notice = notice_from_ref(NoticeRef("134-GM/ĐUK", "Hội nghị Báo cáo viên", "2024-03-22",
                                       "https://a.vn/uploads/134.pdf", "a"))
    assert (notice.doc_number, notice.doc_type, notice.doc_type_name, notice.issuer) == (
        "134-GM/ĐUK", "GM", "Giấy mời", "ĐUK")
    assert notice.url is None and notice.attachments[0]["url"] == "https://a.vn/uploads/134.pdf"
    assert notice.text is None


def test_a_notice_page_takes_its_own_number_not_the_ones_it_cites():
    page = ArticlePage(
        url="https://a.vn/thong-bao/1.html", cms="test", site_id="a", kind="notice",
        title="Ban Chỉ đạo về thực hiện Nghị quyết số 07-NQ/TU họp",
        body_html="<div><p>Thực hiện Nghị quyết số 07-NQ/TU, ngày 27/4/2018.</p>"
                  "<p>Số, ký hiệu: 133-GM/ĐUK</p><p>Thời gian: vào lúc 08 giờ 00, ngày "
                  "15/3/2024.</p><p>Địa điểm: tại Phòng họp số 2.</p></div>",
        listing=NoticeRef(None, "", "2024-03-15", "https://a.vn/thong-bao/1.html", "a"),
    )
    notice = normalize_notice(page)
    assert notice.doc_number == "133-GM/ĐUK" and notice.date == "2024-03-15"
    assert notice.meeting_time == "2024-03-15T08:00:00+07:00"
    assert notice.meeting_place == "Phòng họp số 2"
    assert notice.documents == ["07-NQ/TU"]
