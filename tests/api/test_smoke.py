from __future__ import annotations

from tests.api.conftest import World
from tests.factories import BUYER, SELLER


def test_smoke(world: World) -> None:
    c = world.client
    r = c.get("/v1/health")
    assert r.status_code == 200, r.text
    r = c.post("/v1/checks/sale", headers=world.as_("seller"), json={
        "seller_ruc": SELLER, "buyer_ruc": BUYER, "buyer_establishment": "0000", "chemical": "sulfuric_acid",
        "quantity": 100, "unit": "kg"})
    assert r.status_code == 200, r.text
    print(r.json())
    r = c.get("/v1/checks", headers=world.as_("analyst"))
    assert r.status_code == 200, r.text
    print(r.json())
