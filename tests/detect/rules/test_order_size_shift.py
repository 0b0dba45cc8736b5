"""order_size_shift: the typical order of one chemical in the last twelve months several times
the year before's, at one establishment, while its other chemicals did not grow alike."""

from __future__ import annotations

import pytest

from tests.detect.cases import World, months, run
from traza.store import Database

AS_OF = "2025-12-31"


def _orders(world: World, big_kg: float, *, other_big_kg: float = 40, registered_on: str = "2015-01-01") -> str:
    """A textile mill buying 100 kg of acid and 40 kg of acetone a month through 2024, then
    ``big_kg`` of acid and ``other_big_kg`` of acetone a month through 2025."""
    seller = world.operator(1)
    buyer = world.operator(2, "textile", registered_on=registered_on)
    for day in months(2024, 1, 12):
        world.sale(seller, buyer, 100, day)
        world.sale(seller, buyer, 40, day, chemical="acetone")
    for day in months(2025, 1, 12):
        world.sale(seller, buyer, big_kg, day)
        world.sale(seller, buyer, other_big_kg, day, chemical="acetone")
    return buyer


def test_orders_five_times_last_years_fire(db: Database, world: World) -> None:
    buyer = _orders(world, 500)
    world.load(db)
    [f] = run(db, "order_size_shift", AS_OF)
    assert (f.ruc, f.chemical, f.detail) == (buyer, "sulfuric_acid", "0000")
    assert (f.observed, f.baseline, f.strength) == (pytest.approx(6000), pytest.approx(100), pytest.approx(5))
    assert len(f.evidence) == 12
    assert (str(f.period_start), str(f.period_end)) == ("2025-01-10", "2025-12-10")


def test_orders_just_under_four_and_a_half_times_do_not(db: Database, world: World) -> None:
    _orders(world, 440)
    world.load(db)
    assert run(db, "order_size_shift", AS_OF) == []
    assert run(db, "order_size_shift", AS_OF, factor=4.3), "with the bar lowered the same case fires"


def test_a_firm_that_grew_in_every_chemical_does_not(db: Database, world: World) -> None:
    # acid five times, acetone five times: a bigger plant, not a claim on one chemical
    _orders(world, 500, other_big_kg=200)
    world.load(db)
    assert run(db, "order_size_shift", AS_OF) == []


def test_a_newcomers_start_up_orders_are_not_its_usual(db: Database, world: World) -> None:
    # registered at the start of 2024, it bought 30 kg a month while it started up and 100 kg
    # once running; 150 kg in 2025 is five times its start-up, not five times its usual
    seller, buyer = world.operator(1), world.operator(2, "textile", registered_on="2024-01-01")
    for day in months(2024, 1, 6):
        world.sale(seller, buyer, 30, day)
    for day in months(2024, 7, 12):
        world.sale(seller, buyer, 100, day)
    for day in months(2025, 1, 12):
        world.sale(seller, buyer, 150, day)
    world.load(db)
    assert run(db, "order_size_shift", AS_OF) == []
    assert run(db, "order_size_shift", AS_OF, ramp_days=0), "counting the start-up months it fires"
