"""delivered_off_premises: a registered buyer taking deliveries in a special-regime zone where
it has no premises."""

from __future__ import annotations

import pytest

from tests.detect.cases import AREQUIPA, ZONE, World, run
from traza.store import Database


def _store(world: World, dest: str, *, with_site_there: bool = False) -> str:
    seller = world.operator(1)
    store = world.operator(2, "agriculture")  # premises in Lima
    if with_site_there:
        world.site(store, "0001", ZONE)
    world.sale(seller, store, 1_500, "2025-03-10", chemical="kerosene", dest=dest)
    world.sale(seller, store, 1_800, "2025-04-10", chemical="kerosene", dest=dest)
    return store


def test_two_deliveries_into_a_valley_away_from_its_premises_fire(db: Database, world: World) -> None:
    store = _store(world, ZONE)
    world.load(db)
    [f] = run(db, "delivered_off_premises", "2025-06-30")
    assert (f.ruc, f.chemical) == (store, "kerosene")
    assert f.observed == pytest.approx(3_300)
    assert (str(f.period_start), str(f.period_end)) == ("2025-03-10", "2025-04-10")
    assert f.detail is not None and len(f.evidence) == 2


def test_deliveries_to_its_own_premises_in_the_valley_do_not(db: Database, world: World) -> None:
    _store(world, ZONE, with_site_there=True)
    world.load(db)
    assert run(db, "delivered_off_premises", "2025-06-30") == []
    assert run(db, "delivered_off_premises", "2025-06-30", min_deliveries=1) == [], "its own site, whatever the bar"


def test_deliveries_away_from_premises_outside_any_zone_do_not(db: Database, world: World) -> None:
    _store(world, AREQUIPA)
    world.load(db)
    assert run(db, "delivered_off_premises", "2025-06-30") == []
    assert run(db, "delivered_off_premises", "2025-06-30", min_deliveries=1) == [], "no zone, whatever the bar"
