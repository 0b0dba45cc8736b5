"""A form drawn from an old version of an alert, a case or an operator is refused with a
readable page (409, in the reader's language) saying who changed it, when, and what it is now;
nothing is written."""

from __future__ import annotations

import re

from tests.api.conftest import World, world  # noqa: F401 - the fixture
from tests.factories import BUYER
from tests.web.test_pages import login, version


def _alert_events(w: World) -> int:
    with w.db() as db:
        return int(db.scalar("SELECT count(*) FROM events WHERE action LIKE ?", ("alert.%",)))


def test_a_stale_alert_form_gets_the_409_page(world: World) -> None:  # noqa: F811
    alert_id = world.alert("a-stale")
    c = world.client
    token = login(c, "supervisor")
    page = c.get(f"/alerts/{alert_id}").text
    drawn = re.search(r'action="/alerts/a-stale/close".*?name="version" value="(\d+)"', page, re.S)
    assert drawn and drawn.group(1) == "0"
    # Someone else closes it first (through the API, as another supervisor's tab would).
    r = world.client.post(f"/v1/alerts/{alert_id}/close", headers=world.as_("supervisor"),
                          json={"outcome": "confirmed_diversion", "version": 0})
    assert r.status_code == 200, r.text
    before = _alert_events(world)
    stale = c.post(f"/alerts/{alert_id}/close", data={"csrf": token, "outcome": "false_positive", "note": "known",
                                                    "confirm": "1", "version": "0"},
                   follow_redirects=False)
    assert stale.status_code == 409 and stale.headers["content-type"].startswith("text/html")
    text = stale.text
    assert "No se guardó: la alerta a-stale cambió después de que usted abrió la página (versión 0)" in text
    assert f"versión {r.json()['version']}" in text and "«cerrada»" in text and "staff:supervisor" in text
    assert _alert_events(world) == before
    with world.db() as db:
        assert db.scalar("SELECT outcome FROM alert_state WHERE alert_id = ?", (alert_id,)) == "confirmed_diversion"
    # In English when the reader chose it; a missing version is a 400 naming the field.
    english = c.post(f"/alerts/{alert_id}/reopen?lang=en", data={"csrf": token, "version": "0"})
    assert english.status_code == 409 and "Not saved: alert a-stale changed after you opened the page" in english.text
    missing = c.post(f"/alerts/{alert_id}/reopen", data={"csrf": token})
    assert missing.status_code == 400 and "version" in missing.text


def test_a_stale_case_and_registry_form_get_the_409_page(world: World) -> None:  # noqa: F811
    c = world.client
    token = login(c, "supervisor")
    case = world.client.post("/v1/cases", headers=world.as_("analyst"), json={"title": "t"}).json()
    url = f"/cases/{case['case_id']}"
    drawn = version(c, url)
    assert c.post(f"{url}/status", data={"csrf": token, "status": "investigating", "version": drawn},
                  follow_redirects=False).status_code == 303
    stale = c.post(f"{url}/status", data={"csrf": token, "status": "closure_requested", "version": drawn})
    assert stale.status_code == 409 and "No se guardó: el caso" in stale.text and "«en investigación»" in stale.text
    token = login(c, "registrar")
    url = f"/registry/operators/{BUYER}"
    drawn = version(c, url)
    assert c.post(f"{url}/status", data={"csrf": token, "status": "suspended", "version": drawn},
                  follow_redirects=False).status_code == 303
    stale = c.post(f"{url}/status", data={"csrf": token, "status": "revoked", "version": drawn})
    assert stale.status_code == 409 and f"No se guardó: el operador {BUYER}" in stale.text and "«suspendido»" in stale.text
    with world.db() as db:
        assert db.scalar("SELECT status FROM operators WHERE ruc = ?", (BUYER,)) == "suspended"
