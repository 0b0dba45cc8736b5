"""fan_in: three or more suppliers converging on an unregistered buyer within 30 days."""

from __future__ import annotations

import pytest

from tests.detect.cases import World, run
from tests.factories import make_ruc
from traza.store import Database

GHOST = make_ruc(99)


def _sellers(world: World, third_day: str) -> None:
    s1, s2, s3 = (world.operator(n) for n in (1, 2, 3))
    world.sale(s1, GHOST, 1_000, "2025-03-01", declared=False)
    world.sale(s2, GHOST, 1_200, "2025-03-12", declared=False)
    world.sale(s3, GHOST, 800, third_day, declared=False)


def test_three_sellers_in_a_month_fire(db: Database, world: World) -> None:
    _sellers(world, "2025-03-30")  # the 30th day of the window
    world.load(db)
    [f] = run(db, "fan_in", "2025-06-30")
    assert (f.ruc, f.chemical, f.detail) == (GHOST, "sulfuric_acid", "3")
    assert f.observed == pytest.approx(3_000)
    assert len(f.evidence) == 3


def test_the_third_seller_a_day_too_late_does_not(db: Database, world: World) -> None:
    _sellers(world, "2025-03-31")
    world.load(db)
    assert run(db, "fan_in", "2025-06-30") == []
    assert run(db, "fan_in", "2025-06-30", min_sellers=2), "with the bar lowered the same case fires"


def test_a_closed_buyer_counts_only_what_reached_it_after_it_stopped_declaring(db: Database, world: World) -> None:
    """A firm suspended later bought from three sellers while it was working (it declared
    its own use after them): no fan-in. The same sales after its last declaration are one."""
    closed = world.operator(9, "mining", status="suspended")
    s1, s2, s3 = (world.operator(n) for n in (1, 2, 3))
    for seller, day in ((s1, "2025-03-01"), (s2, "2025-03-05"), (s3, "2025-03-09")):
        world.sale(seller, closed, 1_000, day, declared=False)
    world.move(closed, "consumption", 2_500, "2025-03-20")  # still at work after the three sales
    for seller, day in ((s1, "2025-05-01"), (s2, "2025-05-04"), (s3, "2025-05-08")):
        world.sale(seller, closed, 900, day, declared=False)
    world.load(db)
    [f] = run(db, "fan_in", "2025-06-30")
    assert (f.ruc, f.detail) == (closed, "3")
    assert str(f.period_start) == "2025-05-01" and f.observed == pytest.approx(2_700)
