"""Every validation rule, with bad input, on each backend: the refusal names the file, the
line, the column, the value and what was expected; the other rows still load."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import BUYER, SELLER, UNREGISTERED, Dataset, invalid_ruc, make_ruc, movement
from traza.ingest import load_paths
from traza.store import Database

# (kind, row index, field, bad value, words the reason must contain)
CASES: list[tuple[str, int, str, Any, str]] = [
    ("operators", 0, "ruc", invalid_ruc(), "check digit"),
    ("operators", 0, "ruc", "2010007097", "11 digits"),
    ("operators", 0, "ruc", "", "ruc is required"),
    ("operators", 0, "name", "", "name is required"),
    ("operators", 0, "sector", "banking", "unknown sector"),
    ("operators", 0, "registered_on", "01/03/2015", "YYYY-MM-DD"),
    ("operators", 0, "registered_on", "2099-01-01", "future"),
    ("operators", 0, "registered_on", "1899-01-01", "before 1990"),
    ("operators", 0, "status", "dormant", "unknown status"),
    ("operators", 0, "email", "ventas-at-qsur", "e-mail"),
    ("operators", 0, "phone", "call me", "phone"),
    ("establishments", 3, "ubigeo", "999999", "unknown ubigeo"),
    ("establishments", 3, "ubigeo", "", "ubigeo is required"),
    ("establishments", 3, "establishment_code", "1", "4 digits"),
    ("establishments", 3, "ruc", UNREGISTERED, "not in the registry"),
    ("authorisations", 0, "chemical", "cocaine", "unknown chemical"),
    ("authorisations", 0, "activities", "buy;smuggle", "unknown activity smuggle"),
    ("authorisations", 0, "activities", "", "activities is required"),
    ("authorisations", 0, "annual_quota_kg", "-1", "zero or more"),
    ("authorisations", 0, "annual_quota_kg", "1,5", "decimal separator"),
    ("authorisations", 0, "valid_to", "2023-01-01", "before valid_from"),
    ("authorisations", 0, "valid_from", "", "valid_from is required"),
    ("authorisations", 0, "ruc", UNREGISTERED, "not in the registry"),
    ("movements", 1, "declarant_ruc", invalid_ruc(), "check digit"),
    ("movements", 1, "establishment_code", "0009", "not in the registry"),
    ("movements", 1, "date", "2025-02-30", "not a valid date"),
    ("movements", 1, "date", "2099-01-01", "future"),
    ("movements", 1, "type", "gift", "unknown type"),
    ("movements", 1, "chemical", "water", "unknown chemical"),
    ("movements", 1, "quantity", "-5", "greater than zero"),
    ("movements", 1, "quantity", "0", "greater than zero"),
    ("movements", 1, "quantity", "abc", "not a number"),
    ("movements", 1, "quantity", "inf", "finite"),
    ("movements", 1, "quantity", "1e12", "100,000 t"),
    ("movements", 1, "unit", "barrels", "unknown unit"),
    ("movements", 1, "counterparty_ruc", "", "counterparty_ruc is required for a sale"),
    ("movements", 1, "counterparty_ruc", invalid_ruc(), "check digit"),
    ("movements", 1, "destination_ubigeo", "", "destination_ubigeo is required for a sale"),
    ("movements", 1, "destination_ubigeo", "000000", "unknown ubigeo"),
    ("movements", 1, "counterparty_establishment", "A1", "4 digits"),
    ("movements", 0, "origin_country", "", "origin_country is required for a import"),
    ("movements", 0, "origin_country", "XX", "ISO 3166"),
    ("movements", 2, "counterparty_ruc", "", "counterparty_ruc is required for a purchase"),
]


@pytest.mark.parametrize(("kind", "index", "field", "bad", "reason"), CASES, ids=[f"{c[0]}-{c[2]}-{c[3]}" for c in CASES])
def test_each_rule_refuses_bad_input(db: Database, data: Dataset, kind: str, index: int, field: str, bad: Any, reason: str) -> None:
    rows = getattr(data, kind)
    rows[index][field] = bad
    report = load_paths(db, data.write())
    refused = [r for r in report.rejections if r.file == f"{kind}.csv"]
    assert refused, f"nothing refused for {field}={bad!r}"
    hit = [r for r in refused if r.column == field and reason in r.reason]
    assert hit, f"expected a refusal of {field} mentioning {reason!r}, got {refused}"
    assert hit[0].line == index + 2  # header is line 1
    assert hit[0].value == (str(bad) if str(bad).strip() else None)
    assert all(r.line == index + 2 for r in refused), "only the bad row is refused"
    result = next(f for f in report.files if f.kind == kind)
    assert result.rows_rejected == 1
    assert result.rows_accepted == len(rows) - 1 - result.rows_duplicate
    stored = db.query("SELECT line, column_name, reason FROM rejections WHERE file_name = ?", (f"{kind}.csv",))
    assert (index + 2, field, hit[0].reason) in stored


def test_volume_of_a_solid_is_refused(db: Database, data: Dataset) -> None:
    data.movements.append(movement("S-9", SELLER, "consumption", 10, "l", chemical="potassium_permanganate"))
    report = load_paths(db, data.write())
    assert [(r.line, r.column) for r in report.rejections] == [(6, "unit")]
    assert "declare it by mass" in report.rejections[0].reason


def test_unregistered_counterparty_is_accepted_and_marked(db: Database, data: Dataset) -> None:
    data.movements.append(movement("S-3", SELLER, "sale", 500, "kg", counterparty_ruc=UNREGISTERED,
                                   destination_ubigeo="050401"))
    report = load_paths(db, data.write())
    assert report.rows_rejected == 0
    flags = dict(db.query("SELECT declaration_id, counterparty_registered FROM movements WHERE type = 'sale'"))
    assert flags == {"S-2": True, "S-3": False}


def test_quantities_are_normalised_to_kg(db: Database, data: Dataset) -> None:
    data.movements += [
        movement("S-4", SELLER, "consumption", 2, "t"),
        movement("S-5", SELLER, "consumption", 1, "GLL"),
        movement("S-6", SELLER, "consumption", 1, "MTQ", chemical="kerosene"),
        movement("S-7", SELLER, "consumption", 3, "KGM", chemical="67-64-1"),
    ]
    load_paths(db, data.write())
    kg = {r[0]: (r[1], r[2], r[3]) for r in db.query("SELECT declaration_id, quantity_kg, unit, chemical FROM movements")}
    assert kg["S-2"] == (pytest.approx(2000 * 1.84), "l", "sulfuric_acid")
    assert kg["S-4"] == (2000.0, "t", "sulfuric_acid")
    assert kg["S-5"][0] == pytest.approx(3.785411784 * 1.84)
    assert kg["S-6"] == (pytest.approx(800.0), "m3", "kerosene")
    assert kg["S-7"] == (3.0, "kg", "acetone")


def test_registry_and_ledger_in_one_load_any_order(db: Database, data: Dataset) -> None:
    paths = data.write()
    report = load_paths(db, list(reversed(paths)))
    assert [f.kind for f in report.files] == ["operators", "establishments", "authorisations", "movements"]
    assert report.rows_rejected == 0
    assert db.scalar("SELECT count(*) FROM movements") == 4
    assert db.scalar("SELECT count(*) FROM operators") == 3


def test_declarant_must_exist_or_arrive_in_same_load(db: Database, data: Dataset) -> None:
    report = load_paths(db, data.write("movements"))
    assert report.rows_accepted == 0
    assert {r.reason.split(" is not")[0] for r in report.rejections} == {
        f"establishment {SELLER}-0000", f"establishment {BUYER}-0000"}
    load_paths(db, data.write("operators", "establishments"))
    assert load_paths(db, data.write("movements")).rows_accepted == 4


def test_repeated_declaration_id_in_one_file_points_at_first(db: Database, data: Dataset) -> None:
    data.movements.append(dict(data.movements[3]))
    report = load_paths(db, data.write())
    assert [(r.line, r.column, r.reason) for r in report.rejections] == [
        (6, "declaration_id", "declaration_id repeated in this file (first at line 5)")]


def test_extra_columns_are_kept(db: Database, data: Dataset) -> None:
    for r in data.movements:
        r["lote"] = "L-77"
    load_paths(db, data.write())
    assert db.scalar("SELECT count(*) FROM movements WHERE extra = ?", ('{"lote":"L-77"}',)) == 4


def test_registry_change_makes_a_new_version(db: Database, data: Dataset) -> None:
    load_paths(db, data.write("operators"))
    data.operators[1]["status"] = "suspended"
    report = load_paths(db, data.write("operators", name="operators-update.csv"))
    assert (report.files[0].rows_accepted, report.files[0].rows_duplicate) == (1, 2)
    assert db.scalar("SELECT status FROM operators WHERE ruc = ?", (BUYER,)) == "suspended"
    history = db.query("SELECT status FROM operator_versions WHERE ruc = ? ORDER BY version_id", (BUYER,))
    assert [h[0] for h in history] == ["active", "suspended"]


def test_new_operator_number_is_valid() -> None:
    assert make_ruc(123).startswith("20") and len(make_ruc(123)) == 11
