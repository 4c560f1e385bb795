"""Crawl, normalize, archive and publish Vietnamese party committee sites."""

__version__ = "0.1.0"
