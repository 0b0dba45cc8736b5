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
    for day in months(2025, 7, 9):
        world.sale(seller, store, summer_kg, day, chemical="calcium_oxide", dest=ZONE)
    return store


def test_three_months_at_three_times_its_usual_fire(db: Database, world: World) -> None:
    store = _farm_store(world, 3_000)
    world.load(db)
    [f] = run(db, "zone_delivery_excess", "2025-12-31")
    assert (f.ruc, f.chemical, f.detail) == (store, "calcium_oxide", "3")
    assert (f.observed, f.baseline) == (pytest.approx(9_000), pytest.approx(1_000))
    assert (str(f.period_start), str(f.period_end)) == ("2025-07-01", "2025-09-30")
    assert len(f.evidence) == 3


def test_just_under_two_and_a_half_times_its_usual_does_not(db: Database, world: World) -> None:
    _farm_store(world, 2_400)
    world.load(db)
    assert run(db, "zone_delivery_excess", "2025-12-31") == []
    assert run(db, "zone_delivery_excess", "2025-12-31", own_factor=2.3), "with the bar lowered the same case fires"


def test_two_busy_months_of_a_known_buyer_do_not(db: Database, world: World) -> None:
    # a store measured against itself must keep it up three months; a new buyer two
    seller = world.operator(1)
    store = world.operator(2, "agriculture", ubigeo=ZONE)
    for day in months(2025, 1, 6):
        world.sale(seller, store, 1_000, day, chemical="calcium_oxide", dest=ZONE)
    for day in months(2025, 7, 8):
        world.sale(seller, store, 4_000, day, chemical="calcium_oxide", dest=ZONE)
    world.load(db)
    assert run(db, "zone_delivery_excess", "2025-12-31") == []
    assert run(db, "zone_delivery_excess", "2025-12-31", own_months=2), "two months suffice when allowed"


def test_a_season_that_recurs_does_not(db: Database, world: World) -> None:
    # three times its usual from July to September, but it received 2,500 kg a month in the
    # same months the year before: a season, not an excess
    _farm_store(world, 3_000)
    seller, store = world.data.operators[0]["ruc"], world.data.operators[1]["ruc"]
    for day in months(2024, 7, 9):
        world.sale(seller, store, 2_500, day, chemical="calcium_oxide", dest=ZONE)
    world.load(db)
    assert run(db, "zone_delivery_excess", "2025-12-31") == []
    assert run(db, "zone_delivery_excess", "2025-12-31", season_factor=1.1), "weighing the season less it fires"


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


def _store_with_new_supplier(world: World, added: tuple[float, float, float], *, old_stops: bool = False) -> str:
    """A store supplied 1,000 kg a month by one seller since November 2024; from July 2025 a
    second seller delivers ``added`` in July, August and September."""
    old, new = world.operator(1), world.operator(3)
    store = world.operator(2, "agriculture", ubigeo=ZONE)
    for day in months(2024, 11, 12) + months(2025, 1, 6 if old_stops else 12):
        world.sale(old, store, 1_000, day, chemical="calcium_oxide", dest=ZONE)
    for day, kg in zip(months(2025, 7, 9), added, strict=True):
        world.sale(new, store, kg, day, chemical="calcium_oxide", dest=ZONE)
    return store


def test_a_new_supplier_bringing_several_times_the_usual_fires(db: Database, world: World) -> None:
    # 9,000 kg in three months on top of 1,000 a month; the store's own months (5,000, 2,000,
    # 5,000) are no three-month run, so only the new supplier shows it
    store = _store_with_new_supplier(world, (4_000, 1_000, 4_000))
    world.load(db)
    [f] = run(db, "zone_delivery_excess", "2025-12-31")
    assert (f.ruc, f.observed, f.baseline) == (store, pytest.approx(9_000), pytest.approx(1_000))
    assert f.detail == f"3, new supplier {world.data.operators[1]['ruc']}"
    assert len(f.evidence) == 3


def test_a_store_that_changes_supplier_does_not(db: Database, world: World) -> None:
    _store_with_new_supplier(world, (1_000, 1_000, 1_000), old_stops=True)
    world.load(db)
    assert run(db, "zone_delivery_excess", "2025-12-31") == []
    assert run(db, "zone_delivery_excess", "2025-12-31", own_factor=0.9), "with the bar lowered it fires"


def _first_supplier(world: World, deliveries: tuple[float, float, float]) -> str:
    """Three valley stores take 1,000 kg of lime a month from November 2024; a fourth, long
    registered, first buys lime here in May 2025, unevenly, from a supplier of its own."""
    seller, newcomer = world.operator(1), world.operator(3)
    for n in (4, 5, 6):
        peer = world.operator(n, "agriculture", ubigeo=ZONE)
        for day in months(2024, 11, 12) + months(2025, 1, 12):
            world.sale(seller, peer, 1_000, day, chemical="calcium_oxide", dest=ZONE)
    store = world.operator(2, "agriculture", ubigeo=ZONE)
    for day, kg in zip(months(2025, 5, 7), deliveries, strict=True):
        world.sale(newcomer, store, kg, day, chemical="calcium_oxide", dest=ZONE)
    return store


def test_a_first_supplier_bringing_several_times_the_peers_fires(db: Database, world: World) -> None:
    # 11,000 kg in three months where its peers take 3,000; no two months in a row stand out
    store = _first_supplier(world, (5_000, 1_000, 5_000))
    world.load(db)
    [f] = run(db, "zone_delivery_excess", "2025-12-31")
    assert (f.ruc, f.observed, f.baseline) == (store, pytest.approx(11_000), pytest.approx(1_000))
    assert f.detail.startswith("3, new supplier ")


def test_a_first_supplier_bringing_about_the_peers_does_not(db: Database, world: World) -> None:
    _first_supplier(world, (2_000, 1_000, 2_000))  # 5,000 < 2.5 x 3,000
    world.load(db)
    assert run(db, "zone_delivery_excess", "2025-12-31") == []
    assert run(db, "zone_delivery_excess", "2025-12-31", peer_factor=1.5), "with the bar lowered it fires"
