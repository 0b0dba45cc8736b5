"""order_spike (shadow): two months in a row above three times the past year's average."""

from __future__ import annotations

import pytest

from tests.detect.cases import World, months, run
from traza.store import Database


def _spike(world: World, august_kg: float) -> str:
    seller, buyer = world.operator(1), world.operator(2, "textile")
    for day in months(2025, 1, 6):
        world.sale(seller, buyer, 100, day)
    world.sale(seller, buyer, 400, "2025-07-10")
    world.sale(seller, buyer, august_kg, "2025-08-10")
    return buyer


def test_two_months_of_spike_fire(db: Database, world: World) -> None:
    buyer = _spike(world, 500)  # above 3 x (600 + 400) / 7 = 428.6
    world.load(db)
    [f] = run(db, "order_spike", "2025-12-31")
    assert (f.ruc, f.chemical, f.detail) == (buyer, "sulfuric_acid", "2")
    assert (f.observed, f.baseline, f.strength) == (pytest.approx(900), pytest.approx(100), 4.5)
    assert (str(f.period_start), str(f.period_end)) == ("2025-07-01", "2025-08-31")


def test_a_second_month_just_under_the_bar_does_not(db: Database, world: World) -> None:
    _spike(world, 420)
    world.load(db)
    assert run(db, "order_spike", "2025-12-31") == []
    assert run(db, "order_spike", "2025-12-31", factor=2.9), "with the bar lowered the same case fires"
