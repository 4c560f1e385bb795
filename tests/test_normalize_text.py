import unicodedata

from scraper.normalize.text import clean_text, fold, is_upper_name


def test_clean_text_is_nfc_with_single_spaces():
    nfd = unicodedata.normalize("NFD", "Đảng ủy  Khối\u00a0các\u200bcơ quan\n")
    assert clean_text(nfd) == "Đảng ủy Khối cáccơ quan"
    assert unicodedata.is_normalized("NFC", clean_text(nfd))


def test_clean_text_repairs_eth_and_drops_controls():
    assert clean_text("ÐẢNG\x07 ðoàn") == "ĐẢNG đoàn"
    assert clean_text(None) == ""


def test_fold_unifies_tone_placement_and_d():
    assert fold("Đảng uỷ Khối") == fold("ĐẢNG ỦY KHỐI") == "dang uy khoi"


def test_upper_name():
    assert is_upper_name("NGỌC DIỆP")
    assert not is_upper_name("Ngọc Diệp")
    assert not is_upper_name("COVID-19 ĐANG LÂY LAN MẠNH TRONG CỘNG ĐỒNG DÂN CƯ")
