"""An article body element → ordered blocks of text and safe HTML, plus its images.

The sequence, each step one function: parse, prune widgets, turn pictures into figures,
walk the tree into blocks, drop widget lines. Functions that change the soup say so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from typing import Any
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from . import boilerplate as bp
from .text import clean_text, fold

BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "blockquote", "center", "pre", "dl", "dt", "dd",
    "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "thead", "tbody", "tfoot",
    "tr", "td", "th", "figure", "figcaption", "hr", "address", "caption",
})
# Block elements inside a cell make a table a layout table.
LAYOUT_MARKERS = ["p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "blockquote"]
HEADING_LEVEL = {"h1": "h2", "h2": "h2", "h3": "h3", "h4": "h4", "h5": "h4", "h6": "h4"}
INLINE_MARKUP = {"strong": "strong", "b": "strong", "em": "em", "i": "em"}
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_NAME_SPLIT = re.compile(r"[\s\-_]+")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_RIGHT_STYLE = re.compile(r"text-align\s*:\s*right", re.I)
_CENTER_STYLE = re.compile(r"text-align\s*:\s*center", re.I)
_CAPTION_CLASS = re.compile(r"caption|desc|note|chuthich|chu-thich|image_?text", re.I)
_HEADING_LIKE = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6"})
_LAZY_SRC = ("data-src", "data-original", "data-lazy-src", "data-srcset", "src")
MAX_CAPTION_LEN = 400
MAX_CENTERED_CAPTION = 250
MAX_HEADING_LEN = 60  # widget headings are short; longer text is never compared


@dataclass(slots=True)
class Image:
    src: str
    caption: str | None = None


@dataclass(slots=True)
class Block:
    """One paragraph of the record: `tag` is p, h2–h4, li, tr or figure."""

    tag: str
    text: str
    html: str
    group: int | None = None  # the list or table a li/tr belongs to
    ordered: bool = False
    bold: bool = False  # set wholly in bold (a lead, when the page has no lead element)
    right: bool = False  # right-aligned (bylines are)
    image: Image | None = None


@dataclass(slots=True)
class Body:
    blocks: list[Block] = field(default_factory=list)
    guard_hits: int = 0  # widget lines that got past structure and were caught by phrase


@lru_cache(maxsize=16)
def parse_body(html: str, base_url: str) -> Body:
    """The whole sequence for one body element's HTML (cached: the generic profile checks its
    choice with it before normalization reads the same body; callers never change the result)."""
    soup = BeautifulSoup(html or "", "lxml")
    root = soup.body or soup
    prune_widgets(root)
    mark_figures(root, soup, base_url)
    blocks = _Walker(base_url).walk(root)
    return drop_widget_lines(blocks)


# --- pruning -----------------------------------------------------------------------------


def _name_words(tag: Tag) -> set[str]:
    names = " ".join(tag.get("class") or []) + " " + str(tag.get("id") or "")
    return {w.lower() for w in _NAME_SPLIT.split(_CAMEL.sub(" ", names)) if w}


def is_widget(tag: Tag) -> bool:
    """A container whose name or visible heading says it is page furniture."""
    if tag.name in bp.DROP_TAGS or _HIDDEN_STYLE.search(tag.get("style") or ""):
        return True
    if _name_words(tag) & bp.WIDGET_WORDS:
        return True
    if tag.name in ("div", "section", "ul", "table", "dl"):
        head = tag.find(string=lambda s: bool(s.strip()))
        if head is not None and len(head) <= MAX_HEADING_LEN:
            first = fold(head)
            if first in bp.WIDGET_HEADINGS and len(tag.get_text(strip=True)) > len(head.strip()):
                return True
    return False


def prune_widgets(root: Tag) -> None:
    """Remove comments, scripts, forms and widget containers (mutates the soup)."""
    for node in root.find_all(string=lambda s: isinstance(s, Comment)):
        node.extract()
    for tag in list(root.find_all(True)):
        # a decomposed tag has lost its parent too; bs4's own `decomposed` property searches
        # the intact tag's whole subtree for a child named `_decomposed` (1.5 ms a page)
        if tag.parent is None:
            continue
        if _is_table_caption(tag) or is_widget(tag):
            tag.decompose()
            continue
        if tag.name in _HEADING_LIKE:
            text = tag.get_text(" ")
            if len(text) <= MAX_HEADING_LEN and fold(text) in bp.WIDGET_HEADINGS:
                _drop_heading_and_list(tag)


def _is_table_caption(tag: Tag) -> bool:
    """A table's caption (<caption>, or a figcaption of a figure with no picture): not text."""
    if tag.name == "caption":
        return True
    parent = tag.parent
    return tag.name == "figcaption" and parent is not None and parent.find("img") is None


