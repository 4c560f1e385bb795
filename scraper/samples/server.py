"""A small static server for the sample sites, on 127.0.0.1 and a free port.

A path P is served from the file P, or P/index.html for a directory; a query string Q is served
from "<stem>@Q<suffix>" beside that file when it exists (a static stand-in for `?page=2`).
Like a real web server it sends ETag and Last-Modified and answers conditional requests with 304.
"""

from __future__ import annotations

import hashlib
import mimetypes
import threading
from email.utils import formatdate
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path
from types import TracebackType
from urllib.parse import unquote, urlsplit

TEXT_TYPES = {".html": "text/html; charset=utf-8", ".txt": "text/plain; charset=utf-8",
              ".xml": "application/xml; charset=utf-8", ".css": "text/css; charset=utf-8",
              ".js": "application/javascript; charset=utf-8"}


def resolve(root: Path, target: str) -> Path | None:
    """The file a request target maps to, never outside root."""
    parts = urlsplit(target)
    path = (root / unquote(parts.path).lstrip("/")).resolve()
    if root not in path.parents and path != root:
        return None
    if path.is_dir():
        path = path / "index.html"
    if parts.query:
        variant = path.with_name(f"{path.stem}@{unquote(parts.query)}{path.suffix}")
        if variant.is_file():
            return variant
    return path if path.is_file() else None


class _Handler(SimpleHTTPRequestHandler):
    server: SampleServer

    def send_head(self):  # type: ignore[override]
        path = resolve(self.server.root, self.path)
        if path is None:
            self.send_error(HTTPStatus.NOT_FOUND, "Not found")
            return None
        body = path.read_bytes()
        etag = '"' + hashlib.sha1(body).hexdigest() + '"'
        modified = formatdate(int(path.stat().st_mtime), usegmt=True)
        if self.headers.get("If-None-Match") == etag or (
            "If-None-Match" not in self.headers
            and self.headers.get("If-Modified-Since") == modified
        ):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", etag)
            self.end_headers()
            return None
        self.send_response(HTTPStatus.OK)
        ctype = TEXT_TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0]
        self.send_header("Content-Type", ctype or "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", modified)
        self.end_headers()
        return BytesIO(body)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        self.server.log.append((self.command, self.path, int(code) if str(code).isdigit() else 0))
        self.server.requests.append(self.path)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class SampleServer(ThreadingHTTPServer):
    """Serves one site folder until stopped; records the paths it was asked for."""

    daemon_threads = True

    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 0) -> None:
        self.root = Path(root).resolve()
        self.requests: list[str] = []  # every path asked for
        self.log: list[tuple[str, str, int]] = []  # (method, path, status)
        super().__init__((host, port), _Handler)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/"

    def start(self) -> SampleServer:
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def __enter__(self) -> SampleServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
