"""What a CMS family keeps where: a declarative profile (selectors as class data, a few hooks).

Reading a page is the profile's job; the spider (spiders/base.py) only decides what to fetch.
Helpers here read structured data (JSON-LD, meta) the way every profile needs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from copy import deepcopy
from functools import lru_cache
from typing import Any, ClassVar
from urllib.parse import urljoin, urlsplit

from lxml import etree
from parsel import Selector, SelectorList

from scraper.items import ArticlePage, NoticeRef
from scraper.normalize.body import image_src
from scraper.normalize.byline import is_source_line
from scraper.normalize.dates import DateCandidate, parse_last_date, parse_vn_datetime
from scraper.normalize.docnumbers import parse_doc_number
from scraper.normalize.notice import is_attachment
from scraper.normalize.text import clean_text
from scraper.normalize.urls import canonical_url

ARTICLE_TYPES = {"NewsArticle", "Article", "BlogPosting", "ReportageNewsArticle", "WebPage"}


class Page(Selector):
    """A parsed page that keeps its source, so that first() can pass over a selector naming a
    class or id the source does not contain: most of a profile's selectors are fallbacks that
    match nothing, and each cost a walk of the whole tree (a substring search is a hundred
    times cheaper). Selections made from a Page (parsel builds them with the same class) have
    no source of their own."""

    __slots__ = ("source",)

    def __init__(self, text: str | None = None, **kwargs: Any) -> None:
        super().__init__(text=text, **kwargs)
        self.source = text


# class and id names in a selector (".c-notice-item", "#news-bodyhtml"), ASCII part only
_NAMES = re.compile(r"[.#](-?[_a-zA-Z][_a-zA-Z0-9-]*)")


@lru_cache(maxsize=4096)
def _names(css: str) -> tuple[tuple[str, ...], ...]:
    """The names each alternative of a selector group needs (all of them, in the source)."""
    return tuple(tuple(_NAMES.findall(alternative)) for alternative in css.split(","))


def could_match(sel: Selector, css: str) -> bool:
    """False when the page's source lacks a class or id name every alternative needs."""
    source = getattr(sel, "source", None)
    return source is None or any(all(name in source for name in names)
                                 for names in _names(css))


def first(sel: Selector, selectors: Iterable[str]) -> SelectorList | None:
    """The matches of the first selector that matches anything."""
    for css in selectors:
        if not could_match(sel, css):
            continue
        found = sel.css(css)
        if found:
            return found
    return None


def text_of(found: SelectorList | Selector | None) -> str:
    if found is None or (isinstance(found, SelectorList) and not found):
        return ""
    root = (found[0] if isinstance(found, SelectorList) else found).root
    if not hasattr(root, "itertext"):  # an attribute or text node selected directly
        return clean_text(str(root))
    if root.find(".//script") is None and root.find(".//style") is None:
        return clean_text(" ".join(root.itertext()))
    return clean_text(" ".join(root.xpath(".//text()[not(ancestor::script or ancestor::style)]")))


def json_ld(sel: Selector) -> list[dict]:
    """Every JSON-LD object on the page, @graph flattened; broken blocks skipped."""
    objects: list[dict] = []
    for raw in sel.css('script[type="application/ld+json"]::text').getall():
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                objects.append(item)
                stack.extend(item.get("@graph", []) if isinstance(item.get("@graph"), list) else [])
            elif isinstance(item, list):
                stack.extend(item)
    return objects


def ld_article(sel: Selector) -> dict:
    for obj in json_ld(sel):
        types = obj.get("@type")
        types = set(types) if isinstance(types, list) else {types}
        if types & ARTICLE_TYPES and obj.get("@type") != "WebPage":
            return obj
    return {}


def meta(sel: Selector, name: str) -> str | None:
    value = sel.xpath(
        f'//meta[@property="{name}" or @name="{name}" or @itemprop="{name}"]/@content'
    ).get()
    return value.strip() if value else None


