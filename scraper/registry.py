"""The site registry (`sites.toml`): what to crawl, validated with one-line errors."""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

CMS_NAMES = ("nukeviet", "onecms", "vhv", "liferay", "wordpress", "generic")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_KEYS = {
    "id": str, "name": str, "url": str, "province": str, "cms": str, "start_urls": list,
    "notice_urls": list, "schedule": str, "enabled": bool,
}
_REQUIRED = ("id", "name", "url")


class RegistryError(ValueError):
    """A bad registry: the message names the file, the site and the key."""


@dataclass(frozen=True, slots=True)
class Site:
    id: str
    name: str
    url: str
    province: str | None = None
    cms: str | None = None
    start_urls: tuple[str, ...] = field(default=())
    notice_urls: tuple[str, ...] = field(default=())
    schedule: str | None = None
    enabled: bool = True

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""


def _is_http_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _check_site(entry: object, where: str) -> Site:
    if not isinstance(entry, dict):
        raise RegistryError(f"{where}: must be a table")
    for key in _REQUIRED:
        if key not in entry:
            raise RegistryError(f"{where}: key '{key}': required")
    for key, value in entry.items():
        expected = _KEYS.get(key)
        if expected is None:
            known = ", ".join(_KEYS)
            raise RegistryError(f"{where}: key '{key}': unknown key (known: {known})")
        if not isinstance(value, expected):
            raise RegistryError(f"{where}: key '{key}': must be a {expected.__name__}")
    if not _ID.match(entry["id"]):
        raise RegistryError(f"{where}: key 'id': use a-z, 0-9 and '-' only")
    if not entry["name"].strip():
        raise RegistryError(f"{where}: key 'name': must not be empty")
    if not _is_http_url(entry["url"]):
        raise RegistryError(f"{where}: key 'url': must be an http(s) URL")
    cms = entry.get("cms")
    if cms is not None and cms not in CMS_NAMES:
        raise RegistryError(f"{where}: key 'cms': must be one of {', '.join(CMS_NAMES)}")
    urls = {}
    for key in ("start_urls", "notice_urls"):
        values = entry.get(key, [])
        if not all(isinstance(v, str) for v in values):
            raise RegistryError(f"{where}: key '{key}': must be a list of URLs")
        absolute = tuple(urljoin(entry["url"], v) for v in values)
        if not all(_is_http_url(v) for v in absolute):
            raise RegistryError(f"{where}: key '{key}': must be a list of http(s) URLs")
        urls[key] = absolute
    schedule = entry.get("schedule")
    if schedule is not None and len(schedule.split()) != 5:
        raise RegistryError(f"{where}: key 'schedule': must be a 5-field cron expression")
    return Site(
        id=entry["id"], name=entry["name"].strip(), url=entry["url"],
        province=entry.get("province"), cms=cms, schedule=schedule,
        enabled=entry.get("enabled", True), **urls,
    )


def parse_registry(data: dict, source: str) -> list[Site]:
    entries = data.get("site", [])
    unknown = set(data) - {"site"}
    if unknown:
        raise RegistryError(f"{source}: unknown top-level key '{sorted(unknown)[0]}'")
    if not isinstance(entries, list):
        raise RegistryError(f"{source}: 'site' must be an array of tables ([[site]])")
    sites: list[Site] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, 1):
        label = entry.get("id") if isinstance(entry, dict) else None
        where = f"{source}: site '{label}'" if isinstance(label, str) else f"{source}: site #{number}"
        site = _check_site(entry, where)
        if site.id in seen:
            raise RegistryError(f"{where}: key 'id': duplicate id")
        seen.add(site.id)
        sites.append(site)
    return sites


def read_toml(path: Path, what: str, error: type[ValueError] = RegistryError) -> dict:
    """An operator's TOML file, or `error` with one line saying which file and what is wrong."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise error(f"{path}: no such {what}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise error(f"{path}: not valid TOML: {exc}") from None


def load_registry(path: str | Path) -> list[Site]:
    """All sites of a registry file; RegistryError on any problem."""
    path = Path(path)
    return parse_registry(read_toml(path, "registry file"), str(path))


def select_sites(sites: list[Site], ids: tuple[str, ...] | list[str] = ()) -> list[Site]:
    """The named sites (in registry order), or every enabled one."""
    if not ids:
        return [s for s in sites if s.enabled]
    known = {s.id for s in sites}
    missing = [i for i in ids if i not in known]
    if missing:
        raise RegistryError(f"no site '{missing[0]}' in the registry")
    return [s for s in sites if s.id in ids]


def dump_registry(sites: list[Site]) -> str:
    """TOML for a list of sites (strings written JSON-style, which TOML accepts)."""
    out = []
    for site in sites:
        out.append("[[site]]")
        for key in _KEYS:
            value = getattr(site, key)
            if value is None or (key in ("start_urls", "notice_urls") and not value):
                continue
            if isinstance(value, bool):
                rendered = "true" if value else "false"
            elif isinstance(value, tuple):
                rendered = json.dumps(list(value), ensure_ascii=False)
            else:
                rendered = json.dumps(value, ensure_ascii=False)
            out.append(f"{key} = {rendered}")
        out.append("")
    return "\n".join(out)
