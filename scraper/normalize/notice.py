"""Notice pages and notice blocks → one Notice: number, type, dates, meeting, attachments."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ..items import ArticlePage, Notice, NoticeRef
from .article import normalize_article
from .dates import parse_vn_datetime, to_iso
from .docnumbers import DocNumber, find_doc_numbers, parse_doc_number
from .text import clean_text

ATTACHMENT = re.compile(r"\.(?:pdf|docx?|xlsx?|pptx?|odt|rar|zip)$", re.IGNORECASE)
# "Số, ký hiệu: 133-GM/ĐUK", "Số/Ký hiệu:", "Số: 01/NQ-ĐUK"
_SYMBOL_LABEL = re.compile(r"(?:số\s*[,/]?\s*ký\s+hiệu|^số)\s*:?\s*$", re.IGNORECASE)
# Types a notice block carries (a notice cites other documents too: those are not its number).
NOTICE_TYPES = ("GM", "TB", "KH", "CV", "BC", "TTr", "CTr", "HD", "QĐ", "NQ", "CT", "KL", "CĐ")
_MEETING_AT = re.compile(r"(?:thời\s+gian\s*:|vào\s+(?:hồi|lúc)|\blúc)\s*", re.IGNORECASE)
_PLACE_LABEL = re.compile(r"địa\s+điểm\s*:\s*(?:tại\s+)?(?P<place>[^.;\n]+)", re.IGNORECASE)
_PLACE_AT = re.compile(r"(?:^|[\s,])tại\s+(?P<place>[^.;\n]+)", re.IGNORECASE)
_SENTENCE = re.compile(r"[^.;\n]*(?:\.(?=\s|$)|;|\n|$)")
MEETING_REACH = 90  # characters after "vào lúc" in which the day and hour are stated


def is_attachment(url: str | None) -> bool:
    return bool(url) and bool(ATTACHMENT.search(urlsplit(url).path))


def own_number(symbol: str | None, ref: NoticeRef | None, lead: str | None,
               text: str) -> DocNumber | None:
    """The notice's own number: its symbol field, the listing's, a labelled line, the lead."""
    for source in (symbol, ref.doc_number if ref else None):
        doc = parse_doc_number(source or "")
        if doc:
            return doc
    for doc in find_doc_numbers(text):
        before = clean_text(text[max(0, doc.start - 20) : doc.start]) if doc.start else ""
        if _SYMBOL_LABEL.search(before):
            return doc
    for source in (lead or "", text):
        for doc in find_doc_numbers(source):
            if doc.type in NOTICE_TYPES:
                return doc
    return None


def meeting_of(text: str) -> tuple[str | None, str | None]:
    """When and where a giấy mời says the meeting is ("vào lúc 14 giờ 00, ngày 15/3/2024")."""
    moment = place = None
    for m in _MEETING_AT.finditer(text):
        when = parse_vn_datetime(text[m.end() : m.end() + MEETING_REACH], earliest_time=True)
        if when is not None:
            moment = to_iso(when)
            sentence = _SENTENCE.match(text, m.start())
            found = _PLACE_AT.search(sentence.group()) if sentence else None
            if found:
                place = found["place"]
            break
    labelled = _PLACE_LABEL.search(text)
    if labelled:
        place = labelled["place"]
    return moment, (clean_text(place).rstrip(",") or None) if place else None


def notice_from_ref(ref: NoticeRef) -> Notice:
    """A notice known only from a block: symbol, summary, date and link."""
    doc = parse_doc_number(ref.doc_number or "")
    file_link = is_attachment(ref.url)
    return Notice(
        site_id=ref.site_id, title=clean_text(ref.title), date=ref.date,
        url=None if file_link else ref.url,
        attachments=[{"url": ref.url, "size": None, "type": None}] if file_link else [],
        **_number_fields(doc),
    )


def _number_fields(doc: DocNumber | None) -> dict:
    if doc is None:
        return {}
    return {"doc_number": doc.canonical, "doc_type": doc.type, "doc_type_name": doc.type_name,
            "issuer": doc.issuer}


def normalize_notice(page: ArticlePage) -> Notice:
    """A notice's own page: the article normalization, then what makes it a notice."""
    article = normalize_article(page)
    ref = page.listing
    doc = own_number(page.symbol, ref, article.summary, article.text)
    text = "\n\n".join(filter(None, [article.summary, article.text]))
    moment, place = meeting_of(text) if _is_invitation(doc, text) else (None, None)
    published = article.published[:10] if article.published else None
    cited = [d for d in article.documents if doc is None or d != doc.canonical]
    return Notice(
        site_id=page.site_id,
        title=article.title or (clean_text(ref.title) if ref else ""),
        date=(ref.date if ref and ref.date else None) or published or _first_date(text),
        url=page.url,
        attachments=page.attachments,
        text=text,
        html=article.html,
        meeting_time=moment,
        meeting_place=place,
        documents=cited,
        **_number_fields(doc),
    )


def _is_invitation(doc: DocNumber | None, text: str) -> bool:
    return (doc is not None and doc.type == "GM") or "kính mời" in text.lower()


def _first_date(text: str) -> str | None:
    moment = parse_vn_datetime(text)
    return moment.date().isoformat() if moment else None
