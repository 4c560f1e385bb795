"""The citation index: documents cited by articles and notices, and where each is cited."""

from __future__ import annotations

from dataclasses import replace

from sqlite_utils import Database

from scraper.items import Notice
from scraper.normalize.docnumbers import (
    DocNumber,
    find_doc_numbers,
    parse_doc_number,
    sentence_at,
    sentence_bounds,
)
from scraper.normalize.text import clean_text

CENTRAL_SCOPE = "Trung ương"


def doc_scope(doc: DocNumber, local: str) -> str:
    """Central documents are one document everywhere; a TU or ĐUK number is its province's."""
    return CENTRAL_SCOPE if doc.central else local


def document_key(scope: str, doc: DocNumber, issued: str | None) -> str:
    return f"{scope}|{doc.canonical}|{issued or ''}"


Citation = tuple[DocNumber, str]  # a document and the sentence citing it


def find_citations(text: str, own: Notice | None = None) -> list[Citation]:
    """The documents a text cites, each with its sentence, and a notice's own number."""
    text = clean_text(text)
    bounds = sentence_bounds(text)
    cited = [(doc, sentence_at(text, doc.start, doc.end, bounds))
             for doc in find_doc_numbers(text)]
    if own is not None and own.doc_number:
        doc = parse_doc_number(own.doc_number)
        if doc is not None:
            cited.append((replace(doc, issued=own.date or doc.issued), own.title))
    return cited


def write_citations(db: Database, source: str, source_id: int, site_id: str,
                    province: str | None, cited: list[Citation], seen: str) -> int:
    """Replace the mentions of one article or notice (of its site, in its province) with
    citations found beforehand (find_citations).

    Plain SQL here: an article cites a dozen documents, and each table helper call of
    sqlite-utils first reads the table's schema (a sixth of a crawl's archive writes)."""
    db.execute("delete from document_mentions where source = ? and source_id = ?",
               [source, source_id])
    for doc, sentence in cited:
        document_id = _document(db, doc, doc_scope(doc, province or site_id), seen)
        db.execute("insert or ignore into document_mentions (document_id, source, source_id, "
                   "site_id, sentence, first_seen) values (?, ?, ?, ?, ?, ?)",
                   [document_id, source, source_id, site_id, sentence, seen])
    return len(cited)


def _document(db: Database, doc: DocNumber, scope: str, seen: str) -> int:
    """The document's row: matched on scope, symbol and issue date (a year matches its days)."""
    same = db.execute("select id, issued from documents where scope = ? and symbol = ?",
                      [scope, doc.canonical]).fetchall()
    issued = doc.issued
    for row_id, known in same:
        if known == issued or (issued and known and issued.startswith(known)):
            if issued and issued != known:
                _date_document(db, row_id, scope, doc, issued)
            return row_id
    undated = [row_id for row_id, known in same if not known]
    if issued and undated:
        _date_document(db, undated[0], scope, doc, issued)
        return undated[0]
    if not issued and len(same) == 1:
        return same[0][0]
    cursor = db.execute(
        "insert into documents (document_key, scope, symbol, number, doc_type, doc_type_name,"
        " issuer, issued, first_seen) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [document_key(scope, doc, issued), scope, doc.canonical, doc.number, doc.type,
         doc.type_name, doc.issuer, issued, seen])
    return int(cursor.lastrowid)


def _date_document(db: Database, row_id: int, scope: str, doc: DocNumber, issued: str) -> None:
    """A document first cited by year or undated, now cited with its day."""
    db.execute("update documents set issued = ?, document_key = ? where id = ?",
               [issued, document_key(scope, doc, issued), row_id])
