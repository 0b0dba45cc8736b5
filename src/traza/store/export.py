"""Export the ledger and the current registry to Parquet, for the Spark engine (and for
anyone who wants the data in an open columnar format)."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

import duckdb

from traza.store.db import Database

TABLES = ("movements", "operators", "establishments", "authorisations", "field_coca_districts")


def export_parquet(db: Database, folder: Path, tables: Sequence[str] = TABLES) -> list[Path]:
    """Write each of ``tables`` (the ledger and registry unless told) to ``folder/<table>.parquet``."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for table in tables:
        path = folder / f"{table}.parquet"
        if db.dialect == "duckdb":
            db.execute(f"COPY (SELECT * FROM {table}) TO '{path}' (FORMAT parquet)")
        else:
            _pg_to_parquet(db, table, path)
        out.append(path)
    return out


def _pg_to_parquet(db: Database, table: str, path: Path) -> None:
    # COPY out as CSV (fast), typed by PostgreSQL's own column types, converted by DuckDB.
    types = db.query(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
        "AND table_schema = current_schema() ORDER BY ordinal_position", (table,))
    duck = {"bigint": "BIGINT", "integer": "INTEGER", "double precision": "DOUBLE", "date": "DATE",
            "timestamp without time zone": "TIMESTAMP", "boolean": "BOOLEAN"}
    cols = "{" + ", ".join(f"'{c}': '{duck.get(t, 'VARCHAR')}'" for c, t in types) + "}"
    with tempfile.NamedTemporaryFile(suffix=".csv") as tmp:
        conn = db._conn
        with conn.cursor() as cur, cur.copy(f"COPY (SELECT * FROM {table}) TO STDOUT WITH (FORMAT csv)") as copy:
            for chunk in copy:
                tmp.write(chunk)
        tmp.flush()
        con = duckdb.connect()
        if tmp.tell() == 0:  # an empty table (no field data, say): DuckDB cannot sniff an empty CSV
            empty = ", ".join(f"CAST(NULL AS {duck.get(t, 'VARCHAR')}) AS \"{c}\"" for c, t in types)
            con.execute(f"COPY (SELECT {empty} WHERE false) TO '{path}' (FORMAT parquet)")
        else:
            con.execute(f"COPY (SELECT * FROM read_csv(?, header=false, columns={cols})) TO '{path}' (FORMAT parquet)", [tmp.name])
        con.close()