def _drop_heading_and_list(heading: Tag) -> None:
    following = heading.find_next_sibling(True)
    if following is not None and following.name in ("ul", "ol", "div"):
        following.decompose()
    heading.decompose()


# --- pictures ----------------------------------------------------------------------------


def image_src(attrs: Mapping[str, Any], base_url: str) -> str | None:
    """The real picture of an <img> (lazy loaders keep it in data-src), as an absolute URL."""
    for attr in _LAZY_SRC:
        value = str(attrs.get(attr) or "").strip().split(" ")[0]
        if value and not value.startswith("data:"):
            absolute = urljoin(base_url, value)
            return absolute if absolute.startswith(("http://", "https://")) else None
    return None


def _caption_of(img: Tag) -> tuple[str | None, Tag | None]:
    """The caption printed with a picture, and the element that carries it."""
    figure = img.find_parent("figure")
    if figure is not None:
        cap = figure.find("figcaption")
        return (clean_text(cap.get_text(" ")) or None, cap) if cap else (None, None)
    table = _image_table(img)
    if table is not None:
        rows = [r for r in table.find_all("tr") if not r.find("img")]
        text = clean_text(" ".join(r.get_text(" ") for r in rows))
        if text:
            return text, None
    holder = _picture_holder(img) or img
    sibling = holder.find_next_sibling(True)
    if sibling is not None and _looks_like_caption(sibling):
        return clean_text(sibling.get_text(" ")), sibling
    inline = _inline_caption(img)
    if inline is not None:
        return clean_text(inline.get_text(" ")), inline
    return None, None


def _inline_caption(img: Tag) -> Tag | None:
    """<p><img><br><em>caption</em></p>: an emphasised line after the picture, in its block."""
    parent = img.parent
    if parent is None or parent.name not in ("p", "div", "center"):
        return None
    after = img.find_next_sibling(lambda t: t.name != "br")
    if after is None or after.name not in ("em", "i", "span") or after.find("img"):
        return None
    if clean_text(after.get_text(" ")) != clean_text(parent.get_text(" ")):
        return None
    text = clean_text(after.get_text(" "))
    return after if 0 < len(text) <= MAX_CAPTION_LEN else None


def _picture_holder(img: Tag) -> Tag | None:
    """The block that holds nothing but this picture (its p/div/a wrapper)."""
    node = img
    while node.parent is not None and node.parent.name not in ("body", "[document]"):
        parent = node.parent
        if parent.get_text(strip=True) or len(parent.find_all("img")) > 1:
            return node if node is not img else None
        node = parent
        if node.name in ("p", "div", "center"):
            return node
    return node if node is not img else None


def _looks_like_caption(tag: Tag) -> bool:
    text = clean_text(tag.get_text(" "))
    if not text or len(text) > MAX_CAPTION_LEN or tag.find("img"):
        return False
    inner_tags = tag.find_all(True, recursive=False)
    names = " ".join([*tag.get("class", []),
                      *(inner_tags[0].get("class", []) if len(inner_tags) == 1 else [])])
    if _CAPTION_CLASS.search(names) or tag.name == "figcaption":
        return True
    if _CENTER_STYLE.search(tag.get("style") or "") and len(text) <= MAX_CENTERED_CAPTION:
        return True  # editors centre the caption line under a picture
    inner = [c for c in tag.children if not (isinstance(c, NavigableString) and not c.strip())]
    wholly_em = len(inner) >= 1 and all(
        isinstance(c, Tag) and c.name in ("em", "i", "span", "br") and
        (c.name != "span" or c.find(["em", "i"])) for c in inner
    ) and any(isinstance(c, Tag) and c.name != "br" for c in inner)
    return wholly_em


