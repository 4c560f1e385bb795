"""Hostile content never becomes executable; readers of the archive never see it half-written."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import lxml.html
from conftest import LOCAL, ROOT, rows, run_scraper, wait_until_up
from test_feed_fuzz import assert_safe
from test_serve import free_port

from scraper.registry import Site, dump_registry
from scraper.samples import SAMPLE_SITES
from scraper.samples.server import SampleServer

# OWASP XSS filter-evasion vectors, a selection
VECTORS = [
    "<script>alert('XSS')</script>", "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=javascript:alert('XSS')>", "<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\">",
    "<IMG SRC=# onmouseover=\"alert('xxs')\">", "<SVG/ONLOAD=alert(1)>",
    "<BODY ONLOAD=alert('XSS')>", "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>",
    "<a href=\"jav&#x09;ascript:alert('XSS');\">x</a>", "<DIV STYLE=\"width: expression(alert('XSS'));\">",
    "<object data=\"javascript:alert(1)\"></object>", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
]
PAYLOAD = " ".join(VECTORS)


def hostile_page() -> str:
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<meta name="generator" content="NukeViet v4.5"><title>Tin {VECTORS[0]}</title></head><body>
<div class="news_column" itemtype="http://schema.org/NewsArticle" itemscope><div class="panel-body">
<h1 class="title" itemprop="headline">Hội nghị {VECTORS[0]} {VECTORS[5]}</h1>
<span class="h5">Thứ sáu - 22/03/2024 08:00</span>
<div class="hometext" itemprop="description">Tóm tắt {VECTORS[1]}</div>
<div id="news-bodyhtml" class="bodytext">
<p>Đảng ủy Khối họp thường kỳ. {PAYLOAD}</p>
<p style="text-align:center"><img src="/uploads/a.jpg" alt="x" onerror="alert(1)"></p>
<p style="text-align:center"><em>Chú thích {VECTORS[4]}</em></p>
<p>Tải về: <a href="/uploads/{VECTORS[2]}.pdf">Tệp {VECTORS[3]}</a></p>
<p>Đảng bộ Khối tiếp tục đưa việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.</p>
</div><p class="h5 text-right"><strong>Tác giả: </strong>Nguyễn {VECTORS[6]}</p>
</div></div></body></html>"""


def no_live_markup(html_text: str) -> None:
    """Parsed as a browser would: no script, no handlers, no javascript: URLs."""
    tree = lxml.html.document_fromstring(html_text)
    assert not [s for s in tree.xpath("//script") if "alert" in (s.text or "")]
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            assert not (name.lower().startswith("on") and "alert" in value), (name, value)
            assert "javascript:" not in value.replace("\t", "").lower() or name in ("content",)


def test_hostile_content_is_never_executable(tmp_path):
    root = tmp_path / "site"
    (root / "news" / "tin").mkdir(parents=True)
    (root / "uploads").mkdir()
    (root / "news" / "tin" / "index.html").write_text(
        '<html><head><meta name="generator" content="NukeViet v4.5"></head><body>'
        '<div class="news_column"><div class="panel-body"><h3>'
        '<a href="/news/tin/hoi-nghi-1.html">Hội nghị</a></h3></div></div></body></html>',
        encoding="utf-8")
    (root / "index.html").write_text((root / "news" / "tin" / "index.html").read_text())
    (root / "news" / "tin" / "hoi-nghi-1.html").write_text(hostile_page(), encoding="utf-8")
    db, feeds = tmp_path / "archive.db", tmp_path / "feeds"
    with SampleServer(root) as server:
        site = Site(id="xss", name=f"Trang {VECTORS[0]}", url=server.url, cms="nukeviet",
                    start_urls=(server.url + "news/tin/",))
        sites = tmp_path / "sites.toml"
        sites.write_text(dump_registry([site]), encoding="utf-8")
        run_scraper("crawl", "--sites", str(sites), "--db", str(db), *LOCAL)
    run_scraper("feed", "--db", str(db), "--out", str(feeds))
    [row] = rows(db, "select * from articles")
    fragment = lxml.html.fragment_fromstring(row["html"], create_parent="div")
    assert not fragment.xpath("//script|//iframe|//svg|//object|//math|//style")
    assert not [a for e in fragment.iter() for a in e.attrib if a.lower().startswith("on")]
    assert "javascript" not in row["html"].lower()
    for feed in feeds.rglob("*.xml"):
        assert_safe(feed.read_bytes())
    # Datasette renders the row and the table as pages a browser would run
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "scraper", "serve", "--db", str(db),
                             "--feeds", str(feeds), "--port", str(port)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base + "/-/versions.json", proc)
        for path in (f"/archive/articles/{row['id']}", "/archive/articles",
                     "/archive/notices", "/archive/sites"):
            with urllib.request.urlopen(base + path, timeout=20) as response:
                page = response.read().decode()
            no_live_markup(page)
            if path.endswith("sites"):  # the site's name is plain text: shown, escaped
                assert "&lt;script&gt;alert(&#39;XSS&#39;)&lt;/script&gt;" in page
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_readers_during_a_crawl_never_see_a_lock_or_half_an_article(tmp_path):
    sample = next(s for s in SAMPLE_SITES if s.cms == "nukeviet")
    root = tmp_path / "site"
    shutil.copytree(sample.root, root)
    db = tmp_path / "archive.db"
    with SampleServer(root) as server:
        sites = tmp_path / "sites.toml"
        sites.write_text(dump_registry([sample.site(server.url)]), encoding="utf-8")
        run_scraper("crawl", "--sites", str(sites), "--db", str(db), *LOCAL, "--set",
                    "LISTING_MAX_PAGES=1", "--set", "CLOSESPIDER_PAGECOUNT=3")
        port = free_port()
        serve = subprocess.Popen([sys.executable, "-m", "scraper", "serve", "--db", str(db),
                                  "--port", str(port)], cwd=ROOT, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base + "/-/versions.json", serve)
        problems: list[str] = []
        done = threading.Event()

        def read() -> None:
            while not done.is_set():
                try:
                    with urllib.request.urlopen(
                            base + "/archive/articles.json?_shape=array&_size=max", timeout=20) as r:
                        for article in json.loads(r.read()):
                            if not article["title"] or not article["text"]:
                                problems.append(f"partial {article['url']}")
                except urllib.error.HTTPError as exc:
                    problems.append(f"{exc.code} {exc.read()[:200]!r}")
                time.sleep(0.05)

        readers = [threading.Thread(target=read) for _ in range(3)]
        for reader in readers:
            reader.start()
        try:
            run_scraper("crawl", "--sites", str(sites), "--db", str(db), *LOCAL, "--refresh")
        finally:
            done.set()
            for reader in readers:
                reader.join()
            serve.terminate()
            serve.wait(timeout=20)
    assert problems == []
    assert not any("locked" in p for p in problems)
