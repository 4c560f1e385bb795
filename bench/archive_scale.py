"""The archive at scale: feeds, search through Datasette and `scraper status` at 100,000 articles
and 20,000 notices.

Usage: python bench/archive_scale.py [ARTICLES] [NOTICES]
Builds a synthetic archive in a new SQLite file with the archive's own schema: 60 sites in 34
provinces, articles made of real paragraphs of the labelled corpus (bench/corpus.py) published
over six years, a few reprinted by a second site, and notices (giấy mời, thông báo, kế hoạch,
công văn) with numbers, attachments and meetings. Every row is written by Archive.save_article or
Archive.save_notice, so search tables, fingerprints, syndicated copies and citations are what a
crawl writes. Then times: every feed (those of feeds.toml too) into an empty folder, and again
with nothing changed; searches with and without diacritics through Datasette's JSON API
(`scraper serve` started for real), by the articles table's search and by the canned query
`search`; `scraper status`; and the disk taken per 1,000 articles without raw pages (`pages`
stays empty: a crawl's compressed pages come on top).
Progress goes to stderr; the figures go to stdout as JSON.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import random
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import cache, lru_cache
from itertools import accumulate
from multiprocessing import get_context
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.corpus import load_corpus  # noqa: E402
from feeds.config import load_feed_config  # noqa: E402
from feeds.entries import slug  # noqa: E402
from feeds.publish import write_feeds  # noqa: E402
from scraper.items import Article, Notice  # noqa: E402
from scraper.normalize.dates import VN  # noqa: E402
from scraper.normalize.docnumbers import DocNumber  # noqa: E402
from scraper.normalize.text import clean_text, fold  # noqa: E402
from scraper.registry import Site  # noqa: E402
from storage.archive import (  # noqa: E402
    Archive,
    PreparedArticle,
    prepare_article,
    prepared_article,
)
from storage.citations import Citation, find_citations  # noqa: E402
from storage.schema import search_columns  # noqa: E402

T = TypeVar("T")
SEED = 2026
SPAN = timedelta(days=6 * 365)
BATCH = 500  # saves per transaction while building
CHUNK = 200  # articles per task of the preparing process
CHECK_EVERY = 50  # every so many articles, the composed record is compared with prepare_article
SYNDICATED = 0.02  # share of articles that reprint a story another site published
UNDATED = 0.03
CRAWLS_PER_SITE = 5
BASE_URL = "https://feeds.example/"
QUERIES_PER_GROUP = 100  # with diacritics, and the same 100 without; each both ways

PROVINCES = [
    "Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa",
    "Nghệ An", "Hà Tĩnh", "Cao Bằng", "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ",
    "Bắc Ninh", "Hưng Yên", "Hải Phòng", "Ninh Bình", "Quảng Trị", "Đà Nẵng", "Quảng Ngãi",
    "Gia Lai", "Khánh Hòa", "Lâm Đồng", "Đắk Lắk", "Hồ Chí Minh", "Đồng Nai", "Tây Ninh",
    "Cần Thơ", "Vĩnh Long", "Đồng Tháp", "Cà Mau", "An Giang",
]
CITIES = {"Hà Nội", "Huế", "Hải Phòng", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ"}
CMS = ["nukeviet", "onecms", "vhv", "liferay", "wordpress"]
# (id suffix, name, the issuer code of its notices, how many such sites): 60 in all
SITE_KINDS = [("tinhuy", "{committee} {province}", "TU", len(PROVINCES)),
              ("dukcqdn", "Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh {province}", "ĐUK", 16),
              ("btgdv", "Ban Tuyên giáo và Dân vận {committee} {province}", "BTGDVTU", 10)]
NOTICE_TYPES = [("GM", "Giấy mời", 0.4), ("TB", "Thông báo", 0.35), ("KH", "Kế hoạch", 0.15),
                ("CV", "Công văn", 0.1)]
NOTICE_TOPICS = [
    "Hội nghị Báo cáo viên tháng {month} năm {year}",
    "Hội nghị quán triệt, triển khai thực hiện Nghị quyết Trung ương",
    "Hội nghị sơ kết công tác xây dựng Đảng 6 tháng đầu năm {year}",
    "Hội nghị tổng kết công tác kiểm tra, giám sát năm {year}",
    "mở Lớp bồi dưỡng đảng viên mới khóa {course}, năm {year}",
    "mở Lớp bồi dưỡng nhận thức về Đảng khóa {course}, năm {year}",
    "tổ chức các hoạt động kỷ niệm ngày thành lập Đảng Cộng sản Việt Nam",
    "học tập, quán triệt Chuyên đề năm {year} về học tập và làm theo tư tưởng, đạo đức, "
    "phong cách Hồ Chí Minh",
    "kết luận của Ban Thường vụ về công tác chuẩn bị đại hội đảng bộ cơ sở",
    "thực hiện chuyển đổi số trong hoạt động của các cơ quan đảng",
    "kiểm tra việc thực hiện Chỉ thị số 05-CT/TW của Bộ Chính trị",
    "lấy ý kiến góp ý dự thảo văn kiện đại hội",
]
PLACES = ["Hội trường Tỉnh ủy", "Phòng họp số 2, Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh",
          "Hội trường Đảng ủy Khối, tầng 3, Trung tâm Hành chính tỉnh",
          "điểm cầu Hội trường Tỉnh ủy và các điểm cầu trực tuyến tại cơ sở",
          "Trung tâm Chính trị cấp huyện"]
# what researchers type; their folded forms make the group without diacritics
CURATED_QUERIES = [
    "Đảng ủy Khối", "Đảng uỷ Khối", "đảng uỷ khối", "chuyển đổi số", '"chuyển đổi số"',
    "nghị quyết", "Nghị quyết Trung ương", "Ban Thường vụ Tỉnh ủy", "Ban Thường vụ Tỉnh uỷ",
    "đại hội", "Đại hội đại biểu", "học tập và làm theo", '"học tập và làm theo"',
    "phong cách Hồ Chí Minh", "kết nạp đảng viên", "kiểm tra giám sát", "cải cách hành chính",
    "hoà", "hòa", "đang", "Đảng", "tổ chức cơ sở đảng", "xây dựng chỉnh đốn Đảng",
    "phòng chống tham nhũng",
]
_WORD = re.compile(r"[^\W\d_]+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_NOT_ALNUM = re.compile(r"[\W_]+")  # the fingerprint's key keeps letters and digits only


def progress(message: str) -> None:
    print(f"  {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------- texts
@dataclass(frozen=True)
class Texts:
    """The corpus cut into what synthetic records are made of."""

    paragraphs: list[str]
    sentences: list[str]
    titles: list[str]
    authors: list[str]


@cache
def texts() -> Texts:
    pages = load_corpus()
    paragraphs = sorted({p for page in pages for p in page.gold["paragraphs"] if len(p) >= 40})
    sentences = sorted({s for p in paragraphs for s in _SENTENCE.split(p) if 40 <= len(s) <= 400})
    return Texts(paragraphs, sentences, sorted({p.gold["title"] for p in pages}),
                 sorted({p.gold["author"] for p in pages if p.gold.get("author")}))


@dataclass(frozen=True)
class Story:
    title: str
    summary: str | None
    paragraphs: list[str]
    author: str | None


def story(number: int) -> Story:
    """The story of article `number`: the same every run, and on every site that reprints it."""
    rng, corpus = random.Random(f"{SEED}:story:{number}"), texts()
    if rng.random() < 0.1:
        title = rng.choice(corpus.titles)
    else:
        words = rng.choice(corpus.sentences).rstrip(".!?;:,").split()
        title = " ".join(words[: rng.randint(8, 20)]).rstrip(",;:")
        title = title[0].upper() + title[1:]
    summary = " ".join(rng.sample(corpus.sentences, rng.randint(1, 2))) \
        if rng.random() < 0.7 else None
    return Story(title, summary, rng.sample(corpus.paragraphs, rng.randint(4, 12)),
                 rng.choice(corpus.authors) if rng.random() < 0.5 else None)


# ---------------------------------------------------------------------------- sites
def make_sites() -> list[Site]:
    rng = random.Random(f"{SEED}:sites")
    sites = []
    for kind, name, _, count in SITE_KINDS:
        for province in rng.sample(PROVINCES, count):
            committee = "Thành ủy" if province in CITIES else "Tỉnh ủy"
            site_id = f"{slug(province).replace('-', '')}-{kind}"
            sites.append(Site(id=site_id, name=name.format(committee=committee, province=province),
                              url=f"https://{site_id}.example/", province=province,
                              cms=rng.choice(CMS)))
    return sorted(sites, key=lambda s: s.id)


def issuer(site: Site) -> str:
    return next(code for kind, _, code, _ in SITE_KINDS if site.id.endswith(f"-{kind}"))


def site_weights(sites: list[Site]) -> list[float]:
    """How busy each site is: a few publish many times what others do."""
    rng = random.Random(f"{SEED}:weights")
    return [rng.lognormvariate(0, 0.7) for _ in sites]


def moment(rng: random.Random, now: datetime, index: int, total: int) -> datetime:
    """Spread over SPAN in the order of `index`, as a crawl that ran all along saw them."""
    at = now - SPAN + SPAN * (index + rng.random()) / total
    return min(now, at.replace(hour=rng.randint(6, 21), minute=rng.randint(0, 59), second=0,
                               microsecond=0))


def first_seen(rng: random.Random, published: datetime, now: datetime) -> str:
    return min(now, published + timedelta(minutes=rng.randint(10, 2 * 24 * 60))).isoformat()


# ---------------------------------------------------------------------------- articles
@dataclass(frozen=True)
class Part:
    """What the archive derives from one paragraph (or lead) of an article."""

    search: dict[str, str]
    key: str  # its share of what the fingerprint hashes
    cleaned: str  # its text as citations count their offsets in it
    citations: list[Citation]

    @property
    def closed(self) -> bool:
        """It ends a sentence, so no sentence runs on into the next part."""
        return self.cleaned.endswith((".", "!", "?", ";"))


@lru_cache(maxsize=4096)  # the corpus's paragraphs stay; leads come and go
def part(text: str) -> Part:
    return Part(search_columns(text), _NOT_ALNUM.sub("", fold(text)), clean_text(text),
                find_citations(text))


def _read_alone(doc: DocNumber, sentence: str, one: Part, previous: Part | None) -> bool:
    """Whether find_citations reads this citation of a part as it would in the whole text: its
    sentence does not run across the part's edge, its type's name (read 25 characters back, for
    QĐ) and its issue date (60 on) lie inside the part or cannot start past its edge."""
    rest = one.cleaned[doc.end:]
    return ((previous is None or doc.type != "QĐ" or doc.start >= 25)
            and (len(rest) >= 60 or rest.lstrip(" ,")[:1].lower() not in ("", "n", "b"))
            and (previous is None or previous.closed or not one.cleaned.startswith(sentence))
            and (one.closed or not one.cleaned.endswith(sentence)))


def citations_of(parts: list[str]) -> list[Citation]:
    """find_citations of the parts joined by blank lines, from each part's own, unless one of
    them would read differently alone (then the whole text is read)."""
    found, offset, previous = [], 0, None
    for one in map(part, parts):
        for doc, sentence in one.citations:
            if not _read_alone(doc, sentence, one, previous):
                return find_citations("\n\n".join(parts))
            found.append((replace(doc, start=doc.start + offset, end=doc.end + offset), sentence))
        offset += len(one.cleaned) + 1
        previous = one
    return found


def prepare(article: Article, parts: list[str], citations: list[Citation]) -> PreparedArticle:
    """prepare_article's record, its text work done once per paragraph of the corpus.

    Tone placement, folding and cleaning act on each paragraph alone, so an article's search
    columns, fingerprint and citations are its paragraphs' put together (citations_of says
    when). Every CHECK_EVERY-th article is compared with prepare_article itself."""
    heading = search_columns(article.title)
    search = {k: " ".join([heading[k], *(part(p).search[k] for p in parts)])
              for k in ("old", "new", "folded")}
    key = "".join(part(p).key for p in parts)
    return prepared_article(article, hashlib.sha256(key.encode("utf-8")).hexdigest(), search,
                            citations)


def _images(rng: random.Random, base: str, number: int, published: datetime) -> list[dict]:
    folder = f"{base}uploads/news/{published:%Y_%m}/"
    images = []
    for n in range(rng.choice([0, 0, 1, 1, 1, 2, 3])):
        image = {"src": f"{folder}{number}-{n}.jpg",
                 "caption": rng.choice(texts().sentences)[:160] if rng.random() < 0.6 else None}
        if rng.random() < 0.8:  # the crawl asked its size and type with HEAD
            image |= {"size": rng.randint(40_000, 900_000), "type": "image/jpeg"}
        images.append(image)
    return images


def article_chunk(start: int, count: int, total: int, sites: list[Site], now: datetime
                  ) -> list[tuple[PreparedArticle, str]]:
    """Articles start…start+count-1, prepared, each with when the crawl first saw it."""
    weights = list(accumulate(site_weights(sites)))
    out = []
    for number in range(start, start + count):
        rng = random.Random(f"{SEED}:article:{number}")
        copy = number >= 100 and rng.random() < SYNDICATED
        original = number - rng.randint(1, 99) if copy else number
        told = story(original)
        site = rng.choices(sites, cum_weights=weights)[0]
        when = moment(rng, now, number, total)
        undated = rng.random() < UNDATED
        images = _images(rng, site.url, number, when)
        figures = "".join(f'<figure><img src="{html.escape(i["src"])}" alt="">'
                          + (f"<figcaption>{html.escape(i['caption'])}</figcaption>"
                             if i["caption"] else "") + "</figure>" for i in images[:1])
        body = "\n\n".join(told.paragraphs)
        parts = [p for p in (told.summary, *told.paragraphs) if p]
        citations = citations_of(parts)
        article = Article(
            url=f"{site.url}news/{slug(told.title)[:80]}-{number + 1000}.html", cms=site.cms,
            kind="article", title=told.title, summary=told.summary, author=told.author,
            published=None if undated else when.isoformat(), text=body,
            html=figures + "".join(f"<p>{html.escape(p)}</p>" for p in told.paragraphs),
            images=images, documents=list(dict.fromkeys(doc.canonical for doc, _ in citations)),
            notices=[], site_id=site.id,
        )
        prepared = prepare(article, parts, citations)
        if number % CHECK_EVERY == 0 and prepared != prepare_article(article):
            raise RuntimeError(f"article {number}: the composed record is not prepare_article's")
        out.append((prepared, first_seen(rng, when, now)))
    return out


def prepared_articles(total: int, sites: list[Site], now: datetime
                      ) -> Iterator[tuple[PreparedArticle, str]]:
    """Every article, prepared in a second process while this one writes; a few chunks ahead."""
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        starts = iter(range(0, total, CHUNK))
        pending: deque[Future] = deque()

        def submit() -> None:
            start = next(starts, None)
            if start is not None:
                pending.append(pool.submit(article_chunk, start, min(CHUNK, total - start),
                                           total, sites, now))

        for _ in range(4):
            submit()
        while pending:
            chunk = pending.popleft().result()
            submit()
            yield from chunk


# ---------------------------------------------------------------------------- notices
def notice_records(total: int, sites: list[Site], now: datetime) -> Iterator[tuple[Notice, str]]:
    """Notices with per-site running numbers; a third known only from a listing's line."""
    rng, corpus = random.Random(f"{SEED}:notices"), texts()
    weights = list(accumulate(site_weights(sites)))
    numbers: Counter[tuple[str, str]] = Counter()
    for index in range(total):
        site = rng.choices(sites, cum_weights=weights)[0]
        code, name = rng.choices([(c, n) for c, n, _ in NOTICE_TYPES],
                                 weights=[w for _, _, w in NOTICE_TYPES])[0]
        numbers[site.id, code] += 1
        number = f"{numbers[site.id, code]}-{code}/{issuer(site)}"
        day = moment(rng, now, index, total)
        topic = rng.choice(NOTICE_TOPICS).format(month=day.month, year=day.year,
                                                 course=rng.choice("IIIV"))
        title = topic[0].upper() + topic[1:] if code == "GM" else f"{name} {topic}"
        meeting = day + timedelta(days=rng.randint(1, 7))
        meeting = meeting.replace(hour=rng.choice([7, 8, 14]), minute=rng.choice([0, 30]))
        place = rng.choice(PLACES)
        seen_page = rng.random() < 0.67
        text = None
        if seen_page:
            lines = [f"{site.name} trân trọng kính mời đồng chí tới dự {topic}."
                     if code == "GM" else f"{site.name} {name.lower()} về việc {topic}."]
            if code == "GM":
                lines += [f"Thời gian: {meeting:%H} giờ {meeting:%M}, ngày "
                          f"{meeting.day}/{meeting.month}/{meeting.year}.", f"Địa điểm: {place}."]
            lines += rng.sample(corpus.paragraphs, rng.randint(0, 2))
            text = "\n\n".join(lines)
        file = f"{site.url}uploads/{day:%Y/%m}/{slug(number)}.pdf"
        attachments = [{"url": file, "size": rng.randint(60_000, 2_000_000),
                        "type": "application/pdf"}] if rng.random() < 0.85 else []
        yield Notice(
            site_id=site.id, title=title, doc_number=number, doc_type=code, doc_type_name=name,
            issuer=issuer(site), date=day.date().isoformat(),
            url=f"{site.url}thong-bao/{slug(topic)[:60]}-{index + 1000}.html",
            attachments=attachments, text=text,
            html="".join(f"<p>{html.escape(line)}</p>" for line in text.split("\n\n"))
            if text else None,
            meeting_time=meeting.isoformat() if code == "GM" and seen_page else None,
            meeting_place=place if code == "GM" and seen_page else None,
        ), first_seen(rng, day, now)


