"""Per-site health from the archive's own history: what `scraper status` reports.

A site is unhealthy when its last two crawls failed, when its extraction falls (items without a
date, the boilerplate guard firing), or when it has yielded nothing new for three times its usual
interval, judged once its history spans four weeks. A site whose home page answered 404/410 or
moved to another host on its last crawls is gone: reported, its archive kept.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlite_utils import Database

from scraper.normalize.dates import VN

BASELINE = timedelta(days=28)
RECENT = timedelta(days=7)
GONE_AFTER = 3  # crawls in a row whose home page was missing or elsewhere
MIN_ITEMS = 3  # fewer recent items say nothing about extraction
MAX_UNDATED = 0.3
MAX_GUARDED = 0.1
SILENCE_FACTOR = 3


@dataclass
class SiteHealth:
    site_id: str
    checked: str
    healthy: bool = True
    gone: bool = False
    reasons: list[str] = field(default_factory=list)
    last_success: str | None = None
    newest_item: str | None = None
    newest_age_days: float | None = None
    items_per_day_7d: float = 0.0
    items_per_day_28d: float = 0.0
    history_days: float = 0.0
    undated_share: float = 0.0
    guard_share: float = 0.0
    recent_items: int = 0

    def row(self) -> dict:
        return {**asdict(self), "healthy": int(self.healthy), "gone": int(self.gone),
                "reasons": "; ".join(self.reasons)}


def _when(value: str | None) -> datetime | None:
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=VN)


def site_health(db: Database, site: dict, now: datetime | None = None) -> SiteHealth:
    now = now or datetime.now(VN)
    health = SiteHealth(site["id"], now.isoformat(timespec="seconds"))
    crawls = list(db.query("select * from crawls where site_id = ? and finished is not null "
                           "order by id desc limit 10", [site["id"]]))
    ok = [c for c in crawls if c["status"] == "ok"]
    health.last_success = ok[0]["finished"] if ok else None
    if len(crawls) >= 2 and all(c["status"] == "failed" for c in crawls[:2]):
        health.reasons.append("its last two crawls failed")
    host = urlsplit(site["url"]).hostname
    recent_homes = crawls[:GONE_AFTER]
    if len(recent_homes) == GONE_AFTER and all(
        c["home_status"] in (404, 410) or (c["home_host"] and c["home_host"] != host)
        for c in recent_homes
    ):
        health.gone = True
        health.reasons.append(f"gone: its home page was missing or moved on {GONE_AFTER} crawls")

    items = list(db.query(
        "select first_seen, coalesce(published, first_seen) as born, published, guard_hits "
        "from articles where site_id = :s union all "
        "select first_seen, coalesce(date, first_seen), date, 0 from notices where site_id = :s",
        {"s": site["id"]}))
    if not items:
        return _verdict(health)
    seen = [_when(i["first_seen"]) for i in items]
    newest = max(_when(i["born"]) for i in items)
    health.newest_item = newest.isoformat(timespec="seconds")
    health.newest_age_days = round((now - newest) / timedelta(days=1), 2)
    health.history_days = round((now - min(seen)) / timedelta(days=1), 2)
    recent = [i for i, s in zip(items, seen, strict=True) if now - s <= RECENT]
    health.items_per_day_7d = round(len(recent) / 7, 3)
    health.items_per_day_28d = round(sum(now - s <= BASELINE for s in seen) / 28, 3)
    health.recent_items = len(recent)
    if len(recent) >= MIN_ITEMS:
        health.undated_share = round(sum(not i["published"] for i in recent) / len(recent), 3)
        health.guard_share = round(sum(bool(i["guard_hits"]) for i in recent) / len(recent), 3)
        if health.undated_share > MAX_UNDATED:
            health.reasons.append(f"{health.undated_share:.0%} of recent items have no date")
        if health.guard_share > MAX_GUARDED:
            health.reasons.append(f"the boilerplate guard fired on {health.guard_share:.0%} "
                                  "of recent items")
    if health.history_days >= BASELINE.days and health.items_per_day_28d > 0:
        usual = 1 / health.items_per_day_28d  # days between new items, on its own record
        latest = max(seen)
        silent = (now - latest) / timedelta(days=1)
        if silent > SILENCE_FACTOR * usual:
            health.reasons.append(f"nothing new for {silent:.1f} days (usually every "
                                  f"{usual:.1f})")
    return _verdict(health)


def _verdict(health: SiteHealth) -> SiteHealth:
    health.healthy = not health.reasons
    return health


def record_health(db: Database, now: datetime | None = None) -> list[SiteHealth]:
    """Judge every site that has been crawled and keep the figures in site_health."""
    results = []
    for site in db.query("select * from sites where id in (select site_id from crawls) "
                         "order by id"):
        results.append(site_health(db, dict(site), now))
    with db.atomic():
        for health in results:
            db["site_health"].upsert(health.row(), pk="site_id")
    return results
