"""quantity_mismatch: the buyer declares less than was shipped on the same guide, again and again."""

from __future__ import annotations

import pytest

from tests.detect.cases import World, run
from traza.store import Database


def _guides(world: World, declared_kg: float) -> tuple[str, str]:
    seller, buyer = world.operator(1), world.operator(2, "mining")
    for day in ("2025-02-03", "2025-03-03", "2025-04-03"):
        world.sale(seller, buyer, 1_000, day, buyer_kg=declared_kg)
    return seller, buyer


def test_three_short_guides_fire(db: Database, world: World) -> None:
    seller, buyer = _guides(world, 900)
    world.load(db)
    [f] = run(db, "quantity_mismatch", "2025-06-30")
    assert (f.ruc, f.chemical, f.detail) == (buyer, "sulfuric_acid", seller)
    assert (f.observed, f.baseline, f.strength) == (pytest.approx(300), pytest.approx(3_000), 5)
    assert len(f.evidence) == 3


def test_differences_within_two_percent_do_not(db: Database, world: World) -> None:
    _guides(world, 985)
    world.load(db)
    assert run(db, "quantity_mismatch", "2025-06-30") == []
    assert run(db, "quantity_mismatch", "2025-06-30", tolerance=0.01), "with the bar lowered the same case fires"
