"""DuckDB engine: runs on the database's own connection, in temp tables."""

from __future__ import annotations

import re
from typing import Any

import duckdb

from traza.core.settings import env
from traza.detect.engines import Engine, Row
from traza.store.db import Database


class DuckEngine(Engine):
    name = "duckdb"

    def __init__(self, db: Database) -> None:
        self.con: duckdb.DuckDBPyConnection = db._conn
        # The base tables need no row order, and a memory ceiling makes DuckDB spill to disk
        # rather than grow past what a 2-core, few-GB machine can give (TRAZA_DUCKDB_MEMORY).
        self.con.execute("SET preserve_insertion_order = false")
        self.con.execute(f"SET memory_limit = '{_memory_limit()}'")

    def load_table(self, name: str, columns: dict[str, list[Any]], types: dict[str, str]) -> None:
        from traza.store.workbench import put_table

        put_table(self.con, name, columns, types)

    def create(self, name: str, sql: str) -> None:
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")

    def query(self, sql: str) -> tuple[list[str], list[Row]]:
        cur = self.con.execute(sql)
        return [d[0] for d in cur.description or []], cur.fetchall()

    def close(self) -> None:
        # Loading relies on insertion order (line numbers): give the connection back as it was.
        self.con.execute("RESET preserve_insertion_order")
        self.con.execute("RESET memory_limit")


def _memory_limit() -> str:
    value = env().duckdb_memory
    if not re.fullmatch(r"\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", value, re.IGNORECASE):
        raise ValueError(f"TRAZA_DUCKDB_MEMORY={value!r}: expected a size such as 4GB")
    return value