MAX_NOTICE_ITEM = 600  # a notice line: symbol, trích yếu, date; longer is prose
NOTICE_NUMBER_REACH = 40  # the symbol opens the line
_DATE_TAIL = re.compile(r"\(?\s*\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4}\s*\)?\s*$")


def _link(item: Selector, url: str) -> str | None:
    return _absolute(url, item.css("a::attr(href)").get())


def _absolute(url: str, href: str | None) -> str | None:
    absolute = urljoin(url, href.strip()) if href else None
    return absolute if absolute and absolute.startswith(("http://", "https://")) else None


MEMO_LINES = 4096  # notice lines a profile remembers (a site's sidebar blocks hold a dozen)


class CmsProfile:
    """Generic defaults; a CMS family overrides selectors and, rarely, a hook."""

    name: ClassVar[str] = "base"

    # --- detection: does a page come from this CMS? ---
    generator: ClassVar[re.Pattern[str] | None] = None
    signatures: ClassVar[tuple[re.Pattern[str], ...]] = ()

    # --- crawl ---
    start_paths: ClassVar[tuple[str, ...]] = ()
    notice_paths: ClassVar[tuple[str, ...]] = ()
    # the CMS's own RSS feeds and sitemaps, used to discover articles where a site has them
    discovery_paths: ClassVar[tuple[str, ...]] = ()
    article_path: ClassVar[re.Pattern[str]] = re.compile(r"\.html?$")
    listing_item_css: ClassVar[tuple[str, ...]] = ("article", ".item", "li")
    listing_date_css: ClassVar[tuple[str, ...]] = ("time::attr(datetime)", ".time", ".date")
    next_page_css: ClassVar[tuple[str, ...]] = ('a[rel="next"]::attr(href)',)
    # links inside these never lead to the listing's own articles
    listing_exclude_css: ClassVar[tuple[str, ...]] = ("header", "nav", "footer", "aside")

    # --- article page ---
    title_css: ClassVar[tuple[str, ...]] = ("h1",)
    lead_css: ClassVar[tuple[str, ...]] = ()
    lead_image_css: ClassVar[tuple[str, ...]] = ()
    lead_caption_css: ClassVar[tuple[str, ...]] = ("figcaption", ".wp-caption-text", ".caption",
                                                   "em")
    body_css: ClassVar[tuple[str, ...]] = ("article", "main")
    # page furniture a theme puts inside the body element (ad boxes, share bars)
    body_drop_css: ClassVar[tuple[str, ...]] = ()
    byline_css: ClassVar[tuple[str, ...]] = ()
    date_css: ClassVar[tuple[str, ...]] = ("time",)

    # --- notices (sidebar blocks and notice listings) ---
    notice_item_css: ClassVar[tuple[str, ...]] = ()
    notice_number_css: ClassVar[tuple[str, ...]] = ()
    notice_title_css: ClassVar[tuple[str, ...]] = ()
    notice_date_css: ClassVar[tuple[str, ...]] = ()
    # a notice page's own "Số, ký hiệu" field, and the boxes listing its files
    notice_symbol_css: ClassVar[tuple[str, ...]] = (".c-doc-info__symbol", ".doc-symbol")
    attachment_css: ClassVar[tuple[str, ...]] = ()

    def __init__(self) -> None:
        # notice line as HTML → (number, title, date, href)
        self._notice_lines: dict[bytes, tuple[str | None, str, str | None, str | None]] = {}

    # ---------------------------------------------------------------- detection
    @classmethod
    def matches(cls, html: str) -> bool:
        head = html[:200_000]
        if cls.generator is not None:
            gen = re.search(r'<meta[^>]+name=["\']generator["\'][^>]*>', head, re.I)
            if gen and cls.generator.search(gen.group(0)):
                return True
        return any(sig.search(head) for sig in cls.signatures)

    # ---------------------------------------------------------------- crawl hooks
    def canonical(self, url: str, site_url: str | None = None) -> str:
        """The one URL an article is archived under (a CMS may add its own rewrites)."""
        return canonical_url(url, site_url)

    def is_article_url(self, url: str, site_host: str) -> bool:
        parts = urlsplit(url)
        return parts.hostname == site_host and bool(self.article_path.search(parts.path))

    def listing_links(self, sel: Selector, url: str, site_host: str) -> list[tuple[str, str | None]]:
        """(article URL, date shown beside it) for each teaser of a listing page."""
        fenced = {node.root for css in self.listing_exclude_css + self.notice_item_css
                  for node in sel.css(css)}
        links: dict[str, str | None] = {}
        for item in first(sel, self.listing_item_css) or []:
            if item.root in fenced or any(a in fenced for a in item.root.iterancestors()):
                continue
            for href in item.css("a::attr(href)").getall():
                absolute = urljoin(url, href.strip())
                if not self.is_article_url(absolute, site_host):
                    continue
                if absolute not in links:
                    links[absolute] = text_of(first(item, self.listing_date_css)) or None
                break
        return list(links.items())

    def next_pages(self, sel: Selector, url: str) -> list[str]:
        found = first(sel, self.next_page_css)
        pages = [urljoin(url, h.strip()) for h in (found.getall() if found else [])]
        return [p for p in pages if p.startswith(("http://", "https://")) and p != url]

    # ---------------------------------------------------------------- page hooks
    def parse(self, sel: Selector, url: str) -> ArticlePage:
        """Select the parts of an article page; normalization happens later."""
        body = first(sel, self.body_css)
        lead = first(sel, self.lead_css)
        return ArticlePage(
            url=url,
            cms=self.name,
            title=self.title(sel),
            site_name=meta(sel, "og:site_name"),
            lead_html=lead[0].get() if lead else None,
            lead_image=self.lead_image(sel, url),
            body_html=self.body_html(body[0]) if body else "",
            byline=self.byline(sel),
            dates=self.dates(sel),
            notices=self.notices(sel, url),
        )

    def body_html(self, body: Selector) -> str:
        """The body element's HTML without the theme's in-body furniture or the lead
        (the page itself is left untouched)."""
        drop = self.body_drop_css + self.lead_css
        if not any(body.css(css) for css in drop):
            return body.get()
        copy = Selector(root=deepcopy(body.root))
        for css in drop:
            for node in copy.css(css):
                node.drop()
        return copy.get()

    def parse_notice(self, sel: Selector, url: str) -> ArticlePage:
        """A notice's own page: an article page plus its symbol field and files."""
        page = self.parse(sel, url)
        page.kind = "notice"
        page.symbol = text_of(first(sel, self.notice_symbol_css)) or None
        page.attachments = [{"url": u, "size": None, "type": None}
                            for u in self.attachments(sel, url)]
        return page

    def attachments(self, sel: Selector, url: str) -> list[str]:
        """Links to PDF/DOC files in the body and the page's file boxes, each once."""
        scopes = [*(first(sel, self.body_css) or [])[:1]]
        for css in self.attachment_css:
            scopes.extend(sel.css(css))
        found: dict[str, None] = {}
        for scope in scopes:
            for href in scope.css("a::attr(href)").getall():
                absolute = urljoin(url, href.strip())
                if absolute.startswith(("http://", "https://")) and is_attachment(absolute):
                    found.setdefault(absolute)
        return list(found)

    def title(self, sel: Selector) -> str:
        return (
            text_of(first(sel, self.title_css))
            or clean_text(ld_article(sel).get("headline"))
            or clean_text(meta(sel, "og:title"))
            or text_of(sel.css("title"))
        )

    def byline(self, sel: Selector) -> str | None:
        """The first byline element that names a writer (not a "Nguồn tin:" source line)."""
        for node in first(sel, self.byline_css) or []:
            text = text_of(node)
            if text and not is_source_line(text):
                return text
        return None

    def lead_image(self, sel: Selector, url: str) -> dict | None:
        found = first(sel, self.lead_image_css)
        if not found:
            return None
        img = found.css("img")
        src = image_src(img[0].attrib, url) if img else None
        caption = text_of(first(found, self.lead_caption_css)) or None
        return {"src": src, "caption": caption} if src else None

    def page_zone(self, sel: Selector) -> Any:
        """The zone the page printed its times in, when it says (None: Vietnam)."""
        return None

    def dates(self, sel: Selector) -> list[DateCandidate]:
        """Candidates in order of trust: JSON-LD, meta, microdata, then the visible widget."""
        zone = self.page_zone(sel)
        ld = ld_article(sel).get("datePublished")
        visible = first(sel, self.date_css)
        return [
            DateCandidate(ld if isinstance(ld, str) else "", "iso"),
            DateCandidate(meta(sel, "article:published_time") or "", "iso", zone),
            DateCandidate(sel.css("time::attr(datetime)").get() or "", "iso", zone),
            DateCandidate(text_of(visible), "text", zone),
        ]

    def notices(self, sel: Selector, url: str) -> list[NoticeRef]:
        """Notice items of sidebar blocks and notice listings on this page.

        The profile's notice selectors first; failing those, any list item or table row outside
        the article that starts with a party document number and links somewhere.
        """
        items = first(sel, self.notice_item_css)
        refs = [self._notice_ref(item, url) for item in items or []]
        if not items:
            refs = [self._loose_notice_ref(item, url) for item in self._loose_notice_items(sel)]
        unique: dict[tuple[str | None, str], NoticeRef] = {}
        for ref in refs:
            if ref is not None and ref.title:
                unique.setdefault((ref.doc_number, ref.title), ref)
        return list(unique.values())

    def _notice_ref(self, item: Selector, url: str) -> NoticeRef:
        """A notice line, read once per crawl: a sidebar block repeats the same lines on every
        page of a site, and reading them was a third of selecting an article page."""
        memo = self._notice_lines
        key = etree.tostring(item.root)
        if key not in memo:
            if len(memo) >= MEMO_LINES:
                memo.clear()
            number_text = text_of(first(item, self.notice_number_css))
            title = text_of(first(item, self.notice_title_css)) or text_of(item.css("a"))
            doc = parse_doc_number(number_text or title)
            day = parse_vn_datetime(text_of(first(item, self.notice_date_css)))
            memo[key] = (doc.canonical if doc else None, title,
                         day.date().isoformat() if day else None,
                         item.css("a::attr(href)").get())
        doc_number, title, day, href = memo[key]
        return NoticeRef(doc_number, title, day, _absolute(url, href))

    def _loose_notice_items(self, sel: Selector) -> list[Selector]:
        body = first(sel, self.body_css)
        article = body[0].root if body else None
        # only lines that link somewhere and could hold a number ("134-GM/ĐUK": a slash)
        candidates = sel.xpath(
            f"//li[.//a][contains(., '/')][string-length(.) < {MAX_NOTICE_ITEM}]"
            f" | //tr[.//a][contains(., '/')][string-length(.) < {MAX_NOTICE_ITEM}]")
        return [item for item in candidates
                if article is None or article not in item.root.iterancestors()]

    def _loose_notice_ref(self, item: Selector, url: str) -> NoticeRef | None:
        text = text_of(item)
        doc = parse_doc_number(text[:NOTICE_NUMBER_REACH])
        if doc is None or doc.start > NOTICE_NUMBER_REACH:
            return None
        rest = text[doc.end :]
        day = parse_last_date(rest)
        links = [text_of(a) for a in item.css("a")]
        title = max((t for t in links if parse_doc_number(t) is None or len(t) > 40),
                    key=len, default="") or clean_text(_DATE_TAIL.sub("", rest).strip(" -–:|"))
        return NoticeRef(doc.canonical, title, day.isoformat() if day else None,
                         _link(item, url))
