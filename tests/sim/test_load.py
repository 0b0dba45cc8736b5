"""The simulator's files through the real loader: clean files load whole; every malformed
row is refused, at the line and column truth.csv names."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from tests.sim.conftest import Written
from traza.ingest import load_paths
from traza.store import open_database

V1 = ("operators.csv", "establishments.csv", "authorisations.csv", "movements.csv")
TODAY = date(2026, 11, 26)


def test_clean_files_load_with_zero_rejections(small: Written, tmp_path: Path) -> None:
    with open_database(f"duckdb:///{tmp_path / 't.duckdb'}") as db:
        report = load_paths(db, [small.folder / f for f in V1], today=TODAY)
        assert report.rows_rejected == 0, report.top_reasons()
        written = sum(1 for f in V1 for _ in (small.folder / f).open()) - len(V1)
        assert report.rows_accepted == written
        held = db.scalar("SELECT count(*) FROM movements")
        assert held == len(small.sim.rows)
        assert db.scalar("SELECT count(*) FROM rejections") == 0
        # Unregistered counterparties exist (ghost buyers) and are flagged as such.
        assert db.scalar("SELECT count(*) FROM movements WHERE counterparty_registered = false") > 0


def test_dirty_rows_are_rejected_with_the_expected_reasons(dirty: Written, tmp_path: Path) -> None:
    with (dirty.folder / "truth.csv").open() as fh:
        expected = {(int(r["line"]), r["column"]): r["role"] for r in csv.DictReader(fh) if r["typology"] == "dirty"}
    assert len(expected) > 50
    with open_database(f"duckdb:///{tmp_path / 't.duckdb'}") as db:
        report = load_paths(db, [dirty.folder / f for f in V1], today=TODAY)
        assert report.rows_rejected == len(expected)
        got = {(int(line), col) for line, col in db.query("SELECT line, column_name FROM rejections")}
        reasons = dict(((int(line), col), reason) for line, col, reason in
                       db.query("SELECT line, column_name, reason FROM rejections"))
    assert got == set(expected)
    kinds = {kind: reasons[key] for key, kind in expected.items()}
    assert "check digit" in kinds["bad_ruc"]
    assert "unknown unit" in kinds["unknown_unit"]
    assert "greater than zero" in kinds["negative_quantity"] or "zero or more" in kinds["negative_quantity"]
    assert "not a valid date" in kinds["broken_date"]
    assert "future" in kinds["future_date"]
    assert "unknown chemical" in kinds["unknown_chemical"]
    assert "required" in kinds["missing_counterparty"]
    assert "not in the registry" in kinds["unknown_establishment"]
    assert "not a number" in kinds["non_numeric_quantity"]
