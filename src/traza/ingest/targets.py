"""Where validated rows go, and what validation must know of the registry. Validation runs
on the store's workbench (``store.workbench``: DuckDB beside whatever database is behind
``Database``); this module says which records it needs and how a load's own writes are seen
by the rest of the load, inside the database's one transaction."""

from __future__ import annotations

from collections.abc import Sequence

from traza.ingest.movement_kind import CONTENT, CONTENT_HASH
from traza.store.db import Database
from traza.store.workbench import put_table

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
# A copy of a relation (beside PostgreSQL) is text unless told: a mapping's kg_per_unit is a
# number (as text, a stored 25.0 failed the copy and with it every later load).
_KNOWN_TYPES = {"known_product_mappings": {**dict.fromkeys(("ruc", "item_code", "chemical", "k", "row_hash"), "VARCHAR"),
                                           "kg_per_unit": "DOUBLE"}}
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
# The stored movements' content, typed as the workbench hashes new rows (dates and numbers
# formatted by DuckDB on every backend).
_CONTENT_TYPES = {"k": "VARCHAR", **dict.fromkeys(CONTENT, "VARCHAR"), "date": "DATE", "quantity": "DOUBLE"}

__all__ = ["KNOWN_OF_KIND", "Target", "known_sql", "put_table"]


class Target:
    """Writes accepted rows and looks up what the database already holds, through the
    database's workbench (``con`` is the workbench's DuckDB connection)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.bench = db.workbench()
        self.con = self.bench.con

    def prepare(self) -> None:
        """Make the known_* relations visible to the workbench."""
        for name, sql in known_sql(self.db).items():
            self.bench.mirror(name, sql, _KNOWN_TYPES.get(name))

    def known_movements(self, keys_table: str) -> None:
        """Create ``known_movements(k, row_hash)`` for the keys in ``keys_table(k)``."""
        self.bench.fetch_for_keys("stored_movements", f"SELECT idem_key AS k, {', '.join(CONTENT)} FROM movements",
                                  "k", f"SELECT k FROM {keys_table}", types=_CONTENT_TYPES)
        self.con.execute(
            f"CREATE OR REPLACE TEMP TABLE known_movements AS SELECT k, {CONTENT_HASH} AS row_hash FROM stored_movements"
        )

    def write(self, table: str, columns: Sequence[str], select: str, id_column: str | None, id_sequence: str | None) -> None:
        self.bench.write(table, columns, select, id_column, id_sequence)

    def known_values(self, into: str, table: str, column: str, keys_select: str) -> None:
        """Create the workbench table ``into(k)``: the keys of ``keys_select(k)`` that the
        database's ``table.column`` already holds."""
        self.bench.fetch_for_keys(into, f"SELECT {column} AS k FROM {table}", "k", keys_select)
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {into} AS SELECT DISTINCT k FROM {into}")

    def registry_written(self, kind: str) -> None:
        """Rows of ``ok`` were just written as the current records of ``kind``."""
        name = KNOWN_OF_KIND[kind]
        cols = [r[0] for r in self.con.execute(f"DESCRIBE {name}").fetchall()]
        self.bench.refresh(name, "k", f"SELECT {', '.join(f'{_KNOWN_FROM_OK.get(c, c)} AS {c}' for c in cols)} FROM ok")  # noqa: S608

    def close(self) -> None:
        """Release the workbench (not the database)."""
        self.bench.close()
