"""Re-sending changes nothing; declarations are never edited in place."""

from __future__ import annotations

from tests.factories import BUYER, SELLER, Dataset, movement
from traza.ingest import load_paths
from traza.store import Database

TABLES = ("movements", "operator_versions", "establishment_versions", "authorisation_versions", "submissions", "rejections")


def _counts(db: Database) -> dict[str, int]:
    return {t: int(db.scalar(f"SELECT count(*) FROM {t}")) for t in TABLES}


def test_same_files_twice_change_nothing(db: Database, data: Dataset) -> None:
    paths = data.write()
    load_paths(db, paths)
    before = _counts(db)
    report = load_paths(db, paths)
    assert [f.status for f in report.files] == ["already_loaded"] * 4
    assert _counts(db) == before


def test_same_declarations_in_another_file_are_not_counted_twice(db: Database, data: Dataset) -> None:
    load_paths(db, data.write())
    data.movements.append(movement("S-9", SELLER, "consumption", 7, "kg"))
    report = load_paths(db, data.write("movements", name="movements-again.csv"))
    f = report.files[0]
    assert (f.rows_accepted, f.rows_duplicate, f.rows_rejected) == (1, 4, 0)
    assert db.scalar("SELECT count(*) FROM movements") == 5


def test_rows_without_declaration_id_are_keyed_by_file_and_line(db: Database, data: Dataset) -> None:
    for r in data.movements:
        r["declaration_id"] = ""
    paths = data.write()
    load_paths(db, paths)
    assert load_paths(db, paths).rows_accepted == 0
    assert db.scalar("SELECT count(*) FROM movements") == 4


def test_changed_content_under_same_declaration_id_is_refused(db: Database, data: Dataset) -> None:
    load_paths(db, data.write())
    data.movements[3]["quantity"] = "999"
    report = load_paths(db, data.write("movements", name="movements-fix.csv"))
    assert [(r.line, r.column) for r in report.rejections] == [(5, "declaration_id")]
    assert "already recorded with different content" in report.rejections[0].reason
    assert db.scalar("SELECT quantity FROM movements WHERE declaration_id = 'B-2'") == 1000.0


def test_partial_file_resent_after_registry_fix_loads_the_rest(db: Database, data: Dataset) -> None:
    registry = data.write("operators", "authorisations")
    data.establishments = [e for e in data.establishments if e["ruc"] != BUYER]
    load_paths(db, [*registry, *data.write("establishments")])
    moves = data.write("movements")
    first = load_paths(db, moves).files[0]
    assert (first.status, first.rows_accepted, first.rows_rejected) == ("partial", 2, 2)
    data.establishments.append({"ruc": BUYER, "establishment_code": "0000", "ubigeo": "040101", "address": "x"})
    load_paths(db, data.write("establishments", name="establishments-2.csv"))
    again = load_paths(db, moves).files[0]
    assert (again.status, again.rows_accepted, again.rows_duplicate, again.previous_submission) == (
        "accepted", 2, 2, first.submission_id)
    assert db.scalar("SELECT count(*) FROM movements") == 4


def test_same_file_twice_in_one_call_counts_once(db: Database, data: Dataset) -> None:
    paths = data.write()
    report = load_paths(db, [*paths, paths[-1]])
    assert [f.status for f in report.files][-1] == "already_loaded"
    assert db.scalar("SELECT count(*) FROM movements") == 4
