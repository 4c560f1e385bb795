"""`scraper serve`: Datasette over the archive, described for researchers, feeds beside it."""

from __future__ import annotations

from pathlib import Path

ARTICLE_COLUMNS = {
    "url": "Canonical address of the article (tracking and session parameters removed)",
    "site_id": "The site in the registry (see the sites table)",
    "province": "Province of the publishing site, at the time of crawling",
    "title": "Headline as printed, without the site's name",
    "summary": "Lead (sapo) of the article, when it has one",
    "author": "Writer as printed in the byline",
    "published": "Publication time, ISO 8601 in Asia/Ho_Chi_Minh (+07:00)",
    "text": "Body text, one paragraph per blank-line-separated block; no captions or widgets",
    "html": "Body as sanitized HTML (paragraphs, headings, lists, tables, figures, links)",
    "images": "JSON list of the article's pictures with their captions",
    "documents": "JSON list of party document numbers the article cites",
    "duplicate_of": "The first archived copy when the same story is printed by several sites",
    "first_seen": "When the crawler first archived the article",
    "last_seen": "When the crawler last saw it",
    "year": "Year of publication",
}
NOTICE_COLUMNS = {
    "doc_number": "Canonical document number, e.g. 134-GM/ĐUK",
    "doc_type": "Type code (GM giấy mời, TB thông báo, KH kế hoạch, …)",
    "doc_type_name": "Type in Vietnamese",
    "issuer": "Issuing body's code (ĐUK, TU, TW, …)",
    "title": "Trích yếu (summary line) of the notice",
    "date": "Date of the notice (the listing's, else the one in its text)",
    "attachments": "JSON list of attached files with their size and type (not downloaded)",
    "meeting_time": "For a giấy mời: when the meeting starts (+07:00)",
    "meeting_place": "For a giấy mời: where the meeting takes place",
    "province": "Province of the publishing site",
    "year": "Year of the notice",
}

SETTINGS = {
    "default_page_size": 50,
    # suggesting facets tries every column on every search: most of a search's time at
    # 100,000 articles
    "suggest_facets": False,
    # a facet of a broad search ("Đảng") reads every matching row; past this it is reported as
    # timed out and the answer comes without it (narrower searches keep their facets)
    "facet_time_limit_ms": 50,
}

QUERIES = {
    "newest_by_province": {
        "title": "Newest articles of a province",
        "sql": "select published, title, site_id, url from articles where province = :province "
               "and duplicate_of is null order by published desc limit 100",
    },
    "notices_by_type_and_month": {
        "title": "Notices by document type and month",
        "sql": "select substr(date, 1, 7) as month, doc_type, doc_type_name, count(*) as notices "
               "from notices where date is not null group by month, doc_type "
               "order by month desc, notices desc",
    },
    "articles_citing": {
        "title": "Articles citing a document (e.g. 05-CT/TW)",
        # unary +: from the document's symbol, not through every article's mention first
        "sql": "select a.published, a.title, a.url, d.scope, d.issued, m.sentence "
               "from documents d join document_mentions m on m.document_id = d.id "
               "and +m.source = 'article' join articles a on a.id = m.source_id "
               "where d.symbol = :symbol order by a.published desc",
    },
    "search": {
        # ranking every match of a broad query ("Đảng") took half a second at 100,000 articles;
        # the latest matches come from the index at once, and ranking a thousand is quick
        "title": "Full-text search (with or without diacritics): the 100 most relevant of the "
                 "latest 1,000 matches",
        "sql": "select a.published, a.title, a.site_id, a.url from ("
               "select rowid, rank from articles_search where articles_search match :q "
               "order by rowid desc limit 1000) s "
               "join articles a on a.id = s.rowid order by s.rank limit 100",
    },
}


def metadata(db_path: str | Path, feeds_dir: str | Path | None) -> dict:
    """Datasette metadata: descriptions, facets, search tables, canned queries, the feeds."""
    name = Path(db_path).stem
    return {
        "title": "Lưu trữ trang Đảng bộ các tỉnh",
        "description": "Articles and notices (thông báo, giấy mời, kế hoạch) of Vietnamese "
                       "provincial party committee sites, with the party documents they cite.",
        "source": "The sites listed in the sites table",
        "license": "Texts © their publishers; archived for research and reference",
        "databases": {
            name: {
                "tables": {
                    "articles": {
                        "description": "One row per article (canonical URL).",
                        "facets": ["site_id", "province", "year"],
                        # newest archived first: ordering every match of a broad search by
                        # published read each one whole, past the time limit at 100,000
                        "sort_desc": "id",
                        "label_column": "title",
                        "fts_table": "articles_search",
                        "fts_pk": "id",
                        "columns": ARTICLE_COLUMNS,
                    },
                    "notices": {
                        "description": "One row per notice (site and document number).",
                        "facets": ["site_id", "province", "doc_type", "year"],
                        "sort_desc": "date",
                        "label_column": "title",
                        "fts_table": "notices_search",
                        "fts_pk": "id",
                        "columns": NOTICE_COLUMNS,
                    },
                    "documents": {
                        "description": "Party documents cited, keyed by scope (province, or "
                                       "Trung ương for central bodies), symbol and issue date.",
                        "facets": ["issuer", "doc_type", "scope"],
                        "label_column": "symbol",
                    },
                    "articles_search": {"hidden": True},
                    "notices_search": {"hidden": True},
                },
                "queries": QUERIES,
            }
        },
        "plugins": {"partysites": {"feeds_dir": str(feeds_dir) if feeds_dir else None}},
    }


def serve(db_path: str | Path, feeds_dir: str | Path | None, host: str, port: int) -> None:
    """Run Datasette until interrupted."""
    import uvicorn
    from datasette.app import Datasette

    app = Datasette([str(db_path)], metadata=metadata(db_path, feeds_dir), settings=SETTINGS)
    uvicorn.run(app.app(), host=host, port=port, log_level="warning")
