"""relay_chain: a firm outside the zones passing on nearly every lot it receives, within days,
to a buyer in a special-regime zone."""

from __future__ import annotations

import pytest

from tests.detect.cases import LIMA, ZONE, World, months, run
from traza.store import Database


def _relays(world: World, terminal_ubigeo: str) -> tuple[str, str, str]:
    origin, relay = world.operator(1, "importer"), world.operator(2)
    terminal = world.operator(3, "other", ubigeo=terminal_ubigeo)
    for received, resold in zip(months(2025, 1, 5, day=4), months(2025, 1, 5, day=7), strict=True):
        world.sale(origin, relay, 1_000, received, chemical="acetone")
        world.sale(relay, terminal, 950, resold, chemical="acetone", dest=terminal_ubigeo)
    return origin, relay, terminal


def test_five_relays_into_a_zone_flag_the_three_parties(db: Database, world: World) -> None:
    origin, relay, terminal = _relays(world, ZONE)
    world.load(db)
    found = {f.ruc: f for f in run(db, "relay_chain", "2025-06-30")}
    assert set(found) == {origin, relay, terminal}
    path = f"{origin} > {relay} > {terminal}"
    assert found[relay].detail == f"relay: {path}"
    assert found[origin].detail == f"origin: {path}"
    assert found[terminal].detail == f"terminal: {path}"
    for f in found.values():
        assert f.chemical == "acetone"
        assert (f.observed, f.baseline, f.strength) == (pytest.approx(4_750), pytest.approx(5_000), 5)
        assert len(f.evidence) == 10


def test_the_same_resales_to_a_buyer_outside_the_zones_do_not(db: Database, world: World) -> None:
    _relays(world, LIMA)
    world.load(db)
    assert run(db, "relay_chain", "2025-06-30") == []
