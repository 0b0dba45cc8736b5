"""The detection commands: detect, alerts, risk, rules list|show|backtest."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.detect.cases import World
from tests.factories import make_ruc
from traza.cli import app
from traza.detect.catalogue import default_rules
from traza.store import open_database

runner = CliRunner()
GHOST = make_ruc(99)


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.output


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def loaded(db_url: str, tmp_path: Path) -> dict[str, str]:
    """A seller selling to an unregistered RUC (live rule), a buyer over its quota (live rule)
    and a buyer whose orders spike (shadow rule)."""
    world = World(tmp_path / "case")
    seller = world.operator(1)
    for m in range(1, 7):
        world.sale(seller, GHOST, 500, f"2025-{m:02d}-10", declared=False)
    over = world.operator(2, "mining")
    world.authorise(over, "sulfuric_acid", quota=10_000, valid_from="2025-01-01")
    world.sale(seller, over, 6_000, "2025-03-10")
    world.sale(seller, over, 5_000, "2025-09-10")
    spiky = world.operator(3, "textile")
    world.authorise(spiky, "sulfuric_acid")
    for m, kg in zip(range(1, 9), (100, 100, 100, 100, 100, 100, 400, 500), strict=True):
        world.sale(seller, spiky, kg, f"2025-{m:02d}-20")
    with open_database(db_url) as db:
        world.load(db)
    return {"url": db_url, "seller": seller, "over": over, "spiky": spiky}


def test_detect_then_alerts_and_risk(loaded: dict[str, str]) -> None:
    url = loaded["url"]
    code, out, _ = _run("detect", "-d", url, "--as-of", "2025-12-31")
    assert code == 0, out
    assert "Detection run 1" in out and "2025-12-31" in out
    assert "unregistered_counterparty" in out and "quota_exceeded" in out
    assert "4 findings, 4 new alerts" in out

    code, out, _ = _run("alerts", "-d", url, "--format", "csv")
    assert code == 0
    rows = _csv(out)
    required = {"alert_id", "rule", "severity", "score", "ruc", "chemical", "period_start", "period_end", "explanation"}
    assert required <= set(rows[0])
    assert {(r["rule"], r["ruc"]) for r in rows} == {
        ("unregistered_counterparty", loaded["seller"]), ("unregistered_counterparty", GHOST),
        ("quota_exceeded", loaded["over"])}
    scores = [float(r["score"]) for r in rows]
    assert scores == sorted(scores, reverse=True)
    quota = next(r for r in rows if r["rule"] == "quota_exceeded")
    assert (quota["severity"], quota["chemical"], quota["period_start"]) == ("high", "sulfuric_acid", "2025-03-10")
    assert "11.000 kg" in quota["explanation"]  # Spanish by default

    code, out, _ = _run("alerts", "-d", url, "--format", "csv", "--lang", "en", "--rule", "quota_exceeded")
    assert [r["explanation"] for r in _csv(out)][0].startswith("Acquired 11,000 kg of sulfuric acid")

    code, out, _ = _run("alerts", "-d", url, "--format", "csv", "--shadow")
    assert [(r["rule"], r["ruc"]) for r in _csv(out)] == [("order_spike", loaded["spiky"])]

    code, out, _ = _run("risk", "-d", url, "--format", "csv")
    assert code == 0
    risk = _csv(out)
    assert list(risk[0])[:5] == ["rank", "ruc", "name", "score", "top_rules"]
    assert [r["rank"] for r in risk] == ["1", "2", "3"]
    assert {r["ruc"] for r in risk} == {loaded["seller"], GHOST, loaded["over"]}  # the shadow alert adds nothing
    top = {r["ruc"]: r for r in risk}
    assert top[loaded["over"]]["name"] == "Operador 2 SAC"
    assert top[loaded["over"]]["top_rules"].startswith("quota_exceeded 0.")


def test_detect_again_adds_nothing(loaded: dict[str, str]) -> None:
    assert _run("detect", "-d", loaded["url"], "--as-of", "2025-12-31")[0] == 0
    code, out, _ = _run("detect", "-d", loaded["url"], "--as-of", "2025-12-31", "--rule", "quota_exceeded")
    assert code == 0 and "1 findings, 0 new alerts" in out
    code, out, _ = _run("alerts", "-d", loaded["url"], "--format", "json")
    assert code == 0 and out.count('"alert_id"') == 3


def test_detect_refuses_a_bad_date_and_engine(loaded: dict[str, str]) -> None:
    code, _, output = _run("detect", "-d", loaded["url"], "--as-of", "31/12/2025")
    assert code == 2 and "is not a date" in output
    code, _, output = _run("detect", "-d", loaded["url"], "--engine", "oracle")
    assert code == 2 and "unknown engine" in output
    code, _, output = _run("detect", "-d", loaded["url"], "--rule", "quota_exceded")
    assert code == 2 and "no rule 'quota_exceded'" in output
    code, _, output = _run("alerts", "-d", loaded["url"], "--format", "xml")
    assert code == 2 and "--format must be table, csv or json" in output


def test_rules_backtest(loaded: dict[str, str]) -> None:
    code, out, _ = _run("rules", "backtest", "unregistered_counterparty", "--from", "2025-01-01",
                        "--to", "2025-06-30", "-d", loaded["url"], "--format", "csv")
    assert code == 0, out
    rows = _csv(out)
    assert [r["month"] for r in rows] == [f"2025-{m:02d}" for m in range(1, 7)]
    assert [r["kg"] for r in rows] == ["500.0", "1000.0", "1500.0", "2000.0", "2500.0", "3000.0"]
    assert _run("alerts", "-d", loaded["url"], "--format", "csv")[1].strip().count("\n") == 0  # stored nothing


def test_rules_list_and_show() -> None:
    code, out, _ = _run("rules", "list")
    assert code == 0
    for r in default_rules().rules:
        assert r.id in out
    assert "shadow" in out and "live" in out

    assert "precision" in out and "-" in out  # no database: nothing measured

    code, out, _ = _run("rules", "show", "quota_exceeded", "--lang", "en")
    assert code == 0
    assert "quota_exceeded v1 (high): Acquisitions above the authorised annual quota" in out
    assert "tolerance = 0" in out and "SELECT" in out

    code, out, _ = _run("rules", "show", "order_spike")
    assert code == 0 and "(medium, shadow)" in out

    code, _, output = _run("rules", "show", "no_such_rule")
    assert code == 2 and "no rule 'no_such_rule'" in output

    code, _, output = _run("rules", "backtest", "no_such_rule", "--from", "2025-01-01", "--to", "2025-02-01",
                           "-d", "duckdb:///:memory:")
    assert code == 2 and "no rule 'no_such_rule'" in output


def test_rules_list_shows_the_measured_precision_of_a_database(loaded: dict[str, str]) -> None:
    from traza.cases.alerts import act, current

    url = loaded["url"]
    assert _run("detect", "-d", url, "--as-of", "2025-12-31")[0] == 0
    with open_database(url) as db:
        [quota] = [str(r[0]) for r in db.query("SELECT alert_id FROM alerts WHERE rule = 'quota_exceeded'")]
        act(db, "sup", "supervisor", quota, "close", "false_positive", "seen", version=current(db, quota).version)
    code, out, _ = _run("rules", "list", "-d", url)
    assert code == 0, out
    [line] = [x for x in out.splitlines() if "quota_exceeded" in x]
    cells = [c.strip() for c in line.split("│") if c.strip()]
    assert cells[4:8] == ["live", "1", "1", "0%"], cells
