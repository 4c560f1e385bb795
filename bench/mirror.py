"""A large local mirror of the sample sites, for the crawl benchmark.

Each family's mirror is its sample site (home page, notices, pictures, assets) plus thousands of
generated articles printed in the sample's own article template (comment form, counters,
related news and all), listed newest first on paginated listing pages as the CMS paginates them.
The texts are real paragraphs of the labelled corpus, drawn at random (seeded, so every run
serves the same mirror).
"""

from __future__ import annotations

import html
import random
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import lxml.html

from bench.corpus import load_corpus
from scraper.normalize.dates import VN
from scraper.normalize.text import fold
from scraper.samples import SAMPLE_SITES, SampleSite

PER_PAGE = 20  # teasers per listing page (NukeViet's and ONECMS's category default)
WEEKDAYS = ("Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật")
PLACEHOLDER = re.compile(r"@@(\w+)@@")


@dataclass(frozen=True)
class Family:
    """Where a sample site keeps its article template and its listing, and how it paginates."""

    name: str
    template: str  # an article page of the sample to print the generated articles in
    listing: str  # the category listing page to paginate
    article_path: Callable[[str, int], str]  # (slug, id) → URL path
    listing_file: Callable[[int], str]  # page number → file under the mirror
    listing_url: Callable[[int], str]  # page number → URL path
    item_css: str  # one teaser of the listing
    items_parent_css: str  # where the teasers sit
    pagination_css: str  # the pager to replace
    body_css: str
    lead_css: str
    date_css: str
    dates: dict[str, Callable[[datetime], str]]  # old date string → how to print a new one


def _nv_meta(moment: datetime) -> str:
    """NukeViet's malformed article:published_time ("2024-06-08+0709:15:00")."""
    return moment.strftime("%Y-%m-%d+07%H:%M:%S")


def _nukeviet_pager(page: int, last: int) -> str:
    def url(k: int) -> str:
        return "/news/xay-dung-dang/" if k == 1 else f"/news/xay-dung-dang/page-{k}"

    items = [f'<li class="page-item"><a class="page-link" href="{url(page - 1)}" '
             'title="Trang trước">&laquo;</a></li>' if page > 1 else
             '<li class="page-item disabled"><a class="page-link" href="javascript:void(0)">'
             '&laquo;</a></li>']
    for k in range(max(1, page - 2), min(last, page + 2) + 1):
        items.append(f'<li class="page-item active"><a class="page-link" '
                     f'href="javascript:void(0)">{k}</a></li>' if k == page else
                     f'<li class="page-item"><a class="page-link" href="{url(k)}">{k}</a></li>')
    items.append(f'<li class="page-item"><a class="page-link" href="{url(page + 1)}" '
                 'title="Trang sau">&raquo;</a></li>' if page < last else
                 '<li class="page-item disabled"><a class="page-link" href="javascript:void(0)">'
                 '&raquo;</a></li>')
    return f'<ul class="pagination">{"".join(items)}</ul>'


def _onecms_pager(page: int, last: int) -> str:
    more = (f'<a class="c-more onecms__loadmore" href="/xay-dung-dang/?page={page + 1}" '
            'title="Xem thêm">Xem thêm</a>' if page < last else "")
    return f'<div class="c-more-wrap">{more}<span class="loading__img" style="display:none">' \
           '</span></div>'


PAGERS = {"nukeviet": _nukeviet_pager, "onecms": _onecms_pager}

