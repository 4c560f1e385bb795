"""The shape every CMS family shares: a declarative profile and a thin spider that walks it.

A profile says where a CMS keeps each part of a page (selectors as class data, a few hooks);
the spider only decides which pages to fetch. Reading a page is the profile's job.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterable
from copy import deepcopy
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urljoin, urlsplit

import scrapy
from parsel import Selector, SelectorList
from scrapy import signals
from scrapy.http import Response
from twisted.python.failure import Failure

from scraper.items import ArticlePage, CrawlError, FetchedPage, NoticeRef
from scraper.normalize.body import image_src
from scraper.normalize.byline import is_source_line
from scraper.normalize.dates import DateCandidate, parse_last_date, parse_vn_datetime
from scraper.normalize.docnumbers import parse_doc_number
from scraper.normalize.notice import is_attachment
from scraper.normalize.text import clean_text, parsable
from scraper.normalize.urls import canonical_url
from scraper.recheck import RecheckPolicy
from scraper.registry import RegistryError, Site, load_registry

ARTICLE_TYPES = {"NewsArticle", "Article", "BlogPosting", "ReportageNewsArticle", "WebPage"}


def first(sel: Selector, selectors: Iterable[str]) -> SelectorList | None:
    """The matches of the first selector that matches anything."""
    for css in selectors:
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
    href = item.css("a::attr(href)").get()
    absolute = urljoin(url, href.strip()) if href else None
    return absolute if absolute and absolute.startswith(("http://", "https://")) else None


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

    def lead_picture(self, page: ArticlePage) -> str | None:
        """The picture a feed shows for the article: the lead image, else the body's first."""
        if page.lead_image and page.lead_image.get("src"):
            return page.lead_image["src"]
        img = Selector(text=page.body_html).css("img") if page.body_html else []
        return image_src(img[0].attrib, page.url) if img else None

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
        number_text = text_of(first(item, self.notice_number_css))
        title = text_of(first(item, self.notice_title_css)) or text_of(item.css("a"))
        doc = parse_doc_number(number_text or title)
        day = parse_vn_datetime(text_of(first(item, self.notice_date_css)))
        return NoticeRef(doc.canonical if doc else None, title,
                         day.date().isoformat() if day else None, _link(item, url))

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


def known_pages(db_path: str | None, site_id: str) -> dict:
    """What the archive already holds of the site (nothing when there is no archive yet)."""
    if not db_path or not Path(db_path).exists():
        return {}
    from storage.archive import Archive

    archive = Archive(db_path)
    try:
        return archive.known_pages(site_id)
    finally:
        archive.close()


def article_page(profile: CmsProfile, html: str, url: str, site_id: str | None,
                 listing_date: str | None = None) -> ArticlePage:
    """What the spiders (and `scraper reprocess`) select on an article page."""
    page = profile.parse(Selector(text=parsable(html)), url)
    page.site_id = site_id
    if listing_date:
        page.dates.append(DateCandidate(listing_date, "text"))
    return page


def notice_page(profile: CmsProfile, html: str, url: str, site_id: str | None,
                listing: NoticeRef | None = None) -> ArticlePage:
    """What the spiders (and `scraper reprocess`) select on a notice's own page."""
    page = profile.parse_notice(Selector(text=parsable(html)), url)
    page.site_id = site_id
    page.listing = listing
    return page


