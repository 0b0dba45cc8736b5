"""Database URLs: ``duckdb:///path/file.duckdb`` or ``postgresql://user@host/db``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from traza.core.settings import DEFAULT_URL, env

__all__ = ["DEFAULT_URL", "DatabaseURL", "parse_url"]


@dataclass(frozen=True)
class DatabaseURL:
    dialect: str  # "duckdb" | "postgres"
    target: str  # a file path for DuckDB, a libpq connection URI for PostgreSQL

    @property
    def one_process(self) -> bool:
        """Only one process may open the database (a DuckDB file): a server runs one worker."""
        return self.dialect == "duckdb"

    def __str__(self) -> str:
        if self.dialect == "duckdb":
            return f"duckdb:///{self.target}"
        return _hide_password(self.target)


def _hide_password(uri: str) -> str:
    parts = urlsplit(uri)
    if parts.password is None:
        return uri
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return parts._replace(netloc=netloc).geturl()


def parse_url(url: str | None = None) -> DatabaseURL:
    """Parse a database URL; None means ``TRAZA_DATABASE_URL`` or ``./traza.duckdb``."""
    raw = url or env().database_url or DEFAULT_URL
    if raw.startswith("duckdb://"):
        rest = raw[len("duckdb://"):]
        # duckdb:///rel/path is relative to the working directory, duckdb:////abs/path absolute,
        # as in SQLAlchemy's convention; duckdb:///:memory: is a throwaway in-memory database.
        path = rest[1:] if rest.startswith("/") else rest
        if not path:
            raise ValueError(f"{raw!r}: a DuckDB URL needs a file, e.g. duckdb:///traza.duckdb")
        return DatabaseURL("duckdb", path if path == ":memory:" else str(Path(path)))
    if raw.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
        return DatabaseURL("postgres", raw.replace("postgresql+psycopg://", "postgresql://", 1))
    raise ValueError(
        f"unsupported database URL {raw!r}: expected duckdb:///path/file.duckdb or "
        "postgresql://user@host/db"
    )