def mark_figures(root: Tag, soup: BeautifulSoup, base_url: str) -> None:
    """Replace each picture and its caption with one <figure> (mutates the soup)."""
    for img in list(root.find_all("img")):
        if img.parent is None:  # inside a decomposed caption or widget (see prune_widgets)
            continue
        src = image_src(img, base_url)
        if not src:
            img.decompose()
            continue
        caption, caption_tag = _caption_of(img)
        if caption_tag is not None:
            caption_tag.decompose()
        figure = soup.new_tag("figure")
        figure["data-src"] = src
        if caption:
            figure["data-caption"] = caption
        unit = img.find_parent("figure") or _image_table(img) or _picture_holder(img) or img
        unit.insert_before(figure)
        unit.decompose()


def _image_table(img: Tag) -> Tag | None:
    """A small table that frames one picture and its caption (CKEditor's table.image)."""
    table = img.find_parent("table")
    if table is None or len(table.find_all("img")) != 1 or len(table.find_all("tr")) > 3:
        return None
    cell = img.find_parent(["td", "th"])
    if cell is not None and clean_text(cell.get_text(" ")):
        return None
    rows = [r for r in table.find_all("tr") if not r.find("img")]
    if len(clean_text(" ".join(r.get_text(" ") for r in rows))) <= MAX_CAPTION_LEN:
        return table
    return None


# --- walking -----------------------------------------------------------------------------


class _Line:
    def __init__(self) -> None:
        self.text: list[str] = []
        self.html: list[str] = []
        self.bold = 0
        self.chars = 0


