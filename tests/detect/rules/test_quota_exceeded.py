"""quota_exceeded: a year's acquisitions above the authorised annual quota."""

from __future__ import annotations

import pytest

from tests.detect.cases import World, run
from traza.store import Database


def _year(world: World, second_kg: float) -> str:
    seller, buyer = world.operator(1), world.operator(2, "mining")
    world.authorise(buyer, "sulfuric_acid", quota=10_000, valid_from="2025-01-01", valid_to="2025-12-31")
    world.sale(seller, buyer, 6_000, "2025-03-10")
    world.sale(seller, buyer, second_kg, "2025-09-10")
    return buyer


def test_acquisitions_over_the_quota_fire(db: Database, world: World) -> None:
    buyer = _year(world, 5_000)
    world.load(db)
    [f] = run(db, "quota_exceeded", "2025-12-31")
    assert (f.ruc, f.chemical, f.detail) == (buyer, "sulfuric_acid", "2025")
    assert (f.observed, f.baseline, f.strength) == (pytest.approx(11_000), pytest.approx(10_000), 1.1)


def test_exactly_the_quota_does_not(db: Database, world: World) -> None:
    _year(world, 4_000)
    world.load(db)
    assert run(db, "quota_exceeded", "2025-12-31") == []
