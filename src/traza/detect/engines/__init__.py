"""Detection engines behind one small interface: create a table from a query, run a query.

SQL arrives in DuckDB's dialect; each engine transpiles it (sqlglot) to its own. Every kind of
rule (detection, port targeting, field checks) opens its engine here, by name.
"""

from __future__ import annotations

import tempfile
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from traza.store.db import Database

Row = tuple[Any, ...]


class Engine(ABC):
    name: str

    @abstractmethod
    def load_table(self, name: str, columns: dict[str, list[Any]], types: dict[str, str]) -> None:
        """Create table ``name`` from Python columns (reference data)."""

    @abstractmethod
    def create(self, name: str, sql: str) -> None:
        """Materialise the result of ``sql`` as the table ``name`` for this run."""

    @abstractmethod
    def query(self, sql: str) -> tuple[list[str], list[Row]]: ...

    def close(self) -> None:  # noqa: B027 - most engines hold nothing of their own
        """Release what the engine opened (not the database)."""


def _duckdb(db: Database, parquet_dir: Path | None, sources: tuple[str, ...]) -> Engine:
    if db.dialect != "duckdb":
        raise ValueError("the duckdb engine runs on a DuckDB database; use --engine postgres or spark")
    from traza.detect.engines.duck import DuckEngine

    return DuckEngine(db)


def _postgres(db: Database, parquet_dir: Path | None, sources: tuple[str, ...]) -> Engine:
    if db.dialect != "postgres":
        raise ValueError("the postgres engine runs on a PostgreSQL database; use --engine duckdb or spark")
    from traza.detect.engines.pg import PostgresEngine

    return PostgresEngine(db)


def _spark(db: Database, parquet_dir: Path | None, sources: tuple[str, ...]) -> Engine:
    # Spark reads files, not the database: export what the rules read, then read it back.
    from traza.detect.engines.spark import SparkEngine
    from traza.store.export import TABLES, export_parquet

    folder = parquet_dir or Path(tempfile.mkdtemp(prefix="traza-parquet-"))
    tables = TABLES + tuple(t for t in sources if t not in TABLES)
    export_parquet(db, folder, tables)
    return SparkEngine(folder, tables=tables)


ENGINES: dict[str, Callable[[Database, Path | None, tuple[str, ...]], Engine]] = {
    "duckdb": _duckdb, "postgres": _postgres, "spark": _spark}


def make_engine(name: str, db: Database, parquet_dir: Path | None = None, sources: Sequence[str] = ()) -> Engine:
    """The engine ``name`` over ``db``; ``sources`` are stored tables beyond the ledger and the
    registry that the rules read (exported for Spark, read in place by the others)."""
    factory = ENGINES.get(name)
    if factory is None:
        *others, last = ENGINES
        raise ValueError(f"unknown engine {name!r}: expected {', '.join(others)} or {last}")
    return factory(db, parquet_dir, tuple(sources))


def native_engine(db: Database) -> Engine:
    """The engine that runs inside ``db`` itself (DuckDB or PostgreSQL)."""
    return make_engine(db.dialect, db)
