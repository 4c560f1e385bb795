import pytest

from scraper.normalize.urls import canonical_url

SITE = "https://tinhuy.sonla.example/"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://tinhuy.sonla.example/news/a-1.html#binh-luan",
         "https://tinhuy.sonla.example/news/a-1.html"),
        ("http://tinhuy.sonla.example/news/a-1.html", "https://tinhuy.sonla.example/news/a-1.html"),
        ("https://www.tinhuy.sonla.example/news/a-1.html",
         "https://tinhuy.sonla.example/news/a-1.html"),
        ("https://TINHUY.sonla.example:443/news/a-1.html?utm_source=zalo&fbclid=x",
         "https://tinhuy.sonla.example/news/a-1.html"),
        ("https://tinhuy.sonla.example/index.php?op=detail&PHPSESSID=abc&id=5&zarsrc=30",
         "https://tinhuy.sonla.example/index.php?id=5&op=detail"),
        ("https://tinhuy.sonla.example/news;jsessionid=A1B2/a-1.html",
         "https://tinhuy.sonla.example/news/a-1.html"),
        ("https://tinhuy.sonla.example/tin/Đảng ủy.html",
         "https://tinhuy.sonla.example/tin/%C4%90%E1%BA%A3ng%20%E1%BB%A7y.html"),
        ("https://other.example/x.html?utm_medium=a", "https://other.example/x.html"),
    ],
)
def test_canonical_url(raw, expected):
    assert canonical_url(raw, SITE) == expected


def test_local_ports_are_kept_apart():
    assert canonical_url("http://127.0.0.1:8001/a.html", "http://127.0.0.1:8001/") == (
        "http://127.0.0.1:8001/a.html")
    assert canonical_url("http://127.0.0.1:9000/a.html", "http://127.0.0.1:8001/") == (
        "http://127.0.0.1:9000/a.html")
