"""What page furniture looks like on these CMSs: named data, no logic.

Structure goes first (tags, class/id words, widget headings); the phrase guard is the last line
and should never fire on a known CMS family.
"""

from __future__ import annotations

import re

# Elements that never carry article text.
DROP_TAGS = (
    "script", "style", "noscript", "template", "iframe", "object", "embed", "video", "audio",
    "source", "track", "canvas", "svg", "form", "input", "button", "select", "option",
    "textarea", "label", "link", "meta", "nav", "aside", "footer", "header", "map",
)

# Words of class and id names that mark a widget (matched as whole words of the name,
# split on '-', '_' and case changes).
WIDGET_WORDS = frozenset({
    "comment", "comments", "binhluan", "ykien", "feedback", "rating", "ratings", "rate",
    "star", "stars", "vote", "votes", "share", "sharing", "social", "socialbutton", "fb",
    "facebook", "zalo", "twitter", "related", "relate", "lienquan", "othernews", "tags",
    "tag", "keywords", "keyword", "print", "sendmail", "savefile", "counter", "statistics",
    "stats", "sidebar", "advert", "adv", "ads", "adsbygoogle", "banner", "quangcao",
    "breadcrumb", "breadcrumbs", "navbar", "menu", "pagination", "pager", "toolbar",
    "tools", "follow", "newsletter", "subscribe", "login", "captcha", "timeoutsess",
    "fontsize", "video", "player", "embed",
})

# Visible headings of widgets ("Ý kiến bạn đọc", not "comments"): a container starting with one,
# or a heading line equal to one, is a widget. Compared after fold().
WIDGET_HEADINGS = (
    "binh luan", "y kien ban doc", "gui binh luan", "viet binh luan", "phan hoi",
    "gui phan hoi", "tin lien quan", "bai lien quan", "cac tin khac", "tin khac",
    "nhung tin moi hon", "nhung tin cu hon", "tin moi", "tin moi nhat", "moi nhat",
    "tin cung chuyen muc", "xem them", "doc them", "theo dong su kien", "tieu diem",
    "noi bat", "dung bo lo", "lien ket website", "thong ke truy cap", "luot truy cap",
    "thong bao - moi hop", "tu khoa", "tags", "chia se", "danh gia bai viet", "quang cao",
)

# Alt texts that are placeholders or file names, never captions.
PLACEHOLDER_ALT = re.compile(
    r"^(?:|anh|ảnh|image|img|photo|picture|no image|anh tin bai|ảnh tin bài|\d+(?:\s+\d+)*"
    r"|[\w\-. ]+\.(?:jpe?g|png|gif|webp|bmp|svg))$",
    re.IGNORECASE,
)

# The last line of defence: a short line that is nothing but a widget's text.
BOILERPLATE_LINE = re.compile(
    r"""^(?:
      (?:thống\s+kê|lượt)\s+truy\s+cập
    | [•·\-\s]*(?:đang\s+(?:truy\s+cập|online)|hôm\s+nay|hôm\s+qua|trong\s+tuần|tuần\s+(?:này|trước)
        |tháng\s+(?:hiện\s+tại|này|trước)|năm\s+(?:nay|hiện\s+tại)|tất\s+cả
        |tổng(?:\s+số)?\s+lượt\s+truy\s+cập|thành\s+viên\s+online|máy\s+chủ\s+tìm\s+kiếm
        |khách\s+viếng\s+thăm)\s*:?\s*[\d.,]*
    | tổng\s+số\s+điểm\s+của\s+bài\s+viết\s+là:.*
    | xếp\s+hạng:.*phiếu\s+bầu
    | click\s+để\s+đánh\s+giá\s+bài\s+viết
    | những\s+tin\s+(?:mới|cũ)\s+hơn
    | (?:các\s+)?tin\s+(?:khác|mới|liên\s+quan|mới\s+nhất)
    | mới\s+nhất | bài\s+liên\s+quan | nổi\s+bật | đừng\s+bỏ\s+lỡ | theo\s+dõi\s+trên
    | liên\s+kết\s+website | phản\s+hồi | bình\s+luận | \(\d+\)\s*bình\s+luận
    | bạn\s+còn\s+\d+\s*/\s*\d+\s+ký\s+tự
    | bạn\s+vui\s+lòng\s+nhập\s+từ\s+\d+\s+ký\s+tự.*
    | bạn\s+đã\s+không\s+sử\s+dụng\s+site.*
    | powered\s+by\s+.*
    | đăng\s+nhập | đăng\s+ký
    | (?:họ\s+tên|tiêu\s+đề|nội\s+dung|mã\s+kiểm\s+tra)?\s*no\s+image
    | anh\s+tin\s+bai
    | [\d.,]+\s+lượt\s+(?:xem|đọc) | lượt\s+(?:xem|đọc)\s*:?\s*[\d.,]+
    | in\s+bài\s+viết(?:\s+này)? | gửi\s+bình\s+luận | xem\s+với\s+cỡ\s+chữ | chia\s+sẻ
    | [\w\-.]+\.(?:jpe?g|png|gif|webp)
    | \d+\s+\d+
    )$""",
    re.IGNORECASE | re.VERBOSE,
)

# Lines longer than this are prose even when they start like a widget ("Tin mới …").
GUARD_MAX_LEN = 80