# ---------------------------------------------------------------------------- building
class HeldCommits:
    """The archive's connection with its `with` blocks made no-ops.

    save_article and save_notice commit as they go (sqlite-utils commits each write made
    outside a transaction, and their `with self.db.conn:` commits on leaving); while building,
    BATCH of them share one transaction instead, which the builder opens and commits."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __getattr__(self, name: str) -> Any:
        return getattr(self.conn, name)

    def __enter__(self) -> HeldCommits:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def save_all(archive: Archive, records: Iterable[tuple[T, str]],
             save: Callable[[T, str], object], what: str) -> tuple[int, float]:
    """Save each record with its first-seen time, BATCH to a transaction; (count, seconds)."""
    conn = archive.db.conn
    archive.db.conn = HeldCommits(conn)
    started, count = time.perf_counter(), 0
    try:
        for record, seen in records:
            if not conn.in_transaction:
                conn.execute("BEGIN")
            save(record, seen)
            count += 1
            if count % BATCH == 0:
                conn.commit()
            if count % 10_000 == 0:
                progress(f"{count:,} {what} ({count / (time.perf_counter() - started):.0f}/s)")
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    finally:
        archive.db.conn = conn
    return count, time.perf_counter() - started


def build(db: Path, articles: int, notices: int) -> dict:
    """The synthetic archive in db; its sizes and how fast it was written."""
    now = datetime.now(VN).replace(microsecond=0)
    sites = make_sites()
    archive = Archive(db)
    try:
        # this connection only, for the build's speed: a crash would just mean a new build
        archive.db.execute("PRAGMA synchronous = OFF")
        for site in sites:
            archive.upsert_site(site)
        saved, article_seconds = save_all(archive, prepared_articles(articles, sites, now),
                                          archive.save_article, "articles")
        saved_notices, notice_seconds = save_all(
            archive, notice_records(notices, sites, now), archive.save_notice, "notices")
        for site in sites:  # finished crawls, so that `scraper status` judges every site
            for _ in range(CRAWLS_PER_SITE):
                crawl = archive.start_crawl(site.id)
                archive.finish_crawl(crawl, pages=40, new=3, updated=0, errors=0, status="ok",
                                     home_status=200, home_host=site.host)
        counts = {table: archive.db[table].count for table in
                  ("articles", "notices", "documents", "document_mentions")}
        copies = archive.db.execute(
            "select count(*) from articles where duplicate_of is not null").fetchone()[0]
        archive.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        archive.close()
    return {
        "articles": saved, "notices": saved_notices, "sites": len(sites),
        "provinces": len({s.province for s in sites}), "syndicated_copies": copies,
        "documents": counts["documents"], "citations": counts["document_mentions"],
        "build_rate": round(saved / article_seconds, 1),
        "notice_rate": round(saved_notices / notice_seconds, 1),
        "build_seconds": round(article_seconds + notice_seconds, 1),
    }


def disk_mb(db: Path) -> float:
    """The archive's files (after a checkpoint: the -wal is empty) in MB."""
    return sum(f.stat().st_size for f in db.parent.glob(db.name + "*")) / 2**20


