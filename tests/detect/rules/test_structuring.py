"""structuring: a quarter of purchases split just under the threshold across sources."""

from __future__ import annotations

import pytest

from tests.detect.cases import World, run
from traza.store import Database

NEAR = ("2025-01-08", "2025-01-22", "2025-02-05", "2025-02-19", "2025-03-05")


def _split(world: World, other_orders: int) -> str:
    s1, s2, buyer = world.operator(1), world.operator(2), world.operator(3, "textile")
    for i, day in enumerate(NEAR):
        world.sale(s1 if i % 2 else s2, buyer, 1_900, day)  # the threshold is 2,000 kg
    for k in range(other_orders):
        world.sale(s1, buyer, 3_000, f"2025-03-{10 + k:02d}")
    return buyer


def test_five_purchases_just_under_the_threshold_fire(db: Database, world: World) -> None:
    buyer = _split(world, other_orders=0)
    world.load(db)
    [f] = run(db, "structuring", "2025-06-30")
    assert (f.ruc, f.chemical, f.detail) == (buyer, "sulfuric_acid", "2")
    assert (f.observed, f.baseline, f.strength) == (pytest.approx(9_500), pytest.approx(2_000), 1)
    assert len(f.evidence) == 5


def test_near_threshold_orders_among_many_larger_ones_do_not(db: Database, world: World) -> None:
    _split(world, other_orders=6)  # 5 of 11 orders: under half the quarter
    world.load(db)
    assert run(db, "structuring", "2025-06-30") == []
    assert run(db, "structuring", "2025-06-30", min_share=0.4), "with the bar lowered the same case fires"
