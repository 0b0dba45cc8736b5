# ruff: noqa: S608 - every statement here is built from the callers' own table and column names
"""The workbench: an embedded DuckDB where files are read, checked and shaped before any row
reaches the database, whatever the database is.

On a DuckDB database the workbench is the database's own connection, so a database query is
a view and rows move with ``INSERT ... SELECT``. On PostgreSQL it is an in-memory DuckDB:
what validation needs of the database is copied in, and accepted rows travel by ``COPY``.
Either way the caller writes one set of DuckDB SQL against the workbench and everything it
writes lands inside the database's current transaction. The workbench is DuckDB on every
backend, so its connection and error type are exported here for the readers that stage files
(``WorkbenchConnection``, ``WorkbenchError``); the backend itself stays behind ``Database``.
"""

from __future__ import annotations

import tempfile
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

if TYPE_CHECKING:
    from traza.store.db import Database
    from traza.store.pg import PostgresDatabase

WorkbenchConnection = duckdb.DuckDBPyConnection
WorkbenchError = duckdb.Error

_ARROW_TYPES = ("VARCHAR", "DOUBLE", "DATE", "BIGINT", "BOOLEAN", "TIMESTAMP", "INTEGER")


def scratch() -> WorkbenchConnection:
    """A workbench of its own, in memory, with no database behind it (for computing what a
    loader would, without loading: e.g. a manifest's identity); close it when done."""
    con = duckdb.connect(":memory:")
    con.execute("SET enable_progress_bar = false")
    return con


def put_table(con: WorkbenchConnection, name: str, columns: dict[str, list[Any]],
              types: dict[str, str] | None = None) -> None:
    """Create the temp table ``name`` from Python columns in one step (DuckDB's executemany
    costs a round trip per row)."""
    import pyarrow as pa

    schema = None
    if types:
        pa_types = dict(zip(_ARROW_TYPES, (pa.string(), pa.float64(), pa.date32(), pa.int64(), pa.bool_(),
                                            pa.timestamp("us"), pa.int32()), strict=True))
        schema = pa.schema([(c, pa_types[types[c]]) for c in columns])
    put_arrow(con, name, pa.table(columns, schema=schema))


def put_arrow(con: WorkbenchConnection, name: str, data: Any) -> None:
    """Create the temp table ``name`` from an Arrow table."""
    con.register("_put_table_source", data)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM _put_table_source")
    finally:
        con.unregister("_put_table_source")


class Workbench(ABC):
    """A DuckDB connection (``con``) beside ``db``, and the moves between the two."""

    def __init__(self, db: Database, con: WorkbenchConnection) -> None:
        self.db, self.con = db, con

    @abstractmethod
    def mirror(self, name: str, sql: str, types: dict[str, str] | None = None) -> None:
        """Make the database query ``sql`` readable in the workbench as ``name``. Where it is a
        copy (not the database itself), ``refresh`` keeps it up to date with later writes."""

    def refresh(self, name: str, key: str, rows_select: str) -> None:  # noqa: B027 - nothing to do where a mirror is a view
        """The database's rows behind ``mirror(name)`` whose ``key`` appears in the workbench
        query ``rows_select`` (same columns as the mirror) were just written."""

    @abstractmethod
    def fetch_for_keys(self, into: str, sql: str, key: str, keys_select: str,
                       types: dict[str, str] | None = None) -> None:
        """Create the workbench table ``into``: the rows of the database query ``sql`` whose
        column ``key`` is one of the workbench's ``keys_select(k)`` (only those travel)."""

    @abstractmethod
    def write(self, table: str, columns: Sequence[str], select: str, id_column: str | None = None,
              id_sequence: str | None = None) -> None:
        """Insert the workbench query ``select`` (``columns``, in order) into the database's
        ``table``; ``id_column`` is filled from ``id_sequence`` (or, without one, by the
        database: a server's column default, or DuckDB's current maximum plus the row's
        ``source_line``)."""

    def next_ids(self, sequence: str, n: int) -> list[int]:
        """``n`` fresh values of the database's ``sequence``, in increasing order."""
        if n <= 0:
            return []
        rows = self.db.query(f"SELECT nextval('{sequence}') FROM generate_series(1, ?)", (n,))
        return sorted(int(r[0]) for r in rows)

    def drop(self, *names: str) -> None:
        """Drop the workbench's relations ``names`` (tables or mirrors), those that exist."""
        for name in names:
            kind = self.con.execute(
                "SELECT 'VIEW' FROM duckdb_views() WHERE temporary AND view_name = ? UNION ALL "
                "SELECT 'TABLE' FROM duckdb_tables() WHERE temporary AND table_name = ?", [name, name]).fetchone()
            if kind:
                self.con.execute(f"DROP {kind[0]} {name}")

    def close(self) -> None:  # noqa: B027 - the database's own connection is not the workbench's to close
        """Release the workbench (not the database)."""