# ---------------------------------------------------------------------------- measuring
def time_feeds(db: Path, out: Path) -> dict:
    """Every feed into an empty folder, then again with nothing changed."""
    custom = load_feed_config(ROOT / "feeds.toml")
    started = time.perf_counter()
    written = write_feeds(db, out, BASE_URL, custom=custom)
    first = time.perf_counter() - started
    started = time.perf_counter()
    again = write_feeds(db, out, BASE_URL, custom=custom)
    seconds = time.perf_counter() - started
    return {"files": len(written), "custom": len(custom), "seconds": round(first, 3),
            "again_seconds": round(seconds, 3), "rewritten_again": sum(again.values())}


def search_queries(count: int = QUERIES_PER_GROUP) -> list[str]:
    """Queries with diacritics: the curated ones, then the corpus's common and rare words and
    runs of two or three words (half of them quoted as phrases)."""
    rng, corpus = random.Random(f"{SEED}:queries"), texts()
    spread = Counter(w.lower() for p in corpus.paragraphs for w in set(_WORD.findall(p))
                     if not w.isascii())
    common = [w for w, n in spread.most_common() if len(w) > 1][:40]
    rare = sorted(w for w, n in spread.items() if n <= 3 and len(w) > 2)
    queries = list(dict.fromkeys(CURATED_QUERIES))[:count]
    more = max(0, count - len(queries))
    queries += rng.sample(common, min(more // 3, len(common)))
    queries += rng.sample(rare, min(more // 3, len(rare)))
    while len(queries) < count:
        words = _WORD.findall(rng.choice(corpus.sentences))
        at, length = rng.randrange(len(words)), rng.choice([2, 3])
        run = " ".join(words[at: at + length])
        if len(run.split()) == length and not run.isascii():
            queries.append(f'"{run}"' if len(queries) % 2 else run)
    return queries[:count]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[float, bool]:
    """Milliseconds to the whole answer, and whether it was a good one."""
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=60) as answer:
            ok = answer.status == 200 and "rows" in json.loads(answer.read())
    except urllib.error.HTTPError as error:
        error.read()
        ok = False
    return 1000 * (time.perf_counter() - started), ok


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


# Datasette's own switches for a search without the table page's extras; `_shape=array` sets
# both too
SEARCH_ALONE = {"_nocount": 1, "_nofacet": 1}
# the table page as its HTML shows it: the search, the count of every match and three facets.
# Not held to the search floor: for a word in every article the count and each facet visit all
# 100,000 matches, 55 and 120 ms even on a covering index of a narrow copy of the table
TABLE_PAGE = "table page with count and facets"


def time_search(db: Path, feeds: Path, log: Path) -> dict:
    """Each query once through each way, against `scraper serve` in its own process."""
    port = _free_port()
    with log.open("wb") as output:
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "scraper"), "serve", "--db", str(db), "--feeds",
             str(feeds), "--port", str(port)], cwd=db.parent, stdout=output, stderr=output)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=2).read()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("scraper serve never answered:\n"
                                       + log.read_text(errors="replace")[-2000:]) from None
                time.sleep(0.2)
        name = db.stem
        _get(f"{base}/{name}/articles.json?_size=1")  # a running server, not a cold one
        with_marks = search_queries()
        groups = {"with diacritics": with_marks,
                  "without diacritics": [fold(q) for q in with_marks]}
        table = f"{base}/{name}/articles.json?"
        ways = {"table search": lambda q: table + urlencode({"_search": q, **SEARCH_ALONE}),
                "canned query": lambda q: f"{base}/{name}/search.json?" + urlencode({"q": q}),
                TABLE_PAGE: lambda q: table + urlencode({"_search": q})}
        answers: dict[str, list[tuple[str, float, bool]]] = {}
        for way, url in ways.items():
            for pair in zip(*groups.values(), strict=True):  # alternating, so that neither
                for group, query in zip(groups, pair, strict=True):  # group gets the cold cache
                    answers.setdefault(f"{way}, {group}", []).append((query, *_get(url(query))))
        results = {}
        for name, timed in answers.items():
            times = [ms for _, ms, _ in timed]
            slowest = sorted(timed, key=lambda answer: -answer[1])[:3]
            results[name] = {"queries": len(times), "failed": sum(not ok for *_, ok in timed),
                             "median_ms": round(statistics.median(times), 1),
                             "p95_ms": round(_percentile(times, 0.95), 1),
                             "slowest": [[query, round(ms)] for query, ms, _ in slowest]}
            progress(f"{name}: median {results[name]['median_ms']} ms, "
                     f"p95 {results[name]['p95_ms']} ms")
        return results
    finally:
        server.terminate()
        server.wait(20)


