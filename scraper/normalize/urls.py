"""One URL per page: the key an article or notice is archived under."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

# Parameters that say who sent the reader, not which page it is.
TRACKING = re.compile(
    r"^(?:utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|zarsrc|zalo_\w+|_ga|_gl|"
    r"mc_cid|mc_eid|igshid|spm|share|ref|ref_src|src|from|fb_\w+)$",
    re.IGNORECASE,
)
# Session identifiers some CMSs put in links.
SESSION = re.compile(
    r"^(?:phpsessid|jsessionid|aspsessionid\w*|sid|sessionid|session_id|session|cfid|cftoken|"
    r"nvsession\w*|\w*_sess(?:ion)?_?id)$",
    re.IGNORECASE,
)
_PATH_SESSION = re.compile(r";(?:jsessionid|sessionid|sid)=[^/?#]*", re.IGNORECASE)


def _bare_host(host: str) -> str:
    return host[4:] if host.startswith("www.") else host


def canonical_url(url: str, site_url: str | None = None) -> str:
    """The URL without fragment, tracking and session parameters, with sorted parameters and,
    for the site's own host (with or without www, over http or https), the site's own form."""
    parts = urlsplit(canonicalize_url(url.strip(), keep_fragments=False))
    path = _PATH_SESSION.sub("", parts.path) or "/"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if not TRACKING.match(k) and not SESSION.match(k)])
    scheme, netloc = parts.scheme, (parts.hostname or "").lower()
    if parts.port and (scheme, parts.port) not in (("http", 80), ("https", 443)):
        netloc = f"{netloc}:{parts.port}"
    if site_url:
        site = urlsplit(site_url)
        if _bare_host(parts.hostname or "") == _bare_host(site.hostname or "") and (
            parts.port in (None, 80, 443) or parts.port == site.port
        ):
            scheme, netloc = site.scheme, site.netloc.lower()
    return urlunsplit((scheme, netloc, path, query, ""))
