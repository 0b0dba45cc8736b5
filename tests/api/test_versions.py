"""No lost updates (issue 16, finding 8): alert, case and registry changes name the version
they were decided on; of simultaneous changes made on one version exactly one is kept and
the others get 409 saying what the subject is now. Real HTTP through the app, on DuckDB and
PostgreSQL, with the requests released together by a barrier."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.api.conftest import World
from tests.factories import BUYER

OUTCOMES = ("confirmed_diversion", "false_positive", "useful")


def race(world: World, requests: list[tuple[str, str, dict[str, Any]]]) -> list[httpx.Response]:
    """Send (who, path, body) requests at once, one thread each; answers in request order."""
    gate = threading.Barrier(len(requests))
    out: list[httpx.Response | None] = [None] * len(requests)

    def send(i: int, who: str, path: str, body: dict[str, Any]) -> None:
        gate.wait()
        out[i] = world.client.post(path, headers=world.as_(who), json=body)

    threads = [threading.Thread(target=send, args=(i, *r)) for i, r in enumerate(requests)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert all(r is not None for r in out)
    return [r for r in out if r is not None]


def one_winner(answers: list[httpx.Response]) -> int:
    """Exactly one 200, every other a 409 naming the version; returns the winner's index."""
    codes = [r.status_code for r in answers]
    assert codes.count(200) == 1 and codes.count(409) == len(codes) - 1, [(r.status_code, r.text[:200]) for r in answers]
    for r in answers:
        if r.status_code == 409:
            error = r.json()["error"]
            assert error["code"] == "conflict" and "changed since version" in error["message"]
            assert {d["field"] for d in error["details"]} == {"version", "status", "changed_by", "changed_at"}
    return codes.index(200)


def get(world: World, path: str, who: str = "auditor") -> dict[str, Any]:
    r = world.client.get(path, headers=world.as_(who))
    assert r.status_code == 200, r.text
    return dict(r.json())


@pytest.mark.parametrize("n", [4, 8])
def test_simultaneous_closes_of_one_alert_keep_exactly_one(world: World, n: int) -> None:
    world.alert("A-1")
    v = get(world, "/v1/alerts/A-1")["version"]
    closes = [("supervisor", "/v1/alerts/A-1/close", {"outcome": OUTCOMES[i % 3], "note": "why", "version": v})
              for i in range(n)]
    winner = one_winner(race(world, closes))
    alert = get(world, "/v1/alerts/A-1")
    # The stored outcome is the winner's, and the history holds one closure only.
    assert alert["status"] == "closed" and alert["outcome"] == closes[winner][2]["outcome"]
    assert [h["action"] for h in alert["history"]] == ["approve_close"]
    assert alert["version"] == alert["history"][-1]["event_id"]


def test_approve_and_reject_of_one_alert_closure_exactly_one_wins(world: World) -> None:
    world.alert("A-1")
    r = world.client.post("/v1/alerts/A-1/close", headers=world.as_("analyst"),
                          json={"outcome": "confirmed_diversion", "version": 0})
    assert r.status_code == 200 and r.json()["status"] == "pending_approval", r.text
    v = r.json()["version"]
    answers = race(world, [("supervisor", f"/v1/alerts/A-1/{a}", {"version": v}) for a in ("approve", "reject") * 2])
    winner = one_winner(answers)
    alert = get(world, "/v1/alerts/A-1")
    assert alert["status"] == ("closed" if winner % 2 == 0 else "open")
    assert len(alert["history"]) == 2


def test_approve_and_reject_of_one_case_closure_exactly_one_wins(world: World) -> None:
    case = world.client.post("/v1/cases", headers=world.as_("analyst"), json={"title": "t"}).json()
    path = f"/v1/cases/{case['case_id']}/status"
    asked = world.client.post(path, headers=world.as_("analyst"),
                              json={"status": "closure_requested", "outcome": "no_diversion", "note": "nothing",
                                    "version": case["version"]})
    assert asked.status_code == 200, asked.text
    v = asked.json()["version"]
    targets = ["closed", "investigating"] * 3
    winner = one_winner(race(world, [("supervisor", path, {"status": s, "note": "why", "version": v}) for s in targets]))
    after = get(world, f"/v1/cases/{case['case_id']}")
    assert after["status"] == targets[winner]
    assert [h["value"] for h in after["history"] if h["action"] == "status"] == ["closure_requested", targets[winner]]


