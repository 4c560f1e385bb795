from pathlib import Path

import pytest

from scraper.normalize.docnumbers import cited_documents, parse_doc_number

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


@pytest.mark.parametrize(
    ("raw", "canonical", "type_name", "issuer"),
    [
        ("134-GM/ĐUK", "134-GM/ĐUK", "Giấy mời", "ĐUK"),
        ("Nghị quyết số 576/NQ-TU về việc", "576-NQ/TU", "Nghị quyết", "TU"),
        ("Hướng dẫn số 14- HD/TCTW ngày 22/11/2002", "14-HD/TCTW", "Hướng dẫn", "TCTW"),
        ("Số 01 - NQ/ĐUK", "01-NQ/ĐUK", "Nghị quyết", "ĐUK"),
        ("366-QD/TW", "366-QĐ/TW", "Quyết định", "TW"),
        ("12-QÐ/TW", "12-QĐ/TW", "Quyết định", "TW"),
        ("12\u2011QĐ/TW", "12-QĐ/TW", "Quyết định", "TW"),
        ("2140-CĐ/TU", "2140-CĐ/TU", "Công điện", "TU"),
        ("858CV/ĐUK", "858-CV/ĐUK", "Công văn", "ĐUK"),
        ("54-QN/TU", "54-QN/TU", "Quyết nghị", "TU"),
    ],
)
def test_variants(raw, canonical, type_name, issuer):
    doc = parse_doc_number(raw)
    assert doc is not None
    assert (doc.canonical, doc.type_name, doc.issuer) == (canonical, type_name, issuer)


def test_year_suffix_is_kept_apart():
    doc = parse_doc_number("10-NQ/TU-2022")
    assert doc.canonical == "10-NQ/TU" and doc.year == 2022


@pytest.mark.parametrize(
    "raw",
    ["ngày 16/10/2020", "tháng 10/2020", "số 1/2020", "Covid-19", "4912/UBND-NC", "NQ/TW",
     "nhiệm kỳ 2020-2025", "0912-345-678", "44/2005/QĐ-UBND"],
)
def test_lookalikes_are_not_taken(raw):
    assert cited_documents(raw) == []


@pytest.mark.skipif(not SEEDS.exists(), reason="seed dumps not beside the project")
def test_seed_citations():
    text = (SEEDS / "000_90986668d6782d16.txt").read_text(encoding="utf-8")
    assert cited_documents(text) == [
        "54-QN/TU", "106-QĐ/TU", "12-QĐ/TW", "2156-TC/TW", "576-NQ/TU", "14-HD/TCTW",
        "614-QĐ/TU", "293-QĐ/TW", "717-QĐ/TU", "1159-QĐ/TU", "01-KL/TW", "05-CT/TW", "21-KL/TW",
    ]
    text = (SEEDS / "004_e14b8d7f18f59cb3.txt").read_text(encoding="utf-8")
    assert cited_documents(text) == [
        "35-CT/TW", "193-KH/TU", "2140-CĐ/TU", "134-GM/ĐUK", "133-GM/ĐUK", "07-NQ/TU",
        "132-GM/ĐUK", "18-NQ/TU", "189-TB/ĐUK",
    ]


@pytest.mark.skipif(not SEEDS.exists(), reason="seed dumps not beside the project")
@pytest.mark.parametrize(("seed", "expected"), [
    ("001_a201843524cc7300.txt", ["60-QĐ/TW", "10-NQ/TU"]),
    ("002_c7d55b6e2bbd1165.txt", ["10-NQ/TU", "21-NQ/TW"]),
    ("003_4e8f86f593742905.txt", ["05-CT/TW", "21-KL/TW"]),
])
def test_other_seed_citations(seed, expected):
    assert cited_documents((SEEDS / seed).read_text(encoding="utf-8")) == expected


def test_type_name_follows_the_word_before_the_number():
    from scraper.normalize.docnumbers import find_doc_numbers

    quy_dinh, quyet_dinh = find_doc_numbers(
        "theo Quy định số 293-QĐ/TW ngày 23/3/2010; Quyết định 717-QĐ/TU năm 2018")
    assert (quy_dinh.type_name, quy_dinh.issued, quy_dinh.central) == (
        "Quy định", "2010-03-23", True)
    assert (quyet_dinh.type_name, quyet_dinh.issued, quyet_dinh.central) == (
        "Quyết định", "2018", False)