FAMILIES = {
    "nukeviet": Family(
        name="nukeviet",
        template="news/xay-dung-dang/ky-niem-58-nam-thanh-lap-dang-uy-khoi-cac-co-quan-va-doanh-"
                 "nghiep-tinh-16-9-1965-16-9-2023-doan-ket-dan-chu-ky-cuong-trach-nhiem-guong-"
                 "mau-doi-moi-phuong-thuc-lanh-dao-trong-cong-tac-xay-dung-dang-1187.html",
        listing="news/xay-dung-dang/index.html",
        article_path=lambda slug, n: f"/news/xay-dung-dang/{slug}-{n}.html",
        listing_file=lambda k: "news/xay-dung-dang/index.html" if k == 1
        else f"news/xay-dung-dang/page-{k}/index.html",
        listing_url=lambda k: "/news/xay-dung-dang/" if k == 1 else f"/news/xay-dung-dang/page-{k}",
        item_css=".news_column > .panel",
        items_parent_css=".news_column",
        pagination_css="ul.pagination",
        body_css="#news-bodyhtml",
        lead_css=".hometext",
        date_css="span.h5",
        dates={
            "Thứ sáu - 15/09/2023 08:30":
                lambda m: f"{WEEKDAYS[m.weekday()]} - {m:%d/%m/%Y %H:%M}",
            "2023-09-15+0708:30:00": _nv_meta,
            "2023-09-16+0707:12:00": lambda m: _nv_meta(m + timedelta(hours=3)),
            "2023-09-16T07:12:00+07:00": lambda m: (m + timedelta(hours=3)).isoformat(),
            "15/09/2023 08:30:00": lambda m: f"{m:%d/%m/%Y %H:%M:%S}",
        },
    ),
    "onecms": Family(
        name="onecms",
        template="doi-moi-cong-tac-xay-dung-dang-o-dang-bo-khoi-cac-co-quan-va-doanh-nghiep-"
                 "tinh-trong-tinh-hinh-moi-121837.html",
        listing="xay-dung-dang/index.html",
        article_path=lambda slug, n: f"/{slug}-{n}.html",
        listing_file=lambda k: "xay-dung-dang/index.html" if k == 1
        else f"xay-dung-dang/index@page={k}.html",
        listing_url=lambda k: "/xay-dung-dang/" if k == 1 else f"/xay-dung-dang/?page={k}",
        item_css="ul.onecms__loading > li",
        items_parent_css="ul.onecms__loading",
        pagination_css=".c-more-wrap",
        body_css="#abody",
        lead_css="h2.desc",
        date_css="span.c-detail-head__time",
        dates={
            "10/06/2024, 07:30": lambda m: f"{m:%d/%m/%Y, %H:%M}",
            "2024-06-10T07:30:00+07:00": lambda m: m.isoformat(),
            "2024-06-10T09:03:11+07:00": lambda m: (m + timedelta(hours=1)).isoformat(),
            "10/06/2024 07:30": lambda m: f"{m:%d/%m/%Y %H:%M}",
        },
    ),
}


@dataclass
class GeneratedArticle:
    id: int
    path: str
    title: str
    lead: str
    author: str
    published: datetime


def _serialize(tree: lxml.html.HtmlElement) -> str:
    return lxml.html.tostring(tree, encoding="unicode", doctype="<!DOCTYPE html>")


def _text_pool() -> tuple[list[str], list[str]]:
    """Paragraphs and bylines of the labelled corpus."""
    paragraphs, authors = [], []
    for page in load_corpus():
        paragraphs += [p for p in page.gold["paragraphs"] if len(p) > 80]
        if page.gold.get("author"):
            authors.append(page.gold["author"].title())
    return paragraphs, sorted(set(authors))


def _sentence(paragraph: str, words: int) -> str:
    first = re.split(r"(?<=[.!?…])\s", paragraph, maxsplit=1)[0]
    return " ".join(first.split()[:words]).rstrip(",.;:") or paragraph[:80]


