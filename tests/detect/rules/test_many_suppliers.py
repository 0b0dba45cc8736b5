"""many_suppliers: one buyer served by four or more suppliers or sites within six months."""

from __future__ import annotations

import pytest

from tests.detect.cases import World, run
from traza.store import Database


def _suppliers(world: World, fourth_day: str) -> str:
    buyer = world.operator(9, "mining")
    s1, s2, s3 = (world.operator(n) for n in (1, 2, 3))
    world.site(s3, "0001")  # a second site of the third supplier counts as a source
    world.sale(s1, buyer, 500, "2025-01-10")
    world.sale(s2, buyer, 500, "2025-02-10")
    world.sale(s3, buyer, 500, "2025-03-10")
    world.sale(s3, buyer, 500, fourth_day, est="0001")
    return buyer


def test_four_sources_in_two_quarters_fire(db: Database, world: World) -> None:
    buyer = _suppliers(world, "2025-05-20")
    world.load(db)
    [f] = run(db, "many_suppliers", "2025-12-31")
    assert (f.ruc, f.chemical, f.detail) == (buyer, "sulfuric_acid", "4")
    assert f.observed == pytest.approx(2_000)
    assert len(f.evidence) == 4


def test_a_fourth_source_two_quarters_later_does_not(db: Database, world: World) -> None:
    _suppliers(world, "2025-07-20")
    world.load(db)
    assert run(db, "many_suppliers", "2025-12-31") == []
    assert run(db, "many_suppliers", "2025-12-31", min_suppliers=3), "with the bar lowered the same case fires"
