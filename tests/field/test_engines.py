"""The field checks find the same things on DuckDB, PostgreSQL and Spark over one small world
in which every check has something to find. Movement ids are each database's own, so evidence
is compared through the movements' idempotency keys."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import fresh_pg_schema, pg_url
from tests.detect.cases import World
from tests.field.cases import AUCAYACU, AUCAYACU_LONLAT, RUPA, FieldWorld
from traza.detect.engines import make_engine
from traza.field.checks import default_checks, find
from traza.store import Database, open_database

AS_OF = date(2026, 10, 31)


def build(db: Database, folder: Path) -> None:
    world = World(folder / "ledger")
    seller, buyer = world.operator(1), world.operator(2, "agriculture")
    world.sale(seller, buyer, 800, "2026-02-10", chemical="kerosene", dest=RUPA)
    world.load(db)
    guide = db.scalar("SELECT document_ref FROM movements WHERE type = 'sale'")
    w = FieldWorld(folder / "field")
    w.certificate("C1", 2)
    w.certificate("DEAD", 5, holder_deceased="true")
    w.add("measurements", measurement_id="M1", date="2026-01-15", ubigeo=RUPA, measured_ha=2)
    w.plot("P1", "2026-03-01", 1.5, certificate_id="C1")
    w.plot("P2", "2026-03-02", 1.5, ubigeo=AUCAYACU, at=AUCAYACU_LONLAT, certificate_id="C1")
    w.plot("P3", "2026-08-01", 1.5, certificate_id="DEAD")  # where P1 was: replanted
    w.add("labs", lab_id="L1", date="2026-03-01", ubigeo=RUPA, type="base_paste")
    w.add("seizures", seizure_id="S1", date="2026-03-01", ubigeo=RUPA, lab_id="L1", substance="precursor",
          chemical="kerosene", quantity=200, unit="kg", lot_ref=guide)
    w.load(db)


def keys(db: Database, engine_name: str, parquet: Path | None = None) -> set[tuple[Any, ...]]:
    idem = {f"movement:{k}": f"movement:{v}" for k, v in db.query("SELECT movement_id, idem_key FROM movements")}
    engine = make_engine(engine_name, db, parquet)
    try:
        found = find(engine, db, AS_OF)
    finally:
        engine.close()
    return {f.key()[:-1] + (tuple(sorted(idem.get(e, e) for e in f.evidence)),) for f in found}


@pytest.fixture(scope="module")
def duck(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("field-engines")
    db = open_database(f"duckdb:///{folder / 'traza.duckdb'}")
    build(db, folder)
    yield db
    db.close()


def test_every_check_finds_something(duck: Database) -> None:
    assert {k[0] for k in keys(duck, "duckdb")} == {c.id for c in default_checks()}


@pytest.mark.postgres
def test_postgres_agrees(duck: Database, tmp_path: Path) -> None:
    with fresh_pg_schema() as schema:
        pg = open_database(pg_url(schema))
        try:
            build(pg, tmp_path)
            assert keys(pg, "postgres") == keys(duck, "duckdb")
        finally:
            pg.close()


@pytest.mark.spark
def test_spark_agrees(duck: Database, spark: Any, tmp_path: Path) -> None:
    assert keys(duck, "spark", tmp_path / "parquet") == keys(duck, "duckdb")
