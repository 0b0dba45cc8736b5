"""new_operator_burst: a newly registered firm buying several times its sector's monthly
volume from its first months, from several suppliers."""

from __future__ import annotations

import pytest

from tests.detect.cases import World, months, run
from traza.store import Database


def _newcomer(world: World, second_supplier: bool) -> str:
    s1, s2 = world.operator(1), world.operator(2)
    old = world.operator(3, "mining", registered_on="2010-06-01")
    for day in months(2025, 1, 6):
        world.sale(s1, old, 1_000, day)  # the sector's usual month: 1,000 kg
    new = world.operator(4, "mining", registered_on="2025-03-01")
    world.sale(s1, new, 5_000, "2025-03-10")
    world.sale(s2 if second_supplier else s1, new, 5_000, "2025-04-10")
    return new


def test_a_new_firm_buying_five_times_the_norm_from_two_suppliers_fires(db: Database, world: World) -> None:
    new = _newcomer(world, second_supplier=True)
    world.load(db)
    [f] = run(db, "new_operator_burst", "2025-06-30")
    assert (f.ruc, f.chemical, f.detail) == (new, "sulfuric_acid", "2025-03-01")
    assert (f.observed, f.baseline, f.strength) == (pytest.approx(10_000), pytest.approx(1_000), 5)
    assert len(f.evidence) == 2


def test_a_newcomer_courted_by_one_supplier_does_not(db: Database, world: World) -> None:
    _newcomer(world, second_supplier=False)
    world.load(db)
    assert run(db, "new_operator_burst", "2025-06-30") == []
    assert run(db, "new_operator_burst", "2025-06-30", min_suppliers=1), "with the bar lowered the same case fires"