def time_status(db: Path) -> dict:
    started = time.perf_counter()
    proc = subprocess.run([str(Path(sys.executable).parent / "scraper"), "status", "--db",
                           str(db)], cwd=db.parent, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    unhealthy = proc.stdout.count("UNHEALTHY")
    return {"seconds": round(seconds, 2), "exit_code": proc.returncode, "unhealthy": unhealthy}


def bench_archive(articles: int = 100_000, notices: int = 20_000, work: Path | None = None
                  ) -> dict:
    """Build the archive in work (a temporary folder if None) and measure it; the figures."""
    with ExitStack() as stack:
        if work is None:
            work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-archive-")))
        work.mkdir(parents=True, exist_ok=True)
        db, feeds = work / "archive.db", work / "feeds"
        progress(f"building {articles:,} articles and {notices:,} notices")
        figures = build(db, articles, notices)
        size = disk_mb(db)
        figures |= {"disk_mb_without_raw_pages": round(size, 1),
                    "mb_per_1000_articles": round(size / max(articles, 1) * 1000, 2)}
        progress(f"built at {figures['build_rate']:.0f} articles/s; {size:,.0f} MB; feeds")
        figures["feeds"] = time_feeds(db, feeds)
        progress(f"feeds: {figures['feeds']['seconds']} s, again "
                 f"{figures['feeds']['again_seconds']} s; search through Datasette")
        figures["search"] = time_search(db, feeds, work / "serve.log")
        status = time_status(db)
        figures["status_seconds"] = status["seconds"]
        figures["status"] = status
        progress(f"scraper status: {status['seconds']} s")
    return figures


def main() -> None:
    articles = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    notices = int(sys.argv[2]) if len(sys.argv) > 2 else 20_000
    print(json.dumps(bench_archive(articles, notices), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