class DuckWorkbench(Workbench):
    """On a DuckDB database the workbench is the database's own connection."""

    def mirror(self, name: str, sql: str, types: dict[str, str] | None = None) -> None:
        self.con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {sql}")  # a view is never stale

    def fetch_for_keys(self, into: str, sql: str, key: str, keys_select: str,
                       types: dict[str, str] | None = None) -> None:
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {into} AS SELECT q.* FROM ({sql}) q "
                         f"SEMI JOIN ({keys_select}) s ON s.k = q.{key}")

    def write(self, table: str, columns: Sequence[str], select: str, id_column: str | None = None,
              id_sequence: str | None = None) -> None:
        cols = ", ".join(columns)
        if id_column and id_sequence:
            self.con.execute(f"INSERT INTO {table} ({id_column}, {cols}) SELECT nextval('{id_sequence}'), * FROM ({select})")
        elif id_column:
            # The ledger's ids: DuckDB has one writer process, so the current maximum plus the
            # row's line, inside the load's transaction, is unique and increasing (gaps where
            # lines were refused), and far faster than a sequence or a window per row.
            self.con.execute(f"INSERT INTO {table} ({id_column}, {cols}) "
                             f"SELECT (SELECT coalesce(max({id_column}), 0) FROM {table}) + source_line, * FROM ({select})")
        else:
            self.con.execute(f"INSERT INTO {table} ({cols}) {select}")


class CopyWorkbench(Workbench):
    """Beside a PostgreSQL database: an in-memory DuckDB, fed by queries, emptied by COPY."""

    def __init__(self, db: PostgresDatabase) -> None:
        super().__init__(db, scratch())
        self.pg = db

    def mirror(self, name: str, sql: str, types: dict[str, str] | None = None) -> None:
        names, rows = self.db.columns(sql)
        put_table(self.con, name, {n: [r[i] for r in rows] for i, n in enumerate(names)},
                  types=types or dict.fromkeys(names, "VARCHAR"))

    def refresh(self, name: str, key: str, rows_select: str) -> None:
        # The copy must see this load's rows, as the database itself does inside the transaction.
        self.con.execute(f"DELETE FROM {name} WHERE {key} IN (SELECT {key} FROM ({rows_select}))")
        self.con.execute(f"INSERT INTO {name} BY NAME {rows_select}")

    def fetch_for_keys(self, into: str, sql: str, key: str, keys_select: str,
                       types: dict[str, str] | None = None) -> None:
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS traza_load_keys (k VARCHAR)")
        self.db.execute("TRUNCATE traza_load_keys")
        with _csv_of(self.con, f"SELECT DISTINCT k FROM ({keys_select}) s") as path:
            self.pg.copy_csv_into("traza_load_keys", ["k"], path)
        names, rows = self.db.columns(f"SELECT q.* FROM ({sql}) q JOIN traza_load_keys t ON t.k = q.{key}")
        put_table(self.con, into, {n: [r[i] for r in rows] for i, n in enumerate(names)},
                  types=types or dict.fromkeys(names, "VARCHAR"))

    def write(self, table: str, columns: Sequence[str], select: str, id_column: str | None = None,
              id_sequence: str | None = None) -> None:
        # Ids come from the server's sequences (column defaults), safe under concurrent loads.
        with _csv_of(self.con, select) as path:
            self.pg.copy_csv_into(table, columns, path)

    def close(self) -> None:
        self.con.close()


class _csv_of:  # noqa: N801 - used as a context manager, reads like a function
    """A query of the workbench written to a temporary headerless CSV file."""

    def __init__(self, con: WorkbenchConnection, select: str) -> None:
        self.con, self.select = con, select
        self.path = Path(tempfile.mkstemp(suffix=".csv")[1])

    def __enter__(self) -> Path:
        self.con.execute(f"COPY ({self.select}) TO '{self.path}' (FORMAT csv, HEADER false)")
        return self.path

    def __exit__(self, *exc: object) -> None:
        self.path.unlink(missing_ok=True)
