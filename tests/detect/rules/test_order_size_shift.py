"""order_size_shift (shadow): most of a quarter's orders at several times the usual size."""

from __future__ import annotations

import pytest

from tests.detect.cases import World, months, run
from traza.store import Database


def _orders(world: World, big_kg: float) -> str:
    seller, buyer = world.operator(1), world.operator(2, "textile")
    for day in months(2025, 1, 6):
        world.sale(seller, buyer, 100, day)
    for day in months(2025, 7, 9):
        world.sale(seller, buyer, big_kg, day)
    return buyer


def test_a_quarter_of_orders_at_three_times_the_usual_fires(db: Database, world: World) -> None:
    buyer = _orders(world, 300)
    world.load(db)
    [f] = run(db, "order_size_shift", "2025-12-31")
    assert (f.ruc, f.chemical, f.detail) == (buyer, "sulfuric_acid", "3")
    assert (f.observed, f.baseline, f.strength) == (pytest.approx(900), pytest.approx(100), 3)


def test_orders_just_under_two_and_a_half_times_do_not(db: Database, world: World) -> None:
    _orders(world, 240)
    world.load(db)
    assert run(db, "order_size_shift", "2025-12-31") == []
    assert run(db, "order_size_shift", "2025-12-31", factor=2.4), "with the bar lowered the same case fires"
