"""One schema, several engines (docs/principles.md, principle 4): every rule, live and shadow, finds the
same alerts on DuckDB, PostgreSQL and Spark over the same simulated country, into which a
few hand-made patterns are planted so that every rule has something to find.

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
from tests.detect.cases import COUNTRY, ZONE, World, load_country, months
from tests.factories import make_ruc
from traza.detect.catalogue import default_rules
from traza.detect.engines import make_engine
from traza.detect.runner import Finding, find
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


def plant(world: World) -> None:
    """Patterns the small country lacks (its own RUCs, 2026), one or more per rule."""
    p1, p2, p3, p4 = (world.operator(n) for n in range(901, 905))
    # fan_in: three sellers converge on an unregistered buyer within a month
    for seller, day in ((p1, "2026-09-01"), (p2, "2026-09-05"), (p3, "2026-09-10")):
        world.sale(seller, make_ruc(999), 1_000, day, chemical="acetone", declared=False)
    # many_suppliers, counterparty_not_authorised: four sources, no authorisation for toluene
    textile = world.operator(910, "textile")
    for seller, day in zip((p1, p2, p3, p4), ("2026-07-06", "2026-07-20", "2026-08-03", "2026-08-17"), strict=True):
        world.sale(seller, textile, 300, day, chemical="toluene")
    # negative_book_stock (hydrochloric acid), stock_count_discrepancy (nitric acid)
    mine = world.operator(911, "mining")
    world.move(mine, "stock_count", 0, "2026-06-30", chemical="hydrochloric_acid")
    world.sale(p1, mine, 1_000, "2026-07-05", chemical="hydrochloric_acid")
    world.move(mine, "consumption", 2_000, "2026-07-25", chemical="hydrochloric_acid")
    world.move(mine, "consumption", 500, "2026-08-20", chemical="hydrochloric_acid")
    world.move(mine, "stock_count", 1_000, "2026-06-30", chemical="nitric_acid")
    world.sale(p2, mine, 500, "2026-07-15", chemical="nitric_acid")
    world.move(mine, "consumption", 300, "2026-08-15", chemical="nitric_acid")
    world.move(mine, "stock_count", 1_000, "2026-09-30", chemical="nitric_acid")
    # new_operator_burst: a new firm buying ten times its sector's month, from two suppliers
    old = world.operator(912, "other", registered_on="2012-01-01")
    for day in months(2026, 4, 10):
        world.sale(p1, old, 100, day, chemical="acetone")
    new = world.operator(913, "other", registered_on="2026-05-01")
    world.sale(p1, new, 1_000, "2026-06-10", chemical="acetone")
    world.sale(p2, new, 1_000, "2026-07-10", chemical="acetone")
    # quota_warning: 90% of the year's quota by October
    paint = world.operator(914, "paint")
    world.authorise(paint, "xylene", quota=10_000, valid_from="2026-01-01", valid_to="2026-12-31")
    world.sale(p1, paint, 4_500, "2026-03-10", chemical="xylene")
    world.sale(p2, paint, 4_500, "2026-08-10", chemical="xylene")
    # shared_identity: a new front sharing a phone with an old firm that declares nothing
    world.operator(915, "mining", registered_on="2014-01-01", phone="+51 1 444 1234")
    front = world.operator(916, "mining", registered_on="2026-03-01", phone="(51-1) 444-1234")
    world.sale(p1, front, 2_000, "2026-03-10", chemical="kerosene")
    world.sale(p2, front, 2_000, "2026-04-10", chemical="kerosene")
    # consumption_above_peers: one laboratory using a hundred times what five others use, and
    # a hundred times what it used itself two years back
    for n in range(917, 922):
        world.move(world.operator(n, "laboratory"), "consumption", 100, "2026-05-15", chemical="acetone")
    odd = world.operator(922, "laboratory")
    world.move(odd, "consumption", 100, "2025-01-15", chemical="acetone")  # its use two years back
    world.move(odd, "consumption", 10_000, "2026-05-15", chemical="acetone")
    # delivered_off_premises: a Lima farm store whose kerosene is delivered in a valley
    farm = world.operator(923, "agriculture")
    world.sale(p1, farm, 1_500, "2026-06-10", chemical="kerosene", dest=ZONE)
    world.sale(p2, farm, 1_500, "2026-07-10", chemical="kerosene", dest=ZONE)
    # order_size_shift: a textile mill whose monthly order of acid went from 100 kg to 600 kg
    mill = world.operator(924, "textile")
    for day in months(2025, 1, 10):
        world.sale(p4, mill, 100, day, chemical="hydrochloric_acid")
    for day in months(2025, 11, 12) + months(2026, 1, 10):
        world.sale(p4, mill, 600, day, chemical="hydrochloric_acid")
    # repeated_losses: write-offs between stock counts
    world.sale(p3, mine, 5_000, "2026-02-10", chemical="sulfuric_acid")
    for day in ("2026-03-03", "2026-05-04", "2026-07-06"):
        world.move(mine, "loss", 100, day, chemical="sulfuric_acid")


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> World:
    world = World(tmp_path_factory.mktemp("planted"))
    plant(world)
    return world


def _load(db: Database, country: Path, planted: World) -> None:
    load_country(db, country)
    known = {r for (r,) in db.query("SELECT ruc FROM operators")}
    assert not known & {o["ruc"] for o in planted.data.operators}, "planted RUCs must be new"
    planted.load(db)


@pytest.fixture(scope="module")
def duck(country: Path, planted: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = open_database(f"duckdb:///{tmp_path_factory.mktemp('duck') / 'country.duckdb'}")
    _load(db, country, planted)
    try:
        yield db
    finally:
        db.close()


@pytest.fixture(scope="module")
def pg(country: Path, planted: World) -> Iterator[Database]:
    with fresh_pg_schema() as schema:
        db = open_database(pg_url(schema))
        _load(db, country, planted)
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


def test_every_rule_finds_something_to_compare(duck: Database) -> None:
    engine = make_engine("duckdb", duck)
    try:
        hit = {f.rule.id for f in find(engine, RULES, END)}
    finally:
        engine.close()
    assert sorted({r.id for r in RULES} - hit) == []


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
        sizes = con.execute(f"SELECT (SELECT count(*) FROM '{a}'), (SELECT count(*) FROM '{b}')").fetchone()
        assert diff == (0,) and sizes is not None and sizes[0] == sizes[1] > 0, table
