"""consumption_above_peers: a user that starts declaring it uses many times what its sector does,
and several times what it used itself two years earlier."""

from __future__ import annotations

import pytest

from tests.detect.cases import World, run
from traza.store import Database

PEERS = (90, 100, 100, 110, 120)  # kg of acetone a year; median of the six users: sqrt(100 * 110)


def _laboratories(world: World, outlier_kg: float, earlier_kg: float = 100) -> str:
    for n, kg in enumerate(PEERS, start=1):
        lab = world.operator(n, "laboratory")
        world.move(lab, "consumption", kg, "2025-03-15", chemical="acetone")
    odd = world.operator(9, "laboratory")
    world.move(odd, "consumption", earlier_kg, "2023-09-15", chemical="acetone")  # two years back
    world.move(odd, "consumption", outlier_kg / 2, "2025-02-15", chemical="acetone")
    world.move(odd, "consumption", outlier_kg / 2, "2025-05-15", chemical="acetone")
    return odd


def test_ten_times_the_sector_and_its_own_past_fires(db: Database, world: World) -> None:
    odd = _laboratories(world, 1_000)
    world.load(db)
    [f] = run(db, "consumption_above_peers", "2025-06-30")
    assert (f.ruc, f.chemical, f.detail) == (odd, "acetone", "laboratory")
    assert f.observed == pytest.approx(1_000)
    assert f.baseline == pytest.approx(104.88)
    assert len(f.evidence) == 2


def test_just_under_eight_times_the_median_does_not(db: Database, world: World) -> None:
    _laboratories(world, 800)  # 8 x 104.88 = 839
    world.load(db)
    assert run(db, "consumption_above_peers", "2025-06-30") == []
    assert run(db, "consumption_above_peers", "2025-06-30", factor=7), "with the bar lowered the same case fires"


def test_a_firm_that_always_used_that_much_does_not(db: Database, world: World) -> None:
    # far above its peers, but no more than it used two years ago (500 kg in a half-year):
    # a large user, not a new claim
    _laboratories(world, 1_000, earlier_kg=500)
    world.load(db)
    assert run(db, "consumption_above_peers", "2025-06-30") == []
    assert run(db, "consumption_above_peers", "2025-06-30", growth=0.9), "with the bar lowered the same case fires"
