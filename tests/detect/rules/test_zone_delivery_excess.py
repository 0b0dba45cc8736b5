"""zone_delivery_excess: a buyer in a special-regime zone receiving far more than it used to."""

from __future__ import annotations

import pytest

from tests.detect.cases import ZONE, World, months, run
from tests.factories import make_ruc
from traza.store import Database


def _farm_store(world: World, summer_kg: float) -> str:
    seller = world.operator(1)
    store = world.operator(2, "agriculture", ubigeo=ZONE)
    for day in months(2025, 1, 6):
        world.sale(seller, store, 1_000, day, chemical="calcium_oxide", dest=ZONE)
    for day in months(2025, 7, 8):
        world.sale(seller, store, summer_kg, day, chemical="calcium_oxide", dest=ZONE)
    return store


def test_two_months_above_three_and_a_half_times_its_median_fire(db: Database, world: World) -> None:
    store = _farm_store(world, 4_000)
    world.load(db)
    [f] = run(db, "zone_delivery_excess", "2025-12-31")
    assert (f.ruc, f.chemical, f.detail) == (store, "calcium_oxide", "2")
    assert (f.observed, f.baseline) == (pytest.approx(8_000), pytest.approx(1_000))
    assert (str(f.period_start), str(f.period_end)) == ("2025-07-01", "2025-08-31")
    assert len(f.evidence) == 2


def test_three_times_its_median_does_not(db: Database, world: World) -> None:
    _farm_store(world, 3_000)
    world.load(db)
    assert run(db, "zone_delivery_excess", "2025-12-31") == []


def test_an_unregistered_buyer_flags_its_seller_too(db: Database, world: World) -> None:
    _farm_store(world, 1_000)  # a registered peer: 1,000 kg a month
    seller, ghost = world.data.operators[0]["ruc"], make_ruc(99)
    for day in months(2025, 9, 10):
        world.sale(seller, ghost, 3_000, day, chemical="calcium_oxide", dest=ZONE, declared=False)
    world.load(db)
    found = {f.ruc: f for f in run(db, "zone_delivery_excess", "2025-12-31")}
    assert set(found) == {ghost, seller}
    assert found[seller].detail == f"2, unregistered buyer {ghost}"
    assert found[seller].observed == pytest.approx(6_000)
