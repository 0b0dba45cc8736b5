"""Analysts' work: alert triage, snoozes, cases, rule modes and performance; every change is
an event, and no endpoint can alter the audit log."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.api.conftest import VERSIONED, World
from tests.factories import BUYER, SELLER


def post(world: World, who: str, path: str, body: dict[str, object] | None = None, status: int = 200) -> dict:  # type: ignore[type-arg]
    """A request as a client makes it: a state change sends the version it read."""
    r = world.client.post(path, headers=world.as_(who), json=world.versioned(path, body) if VERSIONED.match(path) else body or {})
    assert r.status_code == status, r.text
    return dict(r.json()) if isinstance(r.json(), dict) else {"items": r.json()}


def get(world: World, who: str, path: str, **params: object) -> object:
    r = world.client.get(path, headers=world.as_(who), params=params)
    assert r.status_code == 200, r.text
    return r.json()


def test_alert_triage(world: World) -> None:
    for i in range(3):
        world.alert(f"A-{i}", severity=("low", "high", "critical")[i])
    world.alert("S-1", ruc=SELLER)
    assert {a["alert_id"] for a in get(world, "analyst", "/v1/alerts")} == {"A-0", "A-1", "A-2", "S-1"}
    assert [a["alert_id"] for a in get(world, "analyst", "/v1/alerts", severity="critical")] == ["A-2"]
    post(world, "supervisor", "/v1/alerts/A-1/assign", {"assignee": "analyst"})
    assert [a["alert_id"] for a in get(world, "analyst", "/v1/alerts", assignee="analyst")] == ["A-1"]
    post(world, "supervisor", "/v1/alerts/A-1/assign", {"assignee": "auditor"}, status=422)
    # Close -> approval; a rejected closure reopens; a supervisor's close is final.
    assert post(world, "analyst", "/v1/alerts/A-1/close", {"outcome": "useful"})["status"] == "pending_approval"
    post(world, "analyst", "/v1/alerts/A-1/close", {"outcome": "useful"}, status=409)
    assert post(world, "supervisor", "/v1/alerts/A-1/reject", {"note": "look again"})["status"] == "open"
    # No outcome, and a false positive without a note saying why, are refused naming the field.
    for body, field in (({}, "outcome"), ({"outcome": "false_positive"}, "note"),
                        ({"outcome": "false_positive", "note": "  "}, "note")):
        refused = world.client.post("/v1/alerts/A-1/close", headers=world.as_("analyst"),
                                    json=world.versioned("/v1/alerts/A-1/close", body))
        assert refused.status_code == 422 and field in {d["field"] for d in refused.json()["error"]["details"]}, refused.text
    post(world, "analyst", "/v1/alerts/A-1/close", {"outcome": "false_positive", "note": "licensed importer"})
    assert post(world, "supervisor", "/v1/alerts/A-1/approve")["status"] == "closed"
    assert post(world, "supervisor", "/v1/alerts/A-2/close", {"outcome": "confirmed_diversion"})["status"] == "closed"
    post(world, "supervisor", "/v1/alerts/A-0/approve", status=409)
    detail = get(world, "auditor", "/v1/alerts/A-1")
    assert isinstance(detail, dict) and detail["outcome"] == "false_positive"
    assert [h["action"] for h in detail["history"]] == ["assign", "close", "reject_close", "close", "approve_close"]
    # Snooze hides an operator's alerts until the day; lifting brings them back.
    until = (date.today() + timedelta(days=7)).isoformat()
    post(world, "analyst", "/v1/snoozes", {"ruc": SELLER, "until": until, "reason": "audited"}, status=201)
    assert "S-1" not in {a["alert_id"] for a in get(world, "analyst", "/v1/alerts")}
    assert "S-1" in {a["alert_id"] for a in get(world, "analyst", "/v1/alerts", include_snoozed=True)}
    post(world, "analyst", f"/v1/snoozes/{SELLER}/lift")
    assert "S-1" in {a["alert_id"] for a in get(world, "analyst", "/v1/alerts")}
    # Performance from outcomes.
    perf = get(world, "auditor", "/v1/rules/performance", since=date.today().isoformat(), until=date.today().isoformat())
    assert perf == [{"rule": "quota_exceeded", "hits": 4, "operators": 2, "shadow_hits": 0, "closed": 2,
                     "false_positive": 1, "useful": 0, "confirmed_diversion": 1, "true_positive": 1,
                     "precision": 0.5, "precision_confirmed": 0.5}]


def test_case_workflow(world: World) -> None:
    world.alert("A-1")
    world.alert("A-2")
    case = post(world, "analyst", "/v1/cases", {"title": "Minera Andina", "alert_ids": ["A-1"], "note": "start"}, 201)
    cid = case["case_id"]
    assert case["status"] == "open" and case["alerts"] == ["A-1"]
    post(world, "analyst", "/v1/cases", {"title": "x", "alert_ids": ["nope"]}, status=404)
    assert post(world, "analyst", f"/v1/cases/{cid}/alerts", {"alert_ids": ["A-2"]})["alerts"] == ["A-1", "A-2"]
    assert post(world, "analyst", f"/v1/cases/{cid}/alerts/A-1/remove")["alerts"] == ["A-2"]
    post(world, "analyst", f"/v1/cases/{cid}/notes", {"text": "called the buyer"})
    post(world, "analyst", f"/v1/cases/{cid}/status", {"status": "closed"}, status=409)
    out = post(world, "analyst", f"/v1/cases/{cid}/referral", {"to": "police", "note": "DIRANDRO"})
    assert out["status"] == "referred" and out["referral"] == "police"
    # Asking for closure names the outcome and says why (422 naming the field otherwise).
    for body, field in (({"status": "closure_requested", "note": "done"}, "outcome"),
                        ({"status": "closure_requested", "outcome": "referred"}, "note")):
        r = world.client.post(f"/v1/cases/{cid}/status", headers=world.as_("analyst"),
                              json=world.versioned(f"/v1/cases/{cid}/status", body))
        assert r.status_code == 422 and field in {d["field"] for d in r.json()["error"]["details"]}, r.text
    asked = post(world, "analyst", f"/v1/cases/{cid}/status",
                 {"status": "closure_requested", "outcome": "referred", "note": "DIRANDRO took it"})
    assert asked["outcome"] == "referred" and asked["history"][-1]["note"] == "DIRANDRO took it"
    post(world, "analyst", f"/v1/cases/{cid}/status", {"status": "closed"}, status=409)
    post(world, "supervisor", f"/v1/cases/{cid}/assign", {"assignee": "analyst"})
    out = post(world, "supervisor", f"/v1/cases/{cid}/status", {"status": "closed", "close_alerts": True})
    assert out["status"] == "closed" and out["assignee"] == "analyst" and out["outcome"] == "referred"
    assert [n["text"] for n in out["notes"]] == ["start", "called the buyer"]
    alert = get(world, "analyst", "/v1/alerts/A-2")
    assert isinstance(alert, dict) and alert["cases"] == [cid]
    assert (alert["status"], alert["outcome"]) == ("closed", "useful")  # referred → useful
    assert get(world, "analyst", "/v1/alerts/A-1")["status"] == "open"  # type: ignore[index]  # no longer in it
    assert get(world, "analyst", "/v1/cases", status="closed")[0]["outcome"] == "referred"  # type: ignore[index]


def test_rule_mode(world: World) -> None:
    rules = get(world, "analyst", "/v1/rules")
    assert isinstance(rules, list) and rules
    rid = rules[0]["id"]
    out = post(world, "supervisor", f"/v1/rules/{rid}/mode", {"shadow": True, "reason": "backtest first"})
    assert out["shadow"] is True and out["mode_set_by"] == "staff:supervisor"


def test_every_change_is_an_event(world: World) -> None:
    world.alert("A-1")
    post(world, "supervisor", "/v1/alerts/A-1/assign", {"assignee": "analyst"})
    post(world, "analyst", "/v1/cases", {"title": "t", "alert_ids": ["A-1"]}, 201)
    post(world, "registrar", f"/v1/registry/operators/{BUYER}/status", {"status": "suspended"})
    post(world, "admin", "/v1/users", {"username": "newbie", "role": "analyst", "password": "a long enough pw"}, 201)
    events = get(world, "auditor", "/v1/audit/events", limit=50)
    assert isinstance(events, list)
    actions = [e["action"] for e in events]
    for action in ("alert.assign", "case.open", "case.add_alert", "registry.operator.suspended", "user.create",
                   "api_key.issue"):
        assert action in actions
    by = {e["action"]: e["actor"] for e in events}
    assert by["registry.operator.suspended"] == "staff:registrar" and by["alert.assign"] == "staff:supervisor"
    # Passwords and key secrets never reach the log.
    text = str(events)
    assert "a long enough pw" not in text and "argon2" not in text
    assert all(k.split("_", 2)[2] not in text for k in world.keys.values())


def test_audit_log_cannot_be_altered(world: World) -> None:
    world.alert("A-1")
    post(world, "supervisor", "/v1/alerts/A-1/assign", {"assignee": "analyst"})
    before = get(world, "auditor", "/v1/audit/events", limit=1000)
    # No operation of the API updates or deletes: only GET and POST exist, and no POST
    # addresses the log.
    spec = world.app.openapi()
    methods = {m for ops in spec["paths"].values() for m in ops}
    assert methods <= {"get", "post"}
    assert [m for m in spec["paths"].get("/v1/audit/events", {})] == ["get"]
    for who in ("auditor", "admin", "supervisor"):
        for method in ("DELETE", "PUT", "PATCH", "POST"):
            r = world.client.request(method, "/v1/audit/events", headers=world.as_(who), json={"actor": "x"})
            assert r.status_code == 405 and r.json()["error"]["code"] == "method_not_allowed"
            r = world.client.request(method, f"/v1/audit/events/{before[0]['event_id']}", headers=world.as_(who))
            assert r.status_code in (404, 405)
    assert get(world, "auditor", "/v1/audit/events", limit=1000) == before


@pytest.mark.postgres
def test_postgres_refuses_edits_of_the_log(pg_schema: str) -> None:
    from tests.conftest import pg_url
    from traza.cases.audit import record
    from traza.store import open_database

    with open_database(pg_url(pg_schema)) as db:
        record(db, "staff:x", "test", "t", "1")
        for sql in ("UPDATE events SET actor = 'y'", "DELETE FROM events", "TRUNCATE events",
                    "DELETE FROM alert_log", "UPDATE staff_user_versions SET role = 'admin'"):
            with pytest.raises(Exception, match="append-only"):
                db.execute(sql)
        assert db.scalar("SELECT actor FROM events") == "staff:x"
