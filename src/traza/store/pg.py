"""PostgreSQL adapter: server mode. SQL arrives in DuckDB's dialect and is transpiled."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psycopg
import sqlglot

from traza.store.db import Database, Row
from traza.store.url import DatabaseURL

if TYPE_CHECKING:
    from traza.store.workbench import Workbench


# Rows a bulk write (``append``, ``copy_csv_into``) must add to a table before it is analysed
# on commit. The planner of a freshly loaded table has no statistics until autovacuum gets to
# it (a minute or more): the alert queue then ran a nested loop over 40,000 alerts, 3.5 s
# instead of 10 ms. Small writes (a sale check, an analyst's note) are left to autovacuum.
ANALYZE_AFTER_ROWS = 1_000


@lru_cache(maxsize=1024)
def to_postgres(sql: str) -> str:
    """DuckDB SQL (``?`` placeholders) to PostgreSQL (``%s``), statement by statement."""
    return ";\n".join(sqlglot.transpile(sql, read="duckdb", write="postgres"))


class PostgresDatabase(Database):
    dialect = "postgres"
    _conn: psycopg.Connection[Any]

    def __init__(self, url: DatabaseURL) -> None:
        self.url = url
        self._conn = psycopg.connect(url.target, autocommit=True)
        self._grown: dict[str, int] = {}  # rows appended per table by the write or transaction under way

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._conn.execute(to_postgres(sql), tuple(params) or None)

    def execute_native(self, sql: str) -> None:
        self._conn.execute(sql)  # no parameters: psycopg sends it as written ('%' included)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return self._conn.execute(to_postgres(sql), tuple(params) or None).fetchall()

    def columns(self, sql: str, params: Sequence[Any] = ()) -> tuple[list[str], list[Row]]:
        cur = self._conn.execute(to_postgres(sql), tuple(params) or None)
        names = [d.name for d in cur.description or []]
        return names, cur.fetchall()

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            with self._conn.cursor() as cur:
                cur.executemany(to_postgres(sql), [tuple(r) for r in rows])

    def copy_csv_into(self, table: str, columns: Sequence[str], csv_path: Path) -> None:
        cols = ", ".join(columns)
        with self._conn.cursor() as cur:
            with cur.copy(f"COPY {table} ({cols}) FROM STDIN WITH (FORMAT csv)") as copy, \
                    csv_path.open("rb") as fh:  # identifiers are ours
                while chunk := fh.read(1 << 20):
                    copy.write(chunk)
            self._wrote(table, cur.rowcount)  # set once the COPY has ended

    def append(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]],
               on_conflict: str = "") -> None:
        if not rows:
            return
        if on_conflict:  # COPY cannot resolve conflicts; one prepared INSERT per row can
            marks = ", ".join("?" for _ in columns)
            self.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks}) {on_conflict}", rows)
            self._wrote(table, len(rows))  # a detection run's alerts come this way
            return
        with self._conn.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for r in rows:
                copy.write_row(r)
        self._wrote(table, len(rows))

    def _wrote(self, table: str, n: int) -> None:
        self._grown[table] = self._grown.get(table, 0) + max(n, 0)
        if not self.in_transaction:
            self._analyze()

    def _analyze(self) -> None:
        grown, self._grown = self._grown, {}
        for table in sorted(t for t, n in grown.items() if n >= ANALYZE_AFTER_ROWS):
            try:
                self._conn.execute(f"ANALYZE {table}")  # identifiers are ours (see append)
            except psycopg.errors.UndefinedTable:
                continue  # a temporary table dropped before the commit

    def _commit(self) -> None:
        super()._commit()
        self._analyze()

    def _rollback(self) -> None:
        super()._rollback()
        self._grown = {}

    def advisory_lock(self, key: int) -> None:
        self.execute("SELECT pg_advisory_xact_lock(?)", (key,))

    def workbench(self) -> Workbench:
        from traza.store.workbench import CopyWorkbench

        return CopyWorkbench(self)

    def sibling(self) -> PostgresDatabase:
        """Another connection to the same database (for a server's threads)."""
        return PostgresDatabase(self.url)


