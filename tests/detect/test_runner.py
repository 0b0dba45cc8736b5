"""Detection runs: replay without look-ahead, stable alerts, retirement, shadow rules, the
backtest; on DuckDB and PostgreSQL."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.detect.cases import World, load_country, run
from tests.factories import make_ruc
from traza.detect.backtest import backtest
from traza.detect.catalogue import default_rules
from traza.detect.engines import make_engine
from traza.detect.kinds import RuleFailed
from traza.detect.runner import detect, find
from traza.detect.scoring import alert_score
from traza.store import Database, open_database

GHOST = make_ruc(99)


def _detect(db: Database, as_of: str, *rules: str) -> Any:
    return detect(db, db.dialect, date.fromisoformat(as_of), only=list(rules))


def _alerts(db: Database) -> dict[str, dict[str, Any]]:
    return {r["alert_id"]: r for r in db.dicts("SELECT * FROM alerts")}


def _ghost_sales(world: World) -> str:
    """A seller selling to an unregistered RUC every month from January to June 2025."""
    seller = world.operator(1)
    for m in range(1, 7):
        world.sale(seller, GHOST, 500, f"2025-{m:02d}-10", declared=False)
    return seller


# -- replay without look-ahead ---------------------------------------------------------------

def test_a_movement_declared_after_as_of_is_invisible(db: Database, world: World) -> None:
    seller, buyer = world.operator(1), world.operator(2, "mining")
    world.authorise(buyer, "sulfuric_acid", quota=10_000, valid_from="2025-01-01", valid_to="2025-12-31")
    world.sale(seller, buyer, 6_000, "2025-03-10")
    # bought in September, declared in mid-November
    world.sale(seller, buyer, 5_000, "2025-09-10", buyer_declared_on="2025-11-15")
    world.load(db)
    assert run(db, "quota_exceeded", "2025-11-14") == []
    [f] = run(db, "quota_exceeded", "2025-11-15")
    assert f.observed == pytest.approx(11_000)


def test_a_replay_before_the_second_half_finds_only_what_was_declared(db: Database, world: World) -> None:
    seller = _ghost_sales(world)
    world.load(db)
    _detect(db, "2025-03-31", "unregistered_counterparty")
    [early] = [a for a in _alerts(db).values() if a["ruc"] == seller]  # the ghost buyer has its own
    assert (early["ruc"], early["observed"]) == (seller, pytest.approx(1_500))
    assert str(early["period_end"]) == "2025-03-10"
    assert json.loads(early["evidence"])["movements"] == 3
    _detect(db, "2025-06-30", "unregistered_counterparty")
    [late] = [a for a in _alerts(db).values() if a["ruc"] == seller]  # the same alert, now with the whole scheme
    assert late["alert_id"] == early["alert_id"]
    assert (late["observed"], str(late["period_end"])) == (pytest.approx(3_000), "2025-06-10")
    assert late["first_detected_at"] == early["first_detected_at"]


def test_no_finding_of_a_replay_cites_a_movement_declared_later(country: Path, tmp_path: Path) -> None:
    """Halfway through the simulated ghost-buyer scheme, every rule's evidence is made only of
    movements that happened and were declared by then; the scheme's seller is already found,
    on the part of the scheme declared so far."""
    with (country / "truth.csv").open(encoding="utf-8") as fh:
        seller = next(r for r in csv.DictReader(fh) if r["typology"] == "ghost_buyer" and r["role"] == "seller")
    first, last = date.fromisoformat(seller["first_date"]), date.fromisoformat(seller["last_date"])
    middle = first + (last - first) / 2
    with open_database(f"duckdb:///{tmp_path / 'country.duckdb'}") as db:
        load_country(db, country)
        engine = make_engine("duckdb", db)
        try:
            at_middle = find(engine, default_rules().rules, middle)
            at_end = find(engine, default_rules().rules, last)
        finally:
            engine.close()
        cited = sorted({i for f in at_middle for i in f.evidence})
        latest = db.query(
            f"SELECT max(date), max(coalesce(declared_on, CAST(declared_at AS DATE))) FROM movements "
            f"WHERE movement_id IN ({', '.join(str(i) for i in cited)})")[0]
    assert len(at_middle) > 5 and latest[0] <= middle and latest[1] <= middle

    def of_seller(findings: list[Any]) -> set[int]:
        return {i for f in findings if f.rule.id == "unregistered_counterparty" and f.ruc == seller["ruc"]
                for i in f.evidence}

    assert of_seller(at_middle) and of_seller(at_middle) < of_seller(at_end)


# -- stable alerts -----------------------------------------------------------------------------

def test_running_again_never_duplicates_alerts(db: Database, world: World) -> None:
    _ghost_sales(world)
    seller, buyer = world.operator(2), world.operator(3, "mining")
    world.authorise(buyer, "sulfuric_acid", quota=1_000, valid_from="2025-01-01")
    world.sale(seller, buyer, 1_500, "2025-02-10")
    world.load(db)
    first = _detect(db, "2025-06-30", "unregistered_counterparty", "quota_exceeded")
    before = _alerts(db)
    second = _detect(db, "2025-06-30", "unregistered_counterparty", "quota_exceeded")
    after = _alerts(db)
    assert (first.alerts_new, second.alerts_new) == (3, 0)  # the seller, the ghost buyer, the quota
    assert set(after) == set(before) and len(after) == 3
    for alert_id, row in after.items():
        assert row["first_detected_at"] == before[alert_id]["first_detected_at"]
        assert row["detected_at"] >= before[alert_id]["detected_at"]
        assert row["run_id"] == second.run_id and row["retired_at"] is None
    assert db.scalar("SELECT count(*) FROM detection_runs WHERE finished_at IS NOT NULL") == 2
    assert db.scalar("SELECT count(*) FROM operator_risk WHERE run_id = ?", (second.run_id,)) == 3  # seller, ghost buyer, quota


def test_an_alert_is_stored_scored_and_explained(db: Database, world: World) -> None:
    seller, buyer = world.operator(1), world.operator(2, "mining")
    world.authorise(buyer, "sulfuric_acid", quota=10_000, valid_from="2025-01-01")
    world.sale(seller, buyer, 6_000, "2025-03-10")
    world.sale(seller, buyer, 5_000, "2025-09-10")
    world.load(db)
    _detect(db, "2025-12-31", "quota_exceeded")
    [a] = _alerts(db).values()
    assert (a["rule"], a["severity"], a["ruc"], a["chemical"], a["detail"]) == (
        "quota_exceeded", "high", buyer, "sulfuric_acid", "2025")
    # observed 11,000 kg; the period ends 2025-09-10, 112 days before the run; no other rule agrees
    assert a["score"] == pytest.approx(alert_score(0.75, 1.1, kg=11_000, age_days=112, key=a["alert_id"]))
    assert "11.000 kg de ácido sulfúrico" in a["explanation_es"] and "10.000 kg" in a["explanation_es"]
    assert "11,000 kg of sulfuric acid" in a["explanation_en"]
    evidence = json.loads(a["evidence"])
    assert evidence["movements"] == 2 and len(evidence["movement_ids"]) == 2
    assert evidence["params"] == {"tolerance": 0.0}
    [(ruc, rank, breakdown)] = db.query("SELECT ruc, rank, breakdown FROM operator_risk")
    assert (ruc, rank) == (buyer, 1) and set(json.loads(breakdown)) == {"quota_exceeded"}


# -- retirement --------------------------------------------------------------------------------

def test_alerts_no_longer_found_are_retired_but_a_replay_retires_nothing(db: Database, world: World) -> None:
    s1, s2, buyer = world.operator(1), world.operator(2), world.operator(3, "mining")
    world.sale(s1, buyer, 1_000, "2025-01-10", declared=False)
    world.sale(s2, buyer, 1_000, "2025-05-20", declared=False)  # within the 60 days' grace in June
    world.load(db)
    _detect(db, "2025-06-30", "unmatched_transfer")
    [january] = _alerts(db)
    # the buyer files the January purchase late; by the end of July the May one is overdue
    world.move(buyer, "purchase", 1_000, "2025-01-12", declared_on="2025-07-15", counterparty_ruc=s1)
    world.load(db)
    _detect(db, "2025-07-31", "unmatched_transfer")
    alerts = _alerts(db)
    [may] = set(alerts) - {january}
    assert alerts[january]["retired_at"] is not None and alerts[may]["retired_at"] is None
    # looking back at June changes nothing in today's queue
    _detect(db, "2025-06-30", "unmatched_transfer")
    assert _alerts(db)[may]["retired_at"] is None


def test_a_rule_not_run_retires_nothing(db: Database, world: World) -> None:
    _ghost_sales(world)
    world.load(db)
    _detect(db, "2025-06-30", "unregistered_counterparty")
    _detect(db, "2025-07-31", "quota_exceeded")
    assert [r["retired_at"] for r in _alerts(db).values()] == [None, None]  # the seller's and the buyer's


# -- shadow rules ------------------------------------------------------------------------------

def test_shadow_alerts_are_kept_out_of_operator_risk(db: Database, world: World) -> None:
    seller, spiky = world.operator(1), world.operator(2, "textile")
    for m, kg in zip(range(1, 9), (100, 100, 100, 100, 100, 100, 400, 500), strict=True):
        world.sale(seller, spiky, kg, f"2025-{m:02d}-10")
    over = world.operator(3, "mining")
    world.authorise(over, "sulfuric_acid", quota=1_000, valid_from="2025-01-01")
    world.sale(seller, over, 1_500, "2025-02-10")
    world.load(db)
    assert default_rules().get("order_spike").shadow and not default_rules().get("quota_exceeded").shadow
    _detect(db, "2025-12-31", "order_spike", "quota_exceeded")
    shadow = {r["rule"]: (r["ruc"], r["shadow"]) for r in _alerts(db).values()}
    assert shadow == {"order_spike": (spiky, True), "quota_exceeded": (over, False)}
    assert [r for (r,) in db.query("SELECT ruc FROM operator_risk")] == [over]


# -- failures, engines, backtest -----------------------------------------------------------------

def test_a_failing_rule_is_named(db: Database) -> None:
    broken = default_rules().get("quota_exceeded").model_copy(update={"sql": "SELECT * FROM no_such_table"})
    engine = make_engine(db.dialect, db)
    try:
        with pytest.raises(RuleFailed, match=f"rule quota_exceeded \\(v1\\) failed on {db.dialect}"):
            find(engine, [broken], date(2025, 6, 30))
    finally:
        engine.close()


def test_an_engine_of_another_database_is_refused(db: Database) -> None:
    other = "postgres" if db.dialect == "duckdb" else "duckdb"
    with pytest.raises(ValueError, match="runs on a"):
        make_engine(other, db)
    with pytest.raises(ValueError, match="unknown engine"):
        make_engine("oracle", db)


def test_backtest_gives_one_row_per_month_and_stores_nothing(db: Database, world: World) -> None:
    _ghost_sales(world)
    world.load(db)
    rows = backtest(db, "unregistered_counterparty", date(2024, 12, 1), date(2025, 7, 15))
    assert [r["month"] for r in rows] == ["2024-12", *(f"2025-{m:02d}" for m in range(1, 8))]
    assert [r["as_of"] for r in rows][:3] == ["2024-12-31", "2025-01-31", "2025-02-28"]
    assert [r["findings"] for r in rows] == [0, 2, 2, 2, 2, 2, 2, 2]  # the seller and the ghost buyer
    assert [r["new"] for r in rows] == [0, 2, 0, 0, 0, 0, 0, 0]  # one alert each, growing
    assert [r["kg"] for r in rows] == [0, 500, 1_000, 1_500, 2_000, 2_500, 3_000, 3_000]
    assert db.scalar("SELECT count(*) FROM alerts") == 0
    assert db.scalar("SELECT count(*) FROM detection_runs") == 0
