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


def test_tone_key_unifies_old_and_new_placement():
    from scraper.normalize.text import tone_key

    assert tone_key("Đảng uỷ Khối") == tone_key("Đảng ủy Khối") == "Đảng ủy Khối"
    assert tone_key("hoà hợp, khoẻ mạnh, thuỷ lợi") == "hòa hợp, khỏe mạnh, thủy lợi"
    assert tone_key("khoá XI") == "khóa XI"
    # closed syllables, qu/gi onsets, hat vowels and loanwords keep their form
    for word in ("hoàn", "quý", "thuở", "khuỷu", "ngoẹo", "giữa", "gìn", "người", "Jitsi", "COVID"):
        assert tone_key(word) == word, word
    assert tone_key("ỦY BAN") == "ỦY BAN" and tone_key("UỶ BAN") == "ỦY BAN"


def test_tone_key_new_style():
    from scraper.normalize.text import tone_key

    assert tone_key("Đảng ủy Khối hòa hợp", "new") == "Đảng uỷ Khối hoà hợp"
    assert tone_key("hoàn thành quý thuở", "new") == "hoàn thành quý thuở"
