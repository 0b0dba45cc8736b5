"""Who may call what: every route of the app against every kind of caller.

The table below is the access policy. It must name every route the app has, so a new
endpoint without an access rule fails here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.api.conftest import PASSWORD, ROLES, World
from tests.factories import BUYER, SELLER

OP = "operator"
READ = {"analyst", "supervisor", "auditor"}
WORK = {"analyst", "supervisor"}
SUP = {"supervisor"}
REG = {"registrar"}
REGREAD = {"registrar", "analyst", "supervisor", "auditor"}
PUBLIC = {"anonymous", OP, *ROLES}

POLICY: dict[str, set[str]] = {
    "health": PUBLIC, "login": PUBLIC,
    "whoami": set(ROLES), "logout": set(ROLES),
    "submit_declaration_file": {OP}, "submit_declaration_batch": {OP}, "list_submissions": {OP},
    "get_submission": {OP}, "get_my_profile": {OP}, "list_my_keys": {OP}, "create_my_key": {OP},
    "revoke_my_key": {OP}, "list_my_movements": {OP}, "list_my_balances": {OP}, "check_sale": {OP},
    "list_sale_checks": READ,
    "list_alerts": READ, "get_alert": READ, "assign_alert": SUP, "close_alert": WORK,
    "approve_alert_closure": SUP, "reject_alert_closure": SUP, "reopen_alert": SUP,
    "list_snoozes": READ, "snooze_operator": WORK, "lift_snooze": WORK,
    "list_cases": READ, "create_case": WORK, "get_case": READ, "add_case_alerts": WORK,
    "remove_case_alert": WORK, "add_case_note": WORK, "set_case_status": WORK, "refer_case": WORK,
    "assign_case": SUP,
    "list_operators": REGREAD, "get_operator": REGREAD, "get_operator_history": REGREAD,
    "register_operator": REG, "set_operator_status": REG, "save_establishment": REG,
    "save_authorisation": REG, "list_operator_keys": REG, "issue_operator_key": REG, "revoke_operator_key": REG,
    "list_users": {"admin"}, "create_user": {"admin"}, "update_user": {"admin"},
    "list_audit_events": {"auditor"},
    "verify_audit_chain": {"auditor"},
    "list_rules": READ, "set_rule_mode": SUP, "get_rule_performance": READ,
    "list_field_operations": READ, "list_field_plots": READ, "get_field_tallies": READ,
    "list_field_findings": READ, "run_field_checks": WORK, "list_field_incidents": READ,
    "list_vessel_calls": READ, "make_inspection_list": WORK, "get_inspection_list": READ,
    "get_port_container": READ, "record_port_inspection": WORK, "get_port_stats": READ,
    "report_monthly": REGREAD,
}
PATH_VALUES = {"ruc": BUYER, "alert_id": "no-such-alert", "case_id": "999", "submission_id": "999",
               "key_id": "000000000000", "username": "nobody", "rule_id": "no_such_rule",
               "call_id": "PECLL|NO SUCH|1|export", "container_no": "CSQU3054383"}


@dataclass(frozen=True)
class Route:
    path: str
    method: str
    operation_id: str | None


def routes(world: World) -> list[Route]:
    """Every operation of the app, from its OpenAPI schema (what clients see)."""
    spec = world.app.openapi()
    return [Route(path, method.upper(), op.get("operationId"))
            for path, ops in spec["paths"].items() for method, op in ops.items()]


def call(world: World, route: Route, who: str) -> int:
    path = route.path
    for name, value in PATH_VALUES.items():
        path = path.replace("{" + name + "}", value)
    method = route.method
    kwargs: dict[str, Any] = {"headers": world.as_("seller" if who == OP else who)}
    if route.operation_id == "submit_declaration_file":
        kwargs["files"] = {"file": ("m.csv", b"declarant_ruc\n", "text/csv")}
    elif method == "POST":
        kwargs["json"] = {}
    status = world.client.request(method, path, **kwargs).status_code
    if route.operation_id == "logout" and status == 204:
        relogin(world, who)  # that ended the role's token: the rest of the matrix needs one
    return status


def relogin(world: World, role: str) -> None:
    resp = world.client.post("/v1/auth/login", json={"username": role, "password": PASSWORD})
    assert resp.status_code == 200, resp.text
    world.tokens[role] = resp.json()["access_token"]


def test_every_route_has_an_access_rule(world: World) -> None:
    ids = {r.operation_id for r in routes(world)}
    assert None not in ids, "every route names its operation_id"
    assert ids == set(POLICY), f"routes without a rule: {ids - set(POLICY)}; rules without a route: {set(POLICY) - ids}"
    assert all(r.path.startswith("/v1/") for r in routes(world))
    assert len(ids) == len(routes(world)), "operation ids are unique"


def test_role_by_endpoint_matrix(world: World) -> None:
    failures = []
    for route in routes(world):
        allowed = POLICY[str(route.operation_id)]
        for who in ("anonymous", OP, *ROLES):
            status = call(world, route, who)
            if who in allowed:
                ok = status not in (401, 403) and status < 500
            elif who == "anonymous" or (who == OP) != (OP in allowed and len(allowed) == 1):
                # No credential of the kind the endpoint takes (an operator key on a staff
                # endpoint, a staff token on an operator one): 401.
                ok = status == 401
            else:
                ok = status == 403
            if not ok:
                failures.append(f"{route.operation_id} as {who}: {status}")
    assert not failures, "\n".join(failures)


def test_bad_credentials(world: World) -> None:
    c = world.client
    assert c.get("/v1/me", headers={"X-API-Key": "trz_000000000000_nope"}).status_code == 401
    assert c.get("/v1/me", headers={"X-API-Key": "garbage"}).status_code == 401
    assert c.get("/v1/alerts", headers={"Authorization": "Bearer x.y"}).status_code == 401
    assert c.post("/v1/auth/login", json={"username": "admin", "password": "wrong password!"}).status_code == 401
    forged = world.tokens["analyst"].split(".")[0] + ".AAAA"
    assert c.get("/v1/alerts", headers={"Authorization": f"Bearer {forged}"}).status_code == 401


def test_operator_sees_only_its_own(world: World) -> None:
    c = world.client
    batch = {"movements": [{"establishment_code": "0000", "date": "2025-02-01", "type": "consumption",
                            "chemical": "sulfuric_acid", "quantity": 5, "unit": "kg", "declaration_id": "X-1"}]}
    r = c.post("/v1/declarations/batch", headers=world.as_("seller"), json=batch)
    assert r.status_code == 200, r.text
    sub = r.json()["submission_id"]
    assert c.get(f"/v1/submissions/{sub}", headers=world.as_("seller")).status_code == 200
    assert c.get(f"/v1/submissions/{sub}", headers=world.as_("buyer")).status_code == 404
    assert all(s["submission_id"] != sub for s in c.get("/v1/submissions", headers=world.as_("buyer")).json())
    mine = c.get("/v1/ledger/movements", headers=world.as_("buyer")).json()
    assert mine and all(m["declaration_id"] is None or m["declaration_id"].startswith("B-") for m in mine)
    # Declaring in another operator's name is refused, row by row, naming line and field.
    foreign = {"movements": [{**batch["movements"][0], "declarant_ruc": SELLER, "declaration_id": "X-2"}]}
    r = c.post("/v1/declarations/batch", headers=world.as_("buyer"), json=foreign)
    assert r.status_code == 200 and r.json()["status"] == "rejected", r.text
    assert [(x["line"], x["column"]) for x in r.json()["rejections"]] == [(2, "declarant_ruc")]
    upload = b"declarant_ruc,establishment_code,date,type,chemical,quantity,unit\n" + \
        f"{SELLER},0000,2025-02-01,consumption,sulfuric_acid,5,kg\n".encode()
    r = c.post("/v1/declarations/files", headers=world.as_("buyer"), files={"file": ("m.csv", upload, "text/csv")})
    assert r.status_code == 200 and r.json()["rows_accepted"] == 0, r.text
    [why] = r.json()["rejections"]
    assert (why["line"], why["column"], why["value"]) == (2, "declarant_ruc", SELLER) and "not your RUC" in why["reason"]
    with world.db() as db:
        assert db.scalar("SELECT count(*) FROM movements WHERE declaration_id = 'X-2'") == 0
    check = {"seller_ruc": SELLER, "buyer_ruc": BUYER, "buyer_establishment": "0000",
             "chemical": "sulfuric_acid", "quantity": 1, "unit": "kg"}
    assert c.post("/v1/checks/sale", headers=world.as_("buyer"), json=check).status_code == 403
    # Keys: another operator's key cannot be revoked through /me.
    seller_keys = c.get("/v1/me/keys", headers=world.as_("seller")).json()
    r = c.post(f"/v1/me/keys/{seller_keys[0]['key_id']}/revoke", headers=world.as_("buyer"), json={})
    assert r.status_code == 404


def test_revoked_key_stops_working(world: World) -> None:
    c = world.client
    keys = c.get(f"/v1/registry/operators/{BUYER}/keys", headers=world.as_("registrar")).json()
    assert c.get("/v1/me", headers=world.as_("buyer")).status_code == 200
    r = c.post(f"/v1/registry/keys/{keys[0]['key_id']}/revoke", headers=world.as_("registrar"), json={})
    assert r.status_code == 200 and r.json()["revoked_by"] == "staff:registrar"
    assert c.get("/v1/me", headers=world.as_("buyer")).status_code == 401
    r = c.post(f"/v1/registry/operators/{BUYER}/keys", headers=world.as_("registrar"), json={"label": "new"})
    assert r.status_code == 201
    assert c.get("/v1/me", headers={"X-API-Key": r.json()["api_key"]}).status_code == 200


def test_deactivated_staff_token_stops_working(world: World) -> None:
    c = world.client
    assert c.get("/v1/alerts", headers=world.as_("analyst")).status_code == 200
    r = c.post("/v1/users/analyst", headers=world.as_("admin"), json={"active": False})
    assert r.status_code == 200 and r.json()["active"] is False
    assert c.get("/v1/alerts", headers=world.as_("analyst")).status_code == 401
