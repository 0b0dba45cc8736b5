"""Where validated rows go. Validation always runs in DuckDB (the "workbench"): on a DuckDB
database the workbench is the database's own connection and rows move with INSERT ... SELECT;
on PostgreSQL it is an in-memory DuckDB and rows travel by COPY. Either way all of a load
happens inside the target's one transaction."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb

from traza.ingest.movement_kind import CONTENT, CONTENT_HASH
from traza.store.db import Database

# What the workbench must know of the registry to validate: the current records' keys and
# content hashes (``k`` is the same key expression the kind specs compute).
KNOWN_SQL = {
    "known_operators": "SELECT ruc, ruc AS k, row_hash FROM operators",
    "known_establishments": (
        "SELECT ruc, establishment_code, ubigeo, ruc || '-' || establishment_code AS k, row_hash FROM establishments"
    ),
    "known_authorisations": (
        "SELECT ruc || '-' || chemical || '-' || strftime(valid_from, '%Y-%m-%d') AS k, row_hash FROM authorisations"
    ),
    # UBL lines are classified by these (ingest/ubl/stage.py).
    "known_product_mappings": (
        "SELECT ruc, item_code, chemical, kg_per_unit, ruc || '|' || item_code AS k, row_hash FROM product_mappings"
    ),
}
# A database opened without migrating (an older schema) lacks later tables: their relation
# is then empty, so loading the older kinds still works.
_LATER = {"known_product_mappings": ("product_mapping_versions", (
    "SELECT NULL::VARCHAR AS ruc, NULL::VARCHAR AS item_code, NULL::VARCHAR AS chemical, NULL::DOUBLE AS kg_per_unit, "
    "NULL::VARCHAR AS k, NULL::VARCHAR AS row_hash WHERE false"))}


def known_sql(db: Database) -> dict[str, str]:
    out = dict(KNOWN_SQL)
    for name, (table, empty) in _LATER.items():
        if not db.table_exists(table):
            out[name] = empty
    return out


KNOWN_OF_KIND = {
    "operators": "known_operators",
    "establishments": "known_establishments",
    "authorisations": "known_authorisations",
    "product_mappings": "known_product_mappings",
    "movements": "known_movements",
}
# How the workbench's copy of a registry kind is refreshed from the rows just written (``ok``).
# (every known_* column is an output column of its kind, except the key).
_KNOWN_FROM_OK = {"k": "n_k"}


class Target:
    """Writes accepted rows and looks up what the database already holds."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.con = self._workbench()

    def _workbench(self) -> duckdb.DuckDBPyConnection:
        raise NotImplementedError

    def prepare(self) -> None:
        """Make the known_* relations visible to the workbench."""
        raise NotImplementedError

    def known_movements(self, keys_table: str) -> None:
        """Create ``known_movements(k, row_hash)`` for the keys in ``keys_table(k)``."""
        raise NotImplementedError

    def write(self, table: str, columns: Sequence[str], select: str, id_column: str | None, id_sequence: str | None) -> None:
        raise NotImplementedError

    def known_values(self, into: str, table: str, column: str, keys_select: str) -> None:
        """Create the workbench table ``into(k)``: the keys of ``keys_select(k)`` that the
        database's ``table.column`` already holds."""
        raise NotImplementedError

    def registry_written(self, kind: str) -> None:
        """Rows of ``ok`` were just written as the current records of ``kind``."""

    def close(self) -> None:
        """Release the workbench (not the database)."""


class DuckTarget(Target):
    def _workbench(self) -> duckdb.DuckDBPyConnection:
        conn: duckdb.DuckDBPyConnection = self.db.conn  # type: ignore[attr-defined]
        return conn

    def prepare(self) -> None:
        for name, sql in known_sql(self.db).items():
            self.con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {sql}")

    def known_movements(self, keys_table: str) -> None:
        self.con.execute(
            f"CREATE OR REPLACE TEMP TABLE known_movements AS SELECT m.idem_key AS k, {CONTENT_HASH} AS row_hash "
            f"FROM movements m SEMI JOIN {keys_table} t ON t.k = m.idem_key"
        )

    def known_values(self, into: str, table: str, column: str, keys_select: str) -> None:
        self.con.execute(
            f"CREATE OR REPLACE TEMP TABLE {into} AS SELECT DISTINCT t.{column} AS k FROM {table} t "
            f"SEMI JOIN ({keys_select}) s ON s.k = t.{column}"
        )

    def write(self, table: str, columns: Sequence[str], select: str, id_column: str | None, id_sequence: str | None) -> None:
        cols = list(columns)
        if id_column and id_sequence:
            self.con.execute(
                f"INSERT INTO {table} ({id_column}, {', '.join(cols)}) "  # noqa: S608
                f"SELECT nextval('{id_sequence}'), * FROM ({select})"
            )
        elif id_column:
            # The ledger's ids: DuckDB has one writer process, so the current maximum plus the
            # row's line, inside the load's transaction, is unique and increasing (gaps where
            # lines were refused), and far faster than a sequence or a window per row.
            self.con.execute(
                f"INSERT INTO {table} ({id_column}, {', '.join(cols)}) "  # noqa: S608
                f"SELECT (SELECT coalesce(max({id_column}), 0) FROM {table}) + source_line, * FROM ({select})"
            )
        else:
            self.con.execute(f"INSERT INTO {table} ({', '.join(cols)}) {select}")  # noqa: S608


