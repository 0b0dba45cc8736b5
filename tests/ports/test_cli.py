"""`traza simulate ports`, `traza ports load|calls|list|stats` and `traza evaluate ports`."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from traza.cli import app

runner = CliRunner()


def test_ports_commands_end_to_end(tmp_path: Path) -> None:
    out, url = tmp_path / "sim", f"duckdb:///{tmp_path / 'c.duckdb'}"
    r = runner.invoke(app, ["simulate", "ports", "--out", str(out), "--containers", "1200", "--seed", "3"])
    assert r.exit_code == 0, r.output
    files = [out / "manifests-callao.csv", *sorted((out / "cuscar").glob("*.edi")), out / "amendments.csv",
             out / "events.csv"]
    r = runner.invoke(app, ["ports", "load", *map(str, files), "-d", url])
    assert r.exit_code == 0, r.output
    assert "manifests new" in r.output
    again = runner.invoke(app, ["ports", "load", str(files[0]), "-d", url])
    assert again.exit_code == 0 and "0 manifests new" in again.output
    r = runner.invoke(app, ["ports", "calls", "--port", "PEPAI", "--format", "json", "-d", url])
    calls = json.loads(r.output)
    assert calls and {c["port"] for c in calls} == {"PEPAI"}
    r = runner.invoke(app, ["ports", "list", calls[0]["call_id"], "--seed", "1", "--format", "json", "-d", url])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    assert any(x["selected_by"] == "random" for x in rows)
    r = runner.invoke(app, ["ports", "stats", "--format", "json", "-d", url])
    assert r.exit_code == 0
    r = runner.invoke(app, ["evaluate", "ports", str(out), "--format", "json"])
    assert r.exit_code == 0, r.output
    assert [x["inspected_share"] for x in json.loads(r.output)["rates"]] == [0.01, 0.02, 0.05]


def test_refused_file_exits_1_and_names_the_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.edi"
    bad.write_text("UNH+1+CUSCAR:D:95B:UN'BGM+85+M1+9'UNT+3+1'", encoding="utf-8")
    r = runner.invoke(app, ["ports", "load", str(bad), "-d", f"duckdb:///{tmp_path / 'x.duckdb'}"])
    assert r.exit_code == 1
    assert "bad.edi: message 1" in r.output and "TDT" in r.output
