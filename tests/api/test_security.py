"""Security of the service: headers on every answer, login throttling and lockout, secrets
never in logs, and an audit record for every change."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import PASSWORD, VERSIONED, World
from tests.api.conftest import test_settings as settings_for
from tests.factories import BUYER, SELLER, make_ruc
from traza.api import create_app
from traza.cases.audit import now
from traza.service import throttle
from traza.service.keys import split_api_key

# --- headers --------------------------------------------------------------------------------


def test_security_headers_on_every_answer(world: World) -> None:
    c = world.client
    answers = [c.get("/v1/health"), c.get("/v1/alerts"), c.get("/v1/no-such-route"),
               c.post("/v1/auth/login", json={}), c.get("/v1/openapi.json"),
               c.post("/v1/declarations/files", headers={**world.as_("seller"), "Content-Length": str(10**9)}),
               c.get("/v1/alerts", headers=world.as_("analyst"))]
    assert {a.status_code for a in answers} >= {200, 401, 404, 413, 422}
    for a in answers:
        csp = a.headers.get("content-security-policy", "")
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, a.request.url
        assert "unsafe-inline" not in csp
        assert a.headers["x-content-type-options"] == "nosniff"
        assert a.headers["x-frame-options"] == "DENY"
        assert a.headers["referrer-policy"] == "no-referrer"
        assert "strict-transport-security" not in a.headers  # development: plain HTTP on a laptop


def test_hsts_outside_development(db_url: str) -> None:
    app = create_app(settings_for(db_url, env="production", secret_key="s" * 40))
    with TestClient(app) as client:
        r = client.get("/v1/health")
    assert r.headers["strict-transport-security"].startswith("max-age=31536000")


def test_api_docs_load_nothing_from_the_network(world: World) -> None:
    """/v1/docs is Swagger UI from the package's own files: every script, style and image it
    names is on this server and answers 200; its looser policy still allows this origin only."""
    import re

    page = world.client.get("/v1/docs")
    assert page.status_code == 200
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets), assets
    for asset in assets:
        assert asset.startswith("/"), f"the docs page loads {asset} from elsewhere"
        assert world.client.get(asset).status_code == 200, asset
    assert "http" not in page.headers["content-security-policy"]
    assert world.client.get("/v1/docs/oauth2-redirect").status_code == 200


# --- login throttling -----------------------------------------------------------------------


def _login(world: World, username: str, password: str) -> Any:
    return world.client.post("/v1/auth/login", json={"username": username, "password": password})


def test_lockout_after_repeated_failures(world: World) -> None:
    for _ in range(throttle.MAX_FAILURES):
        assert _login(world, "analyst", "wrong password!").status_code == 401
    locked = _login(world, "analyst", PASSWORD)  # right password, but locked now
    assert locked.status_code == 429
    assert 0 < int(locked.headers["retry-after"]) <= throttle.LOCKOUT.total_seconds()
    assert "try again" in locked.json()["error"]["message"]
    assert _login(world, "supervisor", PASSWORD).status_code == 200  # another account is unaffected
    # A name that does not exist locks the same way (a lockout reveals nothing).
    for _ in range(throttle.MAX_FAILURES):
        assert _login(world, "ghost", "wrong password!").status_code == 401
    assert _login(world, "ghost", "wrong password!").status_code == 429


def _fail(db: Any, name: str, client: str, at: datetime) -> int:
    """One wrong password as the login routes handle it: counted, then settled as a failure."""
    wait = throttle.admit(db, name, client, at)
    if not wait:
        throttle.settle(db, name, client, False, at)
    return wait


def test_lockout_expires_and_success_resets(db_url: str, world: World) -> None:
    t = now()
    with world.db() as db:
        for i in range(throttle.MAX_FAILURES - 1):
            assert _fail(db, "auditor", "10.0.0.1", t + timedelta(seconds=i)) == 0
        assert throttle.admit(db, "auditor", "10.0.0.1", t + timedelta(seconds=6)) == 0
        throttle.settle(db, "auditor", "10.0.0.1", True, t + timedelta(seconds=6))
        assert _fail(db, "auditor", "10.0.0.1", t + timedelta(seconds=7)) == 0  # success reset it
        for i in range(throttle.MAX_FAILURES - 1):
            assert _fail(db, "auditor", "10.0.0.1", t + timedelta(seconds=10 + i)) == 0
        wait = throttle.admit(db, "auditor", "10.0.0.1", t + timedelta(seconds=20))
        assert 0 < wait <= throttle.LOCKOUT.total_seconds()
        # Refused attempts do not lengthen the lock: it runs from the last one admitted (13 s).
        later = t + timedelta(seconds=13) + throttle.LOCKOUT + timedelta(seconds=1)
        assert throttle.admit(db, "auditor", "10.0.0.1", later - timedelta(seconds=2)) > 0
        assert throttle.admit(db, "auditor", "10.0.0.1", later) == 0


def test_one_client_spraying_many_names_is_held_back(world: World) -> None:
    t = now()
    with world.db() as db:
        for i in range(throttle.MAX_PER_CLIENT):
            assert _fail(db, f"name{i}", "10.9.9.9", t) == 0
        assert throttle.admit(db, "someone-new", "10.9.9.9", t) > 0
        assert throttle.admit(db, "someone-new", "10.9.9.8", t) == 0


# --- secrets never in logs ------------------------------------------------------------------


def test_passwords_and_keys_never_logged(world: World, caplog: pytest.LogCaptureFixture) -> None:
    c = world.client
    caplog.set_level(logging.DEBUG)
    new_password = "another long secret 1234"
    assert _login(world, "admin", PASSWORD).status_code == 200
    assert _login(world, "admin", "wrong but secret pw").status_code == 401
    r = c.post("/v1/users", headers=world.as_("admin"),
               json={"username": "newbie", "role": "analyst", "password": new_password})
    assert r.status_code == 201, r.text
    issued = c.post(f"/v1/registry/operators/{BUYER}/keys", headers=world.as_("registrar"), json={"label": "x"})
    token = issued.json()["api_key"]
    assert c.get("/v1/me", headers={"X-API-Key": token}).status_code == 200
    assert c.get("/v1/me", headers={"X-API-Key": token + "x"}).status_code == 401
    mine = c.post("/v1/me/keys", headers=world.as_("seller"), json={"label": "y"}).json()["api_key"]
    # The secret part of a key (its id is public): split as the service splits it, since the
    # secret itself may contain "_" (splitting at the last one made a one-letter "secret").
    secret_part = split_api_key(token)
    assert secret_part is not None
    secrets = [PASSWORD, new_password, "wrong but secret pw", token, secret_part[1], mine,
               world.keys["seller"], world.tokens["admin"]]
    with world.db() as db:
        audit = " ".join(str(r) for r in db.query("SELECT actor, action, subject_id, payload FROM events"))
    logged = caplog.text
    assert logged.strip() or audit, "nothing was captured: the test would prove nothing"
    for s in secrets:
        assert s not in logged, "a secret reached the logs"
        assert s not in audit, "a secret reached the audit log"


# --- every change is audited ----------------------------------------------------------------

Call = Callable[[dict[str, Any]], tuple[str, dict[str, Any]]]
NEW = make_ruc(50)
MOVE = {"establishment_code": "0000", "date": "2025-02-01", "type": "consumption", "chemical": "sulfuric_acid",
        "quantity": 5, "unit": "kg"}
UPLOAD = (f"declarant_ruc,establishment_code,date,type,chemical,quantity,unit,declaration_id\n"
          f"{SELLER},0000,2025-02-02,consumption,sulfuric_acid,3,kg,AU-1\n").encode()


def _j(path: str, body: dict[str, Any] | None = None) -> Call:
    return lambda ctx: (path.format(**ctx),
                        {"json": {k: v.format(**ctx) if isinstance(v, str) else v for k, v in (body or {}).items()}})


def _a_vessel_call(world: World, folder: Path) -> dict[str, str]:
    """Load the ports scenario's manifests: a vessel call with containers to list and inspect."""
    from tests.ports import scenario
    from traza.ports.load import load_file

    with world.db() as db:
        load_file(db, scenario.write(folder)["manifests"])
        call, box = db.query("SELECT m.call_id, min(e.container_no) FROM port_equipment e JOIN port_manifests_current m "
                             "ON m.manifest_id = e.manifest_id GROUP BY m.call_id ORDER BY 1 LIMIT 1")[0]
    return {"call": quote(call, safe=""), "box": box}


