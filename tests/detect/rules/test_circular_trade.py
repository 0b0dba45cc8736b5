"""circular_trade: the same lot goes A > B > C and back to A within weeks."""

from __future__ import annotations

import pytest

from tests.detect.cases import World, run
from traza.store import Database


def _cycle(world: World, back_kg: float) -> tuple[str, str, str]:
    a, b, c = (world.operator(n) for n in (1, 2, 3))
    world.sale(a, b, 10_000, "2025-03-01")
    world.sale(b, c, 10_000, "2025-03-10")
    world.sale(c, a, back_kg, "2025-03-20")
    return a, b, c


def test_a_lot_that_comes_back_flags_every_member(db: Database, world: World) -> None:
    a, b, c = _cycle(world, 10_200)  # 2% drift: within the 8% tolerance
    world.load(db)
    found = run(db, "circular_trade", "2025-06-30")
    assert {f.ruc for f in found} == {a, b, c}
    for f in found:
        assert f.chemical == "sulfuric_acid"
        assert f.observed == pytest.approx(10_000)
        assert f.strength == 1  # one lap
        assert f.detail == f"{a}>{b}>{c}"
        assert len(f.evidence) == 3


def test_a_return_leg_of_another_size_is_trade_not_a_cycle(db: Database, world: World) -> None:
    _cycle(world, 9_000)  # 10% less: a different lot
    world.load(db)
    assert run(db, "circular_trade", "2025-06-30") == []
    assert run(db, "circular_trade", "2025-06-30", qty_tolerance=0.11), "with the bar lowered the same case fires"
