"""``traza simulate field``: a small year loads without a refusal, and the checks catch every
planted abuse and nothing else; the same seed writes the same bytes."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from traza.cli import app
from traza.field.checks import run_checks
from traza.field.load import load_field
from traza.field.sim import FieldParams, simulate_field, write_field
from traza.store import open_database


def test_checks_catch_the_planted_abuses(tmp_path: Path) -> None:
    write_field(simulate_field(FieldParams(plots=300, seed=7)), tmp_path)
    db = open_database(f"duckdb:///{tmp_path / 't.duckdb'}")
    try:
        report = load_field(db, [tmp_path / "field"])
        assert report.rows_rejected == 0, report.rejections[:3]
        _, found = run_checks(db, "duckdb", date(2025, 12, 31))
    finally:
        db.close()
    with (tmp_path / "truth_field.csv").open(encoding="utf-8") as fh:
        truth = {(r["check"], r["subject"]) for r in csv.DictReader(fh)}
    assert {c for c, _ in truth} >= {"certificate_other_district", "certificate_area_exceeded",
                                     "certificate_far_apart", "certificate_holder_unverified", "plot_replanted",
                                     "eradication_above_measured"}
    assert {(f.check.id, f.subject) for f in found if f.check.id != "lab_chemicals_traced"} == truth


def test_same_seed_same_bytes_and_cli(tmp_path: Path) -> None:
    runner = CliRunner()
    for name in ("a", "b"):
        res = runner.invoke(app, ["simulate", "field", "--out", str(tmp_path / name), "--plots", "100", "--seed", "3"])
        assert res.exit_code == 0, res.output
    for f in (tmp_path / "a" / "field").iterdir():
        assert f.read_bytes() == (tmp_path / "b" / "field" / f.name).read_bytes()
    bad = runner.invoke(app, ["simulate", "field", "--out", str(tmp_path / "c"), "--plots", "10"])
    assert bad.exit_code == 2


@pytest.mark.parametrize("args", [["field", "tally", "--month", "2025-13"], ["field", "load", "/no/such/file.csv"]])
def test_cli_refuses_bad_arguments(tmp_path: Path, args: list[str]) -> None:
    res = CliRunner().invoke(app, [*args, "-d", f"duckdb:///{tmp_path / 't.duckdb'}"])
    assert res.exit_code == 2


def test_cli_load_tally_check(tmp_path: Path) -> None:
    runner = CliRunner()
    url = f"duckdb:///{tmp_path / 't.duckdb'}"
    write_field(simulate_field(FieldParams(plots=100, seed=1)), tmp_path)
    res = runner.invoke(app, ["field", "load", str(tmp_path / "field"), "-d", url])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["field", "tally", "--month", "2025-03", "--format", "json", "-d", url])
    assert res.exit_code == 0 and '"scope": "month"' in res.output
    res = runner.invoke(app, ["field", "check", "--as-of", "2025-12-31", "-d", url])
    assert res.exit_code == 0 and "certificate_far_apart" in res.output
