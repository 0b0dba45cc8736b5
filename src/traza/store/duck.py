"""DuckDB adapter: the embedded default, one file, no server."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from traza.store.db import Database, DatabaseBusy, NoDatabase, Row
from traza.store.url import DatabaseURL

if TYPE_CHECKING:
    from traza.store.workbench import Workbench

_ROW_WRITERS = threading.Lock()  # see DuckDatabase.serial_row_writes


class DuckDatabase(Database):
    dialect = "duckdb"
    _conn: duckdb.DuckDBPyConnection

    def __init__(self, url: DatabaseURL, *, create: bool = True) -> None:
        self.url = url
        if url.target != ":memory:":
            if not create and not Path(url.target).is_file():
                raise NoDatabase(f"no database at {url.target}: `traza init --database {url}` creates one "
                                 "(or give the right --database or $TRAZA_DATABASE_URL)")
            Path(url.target).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._conn = duckdb.connect(url.target)
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise DatabaseBusy(
                    f"database busy: {url.target} is open in another process (DuckDB allows one "
                    "writer at a time). Wait for it to finish, or use PostgreSQL server mode for "
                    "concurrent work."
                ) from exc
            raise
        # DuckDB draws its own progress bar on long queries; traza draws its own.
        self._conn.execute("SET enable_progress_bar = false")
        # The audit chain's process-wide lock and head, shared by this connection's siblings
        # (store/chain.py); a fresh open forgets what an earlier one of the file remembered.
        self.chain_key = str(Path(url.target).resolve()) if url.target != ":memory:" else f":memory:{id(self)}"
        from traza.store.chain import forget_duck_head

        forget_duck_head(self.chain_key)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._conn.execute(sql, list(params))

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return self._conn.execute(sql, list(params)).fetchall()

    def columns(self, sql: str, params: Sequence[Any] = ()) -> tuple[list[str], list[Row]]:
        cur = self._conn.execute(sql, list(params))
        names = [d[0] for d in cur.description or []]
        return names, cur.fetchall()

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self._conn.executemany(sql, [list(r) for r in rows])

    def append(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]],
               on_conflict: str = "") -> None:
        if not rows:
            return
        import pyarrow as pa

        names = ", ".join(columns)
        self._conn.register("_traza_append", pa.table({c: [r[i] for r in rows] for i, c in enumerate(columns)}))
        try:
            self._conn.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM _traza_append {on_conflict}")  # noqa: S608 - our names
        finally:
            self._conn.unregister("_traza_append")

    def workbench(self) -> Workbench:
        from traza.store.workbench import DuckWorkbench

        return DuckWorkbench(self, self._conn)

    def sibling(self) -> DuckDatabase:
        """Another connection to the same database inside this process (DuckDB's cursor): a
        server's threads each need their own, and only one process may open the file."""
        twin = DuckDatabase.__new__(DuckDatabase)
        twin.url = self.url
        twin._conn = self._conn.cursor()
        twin.chain_key = self.chain_key
        return twin

    def serial_row_writes(self) -> AbstractContextManager[object]:
        # DuckDB does not queue writers of one row: a second transaction updating it fails
        # with a conflict. DuckDB is one process (it holds the file), so a lock in this
        # process orders its threads as PostgreSQL's row lock orders worker processes.
        return _ROW_WRITERS


