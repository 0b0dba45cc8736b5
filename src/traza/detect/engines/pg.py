"""PostgreSQL engine: server mode, temp tables on the database's connection."""

from __future__ import annotations

from typing import Any

from traza.detect.engines import Engine, Row
from traza.store.db import Database
from traza.store.pg import to_postgres

_PG_TYPES = {"VARCHAR": "TEXT", "DOUBLE": "DOUBLE PRECISION", "DATE": "DATE", "BIGINT": "BIGINT", "BOOLEAN": "BOOLEAN"}


class PostgresEngine(Engine):
    name = "postgres"

    def __init__(self, db: Database) -> None:
        self.db = db

    def load_table(self, name: str, columns: dict[str, list[Any]], types: dict[str, str]) -> None:
        conn = self.db._conn
        cols = ", ".join(f"{c} {_PG_TYPES[types[c]]}" for c in columns)
        conn.execute(f"DROP TABLE IF EXISTS {name}")
        conn.execute(f"CREATE TEMP TABLE {name} ({cols})")
        self.db.append(name, list(columns), list(zip(*columns.values(), strict=True)))

    def create(self, name: str, sql: str) -> None:
        conn = self.db._conn
        conn.execute(f"DROP TABLE IF EXISTS {name}")
        conn.execute(f"CREATE TEMP TABLE {name} AS {to_postgres(sql)}")
        conn.execute(f"ANALYZE {name}")

    def query(self, sql: str) -> tuple[list[str], list[Row]]:
        cur = self.db._conn.execute(to_postgres(sql))
        return [d.name for d in cur.description or []], cur.fetchall()
