"""The citation index: documents cited by articles and notices, and where each is cited."""

from __future__ import annotations

from dataclasses import replace

from sqlite_utils import Database

from scraper.items import Notice
from scraper.normalize.docnumbers import DocNumber, find_doc_numbers, parse_doc_number, sentence_at
from scraper.normalize.text import clean_text

CENTRAL_SCOPE = "Trung ương"


def doc_scope(doc: DocNumber, local: str) -> str:
    """Central documents are one document everywhere; a TU or ĐUK number is its province's."""
    return CENTRAL_SCOPE if doc.central else local


def document_key(scope: str, doc: DocNumber, issued: str | None) -> str:
    return f"{scope}|{doc.canonical}|{issued or ''}"


def record_citations(db: Database, source: str, source_id: int, site_id: str, text: str,
                     seen: str, own: Notice | None = None) -> int:
    """Replace the mentions of one article or notice (and a notice's own number)."""
    province = db["sites"].get(site_id)["province"] if site_id else None
    text = clean_text(text)
    db["document_mentions"].delete_where("source = ? and source_id = ?", [source, source_id])
    cited = [(doc, sentence_at(text, doc.start, doc.end)) for doc in find_doc_numbers(text)]
    if own is not None and own.doc_number:
        doc = parse_doc_number(own.doc_number)
        if doc is not None:
            cited.append((replace(doc, issued=own.date or doc.issued), own.title))
    for doc, sentence in cited:
        document_id = _document(db, doc, doc_scope(doc, province or site_id), seen)
        db["document_mentions"].insert(
            {"document_id": document_id, "source": source, "source_id": source_id,
             "site_id": site_id, "sentence": sentence, "first_seen": seen},
            ignore=True,
        )
    return len(cited)


def _document(db: Database, doc: DocNumber, scope: str, seen: str) -> int:
    """The document's row: matched on scope, symbol and issue date (a year matches its days)."""
    table = db["documents"]
    same = list(table.rows_where("scope = ? and symbol = ?", [scope, doc.canonical]))
    issued = doc.issued
    for row in same:
        if row["issued"] == issued or (issued and row["issued"] and
                                       issued.startswith(row["issued"])):
            if issued and issued != row["issued"]:
                table.update(row["id"], {"issued": issued,
                                         "document_key": document_key(scope, doc, issued)})
            return row["id"]
    undated = [r for r in same if not r["issued"]]
    if issued and undated:
        table.update(undated[0]["id"], {"issued": issued,
                                        "document_key": document_key(scope, doc, issued)})
        return undated[0]["id"]
    if not issued and len(same) == 1:
        return same[0]["id"]
    table.insert({"document_key": document_key(scope, doc, issued), "scope": scope,
                  "symbol": doc.canonical, "number": doc.number, "doc_type": doc.type,
                  "doc_type_name": doc.type_name, "issuer": doc.issuer, "issued": issued,
                  "first_seen": seen})
    return int(table.last_pk)
