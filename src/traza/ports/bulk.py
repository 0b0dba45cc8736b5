"""Append many rows to a table in one step on either backend (Arrow into DuckDB, COPY into
PostgreSQL): a year of manifests is millions of rows, which row-by-row inserts cannot carry."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from traza.store.db import Database


def append(db: Database, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    if not rows:
        return
    if db.dialect == "duckdb":
        import pyarrow as pa

        data = pa.table({c: [r[i] for r in rows] for i, c in enumerate(columns)})
        con = db.conn  # type: ignore[attr-defined]
        con.register("_ports_append", data)
        try:
            con.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(columns)} FROM _ports_append")  # noqa: S608 - our table and column names
        finally:
            con.unregister("_ports_append")
        return
    conn = db.conn  # type: ignore[attr-defined]
    with conn.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for r in rows:
            copy.write_row(r)