class CmsSpider(scrapy.Spider):
    """Home page, listing pages (bounded pagination), then each article once.

    Run as `scrapy crawl <cms> -a site=<id>`, or by `scraper crawl` with a Site object.
    """

    name = "cms"
    profile_class: ClassVar[type[CmsProfile] | None] = None

    def __init__(self, site: Site | str | None = None, sites_file: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._site_arg = site
        self._sites_file = sites_file
        self.site: Site
        self.profile: CmsProfile | None = self.profile_class() if self.profile_class else None

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> CmsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.site = spider._resolve_site(crawler.settings)
        spider.allowed_domains = [spider.site.host]
        spider.max_pages = crawler.settings.getint("LISTING_MAX_PAGES", 5)
        spider.head_files = crawler.settings.getbool("FILES_HEAD", True)
        spider.home = {"status": None, "host": None}  # what the home page answered
        spider.reported = []  # failures found outside callbacks, archived when the crawl ends
        spider.recheck = RecheckPolicy.from_settings(
            crawler.settings, known_pages(crawler.settings.get("ARCHIVE_DB"), spider.site.id))
        spider.notices_seen = set()
        crawler.signals.connect(spider.on_spider_error, signal=signals.spider_error)
        return spider

    def _resolve_site(self, settings: Any) -> Site:
        if isinstance(self._site_arg, Site):
            return self._site_arg
        if not self._site_arg:
            raise RegistryError(f"spider '{self.name}' needs a site: -a site=<id>")
        sites = load_registry(self._sites_file or settings.get("SITES_FILE"))
        for site in sites:
            if site.id == self._site_arg:
                return site
        raise RegistryError(f"no site '{self._site_arg}' in the registry")

    # ---------------------------------------------------------------- requests
    def _request(self, url: str, callback: Any, **meta: Any) -> scrapy.Request:
        if self.profile is not None:
            url = self.canonical(url)
        return scrapy.Request(url, callback=callback, errback=self.on_error, meta=meta)

    async def start(self) -> AsyncIterator[Any]:
        yield self._request(self.site.url, self.parse_home, home=True)

    def parse_home(self, response: Response) -> Iterable[Any]:
        """The home page: detect the CMS if unknown, then its teasers and the listing pages."""
        self.home = {"status": response.status, "host": urlsplit(response.url).hostname}
        if self.profile is None:
            from spiders import detect_profile

            self.profile = detect_profile(response.text)()
            self.logger.info("%s: detected CMS %s", self.site.id, self.profile.name)
        yield from self.parse_listing(response, page=0)
        starts = self.site.start_urls or tuple(
            urljoin(self.site.url, p) for p in self.profile.start_paths
        )
        for url in starts:
            yield self._request(url, self.parse_listing, page=1)
        for url in self.notice_listings():
            yield self._request(url, self.parse_listing, page=1)
        for path in self.profile.discovery_paths:
            yield scrapy.Request(urljoin(self.site.url, path), callback=self.parse_discovery,
                                 errback=self.on_optional_error, meta={"depth_left": 1})

    def parse_discovery(self, response: Response) -> Iterable[Any]:
        """Article links from an RSS/Atom feed or a sitemap (a sitemap index one level deep)."""
        assert self.profile is not None
        xml = Selector(text=response.text, type="xml")
        xml.remove_namespaces()
        for loc in xml.xpath("//sitemap/loc/text()").getall():
            if response.meta.get("depth_left"):
                yield scrapy.Request(urljoin(response.url, loc.strip()),
                                     callback=self.parse_discovery,
                                     errback=self.on_optional_error, meta={"depth_left": 0})
        links = xml.xpath("//item/link/text() | //entry/link/@href | //url/loc/text()").getall()
        for link in links:
            url = self.canonical(urljoin(response.url, link.strip()))
            if not self.profile.is_article_url(url, self.site.host):
                continue
            if not self.recheck.wants(url):
                self.crawler.stats.inc_value("scraper/known_skipped")
            elif self.is_notice_url(url):
                yield self._request(url, self.parse_notice,
                                    listing=NoticeRef(None, "", None, url, self.site.id))
            else:
                yield self._request(url, self.parse_article)

    def parse_listing(self, response: Response, page: int | None = None) -> Iterable[Any]:
        """Teasers of a listing page (articles or notices) and the next pages, bounded."""
        assert self.profile is not None
        page = response.meta.get("page", 1) if page is None else page
        self.crawler.stats.inc_value("scraper/listing_pages")
        yield from self.notice_blocks(response)
        notices_here = self.is_notice_url(response.url)
        unknown = 0
        for url, shown in self.profile.listing_links(response.selector, response.url,
                                                     self.site.host):
            url = self.canonical(url)
            unknown += self.recheck.is_new(url)
            if not self.recheck.wants(url):
                self.crawler.stats.inc_value("scraper/known_skipped")
                continue
            if notices_here or self.is_notice_url(url):
                shown_day = parse_vn_datetime(shown or "")
                listed = NoticeRef(None, "", shown_day.date().isoformat() if shown_day else None,
                                   url, self.site.id)
                yield self._request(url, self.parse_notice, listing=listed)
            else:
                yield self._request(url, self.parse_article, listing_date=shown)
        # newest first: a page without anything new means the pages after it are known too
        if page and page < self.max_pages and (unknown or self.recheck.refresh):
            for url in self.profile.next_pages(response.selector, response.url):
                yield self._request(url, self.parse_listing, page=page + 1)

    def parse_article(self, response: Response) -> Iterable[Any]:
        assert self.profile is not None
        if not isinstance(response, scrapy.http.TextResponse):
            yield self._unusable(response, "not a text page")
            return
        yield from self.notice_blocks(response)
        shown = response.meta.get("listing_date")
        yield self.fetched(response, "article", shown)
        try:
            page = article_page(self.profile, response.text, self.canonical(response.url),
                                self.site.id, shown)
        except Exception as exc:  # noqa: BLE001 - one bad page must not stop the crawl
            yield self._unusable(response, f"extraction failed: {type(exc).__name__}: {exc}")
            return
        lead = self.profile.lead_picture(page)
        page.media = [{"url": lead, "size": None, "type": None}] if lead else []
        yield from self._describe(page, page.media, 0)

    # ---------------------------------------------------------------- notices
    def notice_listings(self) -> tuple[str, ...]:
        assert self.profile is not None
        return self.site.notice_urls or tuple(
            urljoin(self.site.url, p) for p in self.profile.notice_paths
        )

    def is_notice_url(self, url: str) -> bool:
        return any(url.startswith(p) for p in self.notice_listings())

    def notice_blocks(self, response: Response) -> Iterable[Any]:
        """Notices of the page's blocks (each once per crawl), and requests for their pages."""
        assert self.profile is not None
        for ref in self.profile.notices(response.selector, response.url):
            key = ref.doc_number or ref.url or ref.title
            if key in self.notices_seen:
                continue
            self.notices_seen.add(key)
            ref.site_id = self.site.id
            yield ref
            if (ref.url and not is_attachment(ref.url)
                    and urlsplit(ref.url).hostname == self.site.host
                    and self.recheck.wants(self.canonical(ref.url))):
                yield self._request(ref.url, self.parse_notice, listing=ref)

    def parse_notice(self, response: Response) -> Iterable[Any]:
        assert self.profile is not None
        if not isinstance(response, scrapy.http.TextResponse):
            yield self._unusable(response, "not a text page")
            return
        listing = response.meta.get("listing")
        yield self.fetched(response, "notice", listing.date if listing else None)
        try:
            page = notice_page(self.profile, response.text, self.canonical(response.url),
                               self.site.id, listing)
        except Exception as exc:  # noqa: BLE001 - one bad page must not stop the crawl
            yield self._unusable(response, f"extraction failed: {type(exc).__name__}: {exc}")
            return
        yield from self._describe(page, page.attachments, 0)

    def fetched(self, response: Response, kind: str, listing_date: str | None) -> FetchedPage:
        headers = {k.decode("latin-1").lower(): b", ".join(v).decode("latin-1")
                   for k, v in response.headers.items()}
        return FetchedPage(self.canonical(response.url), self.site.id, kind, response.status,
                           headers, response.body, listing_date)

    def canonical(self, url: str) -> str:
        assert self.profile is not None
        return self.profile.canonical(url, self.site.url)

    def _describe(self, page: ArticlePage, files: list[dict], index: int) -> Iterable[Any]:
        """HEAD each file (attachment, lead picture) in turn for its size and type, then hand
        on the page. Files are never downloaded."""
        if not self.head_files or index >= len(files):
            yield page
            return
        yield scrapy.Request(
            files[index]["url"], method="HEAD", callback=self.on_head,
            errback=self.on_head_error, cb_kwargs={"page": page, "files": files, "index": index},
            meta={"allow_offsite": True, "dont_cache": True}, dont_filter=True,
        )

    def on_head(self, response: Response, page: ArticlePage, files: list[dict], index: int
                ) -> Iterable[Any]:
        length = response.headers.get("Content-Length")
        kind = response.headers.get("Content-Type")
        files[index]["size"] = int(length) if length and length.isdigit() else None
        files[index]["type"] = kind.decode("latin-1").split(";")[0].strip() if kind else None
        yield from self._describe(page, files, index + 1)

    def on_head_error(self, failure: Failure) -> Iterable[Any]:
        kwargs = failure.request.cb_kwargs
        self.logger.info("%s: no HEAD for %s: %s", self.site.id, failure.request.url,
                         failure.getErrorMessage())
        yield from self._describe(kwargs["page"], kwargs["files"], kwargs["index"] + 1)

    # ---------------------------------------------------------------- failures
    def on_optional_error(self, failure: Failure) -> None:
        """A feed or sitemap the site does not have: worth a log line, not an error."""
        self.logger.info("%s: no %s (%s)", self.site.id, failure.request.url,
                         failure.getErrorMessage())

    def on_error(self, failure: Failure) -> Iterable[CrawlError]:
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        response = getattr(failure.value, "response", None)
        if request is not None and request.meta.get("home"):
            self.home = {"status": response.status if response is not None else None,
                         "host": urlsplit((response or request).url).hostname}
        reason = failure.getErrorMessage() or failure.type.__name__
        self._count_error(url, reason)
        yield CrawlError(self.site.id, url, f"{failure.type.__name__}: {reason}",
                         response.status if response is not None else None)

    def on_spider_error(self, failure: Failure, response: Response, spider: Any) -> None:
        """A page our code could not handle: counted like a fetch failure; the crawl goes on."""
        reason = f"extraction failed: {failure.type.__name__}: {failure.getErrorMessage()}"
        self._count_error(response.url, reason)

    def report(self, url: str, reason: str) -> None:
        """A failure found outside a callback (a refused request): archived at the end."""
        self.logger.warning("%s: refused %s: %s", self.site.id, url, reason)
        self.reported.append(CrawlError(self.site.id, url, reason))

    def _unusable(self, response: Response, reason: str) -> CrawlError:
        self._count_error(response.url, reason)
        return CrawlError(self.site.id, response.url, reason, response.status)

    def _count_error(self, url: str, reason: str) -> None:
        self.crawler.stats.inc_value("scraper/errors")
        self.logger.warning("%s: failed %s: %s", self.site.id, url, reason)
