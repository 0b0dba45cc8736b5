"""Sessions that end (issue 16, finding 2): a web cookie and bearer tokens saved before a
logout, a password change, a role change or a deactivation are replayed afterwards, and each
opens nothing: the API answers 401, a page sends the browser to /login, and a form that would
issue an API key issues none. Every session of the account ends, not only the one that logged
out: two tokens and a browser session are replayed each time."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import PASSWORD, World
from tests.factories import BUYER
from traza.api.security import read_token
from traza.web.session import COOKIE, sessions_for

NEW_PASSWORD = "a brand new long password"


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def _browser(world: World, username: str) -> TestClient:
    """A browser of its own (its own cookie jar), logged in through the form."""
    b = TestClient(world.app, raise_server_exceptions=False)
    token = _csrf(b.get("/login").text)
    resp = b.post("/login", data={"csrf": token, "username": username, "password": PASSWORD, "next": "/"},
                  follow_redirects=False)
    assert resp.status_code == 303, resp.text
    return b


def _token(world: World, username: str) -> str:
    resp = world.client.post("/v1/auth/login", json={"username": username, "password": PASSWORD})
    assert resp.status_code == 200, resp.text
    return str(resp.json()["access_token"])


def _keys_of_buyer(world: World) -> int:
    with world.db() as db:
        return int(db.scalar("SELECT count(*) FROM api_keys WHERE ruc = ?", (BUYER,)))


def _logout_web(world: World, browser: TestClient, tokens: list[str]) -> None:
    page = browser.get("/registry")
    assert browser.post("/logout", data={"csrf": _csrf(page.text)}, follow_redirects=False).status_code == 303


def _logout_api(world: World, browser: TestClient, tokens: list[str]) -> None:
    resp = world.client.post("/v1/auth/logout", headers={"Authorization": f"Bearer {tokens[0]}"})
    assert resp.status_code == 204, resp.text


def _admin_changes(**change: object) -> Callable[[World, TestClient, list[str]], None]:
    def act(world: World, browser: TestClient, tokens: list[str]) -> None:
        resp = world.client.post("/v1/users/registrar", headers=world.as_("admin"), json=change)
        assert resp.status_code == 200, resp.text
    return act


EVENTS = {
    "logout_web": _logout_web,
    "logout_api": _logout_api,
    "password_change": _admin_changes(password=NEW_PASSWORD),
    "role_change": _admin_changes(role="auditor"),
    "deactivation": _admin_changes(active=False),
}


@pytest.mark.parametrize("event", list(EVENTS))
def test_saved_cookie_and_tokens_open_nothing_after(world: World, event: str) -> None:
    browser = _browser(world, "registrar")
    tokens = [_token(world, "registrar"), _token(world, "registrar")]
    # Before: the cookie opens the registry and issues a key; each token reads the registry.
    page = browser.get("/registry", follow_redirects=False)
    assert page.status_code == 200
    saved_cookie, saved_csrf = browser.cookies[COOKIE], _csrf(page.text)
    before = _keys_of_buyer(world)
    issued = browser.post(f"/registry/operators/{BUYER}/keys", data={"csrf": saved_csrf, "label": "before"},
                          follow_redirects=False)
    assert issued.status_code == 200 and _keys_of_buyer(world) == before + 1
    for t in tokens:
        assert world.client.get("/v1/registry/operators", headers={"Authorization": f"Bearer {t}"}).status_code == 200

    EVENTS[event](world, browser, tokens)

    # After: the saved cookie, in a browser that never logged out, opens nothing...
    replay = TestClient(world.app, raise_server_exceptions=False)
    replay.cookies.set(COOKIE, saved_cookie)
    resp = replay.get("/registry", follow_redirects=False)
    assert resp.status_code == 303 and resp.headers["location"].startswith("/login"), resp.status_code
    assert replay.get("/registry", headers={"HX-Request": "true"}, follow_redirects=False).status_code == 401
    resp = replay.post(f"/registry/operators/{BUYER}/keys", data={"csrf": saved_csrf, "label": "after"},
                       follow_redirects=False)
    assert resp.status_code in (303, 401, 403), resp.status_code
    assert _keys_of_buyer(world) == before + 1, f"a key was issued with a cookie saved before the {event}"
    # ...and neither does any token issued before.
    for t in tokens:
        for path in ("/v1/registry/operators", "/v1/auth/me"):
            resp = world.client.get(path, headers={"Authorization": f"Bearer {t}"})
            assert resp.status_code == 401, f"{path} after {event}: {resp.status_code}"
    # Logging in again (where the account still may) opens a new session that works.
    if event != "deactivation":
        password = NEW_PASSWORD if event == "password_change" else PASSWORD
        resp = world.client.post("/v1/auth/login", json={"username": "registrar", "password": password})
        assert resp.status_code == 200, resp.text
        fresh = {"Authorization": f"Bearer {resp.json()['access_token']}"}
        assert world.client.get("/v1/auth/me", headers=fresh).status_code == 200


def test_logout_ends_only_that_persons_sessions(world: World) -> None:
    other = _token(world, "analyst")
    browser = _browser(world, "analyst")
    mine = _token(world, "registrar")
    assert world.client.post("/v1/auth/logout", headers={"Authorization": f"Bearer {mine}"}).status_code == 204
    assert world.client.get("/v1/auth/me", headers={"Authorization": f"Bearer {other}"}).status_code == 200
    assert browser.get("/alerts", follow_redirects=False).status_code == 200
    # A second logout with the ended token is refused like any dead token.
    assert world.client.post("/v1/auth/logout", headers={"Authorization": f"Bearer {mine}"}).status_code == 401
    with world.db() as db:
        ends = db.dicts("SELECT actor, subject_id, payload FROM events WHERE action = 'auth.logout'")
    assert ends == [{"actor": "staff:registrar", "subject_id": "registrar", "payload": '{"sessions": 2}'}]


def test_an_old_style_token_without_a_session_is_refused(world: World) -> None:
    """Tokens signed before sessions were kept (no session id inside) are nobody's."""
    import base64
    import hashlib
    import hmac
    import json
    import time

    secret = world.app.state.traza.settings.secret_key.get_secret_value()
    body = base64.urlsafe_b64encode(json.dumps({"u": "admin", "v": 1, "e": int(time.time()) + 600}).encode())
    body_s = body.rstrip(b"=").decode()
    sig = base64.urlsafe_b64encode(hmac.new(secret.encode(), body_s.encode(), hashlib.sha256).digest())
    token = f"{body_s}.{sig.rstrip(b'=').decode()}"
    assert world.client.get("/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_sessions_store_no_id_in_clear(world: World) -> None:
    browser = _browser(world, "auditor")
    token = _token(world, "auditor")
    with world.db() as db:
        stored = " ".join(str(r) for r in db.query("SELECT * FROM sessions"))
    settings = world.app.state.traza.settings
    cookie = sessions_for(settings).read(browser.cookies[COOKIE])
    claims = read_token(settings.secret_key.get_secret_value(), token)
    assert cookie is not None and cookie.sid and claims is not None
    assert "auditor" in stored  # the rows are there, but not the ids that open them
    assert cookie.sid not in stored and claims[1] not in stored


def test_logout_racing_a_change_of_the_same_account_neither_deadlocks_nor_fails(db_url: str) -> None:
    """A logout and a deactivation of one account at once: the logout wrote its session ends
    before taking the audit chain, the change took the chain first, and PostgreSQL found a
    deadlock (DuckDB a duplicate key at commit): a 500 either way. Both take the chain first now."""
    import threading

    from traza.service import accounts
    from traza.store import open_database

    with open_database(db_url) as db:
        accounts.save_user(db, "staff:admin", "alice", "Alice", "analyst", "x" * 20, True, "user.create", ["all"])
    for round_ in range(6):
        with open_database(db_url) as db:
            user = accounts.get_user(db, "alice")
            assert user is not None
            accounts.open_staff_session(db, user, "api", 60)
        errors: list[BaseException] = []
        gate = threading.Barrier(2)

        def run(work: Any, gate: threading.Barrier = gate, errors: list[BaseException] = errors) -> None:
            with open_database(db_url, migrate=False) as mine:
                gate.wait()
                try:
                    work(mine)
                except BaseException as exc:  # noqa: BLE001 - the test reports what failed
                    errors.append(exc)

        jobs = [lambda d: accounts.end_staff_sessions(d, "staff:alice", "alice"),
                lambda d, r=round_: accounts.save_user(d, "staff:admin", "alice", "Alice", "analyst", "y" * 20,
                                                       r % 2 == 0, "user.update", ["active"])]
        threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == [], errors
