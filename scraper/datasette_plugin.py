"""Datasette plugin: the feed folder served under /feeds/, with conditional GET.

Readers poll feeds often; an ETag and Last-Modified let them get a 304 when nothing changed.
Configured by `scraper serve` through the plugin setting `feeds_dir`.
"""

from __future__ import annotations

import hashlib
import mimetypes
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path

from datasette import hookimpl
from datasette.utils.asgi import Response

PLUGIN = "partysites"
TYPES = {".xml": "application/rss+xml; charset=utf-8", ".ics": "text/calendar; charset=utf-8"}


def _feed_file(root: Path, name: str) -> Path | None:
    path = (root / name).resolve()
    if root.resolve() not in path.parents or not path.is_file() or path.name.startswith("."):
        return None
    return path


def not_modified(request_headers: dict[str, str], etag: str, mtime: float) -> bool:
    """RFC 9110: If-None-Match wins; else If-Modified-Since at or after the file's time."""
    match = request_headers.get("if-none-match")
    if match is not None:
        return etag in {tag.strip() for tag in match.split(",")} or match.strip() == "*"
    since = request_headers.get("if-modified-since")
    if since:
        try:
            return parsedate_to_datetime(since).timestamp() >= int(mtime)
        except (TypeError, ValueError):
            return False
    return False


@hookimpl
def register_routes(datasette):
    async def feed(request):
        config = datasette.plugin_config(PLUGIN) or {}
        root = config.get("feeds_dir")
        path = _feed_file(Path(root), request.url_vars["path"]) if root else None
        if path is None:
            return Response.text("Not found", status=404)
        body = path.read_bytes()
        mtime = path.stat().st_mtime
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        headers = {"ETag": etag, "Last-Modified": formatdate(mtime, usegmt=True),
                   "Cache-Control": "public, max-age=300"}
        if not_modified(request.headers, etag, mtime):
            return Response("", status=304, headers=headers)
        kind = TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "text/plain"
        return Response(body, status=200, headers=headers, content_type=kind)

    return [(r"^/feeds/(?P<path>[^/].*)$", feed)]
