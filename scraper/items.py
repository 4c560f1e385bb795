"""The records that flow spider → normalize → archive. Plain data, no behaviour."""

from __future__ import annotations

from dataclasses import dataclass, field

from .normalize.dates import DateCandidate


@dataclass(slots=True)
class NoticeRef:
    """A notice as a listing or sidebar block shows it."""

    doc_number: str | None
    title: str
    date: str | None  # ISO date
    url: str | None  # its detail page, or the file itself when the block links straight to it
    site_id: str | None = None


@dataclass(slots=True)
class CrawlError:
    """A URL the crawl could not use, and why."""

    site_id: str | None
    url: str
    reason: str
    status: int | None = None


@dataclass(slots=True)
class NotModified:
    """A known page the site answered 304 Not Modified for: seen again, unchanged."""

    site_id: str | None
    url: str
    kind: str  # "article" or "notice"


@dataclass(slots=True)
class PictureDescribed:
    """What a HEAD said of an archived article's picture (size 0: gone, or not said)."""

    site_id: str | None
    article_url: str
    src: str
    size: int
    type: str | None


@dataclass(slots=True)
class FetchedPage:
    """A page as the server sent it: kept in the archive so extraction can be run again."""

    url: str
    site_id: str | None
    kind: str  # "article" or "notice"
    status: int
    headers: dict[str, str]
    body: bytes
    listing_date: str | None = None  # the date a listing showed beside it


@dataclass(slots=True)
class ArticlePage:
    """What a CMS profile selected on one article page, before normalization."""

    url: str
    cms: str
    site_id: str | None = None
    kind: str = "article"
    title: str = ""
    site_name: str | None = None
    lead_html: str | None = None
    lead_image: dict | None = None  # {"src": absolute URL, "caption": str | None}
    body_html: str = ""
    byline: str | None = None
    dates: list[DateCandidate] = field(default_factory=list)
    notices: list[NoticeRef] = field(default_factory=list)
    # notice pages only
    symbol: str | None = None  # the "Số, ký hiệu" the page prints in its own field
    listing: NoticeRef | None = None  # how a listing or sidebar showed this notice
    attachments: list[dict] = field(default_factory=list)  # {"url", "size", "type"}
    # sizes and types of its pictures, as HEADs found them for feed enclosures
    media: list[dict] = field(default_factory=list)  # {"url", "size", "type"}


@dataclass(slots=True)
class Article:
    """The normalized record of interfaces.md, as archived and printed by `scraper extract`."""

    url: str
    cms: str
    kind: str
    title: str
    summary: str | None
    author: str | None
    published: str | None
    text: str
    html: str
    images: list[dict]
    documents: list[str]
    notices: list[dict]
    site_id: str | None = None
    guard_hits: int = 0  # boilerplate lines caught by phrase rather than structure


@dataclass(slots=True)
class Notice:
    """A thông báo, giấy mời, kế hoạch…: one row of the `notices` table."""

    site_id: str | None
    title: str
    doc_number: str | None = None  # canonical, "134-GM/ĐUK"
    doc_type: str | None = None  # "GM"
    doc_type_name: str | None = None  # "Giấy mời"
    issuer: str | None = None  # "ĐUK"
    date: str | None = None  # ISO date
    url: str | None = None
    attachments: list[dict] = field(default_factory=list)
    text: str | None = None  # None when only a listing was seen, not the notice itself
    html: str | None = None
    meeting_time: str | None = None
    meeting_place: str | None = None
    documents: list[str] = field(default_factory=list)