# In order: later calls use what earlier ones made (ctx). Every state-changing route needs an
# example here, so a new one cannot slip in without its audit check.
EXAMPLES: list[tuple[str, str, Call]] = [
    ("login", "anonymous", _j("/v1/auth/login", {"username": "admin", "password": PASSWORD})),
    ("submit_declaration_file", "seller",
     lambda ctx: ("/v1/declarations/files", {"files": {"file": ("au.csv", UPLOAD, "text/csv")}})),
    ("submit_declaration_batch", "seller", _j("/v1/declarations/batch", {"movements": [{**MOVE, "declaration_id": "AU-2"}]})),
    ("create_my_key", "seller", _j("/v1/me/keys", {"label": "spare"})),
    ("revoke_my_key", "seller", _j("/v1/me/keys/{my_key}/revoke")),
    ("check_sale", "seller", _j("/v1/checks/sale", {"seller_ruc": SELLER, "buyer_ruc": BUYER, "buyer_establishment": "0000",
                                                    "chemical": "sulfuric_acid", "quantity": 1, "unit": "kg"})),
    ("assign_alert", "supervisor", _j("/v1/alerts/A-1/assign", {"assignee": "analyst"})),
    ("close_alert", "analyst", _j("/v1/alerts/A-1/close", {"outcome": "useful"})),
    ("reject_alert_closure", "supervisor", _j("/v1/alerts/A-1/reject")),
    ("close_alert", "analyst", _j("/v1/alerts/A-1/close", {"outcome": "useful"})),
    ("approve_alert_closure", "supervisor", _j("/v1/alerts/A-1/approve")),
    ("reopen_alert", "supervisor", _j("/v1/alerts/A-1/reopen")),
    ("snooze_operator", "analyst", _j("/v1/snoozes", {"ruc": BUYER, "until": str(date.today() + timedelta(days=30))})),
    ("lift_snooze", "analyst", _j(f"/v1/snoozes/{BUYER}/lift")),
    ("create_case", "analyst", _j("/v1/cases", {"title": "t", "alert_ids": ["A-2"]})),
    ("add_case_alerts", "analyst", _j("/v1/cases/{case}/alerts", {"alert_ids": ["A-3"]})),
    ("remove_case_alert", "analyst", _j("/v1/cases/{case}/alerts/A-3/remove")),
    ("add_case_note", "analyst", _j("/v1/cases/{case}/notes", {"text": "n"})),
    ("set_case_status", "analyst", _j("/v1/cases/{case}/status", {"status": "investigating"})),
    ("refer_case", "analyst", _j("/v1/cases/{case}/referral", {"to": "police"})),
    ("assign_case", "supervisor", _j("/v1/cases/{case}/assign", {"assignee": "analyst"})),
    ("register_operator", "registrar", _j("/v1/registry/operators", {"ruc": NEW, "name": "Nueva SAC", "sector": "mining"})),
    ("set_operator_status", "registrar", _j(f"/v1/registry/operators/{NEW}/status", {"status": "suspended"})),
    ("save_establishment", "registrar", _j("/v1/registry/establishments",
                                           {"ruc": NEW, "establishment_code": "0000", "ubigeo": "150101"})),
    ("save_authorisation", "registrar", _j("/v1/registry/authorisations", {
        "ruc": NEW, "chemical": "sulfuric_acid", "activities": ["buy"], "valid_from": "2025-01-01"})),
    ("issue_operator_key", "registrar", _j(f"/v1/registry/operators/{BUYER}/keys", {"label": "n"})),
    ("revoke_operator_key", "registrar", _j("/v1/registry/keys/{issued_key}/revoke")),
    ("create_user", "admin", _j("/v1/users", {"username": "newbie", "role": "analyst", "password": "x" * 12})),
    ("update_user", "admin", _j("/v1/users/newbie", {"full_name": "N"})),
    ("set_rule_mode", "supervisor", _j("/v1/rules/quota_exceeded/mode", {"shadow": True})),
    ("run_field_checks", "analyst", _j("/v1/field/certificate-checks/run", {"as_of": "2025-06-30"})),
    ("make_inspection_list", "analyst", _j("/v1/ports/calls/{call}/inspection-list", {"seed": 1})),
    ("record_port_inspection", "analyst", _j("/v1/ports/calls/{call}/inspections",
                                             {"container_no": "{box}", "methods": ["k9"], "result": "clean"})),
    ("logout", "auditor", _j("/v1/auth/logout")),  # last: it ends the auditor's token
]
# Where each change is recorded: the audit log, or the append-only records that are their own
# audit trail (a submission names who sent it and when; a sale check is kept whole).
AUDIT_TABLES = ("events", "submissions", "sale_checks")


