"""repeated_losses: several losses or thefts in a year, beyond the tolerated shrinkage."""

from __future__ import annotations

import pytest

from tests.detect.cases import World, run
from traza.store import Database


def _losses(world: World, each_kg: float) -> str:
    seller, user = world.operator(1), world.operator(2, "mining")
    world.sale(seller, user, 10_000, "2025-01-10")
    world.move(user, "loss", each_kg, "2025-03-01")
    world.move(user, "theft", each_kg, "2025-05-01")
    world.move(user, "loss", each_kg, "2025-07-01")
    return user


def test_three_losses_above_the_shrinkage_fire(db: Database, world: World) -> None:
    user = _losses(world, 50)  # 150 kg > 0.8% of 10,000
    world.load(db)
    [f] = run(db, "repeated_losses", "2025-12-31")
    assert (f.ruc, f.chemical, f.detail) == (user, "sulfuric_acid", "2025")
    assert (f.observed, f.baseline, f.strength) == (pytest.approx(150), pytest.approx(10_000), 1.875)
    assert len(f.evidence) == 3


def test_losses_within_the_shrinkage_do_not(db: Database, world: World) -> None:
    _losses(world, 25)  # 75 kg < 80 kg
    world.load(db)
    assert run(db, "repeated_losses", "2025-12-31") == []
    assert run(db, "repeated_losses", "2025-12-31", max_share=0.007), "with the bar lowered the same case fires"


def test_shrinkage_written_off_at_stock_counts_does_not(db: Database, world: World) -> None:
    seller, user = world.operator(1), world.operator(2, "mining")
    world.sale(seller, user, 10_000, "2025-01-10")
    for day in ("2025-03-31", "2025-06-30", "2025-09-30"):
        world.move(user, "loss", 50, day)
        world.move(user, "stock_count", 1_000, day)
    world.load(db)
    assert run(db, "repeated_losses", "2025-12-31") == []
