"""Book stock and status from the ledger."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import BUYER, SELLER, Dataset, movement
from traza.ingest import load_paths
from traza.store import Database
from traza.store.ledger import balances, status


def test_book_stock_and_last_count(db: Database, data: Dataset) -> None:
    data.movements += [
        movement("B-3", BUYER, "stock_count", 2600, "kg", date="2025-01-31"),
        movement("B-4", BUYER, "loss", 30, "kg", date="2025-02-02"),
    ]
    load_paths(db, data.write())
    [row] = balances(db, BUYER)
    # in 3,680 (purchase) - out 1,000 (consumption) - 30 (loss)
    assert row["book_kg"] == pytest.approx(2650.0)
    assert row["count_date"] == dt.date(2025, 1, 31)
    assert row["book_at_count_kg"] == pytest.approx(2680.0)
    assert row["count_difference_kg"] == pytest.approx(-80.0)
    [early] = balances(db, BUYER, at=dt.date(2025, 1, 15))
    assert early["book_kg"] == pytest.approx(3680.0)


def test_book_stock_per_establishment_and_chemical(db: Database, data: Dataset) -> None:
    data.movements.append(movement("S-9", SELLER, "import", 100, "kg", chemical="acetone", est="0001", origin_country="US"))
    load_paths(db, data.write())
    rows = {(r["establishment_code"], r["chemical"]): r["book_kg"] for r in balances(db, SELLER)}
    assert rows == {("0000", "sulfuric_acid"): pytest.approx(10000 - 2000 * 1.84), ("0001", "acetone"): 100.0}
    assert [r["chemical"] for r in balances(db, SELLER, chemical="acetone")] == ["acetone"]


def test_status_counts(db: Database, data: Dataset) -> None:
    load_paths(db, data.write())
    s = status(db)
    assert (s["operators"], s["establishments"], s["authorisations"], s["movements"]) == (3, 4, 2, 4)
    assert s["submissions_by_status"] == {"accepted": 4}
