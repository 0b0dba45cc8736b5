"""The ports part of `make demo`: a simulated ports year, loaded, every call's inspection list
made and its selected containers inspected with the results the simulation's truth gives
(`traza ports inspect-simulated`), then the monthly report's ports section counts them."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from traza.cli import app
from traza.report import build_report
from traza.store import open_database

runner = CliRunner()


def test_simulated_inspections_follow_the_lists_and_the_truth(tmp_path: Path) -> None:
    out, url = tmp_path / "ports", f"duckdb:///{tmp_path / 'd.duckdb'}"
    assert runner.invoke(app, ["simulate", "ports", "--out", str(out), "--containers", "1500", "--seed", "7"]).exit_code == 0
    files = [out / "manifests-callao.csv", *sorted((out / "cuscar").glob("*.edi")), out / "amendments.csv",
             out / "events.csv"]
    assert runner.invoke(app, ["load", str(out / "operators.csv"), str(out / "authorisations.csv"), "-d", url]).exit_code == 0
    r = runner.invoke(app, ["ports", "inspect-simulated", str(out), "-d", url])
    assert r.exit_code == 2 and "no vessel calls loaded" in r.output  # no manifests loaded yet: said, not guessed
    assert runner.invoke(app, ["ports", "load", *map(str, files), "-d", url]).exit_code == 0
    r = runner.invoke(app, ["ports", "inspect-simulated", str(out), "-d", url])
    assert r.exit_code == 0, r.output
    with (out / "truth.csv").open(encoding="utf-8") as f:
        kinds = {(x["call_id"], x["container_no"]): x["kind"] for x in csv.DictReader(f)}
    with open_database(url) as db:
        inspected = db.dicts("SELECT i.call_id, i.container_no, i.selected_by, i.result, i.inspected_at, "
                             "coalesce(c.arrival, c.departure) AS day, s.net_kg FROM port_inspections i "
                             "JOIN port_vessel_calls c ON c.call_id = i.call_id "
                             "LEFT JOIN port_seizures s ON s.inspection_id = i.inspection_id")
        selected = db.scalar("SELECT count(*) FROM port_risk_assessments WHERE selected_by IN ('targeted', 'random')")
        calls = db.scalar("SELECT count(DISTINCT call_id) FROM port_risk_assessments")
        assert calls == db.scalar("SELECT count(*) FROM port_vessel_calls")
        months = db.query("SELECT DISTINCT CAST(inspected_at AS DATE) FROM port_inspections")
        report = build_report(db, date(2025, 10, 1), "en")
    assert len(inspected) == selected > 0
    expected = {"contaminated": "seizure", "chemical": "irregularity"}
    assert all(x["result"] == expected.get(kinds.get((x["call_id"], x["container_no"]), ""), "clean")
               for x in inspected)
    assert all(x["inspected_at"].date() == x["day"] for x in inspected)  # on the call's day
    assert all((x["net_kg"] or 0) > 0 for x in inspected if x["result"] == "seizure")
    assert {x["selected_by"] for x in inspected} == {"targeted", "random"}
    assert any(x["result"] == "seizure" for x in inspected) and len(months) > 5
    ports = next(s for s in report.sections if s.id == "ports")
    october = [x for x in inspected if x["day"].month == 10]
    assert ports.figure("inspected").value == len(october)
    assert ports.figure("hits").value == sum(x["result"] == "seizure" for x in october)
    assert f"{calls} inspection lists" in r.output
