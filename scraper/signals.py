"""The crawl's own Scrapy signals."""

# Sent before something reads the archive that must see every item processed so far: the
# archive pipeline commits the writes it holds in its batch (storage/batch.py).
archive_flush = object()
