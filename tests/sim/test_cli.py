"""``traza simulate`` and ``traza evaluate`` through a Typer app, as the main CLI wires them."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from traza.sim.cli import register

runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.command()
    def version() -> None:  # a second command keeps Typer from collapsing the app
        pass

    register(app)
    return app


def test_simulate_writes_the_files_and_evaluate_scores_zero(tmp_path: Path) -> None:
    app = _app()
    out = tmp_path / "sim"
    result = runner.invoke(app, ["simulate", "--out", str(out), "--operators", "100", "--months", "4",
                                 "--seed", "9", "--schemes", "12", "--end", "2025-06-30"])
    assert result.exit_code == 0, result.output
    assert "Planted schemes" in result.output and "movements.csv" in result.output
    doc = json.loads((out / "truth.json").read_text())
    assert doc["parameters"]["end"] == "2025-06-30" and doc["parameters"]["start"] == "2025-03-01"
    assert sum(doc["schemes_by_typology"].values()) == 12
    env = {"TRAZA_DATABASE_URL": f"duckdb:///{tmp_path / 'e.duckdb'}"}
    result = runner.invoke(app, ["evaluate", "--truth", str(out / "truth.csv"), "--json"], env=env)
    assert result.exit_code == 0, result.output
    scored = json.loads(result.output)
    assert scored["schemes"] == {"total": 12, "caught": 0, "share": 0.0}
    assert scored["operators"]["k"] == doc["involved_operators"] and scored["operators"]["hits"] == 0
    result = runner.invoke(app, ["evaluate", "--truth", str(out / "truth.csv")], env=env)
    assert result.exit_code == 0 and "Schemes caught" in result.output and "precision@K 0%" in result.output


def test_simulate_needs_out_and_sane_parameters(tmp_path: Path) -> None:
    app = _app()
    assert runner.invoke(app, ["simulate"]).exit_code == 2
    bad = runner.invoke(app, ["simulate", "--out", str(tmp_path), "--operators", "5"])
    assert bad.exit_code == 2 and "at least 60 operators" in bad.output
    short = runner.invoke(app, ["simulate", "--out", str(tmp_path), "--operators", "60", "--months", "2"])
    assert short.exit_code == 2 and "at least 4 months" in short.output  # was an IndexError from a scheme


def test_evaluate_needs_a_truth_file(tmp_path: Path) -> None:
    result = runner.invoke(_app(), ["evaluate", "--truth", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2 and "no such file" in result.output


def test_the_main_cli_carries_both_groups() -> None:
    from traza.cli import app

    for group, option in (("simulate", "--dirty-rate"), ("evaluate", "--truth")):
        result = runner.invoke(app, [group, "--help"])
        assert result.exit_code == 0 and option in result.output
