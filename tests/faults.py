"""A sample site with faults: the sample NukeViet mirror plus a listing of broken pages."""

from __future__ import annotations

import time
import unicodedata

from scraper.samples.server import SampleServer, _Handler

FAULTS = {
    # path: what happens
    "/news/loi/cham-1.html": "slow: answers after the download timeout",
    "/news/loi/reset-2.html": "connection reset before any answer",
    "/news/loi/loi-500-3.html": "500",
    "/news/loi/ban-503-4.html": "503 with Retry-After: 1, every time",
    "/news/loi/mat-404-5.html": "404",
    "/news/loi/xoa-410-6.html": "410",
    "/news/loi/vong-7.html": "redirect loop",
    "/news/loi/ngoai-8.html": "redirect to localhost (a private address)",
    "/news/loi/meta-9.html": "redirect to the cloud metadata address",
    "/news/loi/nhi-phan-10.html": "PNG bytes served as text/html",
    "/news/loi/lon-11.html": "a 10 MB page",
    "/news/loi/dang-nhap-12.html": "login wall",
    "/news/loi/rong-13.html": "empty body",
}
GOOD = {
    "/news/loi/khong-charset-20.html": "UTF-8 without any declared charset",
    "/news/loi/cp1258-21.html": "windows-1258, declared only in a meta tag",
    "/news/loi/cut-22.html": "truncated HTML",
    "/news/loi/ngay-23.html": "an impossible date",
}
ARTICLE = """<!DOCTYPE html><html lang="vi"><head>{meta}<title>{title}</title>
<meta name="generator" content="NukeViet v4.5"></head><body>
<div class="news_column panel panel-default" itemtype="http://schema.org/NewsArticle" itemscope>
<div class="panel-body"><h1 class="title" itemprop="headline">{title}</h1>
<span class="h5">{date}</span>
<div id="news-bodyhtml" class="bodytext"><p>{body}</p>
<p>Đảng bộ Khối các cơ quan và doanh nghiệp tỉnh tiếp tục đưa việc học tập và làm theo tư tưởng,
đạo đức, phong cách Hồ Chí Minh thực sự đi vào chiều sâu.</p></div></div></div></body></html>"""


def article(title: str, date: str = "Thứ sáu - 22/03/2024 08:00", meta: str = "",
            body: str = "Ban Thường vụ Đảng ủy Khối họp thường kỳ tháng 3 năm 2024.") -> str:
    return ARTICLE.format(title=title, date=date, meta=meta, body=body)


def listing(page: int) -> str:
    links = "".join(f'<div class="panel-body"><h3><a href="{path}">Tin {n}</a></h3></div>'
                    for n, path in enumerate([*FAULTS, *GOOD]))
    session = ('<div class="panel-body"><h3><a href="/news/xay-dung-dang/nen-nep-viec-hoc-tap-va-'
               'lam-theo-bac-842.html?PHPSESSID=9f8e7d&amp;utm_source=zalo#binh-luan">Nền nếp</a>'
               '</h3></div>')
    calendar = f'<div class="calendar"><a href="/news/loi/lich?thang={page + 1}">Tháng sau</a></div>'
    return (f'<html><head><meta name="generator" content="NukeViet v4.5"></head><body>{calendar}'
            f'<div class="news_column">{links}{session}</div><ul class="pagination">'
            f'<li class="active"><a href="#">{page}</a></li>'
            f'<li><a href="/news/loi/page-{page + 1}">{page + 1}</a></li></ul></body></html>')


class FaultHandler(_Handler):
    def do_GET(self) -> None:  # noqa: N802
        path = self.path.split("?", 1)[0]
        if path == "/news/loi/" or path.startswith("/news/loi/page-"):
            page = int(path.rsplit("-", 1)[1]) if "page-" in path else 1
            return self._send(200, listing(page).encode())
        if path in FAULTS or path in GOOD:
            return self._fault(path)
        return super().do_GET()

    def _send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8",
              headers: dict | None = None) -> None:
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _fault(self, path: str) -> None:
        port = self.server.server_address[1]
        if path.endswith("cham-1.html"):
            time.sleep(3)
            return self._send(200, article("Chậm").encode())
        if path.endswith("reset-2.html"):
            self.close_connection = True
            self.connection.shutdown(2)
            return None
        if path.endswith("loi-500-3.html"):
            return self._send(500, b"Internal Server Error")
        if path.endswith("ban-503-4.html"):
            return self._send(503, b"busy", headers={"Retry-After": "1"})
        if path.endswith("mat-404-5.html"):
            return self._send(404, b"not found")
        if path.endswith("xoa-410-6.html"):
            return self._send(410, b"gone")
        if path.endswith("vong-7.html"):
            return self._send(302, b"", headers={"Location": "/news/loi/vong-7.html?lan=1"}
                              if "lan" not in self.path else {"Location": "/news/loi/vong-7.html"})
        if path.endswith("ngoai-8.html"):
            return self._send(302, b"", headers={"Location": f"http://localhost:{port}/bi-mat"})
        if path.endswith("meta-9.html"):
            return self._send(302, b"",
                              headers={"Location": "http://169.254.169.254/latest/meta-data/"})
        if path.endswith("nhi-phan-10.html"):
            return self._send(200, b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
        if path.endswith("lon-11.html"):
            return self._send(200, article("Lớn", body="Đảng ủy " * 1_400_000).encode())
        if path.endswith("dang-nhap-12.html"):
            return self._send(200, b'<html><body><form action="/users/login/"><input name="u">'
                                   b'<input type="password" name="p"></form></body></html>')
        if path.endswith("rong-13.html"):
            return self._send(200, b"")
        if path.endswith("khong-charset-20.html"):
            return self._send(200, article("Không khai báo bảng mã").encode(), ctype="text/html")
        if path.endswith("cp1258-21.html"):
            page = article("Bảng mã Windows-1258 của Đảng ủy Khối",
                           meta='<meta http-equiv="Content-Type" '
                                'content="text/html; charset=windows-1258">')
            data = "".join(_cp1258(c) for c in page).encode("cp1258")
            return self._send(200, data, ctype="text/html")
        if path.endswith("cut-22.html"):
            return self._send(200, article("Trang bị cắt").encode()[:-120])
        if path.endswith("ngay-23.html"):
            return self._send(200, article("Ngày không có thật",
                                           date="Thứ sáu - 31/02/2024 25:61").encode())
        return self._send(404, b"")


TONES = "\u0300\u0301\u0303\u0309\u0323"


def _cp1258(char: str) -> str:
    """A character as windows-1258 writes it: precomposed, else the letter + a tone mark byte."""
    try:
        char.encode("cp1258")
        return char
    except UnicodeEncodeError:
        decomposed = unicodedata.normalize("NFD", char)
        tone = "".join(c for c in decomposed if c in TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONES))
        return base + tone


class FaultServer(SampleServer):
    def __init__(self, root) -> None:
        super().__init__(root)
        self.RequestHandlerClass = FaultHandler

    def handle_error(self, request, client_address) -> None:
        pass  # resets and timeouts are the point here
