import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from conftest import LOCAL, run_scraper

from scraper.crawl import crawl_settings
from scraper.middlewares import backoff, retry_after
from scraper.registry import Site, dump_registry


def test_retry_after_forms():
    now = datetime(2024, 3, 22, 7, 0, tzinfo=UTC)
    assert retry_after(b"120") == 120.0
    assert retry_after("Fri, 22 Mar 2024 07:00:30 GMT", now) == 30.0
    assert retry_after("Fri, 22 Mar 2024 06:00:00 GMT", now) == 0.0
    assert retry_after("soon") is None and retry_after(None) is None


def test_backoff_doubles_up_to_a_cap():
    assert [backoff(n, 2.0, 10.0) for n in range(5)] == [2.0, 4.0, 8.0, 10.0, 10.0]


def test_user_agent_names_a_contact_from_configuration(tmp_path):
    settings = crawl_settings(tmp_path / "a.db", {"CONTACT_URL": "https://ops.example/contact"})
    assert settings["USER_AGENT"] == ("partysites-scraper/0.1 (archival crawler for party "
                                      "committee sites; +https://ops.example/contact)")


class Flaky(BaseHTTPRequestHandler):
    """A home page that is busy once (503, Retry-After: 1), then fine."""

    hits: list[float] = []

    def do_GET(self):  # noqa: N802
        if self.path == "/robots.txt":
            self.send_response(404)
            self.end_headers()
            return
        Flaky.hits.append(time.monotonic())
        if len(Flaky.hits) == 1:
            self.send_response(503)
            self.send_header("Retry-After", "1")
            self.end_headers()
            return
        body = "<html><head><title>Trang</title></head><body><h1>Trang</h1></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args):
        pass


def test_a_busy_server_is_given_the_time_it_asks_for(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Flaky)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        sites = tmp_path / "sites.toml"
        sites.write_text(dump_registry([Site(id="flaky", name="F", url=url, cms="generic")]))
        run_scraper("crawl", "--sites", str(sites), "--db", str(tmp_path / "a.db"), *LOCAL,
                    "--set", "HTTPCACHE_ENABLED=false", check=False)
    finally:
        server.shutdown()
    assert len(Flaky.hits) == 2
    assert Flaky.hits[1] - Flaky.hits[0] >= 1.0


def test_private_addresses():
    from scraper.middlewares import is_private_address

    for address in ("127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
                    "::1", "fd00::1", "fe80::1%eth0", "::ffff:127.0.0.1", "0.0.0.0", "224.0.0.1"):
        assert is_private_address(address), address
    for address in ("8.8.8.8", "203.162.4.190", "2001:4860:4860::8888"):
        assert not is_private_address(address), address


def test_the_guard_lets_the_site_through_and_refuses_the_rest():
    from types import SimpleNamespace

    import pytest
    from scrapy import Request
    from scrapy.exceptions import IgnoreRequest

    from scraper.middlewares import PrivateAddressMiddleware

    table = {"tinhuy.example": "203.162.4.190", "metadata.internal": "169.254.169.254",
             "127.0.0.1": "127.0.0.1", "localhost": "127.0.0.1"}
    guard = PrivateAddressMiddleware(lambda host, port: [(0, 0, 0, "", (table[host], 0))])
    site = Site(id="s", name="S", url="http://127.0.0.1:8001/")
    guard.crawler = SimpleNamespace(spider=SimpleNamespace(site=site),
                                    stats=SimpleNamespace(inc_value=lambda *a: None))
    assert guard.process_request(Request("http://127.0.0.1:8001/a.html")) is None  # its own host
    assert guard.process_request(Request("https://tinhuy.example/x")) is None
    for url in ("http://localhost:8001/", "http://metadata.internal/latest/"):
        with pytest.raises(IgnoreRequest, match="private or local"):
            guard.process_request(Request(url))