class Generator:
    """Prints generated articles and listings in one family's templates."""

    def __init__(self, family: Family, sample: SampleSite, rng: random.Random,
                 paragraphs: list[str], authors: list[str]) -> None:
        self.family, self.sample, self.rng = family, sample, rng
        self.paragraphs, self.authors = paragraphs, authors
        self.article_template, self.slots, self.old = self._article_template()
        self.listing_template, self.item_template = self._listing_template()

    # ---------------------------------------------------------------- templates
    def _article_template(self) -> tuple[str, list[tuple[str, str]], dict[str, str]]:
        source = (self.sample.root / self.family.template).read_text(encoding="utf-8")
        tree = lxml.html.fromstring(source)
        body = tree.cssselect(self.family.body_css)[0]
        lead = tree.cssselect(self.family.lead_css)[0]
        old = {
            "TITLE": tree.cssselect("h1")[0].text_content().strip(),
            "PATH": "/" + self.family.template,
            "SLUG": Path(self.family.template).stem,
        }
        # the body's children: content paragraphs become slots for new text, the rest
        # (pictures with captions, in-article adverts, bylines, spacers) stays furniture
        slots = []
        for child in body:
            markup = lxml.html.tostring(child, encoding="unicode", with_tail=True)
            text = child.text_content().strip().replace("\xa0", "")
            is_text = child.tag == "p" and len(text) > 80
            slots.append(("text" if is_text else "furniture", markup))
            if child.tag not in ("p",) and child.cssselect("figcaption"):
                slots[-1] = ("figure", markup)
        for child in list(body):
            body.remove(child)
        body.text = "@@BODY@@"
        for child in list(lead):
            lead.remove(child)
        lead.text = "@@LEAD@@"
        page = _serialize(tree)
        author = next((a for a in re.findall(r"<strong>([^<]{5,40})</strong>",
                                             "".join(m for _, m in slots))), None)
        if author:
            old["AUTHOR"] = author
        for key in ("TITLE", "SLUG", "AUTHOR"):
            if key in old:
                page = page.replace(old[key], f"@@{key}@@")
        for i, stamp in enumerate(self.family.dates):
            page = page.replace(stamp, f"@@DATE{i}@@")
        return page, slots, old

    def _listing_template(self) -> tuple[str, str]:
        source = (self.sample.root / self.family.listing).read_text(encoding="utf-8")
        tree = lxml.html.fromstring(source)
        items = tree.cssselect(self.family.item_css)
        # the prototype: a teaser with its lead text, as most of them have
        proto = max(items, key=lambda e: len(e.text_content()))
        link = proto.cssselect("a[href]")[0].get("href")
        title = proto.cssselect("h2 a, h3 a")[0].text_content().strip()
        lead = max((e for e in proto.iter() if e.text and len(e.text.strip()) > 60),
                   key=lambda e: len(e.text)).text.strip()
        item = lxml.html.tostring(proto, encoding="unicode", with_tail=True)
        item = (item.replace(link, "@@URL@@").replace(title, "@@TITLE@@")
                .replace(html.escape(lead, quote=False), "@@LEAD@@").replace(lead, "@@LEAD@@"))
        item = re.sub(r'src="[^"]+"', 'src="@@IMG@@"', item)
        for i, stamp in enumerate(self.family.dates):
            item = item.replace(stamp, f"@@DATE{i}@@")
        item = re.sub(r"Đã xem: [\d,.]+", "Đã xem: @@VIEWS@@", item)
        parent = tree.cssselect(self.family.items_parent_css)[0]
        for element in items:
            element.getparent().remove(element)
        parent.append(lxml.html.fragment_fromstring("<span>@@ITEMS@@</span>"))
        pager = tree.cssselect(self.family.pagination_css)[0]
        marker = lxml.html.fragment_fromstring("<span>@@PAGER@@</span>")
        pager.getparent().replace(pager, marker)
        page = _serialize(tree).replace("<span>@@ITEMS@@</span>", "@@ITEMS@@")
        return page.replace("<span>@@PAGER@@</span>", "@@PAGER@@"), item

    # ---------------------------------------------------------------- content
    def article(self, number: int, published: datetime) -> GeneratedArticle:
        title = _sentence(self.rng.choice(self.paragraphs), self.rng.randint(9, 22))
        slug = re.sub(r"[^a-z0-9]+", "-", fold(title)).strip("-")[:90].rstrip("-")
        return GeneratedArticle(number, self.family.article_path(slug, number), title,
                                _sentence(self.rng.choice(self.paragraphs), 45),
                                self.rng.choice(self.authors), published)

    def _dates(self, moment: datetime) -> dict[str, str]:
        return {f"DATE{i}": fmt(moment) for i, fmt in enumerate(self.family.dates.values())}

    def _body(self, article: GeneratedArticle) -> str:
        out = []
        for kind, markup in self.slots:
            if kind == "text":
                for _ in range(self.rng.choice((0, 1, 1, 1, 2))):
                    text = html.escape(self.rng.choice(self.paragraphs), quote=False)
                    out.append(f'<p style="text-align: justify;">{text}</p>\n')
            elif kind == "figure":
                caption = html.escape(_sentence(self.rng.choice(self.paragraphs), 24),
                                      quote=False)
                out.append(re.sub(r"(<figcaption[^>]*>).*?(</figcaption>)",
                                  lambda m, c=caption: m.group(1) + c + m.group(2),
                                  markup, flags=re.S))
            else:
                out.append(markup.replace(self.old.get("AUTHOR", "@@"),
                                          html.escape(article.author, quote=False)))
        return "".join(out)

    def article_page(self, article: GeneratedArticle) -> str:
        slug = article.path.rsplit("/", 1)[1].removesuffix(".html")
        values = {"TITLE": html.escape(article.title), "LEAD": html.escape(article.lead),
                  "AUTHOR": html.escape(article.author), "SLUG": slug,
                  "BODY": self._body(article), **self._dates(article.published)}
        return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)),
                               self.article_template)

    def listing_page(self, page: int, last: int, articles: list[GeneratedArticle],
                     images: list[str]) -> str:
        items = []
        for article in articles:
            values = {"URL": article.path, "TITLE": html.escape(article.title),
                      "LEAD": html.escape(article.lead), "IMG": self.rng.choice(images),
                      "VIEWS": f"{self.rng.randint(40, 4000):,}",
                      **self._dates(article.published)}
            items.append(PLACEHOLDER.sub(lambda m, v=values: v.get(m.group(1), m.group(0)),
                                         self.item_template))
        values = {"ITEMS": "".join(items), "PAGER": PAGERS[self.family.name](page, last)}
        return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)),
                               self.listing_template)


