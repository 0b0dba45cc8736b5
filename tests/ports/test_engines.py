"""The same port rules give the same hits on DuckDB, PostgreSQL and Spark."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import fresh_pg_schema, pg_url
from tests.ports.conftest import load_scenario
from traza.ports.runner import TARGETING, find
from traza.store import open_database
from traza.store.db import Database


def _hits(db: Database, engine: str, spark: Any = None) -> set[tuple[str, str, str, float, str | None]]:
    if engine == "spark":
        from traza.detect.engines.spark import SparkEngine

        eng = TARGETING.engine("spark", db)
        assert isinstance(eng, SparkEngine)
    else:
        eng = TARGETING.engine(engine, db)
    try:
        return {(h.rule.id, h.call_id, h.container_no, h.strength, h.detail) for h in find(eng)}
    finally:
        eng.close()


def test_duckdb_postgres_and_spark_agree(tmp_path: Path, spark: Any) -> None:
    duck = open_database(f"duckdb:///{tmp_path / 'p.duckdb'}")
    load_scenario(duck, tmp_path / "a")
    on_duck = _hits(duck, "duckdb")
    on_spark = _hits(duck, "spark")
    duck.close()
    with fresh_pg_schema() as schema:
        pg = open_database(pg_url(schema))
        load_scenario(pg, tmp_path / "b")
        on_pg = _hits(pg, "postgres")
        pg.close()
    assert len({h[0] for h in on_duck}) >= 18  # every rule found something
    assert on_duck == on_pg
    assert on_duck == on_spark
