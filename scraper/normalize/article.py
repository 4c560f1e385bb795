"""ArticlePage → Article: the one normalization path spiders and `scraper extract` share."""

from __future__ import annotations

from bs4 import BeautifulSoup

from ..items import Article, ArticlePage
from .body import Block, parse_body
from .boilerplate import PLACEHOLDER_ALT
from .byline import strip_label, take_byline
from .dates import pick_published
from .docnumbers import cited_documents
from .sanitize import sanitize_html
from .text import clean_or_none, clean_text, fold


def normalize_article(page: ArticlePage) -> Article:
    body = parse_body(page.body_html, page.url)
    blocks = body.blocks
    summary = lead_text(page.lead_html)
    if summary:
        blocks = _drop_repeated_lead(blocks, summary)
    found_author, blocks = take_byline(blocks)
    if not summary and blocks and blocks[0].tag == "p" and blocks[0].bold:
        summary, blocks = blocks[0].text, blocks[1:]
    author = strip_label(page.byline) or found_author
    text_blocks = [b for b in blocks if b.tag != "figure"]
    images = _described(_images(page, blocks), page.media)
    text = "\n\n".join(b.text for b in text_blocks)
    return Article(
        url=page.url,
        cms=page.cms,
        kind=page.kind,
        title=clean_title(page.title, page.site_name),
        summary=summary,
        author=author,
        published=pick_published(page.dates),
        text=text,
        html=render_html(blocks),
        images=images,
        documents=cited_documents("\n".join(filter(None, [summary, text]))),
        notices=[
            {"doc_number": n.doc_number, "title": clean_text(n.title), "date": n.date,
             "url": n.url}
            for n in page.notices
        ],
        site_id=page.site_id,
        guard_hits=body.guard_hits,
    )


def lead_text(lead_html: str | None) -> str | None:
    """The lead's text without the picture or caption some CMSs print inside it."""
    if not lead_html:
        return None
    soup = BeautifulSoup(lead_html, "lxml")
    for tag in soup.find_all(["img", "figure", "figcaption", "script", "style"]):
        tag.decompose()
    return clean_or_none(soup.get_text(" "))


def clean_title(title: str, site_name: str | None) -> str:
    """The headline, without a " - Site name" suffix copied from <title>."""
    title = clean_text(title)
    if site_name:
        site = clean_text(site_name)
        for sep in (" - ", " | ", " – ", " :: "):
            if title.endswith(sep + site):
                return title[: -len(sep + site)].strip()
    return title


def _drop_repeated_lead(blocks: list[Block], summary: str) -> list[Block]:
    key = fold(summary)
    for i, block in enumerate(blocks[:3]):
        if block.tag == "p" and fold(block.text) == key:
            return blocks[:i] + blocks[i + 1 :]
    return blocks


def _described(images: list[dict], media: list[dict]) -> list[dict]:
    """Images with the size and type a HEAD request reported, where one was made."""
    known = {m["url"]: m for m in media if m.get("size") is not None}
    return [{**image, "size": known[image["src"]]["size"], "type": known[image["src"]]["type"]}
            if image["src"] in known else image for image in images]


def _images(page: ArticlePage, blocks: list[Block]) -> list[dict]:
    images: list[dict] = []
    if page.lead_image and page.lead_image.get("src"):
        caption = clean_or_none(page.lead_image.get("caption"))
        if caption and PLACEHOLDER_ALT.match(caption):
            caption = None
        images.append({"src": page.lead_image["src"], "caption": caption})
    for block in blocks:
        if block.image is not None:
            image = {"src": block.image.src, "caption": block.image.caption}
            if image["src"] not in {i["src"] for i in images}:
                images.append(image)
    return images


def render_html(blocks: list[Block]) -> str:
    """Blocks → HTML: list items and table rows regrouped into their lists and tables."""
    parts: list[str] = []
    open_group: tuple[str, int | None] | None = None
    for block in blocks:
        wrapper = None
        if block.tag == "li":
            wrapper = ("ol" if block.ordered else "ul", block.group)
        elif block.tag == "tr":
            wrapper = ("table", block.group)
        if open_group and open_group != wrapper:
            parts.append(f"</{open_group[0]}>")
            open_group = None
        if wrapper and open_group is None:
            parts.append(f"<{wrapper[0]}>")
            open_group = wrapper
        if block.tag == "figure":
            parts.append(block.html)
        elif block.tag == "tr":
            parts.append(f"<tr>{block.html}</tr>")
        else:
            parts.append(f"<{block.tag}>{block.html}</{block.tag}>")
    if open_group:
        parts.append(f"</{open_group[0]}>")
    return sanitize_html("\n".join(parts))
