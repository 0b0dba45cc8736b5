"""quota_warning: most of the quota used, at a pace that will exceed it before the year ends."""

from __future__ import annotations

import pytest

from tests.detect.cases import World, run
from traza.store import Database


def _half_year(world: World, total_kg: float) -> str:
    seller, buyer = world.operator(1), world.operator(2, "mining")
    world.authorise(buyer, "sulfuric_acid", quota=10_000, valid_from="2025-01-01", valid_to="2025-12-31")
    world.sale(seller, buyer, total_kg / 2, "2025-02-10")
    world.sale(seller, buyer, total_kg / 2, "2025-05-10")
    return buyer


def test_85_percent_by_june_fires(db: Database, world: World) -> None:
    buyer = _half_year(world, 8_500)
    world.load(db)
    [f] = run(db, "quota_warning", "2025-06-30")
    assert (f.ruc, f.chemical, f.detail) == (buyer, "sulfuric_acid", "2025")
    assert (f.observed, f.baseline) == (pytest.approx(8_500), pytest.approx(10_000))
    assert f.strength == pytest.approx(8_500 / (181 / 365) / 10_000, abs=1e-3)


def test_just_under_80_percent_does_not(db: Database, world: World) -> None:
    _half_year(world, 7_900)
    world.load(db)
    assert run(db, "quota_warning", "2025-06-30") == []
    assert run(db, "quota_warning", "2025-06-30", share=0.75), "with the bar lowered the same case fires"


def test_the_same_use_at_the_end_of_the_year_is_on_pace(db: Database, world: World) -> None:
    _half_year(world, 8_500)
    world.load(db)
    assert run(db, "quota_warning", "2025-12-31") == []
