"""Rows handed to the loader in memory (an API request's) are read as the CSV file they name
would be: the same checks, the same refusals, the same hash (so re-sending either is known)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from tests.factories import Dataset
from traza.ingest import load_paths
from traza.ingest.records import Records
from traza.store import Database

TODAY = date(2026, 11, 26)


def _registry(db: Database, tmp_path: Path) -> Dataset:
    data = Dataset(tmp_path / "v1")
    report = load_paths(db, data.write("operators", "establishments", "authorisations"), today=TODAY)
    assert report.rows_rejected == 0, report.top_reasons()
    return data


def _table(rows: list[dict[str, str]]) -> tuple[list[str], list[list[str]]]:
    cols = list(dict.fromkeys(c for r in rows for c in r))
    return cols, [[r.get(c, "") for c in cols] for r in rows]


def test_rows_in_memory_load_and_hash_as_their_csv_file(db: Database, tmp_path: Path) -> None:
    data = _registry(db, tmp_path)
    header, rows = _table(data.movements)
    report = load_paths(db, [], records=[Records("movements.csv", header, rows)], today=TODAY)
    [f] = report.files
    assert (f.status, f.rows_accepted) == ("accepted", len(rows))
    path = tmp_path / "movements.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([header, *rows])
    again = load_paths(db, [path], today=TODAY)
    assert again.files[0].status == "already_loaded", "the same table as a file has the same hash"
    assert db.scalar("SELECT count(*) FROM movements") == len(rows)


def test_a_bad_cell_in_memory_is_refused_naming_its_line_and_column(db: Database, tmp_path: Path) -> None:
    data = _registry(db, tmp_path)
    header, rows = _table(data.movements)
    rows[1][header.index("quantity")] = "2\x00000"
    report = load_paths(db, [], records=[Records("movements.csv", header, rows)], today=TODAY)
    [f] = report.files
    assert f.status == "partial" and f.rows_accepted == len(rows) - 1
    [r] = f.rejections
    assert (r.file, r.line, r.column) == ("movements.csv", 3, "quantity")


def test_a_header_without_a_required_column_refuses_the_table(db: Database, tmp_path: Path) -> None:
    data = _registry(db, tmp_path)
    header, rows = _table(data.movements)
    at = header.index("chemical")
    report = load_paths(db, [], records=[Records("movements.csv", header[:at] + header[at + 1:],
                                                 [r[:at] + r[at + 1:] for r in rows])], today=TODAY)
    [f] = report.files
    assert f.status == "rejected" and f.rows_accepted == 0
    assert any(r.column == "chemical" and "missing required column" in r.reason for r in f.rejections)
    assert db.scalar("SELECT count(*) FROM movements") == 0
