"""unregistered_counterparty: sales to a RUC outside the registry, or to a revoked buyer that
no longer declares."""

from __future__ import annotations

import pytest

from tests.detect.cases import World, run
from tests.factories import make_ruc
from traza.store import Database


def test_sales_to_an_unregistered_ruc_flag_the_seller_and_the_buyer(db: Database, world: World) -> None:
    seller, ghost = world.operator(1), make_ruc(99)
    world.sale(seller, ghost, 500, "2025-02-10", declared=False)
    world.sale(seller, ghost, 700, "2025-03-10", declared=False)
    world.load(db)
    found = run(db, "unregistered_counterparty", "2025-06-30")
    assert sorted(f.ruc for f in found) == sorted([seller, ghost])
    for f in found:
        assert (f.chemical, f.detail) == ("sulfuric_acid", f"{seller} > {ghost} (unregistered)")
        assert (f.observed, f.strength) == (pytest.approx(1_200), 2)
        assert len(f.evidence) == 2


def test_a_revoked_buyers_earlier_declared_purchases_are_fine(db: Database, world: World) -> None:
    seller = world.operator(1)
    revoked = world.operator(2, "agriculture", status="revoked")
    world.sale(seller, revoked, 500, "2025-02-10")
    world.sale(seller, revoked, 700, "2025-03-10")
    world.load(db)
    assert run(db, "unregistered_counterparty", "2025-06-30") == []


def test_a_sale_after_the_revoked_buyer_went_quiet_fires(db: Database, world: World) -> None:
    seller = world.operator(1)
    revoked = world.operator(2, "agriculture", status="revoked")
    world.sale(seller, revoked, 500, "2025-02-10")
    world.sale(seller, revoked, 700, "2025-04-10", declared=False)
    world.load(db)
    found = run(db, "unregistered_counterparty", "2025-06-30")
    assert sorted(f.ruc for f in found) == sorted([seller, revoked])
    assert [(f.detail, f.observed) for f in found] == [(f"{seller} > {revoked} (revoked)", pytest.approx(700))] * 2
