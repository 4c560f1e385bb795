from urllib.request import urlopen

import pytest

from scraper.samples.server import SampleServer, resolve


@pytest.fixture
def root(tmp_path):
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "index.html").write_text("list 1")
    (tmp_path / "news" / "index@page=2.html").write_text("list 2")
    (tmp_path / "news" / "a-1.html").write_text("<p>Đảng</p>")
    return tmp_path


def test_resolve_rules(root):
    assert resolve(root, "/news/").name == "index.html"
    assert resolve(root, "/news").name == "index.html"
    assert resolve(root, "/news/?page=2").name == "index@page=2.html"
    assert resolve(root, "/news/?utm_source=x").name == "index.html"
    assert resolve(root, "/news/missing.html") is None
    assert resolve(root, "/../etc/passwd") is None


def test_serves_on_loopback_with_charset(root):
    with SampleServer(root) as server:
        assert server.url.startswith("http://127.0.0.1:")
        with urlopen(server.url + "news/a-1.html") as response:
            assert response.headers["Content-Type"] == "text/html; charset=utf-8"
            assert response.read().decode() == "<p>Đảng</p>"
        with pytest.raises(Exception, match="404"):
            urlopen(server.url + "nope.html")
        assert "/news/a-1.html" in server.requests
