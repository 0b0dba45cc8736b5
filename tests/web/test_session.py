"""Sessions and CSRF without a browser: the cookie's flags, refusals of forms without the
session's token, logins that fail, and pages each role may not open."""

from __future__ import annotations

import re
from http.cookies import SimpleCookie

from fastapi.testclient import TestClient

from tests.api.conftest import PASSWORD, World, world  # noqa: F401 - the fixture
from tests.api.conftest import test_settings as settings_for
from tests.factories import BUYER
from traza.api import create_app
from traza.service import accounts
from traza.web.session import COOKIE


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def _flags(set_cookie: str) -> dict[str, str]:
    jar = SimpleCookie()
    jar.load(set_cookie)
    morsel = jar[COOKIE]
    return {k: str(morsel[k]) for k in ("httponly", "samesite", "secure", "path")}


def login(client: TestClient, username: str, password: str = PASSWORD) -> int:
    token = _csrf(client.get("/login").text)
    resp = client.post("/login", data={"csrf": token, "username": username, "password": password, "next": "/"},
                       follow_redirects=False)
    return resp.status_code


def test_session_cookie_is_httponly_lax_and_secure_outside_development(db_url: str) -> None:
    with TestClient(create_app(settings_for(db_url))) as dev:
        flags = _flags(dev.get("/login").headers["set-cookie"])
        assert flags["httponly"] and flags["samesite"].lower() == "lax" and flags["path"] == "/"
        assert not flags["secure"]  # TRAZA_ENV=development: plain http on a laptop
    with TestClient(create_app(settings_for(db_url, env="production")), base_url="https://testserver") as prod:
        flags = _flags(prod.get("/login").headers["set-cookie"])
        assert flags["secure"] and flags["httponly"] and flags["samesite"].lower() == "lax"


def test_forms_without_the_session_token_are_refused(world: World) -> None:  # noqa: F811
    alert_id = world.alert("a-csrf")
    c = world.client
    assert login(c, "analyst") == 303
    page = c.get(f"/alerts/{alert_id}")
    assert page.status_code == 200
    good = _csrf(page.text)
    for data, headers in (({"outcome": "useful"}, {}),
                          ({"outcome": "useful", "csrf": "forged"}, {}),
                          ({"outcome": "useful"}, {"X-CSRF-Token": "forged", "HX-Request": "true"})):
        resp = c.post(f"/alerts/{alert_id}/close", data=data, headers=headers, follow_redirects=False)
        assert resp.status_code == 403, resp.text
    with world.db() as db:
        assert db.scalar("SELECT status FROM alert_state WHERE alert_id = ?", (alert_id,)) == "open"
        assert db.scalar("SELECT count(*) FROM events WHERE action LIKE 'alert.%'") == 0
    # The same request with the token (as HTMX sends it, in a header) goes through.
    resp = c.post(f"/alerts/{alert_id}/close", data={"outcome": "useful", "version": "0", "confirm": "1"},
                  headers={"X-CSRF-Token": good, "HX-Request": "true"}, follow_redirects=False)
    assert resp.status_code == 204 and resp.headers["HX-Redirect"] == f"/alerts/{alert_id}?done=closed"
    with world.db() as db:
        assert db.scalar("SELECT status FROM alert_state WHERE alert_id = ?", (alert_id,)) == "pending_approval"
        assert db.scalar("SELECT actor FROM events WHERE action = 'alert.close'") == "staff:analyst"


def test_login_needs_the_token_and_the_right_password(world: World) -> None:  # noqa: F811
    c = world.client
    c.get("/login")
    assert c.post("/login", data={"username": "analyst", "password": PASSWORD}, follow_redirects=False).status_code == 403
    assert login(c, "analyst", "wrong password") == 401
    assert c.get("/alerts", follow_redirects=False).status_code == 303
    assert login(c, "analyst") == 303
    assert c.get("/alerts", follow_redirects=False).status_code == 200


def test_pages_send_strangers_to_login_and_refuse_other_roles(world: World) -> None:  # noqa: F811
    c = world.client
    resp = c.get("/alerts?rule=x", follow_redirects=False)
    assert resp.status_code == 303 and resp.headers["location"] == "/login?next=%2Falerts%3Frule%3Dx"
    resp = c.get("/alerts", headers={"HX-Request": "true"}, follow_redirects=False)
    assert resp.status_code == 401 and resp.headers["HX-Redirect"].startswith("/login")
    assert login(c, "registrar") == 303
    assert c.get("/alerts").status_code == 403
    assert c.get("/audit").status_code == 403
    assert c.get("/portal").status_code == 403


