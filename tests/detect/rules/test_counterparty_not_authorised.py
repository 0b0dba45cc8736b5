"""counterparty_not_authorised: sales of a chemical the registered buyer holds no
authorisation in force for."""

from __future__ import annotations

import pytest

from tests.detect.cases import World, run
from traza.store import Database


def _sales(world: World, buyer_chemical: str, valid_to: str = "") -> str:
    seller, buyer = world.operator(1), world.operator(2, "textile")
    world.authorise(buyer, buyer_chemical, valid_to=valid_to)
    world.sale(seller, buyer, 400, "2025-03-03", chemical="acetone")
    world.sale(seller, buyer, 600, "2025-04-07", chemical="acetone")
    return buyer


def test_two_sales_without_authorisation_flag_the_buyer(db: Database, world: World) -> None:
    buyer = _sales(world, "sulfuric_acid")  # authorised for another chemical only
    world.load(db)
    [f] = run(db, "counterparty_not_authorised", "2025-06-30")
    assert (f.ruc, f.chemical, f.detail) == (buyer, None, "acetone")
    assert f.observed == pytest.approx(1_000)
    assert len(f.evidence) == 2


def test_an_expired_authorisation_does_not_cover(db: Database, world: World) -> None:
    buyer = _sales(world, "acetone", valid_to="2024-12-31")
    world.load(db)
    assert [f.ruc for f in run(db, "counterparty_not_authorised", "2025-06-30")] == [buyer]


def test_an_authorised_buyer_is_fine(db: Database, world: World) -> None:
    _sales(world, "acetone")
    world.load(db)
    assert run(db, "counterparty_not_authorised", "2025-06-30") == []


def test_the_chemicals_are_listed_in_order(db: Database, world: World) -> None:
    """The list is part of the alert's identity: every engine and every run must spell it alike."""
    seller, buyer = world.operator(1), world.operator(2, "textile")
    for day, chemical in zip(("2025-03-03", "2025-03-10", "2025-03-17", "2025-03-24", "2025-03-31"),
                             ("toluene", "acetone", "xylene", "hexane", "methanol"), strict=True):
        world.sale(seller, buyer, 100, day, chemical=chemical)
    world.load(db)
    [f] = run(db, "counterparty_not_authorised", "2025-06-30")
    assert f.detail == "acetone, hexane, methanol, toluene, xylene"
