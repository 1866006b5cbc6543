"""Storage: SQLAlchemy schema and queries (SQLite by default, PostgreSQL by URL)."""

from .repository import Filters, SaveResult, Store

__all__ = ["Filters", "SaveResult", "Store"]