def test_a_tampered_or_outdated_session_is_nobody(world: World) -> None:  # noqa: F811
    c = world.client
    assert login(c, "auditor") == 303
    assert c.get("/audit", follow_redirects=False).status_code == 200
    raw = c.cookies[COOKIE]
    c.cookies.set(COOKIE, raw[:-2] + ("AA" if not raw.endswith("AA") else "BB"))
    assert c.get("/audit", follow_redirects=False).status_code == 303
    c.cookies.set(COOKIE, raw)
    assert c.get("/audit", follow_redirects=False).status_code == 200
    # A new version of the account (here: deactivated) ends the session.
    with world.db() as db:
        user = accounts.get_user(db, "auditor")
        assert user is not None
        accounts.save_user(db, "test", "auditor", user.full_name, "auditor", user.password_hash, False,
                           "user.update", ["active"])
    assert c.get("/audit", follow_redirects=False).status_code == 303


def test_operator_logs_in_with_ruc_and_key_and_revoking_the_key_ends_it(world: World) -> None:  # noqa: F811
    c = world.client
    token = _csrf(c.get("/login").text)
    wrong = c.post("/login/operator", data={"csrf": token, "ruc": "20000000001", "api_key": world.keys["buyer"]},
                   follow_redirects=False)
    assert wrong.status_code == 401  # the key is the buyer's, not that RUC's
    ok = c.post("/login/operator", data={"csrf": token, "ruc": BUYER, "api_key": world.keys["buyer"]},
                follow_redirects=False)
    assert ok.status_code == 303 and ok.headers["location"] == "/portal"
    assert c.get("/portal").status_code == 200
    assert c.get("/alerts").status_code == 403
    key_id = world.keys["buyer"].split("_")[1]
    with world.db() as db:
        assert accounts.revoke_key(db, "test", key_id)
    assert c.get("/portal", follow_redirects=False).status_code == 303


def test_web_login_shares_the_api_lockout(world: World) -> None:  # noqa: F811
    """Five wrong passwords lock the name for the web form and for the API alike: the right
    password then gets 429, and every attempt is in the audit log (never the password)."""
    from traza.service import throttle

    c = world.client
    for _ in range(throttle.MAX_FAILURES):
        assert login(c, "analyst", "wrong password") == 401
    assert login(c, "analyst") == 429
    assert c.post("/v1/auth/login", json={"username": "analyst", "password": PASSWORD}).status_code == 429
    # An operator's RUC is throttled under its own name, apart from staff.
    token = _csrf(c.get("/login").text)
    for _ in range(throttle.MAX_FAILURES):
        resp = c.post("/login/operator", data={"csrf": token, "ruc": BUYER, "api_key": "trz_wrong"},
                      follow_redirects=False)
        assert resp.status_code == 401
    resp = c.post("/login/operator", data={"csrf": token, "ruc": BUYER, "api_key": "trz_wrong"},
                  follow_redirects=False)
    assert resp.status_code == 429 and int(resp.headers["Retry-After"]) > 0
    with world.db() as db:
        failed = db.scalar("SELECT count(*) FROM events WHERE action = 'auth.login_failed'")
        assert failed == 2 * throttle.MAX_FAILURES
        assert db.scalar("SELECT count(*) FROM events WHERE CAST(payload AS VARCHAR) LIKE '%wrong%'") == 0


def _portal(world: World, who: str) -> TestClient:  # noqa: F811
    """A browser of its own, logged in to the portal with ``who``'s RUC and API key."""
    browser = TestClient(world.app, raise_server_exceptions=False)
    token = _csrf(browser.get("/login").text)
    ruc = world.client.get("/v1/me", headers=world.as_(who)).json()["ruc"]
    resp = browser.post("/login/operator", data={"csrf": token, "ruc": ruc, "api_key": world.keys[who]},
                        follow_redirects=False)
    assert resp.status_code == 303
    return browser


def test_a_portal_cookie_saved_before_logout_opens_nothing(world: World) -> None:  # noqa: F811
    """Logging out of the portal ends the session on the server (issue 16, finding 2): a copy of
    the cookie kept from before neither opens a page nor runs a sale check; the operator's key
    still works for the API, and another operator's portal session is untouched."""
    browser, other = _portal(world, "buyer"), _portal(world, "seller")
    page = browser.get("/portal/check")
    assert page.status_code == 200
    saved, csrf = browser.cookies[COOKIE], _csrf(page.text)
    assert browser.post("/logout", data={"csrf": csrf}, follow_redirects=False).status_code == 303
    replay = TestClient(world.app, raise_server_exceptions=False)
    replay.cookies.set(COOKIE, saved)
    resp = replay.get("/portal", follow_redirects=False)
    assert resp.status_code == 303 and resp.headers["location"].startswith("/login")
    with world.db() as db:
        checks = db.scalar("SELECT count(*) FROM sale_checks")
    resp = replay.post("/portal/check", data={"csrf": csrf, "buyer_ruc": BUYER, "chemical": "sulfuric_acid",
                                              "quantity": "1", "unit": "kg"}, follow_redirects=False)
    assert resp.status_code in (303, 401, 403)
    with world.db() as db:
        assert db.scalar("SELECT count(*) FROM sale_checks") == checks
    assert other.get("/portal", follow_redirects=False).status_code == 200
    assert world.client.get("/v1/me", headers=world.as_("buyer")).status_code == 200
