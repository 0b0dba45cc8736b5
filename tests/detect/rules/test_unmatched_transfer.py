"""unmatched_transfer: deliveries to a registered buyer that never appear in its declarations."""

from __future__ import annotations

import pytest

from tests.detect.cases import World, run
from traza.store import Database


def _deliveries(world: World, second_declared_on: str | None) -> tuple[str, str]:
    seller, buyer = world.operator(1), world.operator(2, "mining")
    world.sale(seller, buyer, 1_000, "2025-01-10")
    if second_declared_on is None:
        world.sale(seller, buyer, 1_000, "2025-02-10", declared=False)
    else:  # filed late, quoting its own order number: paired by date and quantity
        world.sale(seller, buyer, 1_000, "2025-02-10", buyer_day=second_declared_on, doc="OC-77")
    return seller, buyer


def test_an_undeclared_delivery_fires(db: Database, world: World) -> None:
    seller, buyer = _deliveries(world, None)
    world.load(db)
    [f] = run(db, "unmatched_transfer", "2025-06-30")
    assert (f.ruc, f.chemical, f.detail) == (buyer, "sulfuric_acid", seller)
    assert (f.observed, f.baseline) == (pytest.approx(1_000), pytest.approx(2_000))
    assert len(f.evidence) == 1


def test_a_late_declaration_is_matched(db: Database, world: World) -> None:
    _deliveries(world, "2025-03-25")  # 43 days later
    world.load(db)
    assert run(db, "unmatched_transfer", "2025-06-30") == []


def test_a_delivery_within_the_grace_period_waits(db: Database, world: World) -> None:
    _deliveries(world, None)
    world.load(db)
    assert run(db, "unmatched_transfer", "2025-04-05") == []  # 54 days after the sale
    assert run(db, "unmatched_transfer", "2025-04-05", grace_days=50), "with 50 days' grace it fires"