class PostgresTarget(Target):
    def __init__(self, db: Database) -> None:
        from traza.store.pg import PostgresDatabase

        assert isinstance(db, PostgresDatabase)
        self.pg = db  # COPY is PostgreSQL's own bulk path
        super().__init__(db)

    def _workbench(self) -> duckdb.DuckDBPyConnection:
        con = duckdb.connect(":memory:")
        con.execute("SET enable_progress_bar = false")
        return con

    def prepare(self) -> None:
        for name, sql in known_sql(self.db).items():
            names, rows = self.db.columns(sql)
            put_table(self.con, name, {n: [r[i] for r in rows] for i, n in enumerate(names)},
                      types=dict.fromkeys(names, "VARCHAR"))

    def known_movements(self, keys_table: str) -> None:
        self._load_keys(f"SELECT DISTINCT k FROM {keys_table}")
        names, rows = self.db.columns(
            f"SELECT m.idem_key AS k, {', '.join('m.' + c for c in CONTENT)} FROM movements m "
            "JOIN traza_load_keys t ON t.k = m.idem_key"
        )
        # Hash on this side, with DuckDB's formatting of dates and numbers, as for new rows.
        self.con.execute(
            "CREATE OR REPLACE TEMP TABLE stored_movements AS SELECT * FROM "
            "(SELECT NULL::VARCHAR AS k, NULL::VARCHAR AS declarant_ruc, NULL::VARCHAR AS establishment_code, "
            "NULL::DATE AS date, NULL::VARCHAR AS type, NULL::VARCHAR AS chemical, NULL::DOUBLE AS quantity, "
            "NULL::VARCHAR AS unit, NULL::VARCHAR AS counterparty_ruc, NULL::VARCHAR AS counterparty_establishment, "
            "NULL::VARCHAR AS document_ref, NULL::VARCHAR AS destination_ubigeo, NULL::VARCHAR AS origin_country, "
            "NULL::VARCHAR AS destination_country, NULL::VARCHAR AS extra) WHERE false"
        )
        if rows:
            self.con.executemany(f"INSERT INTO stored_movements VALUES ({', '.join('?' * len(names))})", rows)
        self.con.execute(
            f"CREATE OR REPLACE TEMP TABLE known_movements AS SELECT k, {CONTENT_HASH} AS row_hash FROM stored_movements"
        )

    def known_values(self, into: str, table: str, column: str, keys_select: str) -> None:
        self._load_keys(f"SELECT DISTINCT k FROM ({keys_select}) s")
        _, rows = self.db.columns(f"SELECT DISTINCT t.{column} FROM {table} t JOIN traza_load_keys k ON k.k = t.{column}")
        put_table(self.con, into, {"k": [r[0] for r in rows]}, types={"k": "VARCHAR"})

    def _load_keys(self, select: str) -> None:
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS traza_load_keys (k VARCHAR)")
        self.db.execute("TRUNCATE traza_load_keys")
        with _csv_of(self.con, select) as path:
            self.pg.copy_csv_into("traza_load_keys", ["k"], path)

    def write(self, table: str, columns: Sequence[str], select: str, id_column: str | None, id_sequence: str | None) -> None:
        # Ids come from the server's sequences (column defaults), safe under concurrent loads.
        with _csv_of(self.con, select) as path:
            self.pg.copy_csv_into(table, columns, path)

    def registry_written(self, kind: str) -> None:
        # The workbench's copy of the registry must see this load's records, as the
        # database itself does inside the transaction.
        name = KNOWN_OF_KIND[kind]
        cols = [r[0] for r in self.con.execute(f"DESCRIBE {name}").fetchall()]
        self.con.execute(f"DELETE FROM {name} WHERE k IN (SELECT n_k FROM ok)")  # noqa: S608
        self.con.execute(f"INSERT INTO {name} SELECT {', '.join(_KNOWN_FROM_OK.get(c, c) for c in cols)} FROM ok")  # noqa: S608

    def close(self) -> None:
        self.con.close()


class _csv_of:  # noqa: N801 - used as a context manager, reads like a function
    """A query of the workbench written to a temporary headerless CSV file."""

    def __init__(self, con: duckdb.DuckDBPyConnection, select: str) -> None:
        self.con, self.select = con, select
        self.path = Path(tempfile.mkstemp(suffix=".csv")[1])

    def __enter__(self) -> Path:
        self.con.execute(f"COPY ({self.select}) TO '{self.path}' (FORMAT csv, HEADER false)")
        return self.path

    def __exit__(self, *exc: object) -> None:
        self.path.unlink(missing_ok=True)


def put_table(con: duckdb.DuckDBPyConnection, name: str, columns: dict[str, list[Any]],
              types: dict[str, str] | None = None) -> None:
    """Create the temp table ``name`` from Python columns in one step (DuckDB's executemany
    costs a round trip per row)."""
    import pyarrow as pa

    schema = None
    if types:
        pa_types = {"VARCHAR": pa.string(), "DOUBLE": pa.float64(), "DATE": pa.date32(), "BIGINT": pa.int64(),
                    "BOOLEAN": pa.bool_()}
        schema = pa.schema([(c, pa_types[types[c]]) for c in columns])
    data = pa.table(columns, schema=schema)
    con.register("_put_table_source", data)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM _put_table_source")
    finally:
        con.unregister("_put_table_source")


def target_for(db: Database) -> Target:
    return DuckTarget(db) if db.dialect == "duckdb" else PostgresTarget(db)
