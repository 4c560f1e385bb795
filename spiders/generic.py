"""Any other site: trafilatura finds the article, our normalization cleans it.

trafilatura (the well-kept generic extractor) decides which text is the article. We then go back
to the page's own element that holds those paragraphs, so our rules see the original markup
(class names, caption styles, bylines) rather than trafilatura's simplified copy; when no single
element holds them, trafilatura's own HTML is used.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import ClassVar

import lxml.html
import trafilatura
from htmldate import find_date
from lxml.etree import _Element
from parsel import Selector

from scraper.items import ArticlePage
from scraper.normalize.body import parse_body
from scraper.normalize.dates import DateCandidate, parse_vn_datetime, pick_published
from scraper.normalize.text import clean_text, fold

from .base import CmsSpider
from .profile import CmsProfile, first, ld_article, meta, text_of

_LEADING_HEADINGS = re.compile(r"^\s*(?:<html>\s*<body>\s*)?(?:<h[12][^>]*>.*?</h[12]>\s*)+",
                               re.S | re.I)
_INLINE = {"p", "span", "strong", "em", "b", "i", "a", "font", "u", "small", "big"}
_SKIP_TEXT = {"script", "style", "noscript", "template"}
# (not "form": ASP.NET portals wrap the whole page in one)
_OUTSIDE_ALWAYS = {"nav", "aside", "select"}
_OUTSIDE_PAGE = {"header", "footer"}  # an <article>'s own header and footer hold its dateline
_TITLE_SEP = re.compile(r"\s+[-|–:]{1,2}\s+")
MIN_TITLE = 10
_WORD = re.compile(r"\w+")
MIN_AGREEMENT_RECALL = 0.8
MIN_AGREEMENT_PRECISION = 0.99  # our element may say less, never more
PROBES = 6  # the longest paragraphs used to find the article's element
PROBE_LEN = 60
DATELINE_REACH = 30  # text nodes before and after the headline searched for the dateline


def _text_nodes(root: _Element, skip_furniture: bool = False) -> list[tuple[_Element, str]]:
    """Every non-empty text of the page with the element that shows it, in document order;
    with skip_furniture, none from navigation, sidebars or the page's own header and footer."""
    nodes: list[tuple[_Element, str]] = []
    body = root.find("body")

    def walk(el: _Element, in_article: bool) -> None:
        if not isinstance(el.tag, str) or el.tag in _SKIP_TEXT:
            return
        if skip_furniture and (el.tag in _OUTSIDE_ALWAYS
                               or (el.tag in _OUTSIDE_PAGE and not in_article)):
            return
        in_article = in_article or el.tag == "article"
        if el.text and el.text.strip():
            nodes.append((el, clean_text(el.text)))
        for child in el:
            walk(child, in_article)
            if child.tail and child.tail.strip():
                nodes.append((el, clean_text(child.tail)))

    walk(body if body is not None else root, False)
    return nodes


def _common_ancestor(elements: list[_Element]) -> _Element:
    paths = [list(reversed([e, *e.iterancestors()])) for e in elements]
    common = paths[0][0]
    for level in zip(*paths, strict=False):
        if all(el is level[0] for el in level):
            common = level[0]
        else:
            break
    return common


def content_element(root: _Element, paragraphs: list[str], extracted_len: int) -> _Element | None:
    """The page's own element holding the paragraphs trafilatura extracted, if one does."""
    nodes = _text_nodes(root)
    anchors = []
    for para in sorted(paragraphs, key=len, reverse=True)[:PROBES]:
        probe = clean_text(para)[:PROBE_LEN]
        found = [el for el, text in nodes if probe in text]
        if len(found) == 1:  # a probe seen in several places (a teaser, a title) anchors nothing
            anchors.append(found[0])
    if len(anchors) < min(2, len(paragraphs)) or not anchors:
        return None
    element = _common_ancestor(anchors)
    while element.tag in _INLINE and element.getparent() is not None:
        element = element.getparent()
    if element.tag in ("html", "body"):
        return None
    # an element much larger than the article is a page column, not the article
    if len(clean_text(element.text_content())) > 3 * extracted_len + 2000:
        return None
    return element


