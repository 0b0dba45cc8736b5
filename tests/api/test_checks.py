"""The sale check through the API: each reason from real registry, ledger and alert facts."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.api.conftest import World
from tests.factories import BUYER, SELLER, THIRD, UNREGISTERED
from traza.api.limits import RateLimiter
from traza.core.geo import default_geography

TODAY = date.today()
ZONE_UBIGEO = sorted(z.ubigeo for z in default_geography().zones if z.zone == "VRAEM")[0]


def check(world: World, **over: Any) -> dict[str, Any]:
    body = {"seller_ruc": SELLER, "buyer_ruc": BUYER, "buyer_establishment": "0000",
            "chemical": "sulfuric_acid", "quantity": 100, "unit": "kg", **over}
    body = {k: v for k, v in body.items() if v is not None}
    r = world.client.post("/v1/checks/sale", headers=world.as_("seller"), json=body)
    assert r.status_code == 200, r.text
    out: dict[str, Any] = r.json()
    out["codes"] = {x["code"] for x in out["reasons"]}
    return out


def registrar(world: World, path: str, body: dict[str, Any], status: int = 201) -> dict[str, Any]:
    r = world.client.post(path, headers=world.as_("registrar"), json=world.versioned(path, body))
    assert r.status_code == status, r.text
    return dict(r.json())


def test_allow_with_quota(world: World) -> None:
    out = check(world)
    assert out["decision"] == "allow" and out["reasons"] == []
    # The buyer's quota is not the seller's business; the record keeps it for staff.
    assert not {"quota_kg", "quota_used_kg", "quota_remaining_kg", "zone_used_kg"} & set(out)
    rows = {r["check_id"]: r for r in world.client.get("/v1/checks", headers=world.as_("auditor")).json()}
    assert rows[out["check_id"]]["quota_remaining_kg"] == 200000
    assert out["destination_ubigeo"] == "040101" and out["zone"] is None
    # Litres convert by density (sulfuric acid 1.84 kg/L).
    assert abs(check(world, quantity=10, unit="l")["quantity_kg"] - 18.4) < 1e-9


def test_buyer_reasons(world: World) -> None:
    assert "buyer_not_registered" in check(world, buyer_ruc=UNREGISTERED, buyer_establishment=None,
                                           destination_ubigeo="150101")["codes"]
    out = check(world, buyer_ruc=THIRD)
    assert out["decision"] == "block" and "buyer_not_authorised" in out["codes"]
    registrar(world, f"/v1/registry/operators/{BUYER}/status", {"status": "suspended", "reason": "inspection"}, 200)
    out = check(world)
    assert out["decision"] == "block" and "buyer_inactive" in out["codes"]
    registrar(world, f"/v1/registry/operators/{BUYER}/status", {"status": "active"}, 200)
    assert check(world)["decision"] == "allow"
    history = world.client.get(f"/v1/registry/operators/{BUYER}/history", headers=world.as_("analyst")).json()
    assert [h["summary"] for h in history if h["record"] == "operator"] == ["active", "suspended", "active"]


def test_seller_reasons(world: World) -> None:
    out = check(world, chemical="kerosene", quantity=10)
    assert out["decision"] == "block" and {"seller_not_authorised", "buyer_not_authorised"} <= out["codes"]
    # A revoked seller's key no longer works at all (tests/api/test_checks_need_to_know.py).


def test_quota_used_from_declarations(world: World) -> None:
    registrar(world, "/v1/registry/authorisations", {
        "ruc": BUYER, "chemical": "sulfuric_acid", "activities": ["buy", "use"], "annual_quota_kg": 1000,
        "valid_from": date(TODAY.year, 1, 1).isoformat()})
    assert check(world)["decision"] == "allow"
    r = world.client.post("/v1/declarations/batch", headers=world.as_("buyer"), json={"movements": [
        {"declaration_id": "Q-1", "establishment_code": "0000", "date": TODAY.isoformat(), "type": "purchase",
         "chemical": "sulfuric_acid", "quantity": 850, "unit": "kg", "counterparty_ruc": SELLER}]})
    assert r.status_code == 200 and r.json()["status"] == "accepted", r.text
    out = check(world, quantity=100)
    assert out["decision"] == "review" and "quota_nearly_used" in out["codes"]
    out = check(world, quantity=200)
    assert out["decision"] == "block" and "quota_exceeded" in out["codes"]
    # Whether the quantity fits is told; the buyer's quota, use and remainder are not.
    told = " ".join(x["message"] for x in out["reasons"])
    assert not any(figure in told for figure in ("1,000", "1000", "850", "150"))


def test_zone_limit(world: World) -> None:
    out = check(world, buyer_establishment=None, destination_ubigeo=ZONE_UBIGEO, quantity=100)
    assert out["zone"] == "VRAEM" and out["zone_limit_kg"] == 500
    assert {"zone_delivery", "destination_not_establishment"} <= out["codes"] and out["decision"] == "review"
    r = world.client.post("/v1/declarations/batch", headers=world.as_("seller"), json={"movements": [
        {"declaration_id": "Z-1", "establishment_code": "0000", "date": TODAY.isoformat(), "type": "sale",
         "chemical": "sulfuric_acid", "quantity": 450, "unit": "kg", "counterparty_ruc": BUYER,
         "destination_ubigeo": ZONE_UBIGEO}]})
    assert r.json()["status"] == "accepted", r.text
    out = check(world, buyer_establishment=None, destination_ubigeo=ZONE_UBIGEO, quantity=100)
    assert out["decision"] == "block" and "zone_limit_exceeded" in out["codes"]
    assert "zone_used_kg" not in out and "450" not in str(out["reasons"])  # another seller's deliveries
    # Cement is controlled only toward the zones.
    out = check(world, chemical="cement", buyer_establishment=None, destination_ubigeo="150101", quantity=1)
    assert out["decision"] == "allow" and out["codes"] == {"not_controlled_here"}


def test_establishment_reasons(world: World) -> None:
    assert "establishment_unknown" in check(world, buyer_establishment="0042")["codes"]
    assert "destination_not_establishment" in check(world, destination_ubigeo="150101")["codes"]


def test_alerts_against_the_buyer(world: World) -> None:
    world.alert("A-1", severity="critical")
    world.alert("A-shadow", shadow=True)
    out = check(world)
    # Weighed, never told: the seller sees only that the registry asks for a review.
    assert out["decision"] == "review" and out["codes"] == {"registry_review"}
    assert "critical" not in str(out) and "alert" not in str(out)
    c = world.client
    r = c.post("/v1/alerts/A-1/close", headers=world.as_("analyst"),
               json=world.versioned("/v1/alerts/A-1/close", {"outcome": "confirmed_diversion"}))
    assert r.json()["status"] == "pending_approval"
    assert "registry_review" in check(world)["codes"]  # not closed until a supervisor approves
    approve = world.versioned("/v1/alerts/A-1/approve")
    assert c.post("/v1/alerts/A-1/approve", headers=world.as_("supervisor"), json=approve).json()["status"] == "closed"
    out = check(world)
    assert out["decision"] == "block" and out["codes"] == {"registry_block"}
    assert "diversion" not in str(out)
    # Staff read the true reasons in the record.
    rows = {r["check_id"]: r for r in c.get("/v1/checks", headers=world.as_("auditor")).json()}
    assert rows[out["check_id"]]["reasons"] == ["confirmed_diversion"]


def test_every_check_is_recorded_with_what_followed(world: World) -> None:
    blocked = check(world, buyer_ruc=THIRD)
    allowed = check(world)
    world.client.post("/v1/declarations/batch", headers=world.as_("seller"), json={"movements": [
        {"declaration_id": "F-1", "establishment_code": "0000", "date": TODAY.isoformat(), "type": "sale",
         "chemical": "sulfuric_acid", "quantity": 100, "unit": "kg", "counterparty_ruc": THIRD,
         "destination_ubigeo": "150103"}]})
    rows = {r["check_id"]: r for r in world.client.get("/v1/checks", headers=world.as_("auditor")).json()}
    assert rows[blocked["check_id"]]["decision"] == "block"
    assert rows[blocked["check_id"]]["sale_movement_id"] is not None  # a block followed by a sale
    assert rows[allowed["check_id"]]["sale_movement_id"] is None  # a check never followed by one
    assert rows[blocked["check_id"]]["reasons"] == ["buyer_not_authorised"]


def test_invalid_checks_say_why(world: World) -> None:
    c = world.client
    base = {"seller_ruc": SELLER, "buyer_ruc": BUYER, "buyer_establishment": "0000", "quantity": 1}
    r = c.post("/v1/checks/sale", headers=world.as_("seller"), json={**base, "chemical": "unobtainium", "unit": "kg"})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "chemical"
    r = c.post("/v1/checks/sale", headers=world.as_("seller"),
               json={**base, "chemical": "potassium_permanganate", "unit": "l"})
    assert r.status_code == 422 and "mass" in r.json()["error"]["message"]
    r = c.post("/v1/checks/sale", headers=world.as_("seller"), json={**base, "chemical": "acetone", "unit": "kg",
                                                                     "buyer_establishment": None})
    assert r.status_code == 422 and "where the goods go" in r.json()["error"]["message"]
    r = c.post("/v1/checks/sale", headers=world.as_("seller"),
               json={**base, "buyer_ruc": BUYER[:-1] + "0", "chemical": "acetone", "unit": "kg"})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "buyer_ruc"


def test_rate_limit_per_operator(world: World) -> None:
    """A second key of the same operator shares the first one's bucket (issue 16: operators
    could mint keys to multiply their rate)."""
    world.app.state.traza.limiter = RateLimiter(per_minute=1, burst=2)
    check(world)
    check(world)
    r = world.client.post("/v1/me/keys", headers=world.as_("seller"), json={"label": "second till"})
    assert r.status_code == 201, r.text
    r = world.client.post("/v1/checks/sale", headers={"X-API-Key": r.json()["api_key"]}, json={
        "seller_ruc": SELLER, "buyer_ruc": BUYER, "buyer_establishment": "0000", "chemical": "sulfuric_acid",
        "quantity": 1, "unit": "kg"})
    assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1
    assert r.json()["error"]["code"] == "rate_limited"
