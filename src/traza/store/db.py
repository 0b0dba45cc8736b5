"""One small database interface over DuckDB and PostgreSQL.

SQL is written once in DuckDB's dialect with ``?`` placeholders; the PostgreSQL adapter
transpiles it with sqlglot (DESIGN.md principle 4). Both adapters run in autocommit mode
outside ``transaction()`` blocks.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from traza.core.errors import TrazaError
from traza.store.url import DatabaseURL, parse_url

Row = tuple[Any, ...]


class DatabaseBusy(TrazaError):
    """Another process holds the database (DuckDB allows one writer process at a time)."""


class Database(ABC):
    dialect: str
    url: DatabaseURL

    @abstractmethod
    def execute(self, sql: str, params: Sequence[Any] = ()) -> None: ...

    @abstractmethod
    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Row]: ...

    @abstractmethod
    def columns(self, sql: str, params: Sequence[Any] = ()) -> tuple[list[str], list[Row]]:
        """Column names and rows of a query."""

    @abstractmethod
    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...

    @abstractmethod
    def sibling(self) -> Database:
        """Another connection to the same database, for another thread of this process."""

    @abstractmethod
    def _begin(self) -> None: ...

    @abstractmethod
    def _commit(self) -> None: ...

    @abstractmethod
    def _rollback(self) -> None: ...

    @abstractmethod
    def close(self) -> None: ...

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All statements inside commit together or not at all."""
        self._begin()
        try:
            yield
        except BaseException:
            self._rollback()
            raise
        self._commit()

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        rows = self.query(sql, params)
        return rows[0][0] if rows else None

    def dicts(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        names, rows = self.columns(sql, params)
        return [dict(zip(names, r, strict=True)) for r in rows]

    def table_exists(self, name: str) -> bool:
        return bool(
            self.scalar(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = ? "
                "AND table_schema = current_schema()",
                (name,),
            )
        )

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_database(url: str | DatabaseURL | None = None, *, migrate: bool = True) -> Database:
    """Connect to the database named by ``url`` (or ``TRAZA_DATABASE_URL``) and bring its
    schema up to date unless ``migrate`` is False."""
    parsed = url if isinstance(url, DatabaseURL) else parse_url(url)
    db: Database
    if parsed.dialect == "duckdb":
        from traza.store.duck import DuckDatabase

        db = DuckDatabase(parsed)
    else:
        from traza.store.pg import PostgresDatabase

        db = PostgresDatabase(parsed)
    if migrate:
        from traza.store.migrate import upgrade

        upgrade(db)
    return db
