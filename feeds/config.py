"""Operator-defined feeds (`feeds.toml`): a selection by site, province, kind, type or query."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from scraper.registry import read_toml
from storage.schema import search_query_error

KINDS = ("all", "articles", "notices")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_KEYS = {"id": str, "title": str, "description": str, "kind": str, "sites": list,
         "provinces": list, "doc_types": list, "query": str, "limit": int}


class FeedConfigError(ValueError):
    """A bad feed definition: the message names the file, the feed and the key."""


@dataclass(frozen=True)
class FeedSpec:
    id: str
    title: str
    kind: str = "all"
    description: str = ""
    sites: tuple[str, ...] = field(default=())
    provinces: tuple[str, ...] = field(default=())
    doc_types: tuple[str, ...] = field(default=())
    query: str | None = None
    limit: int | None = None


def load_feed_config(path: str | Path) -> list[FeedSpec]:
    """Every [[feed]] of the file; FeedConfigError on any problem."""
    path = Path(path)
    data = read_toml(path, "feed configuration", FeedConfigError)
    specs, seen = [], set()
    for number, entry in enumerate(data.get("feed", []), 1):
        name = entry.get("id") if isinstance(entry, dict) else None
        where = f"{path}: feed '{name}'" if isinstance(name, str) else f"{path}: feed #{number}"
        if not isinstance(entry, dict):
            raise FeedConfigError(f"{where}: must be a table")
        for key in ("id", "title"):
            if key not in entry:
                raise FeedConfigError(f"{where}: key '{key}': required")
        for key, value in entry.items():
            if key not in _KEYS:
                raise FeedConfigError(f"{where}: key '{key}': unknown key")
            if not isinstance(value, _KEYS[key]) or (
                    _KEYS[key] is list and not all(isinstance(v, str) for v in value)):
                raise FeedConfigError(f"{where}: key '{key}': wrong type")
        if not _ID.match(entry["id"]) or entry["id"] in seen:
            raise FeedConfigError(f"{where}: key 'id': use a-z, 0-9 and '-', once each")
        if entry.get("kind", "all") not in KINDS:
            raise FeedConfigError(f"{where}: key 'kind': one of {', '.join(KINDS)}")
        if "limit" in entry and entry["limit"] < 1:
            raise FeedConfigError(f"{where}: key 'limit': must be positive")
        if "query" in entry and (error := search_query_error(entry["query"])):
            raise FeedConfigError(f"{where}: key 'query': not a full-text search ({error})")
        seen.add(entry["id"])
        specs.append(FeedSpec(
            id=entry["id"], title=entry["title"], kind=entry.get("kind", "all"),
            description=entry.get("description", ""), sites=tuple(entry.get("sites", ())),
            provinces=tuple(entry.get("provinces", ())),
            doc_types=tuple(entry.get("doc_types", ())), query=entry.get("query"),
            limit=entry.get("limit"),
        ))
    return specs
