import hashlib
import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from scraper.normalize.text import (
    _ODD,
    _replace,
    _retone,
    clean_text,
    fold,
    is_upper_name,
    tone_key,
    tone_keys,
)
from storage.schema import text_fingerprint


def test_clean_text_is_nfc_with_single_spaces():
    nfd = unicodedata.normalize("NFD", "Đảng ủy  Khối\u00a0các\u200bcơ quan\n")
    assert clean_text(nfd) == "Đảng ủy Khối cáccơ quan"
    assert unicodedata.is_normalized("NFC", clean_text(nfd))


def test_clean_text_repairs_eth_and_drops_controls():
    assert clean_text("ÐẢNG\x07 ðoàn") == "ĐẢNG đoàn"
    assert clean_text(None) == ""


def _clean_by_regex(value: str | None) -> str:
    """clean_text as first written (a regex collapsing spaces and newlines): the reference for
    the str-method one."""
    if not value:
        return ""
    value = _ODD.sub(_replace, unicodedata.normalize("NFC", value))
    return re.sub(r"[ \n]{2,}|\n", " ", value).strip()


SPACES = " \n\t\r\f\v\u00a0\u2003\u3000\u200b\ufeff\x85\x1c"


def test_fold_unifies_tone_placement_and_d():
    assert fold("Đảng uỷ Khối") == fold("ĐẢNG ỦY KHỐI") == "dang uy khoi"


def _fold_by_decomposition(value: str) -> str:
    """fold as first written (decompose, drop the marks, recompose): the reference for the
    table-driven one, whose keys archives already store."""
    value = clean_text(value).casefold()
    value = "".join(
        c for c in unicodedata.normalize("NFD", value) if unicodedata.category(c) != "Mn"
    )
    return unicodedata.normalize("NFC", value.replace("đ", "d"))


VIETNAMESE = "ĐđảủỷẢỦỶoàoáoạuýúùũụêếềểễệơớờởỡợưứừửữựăắằẳẵặâấầẩẫậ"


@given(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(VIETNAMESE + SPACES)))
def test_clean_text_agrees_with_regex(value):
    assert clean_text(value) == _clean_by_regex(value)
    assert clean_text(unicodedata.normalize("NFD", value)) == _clean_by_regex(value)


@given(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(VIETNAMESE)))
def test_fold_agrees_with_decomposition(value):
    assert fold(value) == _fold_by_decomposition(value)
    key = "".join(ch for ch in _fold_by_decomposition(value) if ch.isalnum())
    assert text_fingerprint(value) == hashlib.sha256(key.encode("utf-8")).hexdigest()


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


TONED = st.text(alphabet=st.sampled_from(VIETNAMESE + "aeiouyqgh nhtc,.\n0123_-")
                | st.characters(codec="utf-8"))


@given(TONED)
def test_tone_key_agrees_word_by_word(value):
    """Replacing only the words that change gives what retoning every word gives."""
    word = re.compile(r"[^\W\d_]+")
    for style in ("old", "new"):
        expected = word.sub(lambda m, s=style: _retone(m.group(), s), clean_text(value))
        assert tone_key(value, style) == expected


@given(TONED)
def test_tone_keys_is_both_styles(value):
    assert tone_keys(value) == (tone_key(value, "old"), tone_key(value, "new"))


PARTS = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(VIETNAMESE + " \n"))


@given(PARTS, PARTS, PARTS)
def test_an_article_is_folded_once_for_its_fingerprint_and_search(title, summary, text):
    """prepare_article folds title and body apart and joins them: the search column holds the
    same words as the whole text folded, and the fingerprint is the body's."""
    from scraper.items import Article
    from storage.archive import prepare_article
    from storage.schema import search_columns

    article = Article(url="https://a.vn/1.html", site_id="a", cms="nukeviet", kind="article",
                      title=title, summary=summary or None, author=None, published=None,
                      text=text, html="", images=[], documents=[], notices=[])
    prepared = prepare_article(article)
    words = re.compile(r"\w+")
    assert words.findall(prepared.search["folded"]) == words.findall(
        search_columns(title, summary, text)["folded"])
    assert {k: v for k, v in prepared.search.items() if k != "folded"} == {
        k: v for k, v in search_columns(title, summary, text).items() if k != "folded"}
    assert prepared.row["fingerprint"] == text_fingerprint(f"{summary or ''}\n{text}")
