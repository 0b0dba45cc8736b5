"""One schema, several engines (DESIGN.md principle 4): every rule, live and shadow, finds the
same alerts on DuckDB, PostgreSQL and Spark over the same simulated country.

Movement ids are each database's own (DuckDB numbers rows, PostgreSQL uses a sequence), so
evidence is compared by the movements' idempotency keys, which the files fix.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.conftest import fresh_pg_schema, pg_url
from tests.detect.cases import COUNTRY, load_country
from traza.detect.catalogue import default_rules
from traza.detect.runner import Finding, find, make_engine
from traza.store import Database, open_database
from traza.store.export import export_parquet

END = COUNTRY.end
MIDYEAR = date(2026, 4, 30)
RULES = default_rules().rules

Key = tuple[Any, ...]


def keys(db: Database, findings: list[Finding]) -> set[Key]:
    idem = dict(db.query("SELECT movement_id, idem_key FROM movements"))
    return {(f.alert_id, f.ruc, f.chemical, f.period_start, f.period_end, f.observed, f.baseline, f.detail,
             tuple(sorted(idem[i] for i in f.evidence))) for f in findings}


def run_all(db: Database, engine_name: str, as_of: date, parquet_dir: Path | None = None) -> set[Key]:
    engine = make_engine(engine_name, db, parquet_dir)
    try:
        return keys(db, find(engine, RULES, as_of))
    finally:
        engine.close()


@pytest.fixture(scope="module")
def duck(country: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = open_database(f"duckdb:///{tmp_path_factory.mktemp('duck') / 'country.duckdb'}")
    load_country(db, country)
    try:
        yield db
    finally:
        db.close()


@pytest.fixture(scope="module")
def pg(country: Path) -> Iterator[Database]:
    with fresh_pg_schema() as schema:
        db = open_database(pg_url(schema))
        load_country(db, country)
        try:
            yield db
        finally:
            db.close()


@pytest.fixture(scope="module")
def duck_end(duck: Database) -> set[Key]:
    found = run_all(duck, "duckdb", END)
    # the comparison means something only if most rules find something in the country
    assert len({k[0] for k in found}) >= 20
    return found


def test_the_country_exercises_most_rules(duck: Database) -> None:
    engine = make_engine("duckdb", duck)
    try:
        hit = {f.rule.id for f in find(engine, RULES, END)}
    finally:
        engine.close()
    assert len(hit) >= 10, sorted(hit)
    assert any(r.shadow for r in RULES if r.id in hit), "a shadow rule is among those compared"


@pytest.mark.postgres
@pytest.mark.parametrize("as_of", [MIDYEAR, END], ids=str)
def test_postgres_finds_what_duckdb_finds(duck: Database, pg: Database, duck_end: set[Key], as_of: date) -> None:
    expected = duck_end if as_of == END else run_all(duck, "duckdb", as_of)
    assert run_all(pg, "postgres", as_of) == expected


@pytest.mark.spark
def test_spark_finds_what_duckdb_finds(duck: Database, duck_end: set[Key], spark: Any, tmp_path: Path) -> None:
    assert run_all(duck, "spark", END, tmp_path / "parquet") == duck_end


@pytest.mark.postgres
def test_both_databases_export_the_same_parquet(duck: Database, pg: Database, tmp_path: Path) -> None:
    """Spark reads what export_parquet writes: the same rows, whichever database wrote them
    (less the columns each database fills itself)."""
    export_parquet(duck, tmp_path / "duck")
    export_parquet(pg, tmp_path / "pg")
    own = {"movement_id", "submission_id", "declared_at", "source_file", "version_id", "recorded_at", "loaded_at"}
    con = duckdb.connect()
    for table in ("movements", "operators", "establishments", "authorisations"):
        a, b = (str(tmp_path / side / f"{table}.parquet") for side in ("duck", "pg"))
        cols = [c for (c,) in con.execute(f"SELECT name FROM parquet_schema('{a}') WHERE num_children IS NULL")
                .fetchall() if c not in own]
        assert cols == [c for (c,) in con.execute(f"SELECT name FROM parquet_schema('{b}') "
                                                  "WHERE num_children IS NULL").fetchall() if c not in own]
        pick = ", ".join(cols)
        diff = con.execute(f"SELECT count(*) FROM (SELECT {pick} FROM '{a}' EXCEPT ALL SELECT {pick} FROM '{b}')").fetchone()
        total = con.execute(f"SELECT count(*) FROM '{a}'").fetchone()
        assert diff == (0,) and total is not None and total[0] > 0, table