def agrees(expected: str, found: str) -> bool:
    """Whether our cleaned element says what trafilatura extracted, give or take a little."""
    want, got = Counter(_WORD.findall(expected.lower())), Counter(_WORD.findall(found.lower()))
    if not want or not got:
        return False
    shared = sum((want & got).values())
    return (shared / sum(want.values()) >= MIN_AGREEMENT_RECALL
            and shared / sum(got.values()) >= MIN_AGREEMENT_PRECISION)


class GenericProfile(CmsProfile):
    name = "generic"
    title_css = ("h1.entry-title", "h1.title", "article h1", ".itemTitle", "h1", "h2.title")
    lead_css = (".itemIntroText", ".sapo", ".article-sapo", ".news-sapo", ".chapeau", ".lead",
                ".summary", ".hometext", ".brief", ".desc")
    lead_image_css = (".field--name-field-image", ".itemImageBlock", ".post-thumbnail",
                      ".featured-image", ".article-image")
    date_css = ("time", ".itemDateCreated", ".post-date", ".entry-date", ".date", ".ngay-dang")
    headline_css = "h1, h2, h3, .itemTitle, .title"

    def parse(self, sel: Selector, url: str) -> ArticlePage:
        page = super().parse(sel, url)
        html = sel.get()
        page.body_html = self.main_content(sel, html, url)
        page.dates[-1:-1] = [DateCandidate(self.dateline(sel), "text")]
        if pick_published(page.dates) is None:  # htmldate parses the page again: last resort
            page.dates.append(DateCandidate(self.guess_date(html) or "", "iso"))
        return page

    def headline(self, sel: Selector) -> Selector | None:
        """The heading the document title names (the first h1 is often the site's name)."""
        key = fold(self.stated_title(sel))
        for node in sel.css(self.headline_css)[:40]:
            text = text_of(node)
            if len(text) >= MIN_TITLE and fold(text) in key:
                return node
        return None

    def stated_title(self, sel: Selector) -> str:
        return clean_text(ld_article(sel).get("headline")) or clean_text(
            meta(sel, "og:title")) or text_of(sel.css("title"))

    def title(self, sel: Selector) -> str:
        node = self.headline(sel)
        if node is not None:
            return text_of(node)
        stated = self.stated_title(sel)
        if stated:
            return max(_TITLE_SEP.split(stated), key=len).strip()
        return super().title(sel)

    def main_content(self, sel: Selector, html: str, url: str) -> str:
        text = trafilatura.extract(html, url=url, include_comments=False, include_tables=True)
        if not text:
            return ""
        paragraphs = [p for p in text.split("\n") if len(p.strip()) >= PROBE_LEN]
        element = content_element(sel.root, paragraphs, len(text))
        if element is not None:
            html_of_element = lxml.html.tostring(element, encoding="unicode")
            cleaned = " ".join(b.text for b in parse_body(html_of_element, url).blocks)
            if agrees(text, cleaned):
                return html_of_element
        body = trafilatura.extract(
            html, url=url, output_format="html", include_comments=False, include_tables=True,
            include_images=True, include_links=True,
        )
        return _LEADING_HEADINGS.sub("", body or "", count=1)

    def dateline(self, sel: Selector) -> str:
        """The first date printed near the headline (portals print it just above or below)."""
        heading = self.headline(sel) or (first(sel, self.title_css) or [None])[0]
        if heading is None:
            return ""
        nodes = _text_nodes(sel.root, skip_furniture=True)
        target = heading.root
        where = next((i for i, (el, _) in enumerate(nodes)
                      if el is target or target in el.iterancestors()), None)
        if where is None:
            return ""
        for distance in range(1, DATELINE_REACH + 1):
            for i in (where + distance, where - distance):
                if 0 <= i < len(nodes) and parse_vn_datetime(nodes[i][1]) is not None:
                    return nodes[i][1]
        return ""

    def guess_date(self, html: str) -> str | None:
        """htmldate's reading of the original date: the last resort (it can take sidebar dates)."""
        try:
            return find_date(html, original_date=True, extensive_search=False,
                             outputformat="%Y-%m-%d")
        except (ValueError, TypeError):  # a third-party guess must not sink the page
            return None


class GenericSpider(CmsSpider):
    name = "generic"
    profile_class: ClassVar[type[CmsProfile]] = GenericProfile
