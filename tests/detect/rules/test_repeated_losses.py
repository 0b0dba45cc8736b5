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
    user = _losses(world, 50)  # 150 kg > 0.4% of 10,000
    world.load(db)
    [f] = run(db, "repeated_losses", "2025-12-31")
    assert (f.ruc, f.chemical, f.detail) == (user, "sulfuric_acid", "0000")
    assert (f.observed, f.baseline, f.strength) == (pytest.approx(150), pytest.approx(10_000), 3.75)
    assert len(f.evidence) == 3


def test_losses_within_the_shrinkage_do_not(db: Database, world: World) -> None:
    _losses(world, 13)  # 39 kg < 40 kg
    world.load(db)
    assert run(db, "repeated_losses", "2025-12-31") == []
    assert run(db, "repeated_losses", "2025-12-31", max_share=0.0035), "with the bar lowered the same case fires"


def test_shrinkage_written_off_at_stock_counts_does_not(db: Database, world: World) -> None:
    seller, user = world.operator(1), world.operator(2, "mining")
    world.sale(seller, user, 10_000, "2025-01-10")
    for day in ("2025-03-31", "2025-06-30", "2025-09-30"):
        world.move(user, "loss", 50, day)  # 0.5% of the stock counted: the count's reconciliation
        world.move(user, "stock_count", 10_000, day)
    world.load(db)
    assert run(db, "repeated_losses", "2025-12-31") == []
    assert run(db, "repeated_losses", "2025-12-31", count_share=0.001), "read as write-offs they fire"


def test_a_firms_other_plant_does_not_dilute_the_losses(db: Database, world: World) -> None:
    # the plant that writes off 150 kg bought 10,000 kg; the firm's other plant bought 100,000
    seller, user = world.operator(1), world.operator(2, "mining")
    world.site(user, "0001")
    world.sale(seller, user, 100_000, "2025-01-10")
    world.sale(seller, user, 10_000, "2025-01-12", declared=False)
    world.move(user, "purchase", 10_000, "2025-01-12", est="0001", counterparty_ruc=seller)
    for day, kind in (("2025-03-01", "loss"), ("2025-05-01", "theft"), ("2025-07-01", "loss")):
        world.move(user, kind, 50, day, est="0001")
    world.load(db)
    [f] = run(db, "repeated_losses", "2025-12-31")
    assert (f.ruc, f.detail, f.baseline) == (user, "0001", pytest.approx(10_000))


def test_a_large_write_off_on_a_count_day_is_a_loss(db: Database, world: World) -> None:
    # 200 kg against 1,000 kg counted is no scale error: it counts with the two spills
    seller, user = world.operator(1), world.operator(2, "mining")
    world.sale(seller, user, 10_000, "2025-01-10")
    world.move(user, "loss", 200, "2025-03-31")
    world.move(user, "stock_count", 1_000, "2025-03-31")
    world.move(user, "loss", 50, "2025-05-01")
    world.move(user, "loss", 50, "2025-07-01")
    world.load(db)
    [f] = run(db, "repeated_losses", "2025-12-31")
    assert f.ruc == user and f.observed == pytest.approx(300) and len(f.evidence) == 3
    assert run(db, "repeated_losses", "2025-12-31", count_share=0.25) == [], "a 25% allowance at counts hides it"