@dataclass
class Mirror:
    root: Path
    sample: SampleSite
    articles: list[GeneratedArticle]
    listing_pages: int


def _pictures(root: Path) -> list[str]:
    return sorted("/" + p.relative_to(root).as_posix()
                  for p in root.rglob("*") if p.suffix in (".jpg", ".png") and p.stat().st_size)


def build_mirror(out: Path, family: str, articles: int, seed: int = 9,
                 newest: datetime | None = None) -> Mirror:
    """Copy the sample site of a family to out and add `articles` generated articles, one every
    seven hours back from `newest`, listed PER_PAGE to a listing page."""
    sample = next(s for s in SAMPLE_SITES if s.cms == family)
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(sample.root, out)
    paragraphs, authors = _text_pool()
    generator = Generator(FAMILIES[family], sample, random.Random(f"{seed}-{family}"),
                          paragraphs, authors)
    newest = newest or datetime.now(VN).replace(second=0, microsecond=0) - timedelta(hours=2)
    made = [generator.article(100000 + articles - i, newest - timedelta(hours=7 * i))
            for i in range(articles)]
    for article in made:
        target = out / article.path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(generator.article_page(article), encoding="utf-8")
    pictures = _pictures(out)
    pages = list(_chunks(made, PER_PAGE))
    for number, chunk in enumerate(pages, start=1):
        target = out / FAMILIES[family].listing_file(number)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(generator.listing_page(number, len(pages), chunk, pictures),
                          encoding="utf-8")
    return Mirror(out, sample, made, len(pages))


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
