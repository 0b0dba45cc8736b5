"""DuckDB engine: runs on the database's own connection, in temp tables."""

from __future__ import annotations

from typing import Any

import duckdb

from traza.detect.engines import Engine, Row
from traza.store.db import Database


class DuckEngine(Engine):
    name = "duckdb"

    def __init__(self, db: Database) -> None:
        self.con: duckdb.DuckDBPyConnection = db.conn  # type: ignore[attr-defined]

    def load_table(self, name: str, columns: dict[str, list[Any]], types: dict[str, str]) -> None:
        from traza.ingest.targets import put_table

        put_table(self.con, name, columns, types)

    def create(self, name: str, sql: str) -> None:
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")

    def query(self, sql: str) -> tuple[list[str], list[Row]]:
        cur = self.con.execute(sql)
        return [d[0] for d in cur.description or []], cur.fetchall()
