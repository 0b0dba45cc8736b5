"""The portal's sale-check page gives the API's need-to-know answer (issue 16, finding 5):
the decision and the reasons that concern the sale, never the buyer's alerts or quota; and a
suspended operator's session can no longer check."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.api.conftest import World, world  # noqa: F401 - the fixture
from tests.factories import BUYER, SELLER

FORM = {"buyer_ruc": BUYER, "chemical": "sulfuric_acid", "quantity": "10", "unit": "kg", "buyer_establishment": "0000"}


def _operator(c: TestClient, key: str) -> str:
    token = re.search(r'name="csrf" value="([^"]+)"', c.get("/login").text)
    assert token
    assert c.post("/login/operator", data={"csrf": token.group(1), "ruc": SELLER, "api_key": key},
                  follow_redirects=False).status_code == 303
    found = re.search(r'name="csrf" value="([^"]+)"', c.get("/portal/check").text)
    assert found
    return found.group(1)


def test_check_page_tells_only_what_concerns_the_sale(world: World) -> None:  # noqa: F811
    world.alert("W-1", severity="critical")
    c = world.client
    csrf = _operator(c, world.keys["seller"])
    page = c.post("/portal/check", data={"csrf": csrf, **FORM})
    assert page.status_code == 200, page.text[-500:]
    assert 'class="decision-review"' in page.text
    assert "the registry asks that sales of sulfuric_acid to this buyer be reviewed" in page.text
    # Neither the alert nor the buyer's quota (200,000 kg) is on the page.
    reasons = page.text[page.text.index('id="reasons"'):]
    assert not re.search(r"alert|analyst|critical|200[,.]?000", reasons, re.I), reasons[:1500]
    with world.db() as db:
        assert db.query("SELECT reasons FROM sale_checks") == [('["open_alerts"]',)]  # staff keep the truth


def test_suspended_operator_cannot_check_from_the_portal(world: World) -> None:  # noqa: F811
    c = world.client
    csrf = _operator(c, world.keys["seller"])
    path = f"/v1/registry/operators/{SELLER}/status"
    r = world.client.post(path, headers=world.as_("registrar"),
                          json=world.versioned(path, {"status": "suspended", "reason": "inspection"}))
    assert r.status_code == 200, r.text
    # The portal session ends with the registration: no check, no upload, no page of the portal.
    page = c.post("/portal/check", data={"csrf": csrf, **FORM}, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login"), page.status_code
    for path in ("/portal", "/portal/check"):
        r = c.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login"), (path, r.status_code)
    upload = c.post("/portal/upload", data={"csrf": csrf}, files={"file": ("m.csv", b"x", "text/csv")},
                    follow_redirects=False)
    assert upload.status_code in (303, 403), upload.status_code
    # Logging in again with the same key is refused, saying why.
    token = re.search(r'name="csrf" value="([^"]+)"', c.get("/login").text)
    assert token
    again = c.post("/login/operator", data={"csrf": token.group(1), "ruc": SELLER, "api_key": world.keys["seller"]},
                   follow_redirects=False)
    assert again.status_code == 403 and "no está activo" in again.text, again.text[-600:]
    with world.db() as db:
        assert db.scalar("SELECT count(*) FROM sale_checks") == 0