def test_simultaneous_registry_status_changes_keep_exactly_one(world: World) -> None:
    v = get(world, f"/v1/registry/operators/{BUYER}", "registrar")["version"]
    statuses = ["suspended", "revoked", "suspended", "revoked"]
    answers = race(world, [("registrar", f"/v1/registry/operators/{BUYER}/status", {"status": s, "version": v})
                           for s in statuses])
    winner = one_winner(answers)
    after = get(world, f"/v1/registry/operators/{BUYER}", "registrar")
    assert after["status"] == statuses[winner] and after["version"] == answers[winner].json()["version"] > v
    history = get_list(world, f"/v1/registry/operators/{BUYER}/history")
    assert [h["summary"] for h in history if h["record"] == "operator"] == ["active", statuses[winner]]
    with world.db() as db:
        events = db.query("SELECT action FROM events WHERE subject_id = ? AND action LIKE ?", (BUYER, "registry.%"))
    assert [e[0] for e in events] == [f"registry.operator.{statuses[winner]}"]


def get_list(world: World, path: str) -> list[dict[str, Any]]:
    r = world.client.get(path, headers=world.as_("registrar"))
    assert r.status_code == 200, r.text
    return list(r.json())


STALE: list[tuple[str, Callable[[World], tuple[str, str, dict[str, Any]]]]] = [
    ("alert assign", lambda w: ("supervisor", "/v1/alerts/A-1/assign", {"assignee": "analyst"})),
    ("alert close", lambda w: ("analyst", "/v1/alerts/A-1/close", {"outcome": "useful"})),
    ("establishment", lambda w: ("registrar", "/v1/registry/establishments",
                                 {"ruc": BUYER, "establishment_code": "0009", "ubigeo": "150101"})),
    ("authorisation", lambda w: ("registrar", "/v1/registry/authorisations", {
        "ruc": BUYER, "chemical": "acetone", "activities": ["buy"], "valid_from": "2025-01-01"})),
]


@pytest.mark.parametrize("name", [s[0] for s in STALE])
def test_a_stale_version_changes_nothing_and_says_what_changed(world: World, name: str) -> None:
    world.alert("A-1")
    who, path, body = dict(STALE)[name](world)
    first = world.client.post(path, headers=world.as_(who), json=world.versioned(path, body))
    assert first.status_code in (200, 201), first.text
    with world.db() as db:
        before = int(db.scalar("SELECT count(*) FROM events"))
    stale = world.client.post(path, headers=world.as_(who), json={**body, "version": first.json()["version"] - 1})
    assert stale.status_code == 409, stale.text
    details = {d["field"]: d["problem"] for d in stale.json()["error"]["details"]}
    assert details["version"] == f"sent {first.json()['version'] - 1}; current version is {first.json()['version']}"
    assert details["changed_by"] == f"staff:{who}" and details["changed_at"][:2] == "20"
    # The status as it stands, not as the refused change would have left it.
    assert details["status"] == "now " + {"alert assign": "open", "alert close": "pending_approval"}.get(name, "active")
    with world.db() as db:
        assert int(db.scalar("SELECT count(*) FROM events")) == before


def test_state_changes_require_the_version(world: World) -> None:
    world.alert("A-1")
    r = world.client.post("/v1/alerts/A-1/close", headers=world.as_("analyst"), json={"outcome": "useful"})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "version"
    spec = world.app.openapi()["components"]["schemas"]
    assert "version" in spec["CloseIn"]["required"] and "409" in spec["CloseIn"]["properties"]["version"]["description"]
