"""Storage: SQLAlchemy schema and queries (SQLite by default, PostgreSQL by URL)."""

from .repository import Filters, SaveResult, Store, incident_count, totals_of

__all__ = ["Filters", "SaveResult", "Store", "incident_count", "totals_of"]
