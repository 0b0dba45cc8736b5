"""Field data feed detection's geography: a district where coca was eradicated or measured in
the last year counts as a special-regime zone (``zones_with_fresh_coca``), on every engine;
without field data the static list stands."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.detect.cases import World
from tests.field.cases import FieldWorld
from traza.detect.base import base_tables
from traza.detect.engines import make_engine
from traza.detect.runner import load_references
from traza.store import Database

CALLERIA = "250101"  # Pucallpa (Ucayali): not in the static special-regime list


def zones_of_sales(db: Database, engine_name: str, as_of: str, parquet: Path | None = None) -> list[Any]:
    engine = make_engine(engine_name, db, parquet)
    try:
        load_references(engine)
        for name, sql in base_tables(as_of):
            engine.create(name, sql)
            if name == "d_mov":
                break
        _, rows = engine.query("SELECT destination_ubigeo, destination_zone FROM d_mov WHERE type = 'sale' "
                               "ORDER BY destination_ubigeo")
        return [tuple(r) for r in rows]
    finally:
        engine.close()


def build(db: Database, tmp_path: Path, with_field: bool) -> None:
    world = World(tmp_path / "ledger")
    seller, buyer = world.operator(1), world.operator(2, "agriculture")
    world.sale(seller, buyer, 800, "2026-06-10", chemical="kerosene", dest=CALLERIA)
    world.sale(seller, buyer, 800, "2026-06-10", chemical="kerosene", dest="100601")
    world.load(db)
    if with_field:
        w = FieldWorld(tmp_path / "field")
        w.add("measurements", measurement_id="M1", date="2026-07-01", ubigeo=CALLERIA, measured_ha=40)
        w.load(db)


def test_static_zones_without_field_data(db: Database, tmp_path: Path) -> None:
    build(db, tmp_path, with_field=False)
    assert zones_of_sales(db, db.dialect, "2026-10-31") == [("100601", "ALTO_HUALLAGA"), (CALLERIA, None)]


def test_fresh_coca_makes_a_zone(db: Database, tmp_path: Path) -> None:
    build(db, tmp_path, with_field=True)
    assert zones_of_sales(db, db.dialect, "2026-10-31") == [("100601", "ALTO_HUALLAGA"), (CALLERIA, "COCA_FIELD")]
    # Coca measured more than a year before is no longer fresh; none is seen before it was measured.
    assert zones_of_sales(db, db.dialect, "2027-08-01")[1] == (CALLERIA, None)
    assert zones_of_sales(db, db.dialect, "2026-06-30")[1] == (CALLERIA, None)


@pytest.mark.spark
def test_spark_sees_fresh_coca(tmp_path: Path, spark: Any) -> None:
    from traza.store import open_database

    db = open_database(f"duckdb:///{tmp_path / 't.duckdb'}")
    try:
        build(db, tmp_path, with_field=True)
        assert zones_of_sales(db, "spark", "2026-10-31", tmp_path / "pq") == zones_of_sales(db, "duckdb", "2026-10-31")
    finally:
        db.close()


@pytest.mark.postgres
def test_postgres_exports_an_empty_view(tmp_path: Path) -> None:
    from tests.conftest import fresh_pg_schema, pg_url
    from traza.store import open_database
    from traza.store.export import export_parquet

    with fresh_pg_schema() as schema:
        db = open_database(pg_url(schema))
        try:
            export_parquet(db, tmp_path)
        finally:
            db.close()
    import duckdb

    con = duckdb.connect()
    path = str(tmp_path / "field_coca_districts.parquet")
    assert con.execute(f"SELECT count(*) FROM '{path}'").fetchone() == (0,)
    assert [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM '{path}'").fetchall()] == [
        "ubigeo", "date", "hectares", "source"]
