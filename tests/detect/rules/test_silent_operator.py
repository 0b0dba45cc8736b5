"""silent_operator: a buyer that declares nothing for months while its suppliers sell to it."""

from __future__ import annotations

import pytest

from tests.detect.cases import World, run
from traza.store import Database


def _silence(world: World, declares_in_april: bool) -> str:
    seller, buyer = world.operator(1), world.operator(2, "mining")
    world.sale(seller, buyer, 1_000, "2025-01-10")
    world.sale(seller, buyer, 1_000, "2025-02-10")
    world.sale(seller, buyer, 1_200, "2025-03-10", declared=False)
    world.sale(seller, buyer, 1_300, "2025-04-10", declared=False)
    if declares_in_april:
        world.move(buyer, "consumption", 900, "2025-04-30")
    return buyer


def test_two_silent_months_fire(db: Database, world: World) -> None:
    buyer = _silence(world, declares_in_april=False)
    world.load(db)
    [f] = run(db, "silent_operator", "2025-05-31")
    assert (f.ruc, f.chemical, f.detail) == (buyer, "sulfuric_acid", "2")
    assert f.observed == pytest.approx(2_500)
    assert (str(f.period_start), str(f.period_end)) == ("2025-03-01", "2025-04-30")


def test_a_declaration_in_between_breaks_the_silence(db: Database, world: World) -> None:
    _silence(world, declares_in_april=True)
    world.load(db)
    assert run(db, "silent_operator", "2025-05-31") == []
    assert run(db, "silent_operator", "2025-05-31", min_months=1), "with the bar lowered the same case fires"