def _audit_rows(world: World) -> int:
    with world.db() as db:
        return sum(int(db.scalar(f"SELECT count(*) FROM {t}")) for t in AUDIT_TABLES)


def test_every_change_is_audited(world: World, tmp_path: Path) -> None:
    spec = world.app.openapi()
    changing = {op["operationId"] for ops in spec["paths"].values() for m, op in ops.items()
                if m in ("post", "put", "patch", "delete")}
    assert changing <= {e[0] for e in EXAMPLES}, f"no audit example for {changing - {e[0] for e in EXAMPLES}}"
    for alert in ("A-1", "A-2", "A-3"):
        world.alert(alert)
    ctx: dict[str, Any] = _a_vessel_call(world, tmp_path)
    for op, who, make in EXAMPLES:
        path, kwargs = make(ctx)
        if VERSIONED.match(path):  # as a client does: the version it read
            kwargs["json"] = world.versioned(path, kwargs.get("json"))
        before = _audit_rows(world)
        r = world.client.post(path, headers=world.as_(who), **kwargs)
        assert r.status_code < 300, f"{op}: {r.status_code} {r.text[:300]}"
        assert _audit_rows(world) > before, f"{op} changed state without an audit record"
        body = r.json() if r.content else {}
        if op == "create_my_key":
            ctx["my_key"] = body["key_id"]
        elif op == "issue_operator_key":
            ctx["issued_key"] = body["key_id"]
        elif op == "create_case":
            ctx["case"] = body["case_id"]
