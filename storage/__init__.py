"""The SQLite archive."""

from .archive import Archive

__all__ = ["Archive"]
