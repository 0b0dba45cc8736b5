"""stock_count_discrepancy: a count finds less than the book, beyond the tolerance."""

from __future__ import annotations

import pytest

from tests.detect.cases import World, run
from traza.store import Database


def _counts(world: World, counted: float) -> str:
    seller, user = world.operator(1), world.operator(2, "mining")
    world.move(user, "stock_count", 1_000, "2024-12-31")
    world.sale(seller, user, 500, "2025-01-15")
    world.move(user, "consumption", 300, "2025-02-15")
    world.move(user, "stock_count", counted, "2025-03-31")  # the book says 1,200
    return user


def test_a_count_200_kg_short_fires(db: Database, world: World) -> None:
    user = _counts(world, 1_000)
    world.load(db)
    [f] = run(db, "stock_count_discrepancy", "2025-06-30")
    assert (f.ruc, f.chemical, f.detail) == (user, "sulfuric_acid", "0000")
    assert (f.observed, f.baseline, f.strength) == (pytest.approx(200), pytest.approx(800), 4)
    assert str(f.period_start) == "2025-03-31"
    assert len(f.evidence) == 1


def test_a_shortfall_under_50_kg_does_not(db: Database, world: World) -> None:
    _counts(world, 1_160)
    world.load(db)
    assert run(db, "stock_count_discrepancy", "2025-06-30") == []
    assert run(db, "stock_count_discrepancy", "2025-06-30", min_kg=30), "with the bar lowered the same case fires"
