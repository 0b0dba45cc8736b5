"""shared_identity (shadow): a new firm sharing a phone with an established one, buying from
several suppliers from the start."""

from __future__ import annotations

from tests.detect.cases import World, run
from traza.store import Database

PHONE = "+51 1 555 9876"


def _pair(world: World, suppliers: int) -> tuple[str, str]:
    s1, s2 = world.operator(1), world.operator(2)
    old = world.operator(3, "mining", registered_on="2015-05-01", phone=PHONE)
    # the same number written another way: phones are compared digit by digit
    new = world.operator(4, "mining", registered_on="2025-02-01", phone="(51-1) 555-9876")
    world.sale(s1, old, 1_000, "2025-01-10")
    world.sale(s1, new, 2_000, "2025-02-10")
    world.sale(s2 if suppliers == 2 else s1, new, 2_000, "2025-03-10")
    return old, new


def test_a_new_front_sharing_a_phone_flags_both_firms(db: Database, world: World) -> None:
    old, new = _pair(world, suppliers=2)
    world.load(db)
    found = {f.ruc: f for f in run(db, "shared_identity", "2025-06-30")}
    assert set(found) == {old, new}
    assert found[new].detail == f"phone ({old})"
    assert found[old].detail == f"phone ({new})"
    assert all(f.chemical is None and f.observed == 1 for f in found.values())
    assert len(found[new].evidence) == 2 and len(found[old].evidence) == 1


def test_a_sister_firm_with_its_own_supplier_does_not(db: Database, world: World) -> None:
    _pair(world, suppliers=1)
    world.load(db)
    assert run(db, "shared_identity", "2025-06-30") == []
    assert run(db, "shared_identity", "2025-06-30", min_suppliers=1), "with the bar lowered the same case fires"


def test_every_shared_identifier_is_named_in_order(db: Database, world: World) -> None:
    s1, s2 = world.operator(1), world.operator(2)
    old = world.operator(3, "mining", registered_on="2015-05-01", phone=PHONE, email="compras@andina.pe")
    new = world.operator(4, "mining", registered_on="2025-02-01", phone=PHONE, email="Compras@Andina.pe")
    world.sale(s1, old, 1_000, "2025-01-10")
    world.sale(s1, new, 2_000, "2025-02-10")
    world.sale(s2, new, 2_000, "2025-03-10")
    world.load(db)
    found = {f.ruc: f for f in run(db, "shared_identity", "2025-06-30")}
    assert found[new].detail == f"email, phone ({old})"
    assert found[new].observed == 2