class _Walker:
    """Turns the pruned tree into blocks in document order."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.blocks: list[Block] = []
        self.line = _Line()
        self.groups = 0
        self.right = False

    def walk(self, root: Tag) -> list[Block]:
        self._children(root, bold=False)
        self._flush()
        return self.blocks

    def _children(self, tag: Tag, bold: bool) -> None:
        for child in tag.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                self._add_text(str(child), bold)
            elif isinstance(child, Tag):
                self._element(child, bold)

    def _element(self, tag: Tag, bold: bool) -> None:
        name = tag.name
        if name == "br":
            self._flush()
        elif name == "figure" and tag.has_attr("data-src"):
            self._flush()
            image = Image(tag["data-src"], tag.get("data-caption"))
            self.blocks.append(Block("figure", "", _figure_html(image), image=image))
        elif name in HEADING_LEVEL:
            self._flush()
            self._children(tag, bold)
            self._flush(HEADING_LEVEL[name])
        elif name in ("ul", "ol"):
            self._list(tag, ordered=name == "ol")
        elif name == "table":
            self._table(tag)
        elif name in BLOCK_TAGS:
            self._flush()
            outer = self.right
            self.right = outer or bool(_RIGHT_STYLE.search(tag.get("style") or "")) or (
                (tag.get("align") or "").lower() == "right"
            )
            self._children(tag, bold)
            self._flush()
            self.right = outer
        else:
            self._inline(tag, bold)

    def _inline(self, tag: Tag, bold: bool) -> None:
        markup = INLINE_MARKUP.get(tag.name)
        style = (tag.get("style") or "").replace(" ", "").lower()
        bold = bold or markup == "strong" or "font-weight:bold" in style
        if tag.name == "a" and tag.get("href"):
            href = urljoin(self.base_url, tag["href"].strip())
            if href.startswith(("http://", "https://", "mailto:")):
                self.line.html.append(f'<a href="{escape(href)}">')
                self._children(tag, bold)
                self.line.html.append("</a>")
                return
        if markup:
            self.line.html.append(f"<{markup}>")
            self._children(tag, bold)
            self.line.html.append(f"</{markup}>")
        else:
            self._children(tag, bold)

    def _add_text(self, value: str, bold: bool) -> None:
        self.line.text.append(value)
        self.line.html.append(escape(value, quote=False))
        visible = len(value.strip())
        self.line.chars += visible
        if bold:
            self.line.bold += visible

    def _flush(self, tag: str = "p", group: int | None = None, ordered: bool = False) -> None:
        line, self.line = self.line, _Line()
        text = clean_text("".join(line.text))
        if not text:
            return
        html = _tidy_inline("".join(line.html))
        self.blocks.append(Block(
            tag, text, html, group=group, ordered=ordered,
            bold=line.chars > 0 and line.bold >= line.chars, right=self.right,
        ))

    def _list(self, tag: Tag, ordered: bool) -> None:
        self._flush()
        self.groups += 1
        group = self.groups
        for item in tag.find_all("li", recursive=False) or [tag]:
            for child in item.children:
                if isinstance(child, Tag) and child.name in ("ul", "ol"):
                    self._flush("li", group, ordered)
                    self._list(child, child.name == "ol")
                    self.groups += 1
                    group = self.groups
                elif isinstance(child, Tag) and child.name == "figure":
                    self._flush("li", group, ordered)
                    self._element(child, False)
                elif isinstance(child, Tag) and child.name in ("p", "div", "br"):
                    self._children(child, False)
                    self._add_text(" ", False)
                elif isinstance(child, NavigableString):
                    self._add_text(str(child), False)
                elif isinstance(child, Tag):
                    self._inline(child, False)
            self._flush("li", group, ordered)

    def _table(self, tag: Tag) -> None:
        self._flush()
        if tag.find(LAYOUT_MARKERS):
            # a table used for page layout: its cells hold paragraphs, not data
            for cell in tag.find_all(["td", "th"]):
                if cell.find_parent("table") is tag:
                    self._children(cell, False)
                    self._flush()
            return
        self.groups += 1
        group = self.groups
        for row in tag.find_all("tr"):
            if row.find_parent("table") is not tag:
                continue
            cells = []
            for cell in row.find_all(["td", "th"], recursive=False):
                figures = cell.find_all("figure", attrs={"data-src": True})
                for fig in figures:
                    self._element(fig.extract(), False)
                cells.append(clean_text(cell.get_text(" ")))
            cells = [c for c in cells if c]
            if cells:
                text = " | ".join(cells)
                html = "".join(f"<td>{escape(c, quote=False)}</td>" for c in cells)
                self.blocks.append(Block("tr", text, html, group=group))


_EMPTY_MARKUP = re.compile(r"<(strong|em)>\s*</\1>|<a href=\"[^\"]*\">\s*</a>")
_SPACES = re.compile(r"\s+")


def _tidy_inline(html: str) -> str:
    html = _SPACES.sub(" ", html.replace("\u00a0", " ")).strip()
    previous = None
    while previous != html:
        previous, html = html, _EMPTY_MARKUP.sub("", html)
    return html.strip()


def _figure_html(image: Image) -> str:
    caption = f"<figcaption>{escape(image.caption, quote=False)}</figcaption>" if image.caption else ""
    alt = escape(image.caption or "")
    return f'<figure><img src="{escape(image.src)}" alt="{alt}">{caption}</figure>'


# --- the phrase guard ----------------------------------------------------------------------


def drop_widget_lines(blocks: list[Block]) -> Body:
    """Drop short lines that are a widget's text; count them, since structure should have."""
    kept, hits = [], 0
    for block in blocks:
        if block.tag != "figure" and len(block.text) <= bp.GUARD_MAX_LEN and (
            bp.BOILERPLATE_LINE.match(block.text)
        ):
            hits += 1
            continue
        kept.append(block)
    return Body(kept, hits)
