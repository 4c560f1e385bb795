from scraper.items import ArticlePage
from scraper.normalize.article import normalize_article, render_html
from scraper.normalize.body import parse_body

BASE = "https://site.example/news/a/b-1.html"


def texts(html: str) -> list[str]:
    return [b.text for b in parse_body(html, BASE).blocks if b.tag != "figure"]


def test_paragraphs_headings_lists_tables_in_order():
    html = """<div class="bodytext"><p>Một.</p><h3>Hai</h3><ul><li>Ba</li><li>Bốn</li></ul>
    <table><tr><td>A</td><td>B</td></tr><tr><td>C</td><td></td></tr></table>
    text in the div<br>second line</div>"""
    body = parse_body(html, BASE)
    assert [(b.tag, b.text) for b in body.blocks] == [
        ("p", "Một."), ("h3", "Hai"), ("li", "Ba"), ("li", "Bốn"), ("tr", "A | B"),
        ("tr", "C"), ("p", "text in the div"), ("p", "second line"),
    ]
    html_out = render_html(body.blocks)
    assert "<ul>\n<li>Ba</li>\n<li>Bốn</li>\n</ul>" in html_out
    assert "<table>" in html_out and "<td>A</td><td>B</td>" in html_out


def test_widgets_go_by_structure():
    html = """<div><p>Nội dung.</p>
    <form><label>Họ tên</label><input><img src="/captcha.png" alt="no image"></form>
    <div class="fb-like" data-href="x">Thích</div>
    <div class="detail-related"><p>Những tin mới hơn</p><ul><li><a href="/x-2.html">Tin khác</a></li></ul></div>
    <div><p>Ý kiến bạn đọc</p><p>Chưa có ý kiến nào</p></div>
    <script>var a = "Đang truy cập";</script><p style="display:none">ẩn</p></div>"""
    body = parse_body(html, BASE)
    assert [b.text for b in body.blocks] == ["Nội dung."]
    assert body.guard_hits == 0


def test_phrase_guard_is_the_last_line_and_counts():
    body = parse_body("<div><p>Nội dung.</p><p>Xếp hạng: 1 - 1 phiếu bầu</p><p>1 31</p></div>",
                      BASE)
    assert [b.text for b in body.blocks] == ["Nội dung."]
    assert body.guard_hits == 2


def test_pictures_become_figures_with_captions_never_text():
    html = """<div>
    <p style="text-align:center"><img alt="1 31" src="/uploads/news/2020_10/1_31.jpg"></p>
    <p style="text-align:center"><em>Toàn cảnh Hội nghị</em></p>
    <p>Đoạn văn.</p>
    <table class="image"><tr><td><img src="hop.png" alt="hop.png"></td></tr>
      <tr><td class="image_caption">Đồng chí phát biểu<br>tại Hội nghị</td></tr></table>
    <figure class="image"><img data-src="/a.jpg" src="data:image/gif;base64,R0"><figcaption>Ảnh: PV</figcaption></figure>
    <p><img src="/z5085169200992_5a2d.jpg" alt="z5085169200992_5a2d.jpg"></p>
    </div>"""
    body = parse_body(html, BASE)
    figures = [b.image for b in body.blocks if b.tag == "figure"]
    assert [(f.src, f.caption) for f in figures] == [
        ("https://site.example/uploads/news/2020_10/1_31.jpg", "Toàn cảnh Hội nghị"),
        ("https://site.example/news/a/hop.png", "Đồng chí phát biểu tại Hội nghị"),
        ("https://site.example/a.jpg", "Ảnh: PV"),
        ("https://site.example/z5085169200992_5a2d.jpg", None),
    ]
    assert texts(html) == ["Đoạn văn."]
    out = render_html(body.blocks)
    assert "<figcaption>Toàn cảnh Hội nghị</figcaption>" in out
    assert "z5085169200992" not in out.replace("z5085169200992_5a2d.jpg\"", "")


def test_links_are_absolute_and_scripts_cannot_pass():
    body = parse_body('<div><p>Xem <a href="/van-ban/1.html">văn bản</a> và '
                      '<a href="javascript:alert(1)">đây</a> <b onclick="x()">đậm</b></p></div>',
                      BASE)
    out = render_html(body.blocks)
    assert '<a href="https://site.example/van-ban/1.html" rel="noopener nofollow">văn bản</a>' in out
    assert "javascript" not in out and "onclick" not in out
    assert "<strong>đậm</strong>" in out


def page(body: str, **kw) -> ArticlePage:
    return ArticlePage(url=BASE, cms="test", title="Tiêu đề", body_html=body, **kw)


def test_bold_first_paragraph_is_the_summary_without_a_lead():
    article = normalize_article(page("<div><p><strong>Sapo đậm.</strong></p><p>Thân bài.</p></div>"))
    assert article.summary == "Sapo đậm." and article.text == "Thân bài."


def test_lead_element_wins_and_its_repeat_in_the_body_goes():
    article = normalize_article(page("<div><p>Sapo.</p><p>Thân bài.</p></div>",
                                     lead_html="<div class='hometext'>Sapo.</div>"))
    assert article.summary == "Sapo." and article.text == "Thân bài."


def test_bylines_leave_the_body():
    cases = {
        "<p>Một.</p><p>Tác giả bài viết: Phan Xuân Bính - Ban Tổ chức Đảng ủy</p>":
            "Phan Xuân Bính",
        "<p>Một.</p><p>Tác giả: Nguyễn Văn A</p>": "Nguyễn Văn A",
        "<p>Một.</p><p style='text-align:right'><strong>NGỌC DIỆP</strong></p>": "NGỌC DIỆP",
        "<p>Một.</p><p>Vương Thị Ninh</p><p>UVBCH, Phó Trưởng Ban Tổ chức Đảng ủy Khối</p>":
            "Vương Thị Ninh",
        "<p><strong>Lê Hồng Chương</strong></p><p>Bí thư Đảng ủy Khối các Cơ quan và Doanh "
        "nghiệp tỉnh</p><p>Một.</p>": "Lê Hồng Chương",
    }
    for html, author in cases.items():
        article = normalize_article(page(f"<div>{html}</div>"))
        assert article.author == author, html
        assert article.text == "Một.", html


def test_title_suffix_and_documents():
    article = normalize_article(ArticlePage(
        url=BASE, cms="test", title="Tin A - Đảng ủy Khối", site_name="Đảng ủy Khối",
        body_html="<div><p>Thực hiện Chỉ thị số 05-CT/TW và 05-CT/TW.</p></div>"))
    assert article.title == "Tin A"
    assert article.documents == ["05-CT/TW"]
