"""Storage: one schema on DuckDB (embedded default) or PostgreSQL (server mode)."""

from traza.store.db import Database, DatabaseBusy, open_database

__all__ = ["Database", "DatabaseBusy", "open_database"]
