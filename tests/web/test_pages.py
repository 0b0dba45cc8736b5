"""Every page renders for its roles on both backends (the queries behind them run on DuckDB
and PostgreSQL), and the registry, case and rule forms change state through the service,
writing the audit events the API writes."""

from __future__ import annotations

import re
from datetime import date

from fastapi.testclient import TestClient

from tests.api.conftest import PASSWORD, World, world  # noqa: F401 - the fixture
from tests.factories import BUYER, SELLER, make_ruc


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found
    return found.group(1)


def version(c: TestClient, url: str, name: str = "version") -> str:
    """The version a page's forms carry (the hidden field), as a browser would send it."""
    found = re.search(rf'name="{re.escape(name)}" value="(\d+)"', c.get(url).text)
    assert found, (url, name)
    return found.group(1)


def login(c: TestClient, username: str) -> str:
    token = _csrf(c.get("/login").text)
    resp = c.post("/login", data={"csrf": token, "username": username, "password": PASSWORD}, follow_redirects=False)
    assert resp.status_code == 303, resp.text
    return _csrf(c.get("/").text if username != "registrar" else c.get("/registry").text)


def _events(w: World, action: str) -> list[tuple[str, str]]:
    with w.db() as db:
        return [(str(a), str(s)) for a, s in db.query("SELECT actor, subject_id FROM events WHERE action = ? "
                                                      "ORDER BY event_id", (action,))]


def test_analyst_pages_render(world: World) -> None:  # noqa: F811
    alert_id = world.alert("a-pages", ruc=BUYER)
    c = world.client
    login(c, "analyst")
    dashboard = c.get("/")
    assert dashboard.headers["content-encoding"] == "gzip" and dashboard.text.count('class="district') > 1800
    for url, needle in (("/", "peru-map"), ("/alerts", alert_id), ("/alerts?status=all&sort=severity&from=2025-01-01",
                        alert_id), (f"/alerts/{alert_id}", "close-form"), (f"/operators/{BUYER}", "data-graph="),
                        (f"/operators/{SELLER}/ledger?type=sale", "<table"), ("/cases", "cases"),
                        ("/rules", "quota_exceeded"), ("/rules/quota_exceeded", "backtest"),
                        ("/rules/quota_exceeded/backtest", "data-chart="), ("/registry", SELLER),
                        (f"/registry/operators/{SELLER}", "reg-authorisations")):
        resp = c.get(url)
        assert resp.status_code == 200, (url, resp.text[-500:])
        assert needle in resp.text, url
    # Filters that exclude the alert leave it out; a bad date is a readable refusal.
    assert alert_id not in c.get("/alerts?to=2024-12-31").text
    bad = c.get("/alerts?from=yesterday")
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.text
    assert c.get("/alerts/no-such-alert").status_code == 404
    # A bad parameter is told in the viewer's words.
    for query, words in (("page=0", "page: debe ser 1 o más"), ("page=abc", "page: debe ser un número entero")):
        bad_page = c.get(f"/alerts?{query}")
        assert bad_page.status_code == 400 and words in bad_page.text and "Input should" not in bad_page.text
    # A page past the end shows the last page and says so, not "999 / 1" over an empty table.
    past = c.get("/alerts?status=all&page=999")
    assert past.status_code == 200 and alert_id in past.text and "<span>1 / 1</span>" in past.text
    # A refused HTMX request answers with a fragment that keeps the target's id.
    frag = c.get(f"/operators/{SELLER}/ledger?from=nope", headers={"HX-Request": "true", "HX-Target": "ledger"})
    assert frag.status_code == 400 and frag.text.startswith('<div id="ledger">') and "YYYY-MM-DD" in frag.text
    # Pages answer bad parameters and unknown paths with a page; the API keeps its JSON errors.
    page = c.get("/cases/abc")
    assert page.status_code == 400 and page.headers["content-type"].startswith("text/html") and "case_id" in page.text
    assert c.get("/no/such/page").headers["content-type"].startswith("text/html")
    api = c.get("/v1/no/such/endpoint")
    assert api.status_code == 404 and api.json()["error"]["code"] == "not_found"
    assert c.get("/v1/alerts?limit=abc", headers=world.as_("analyst")).json()["error"]["code"] == "invalid"


def test_alert_to_case_and_case_workflow(world: World) -> None:  # noqa: F811
    alert_id = world.alert("a-case", ruc=BUYER)
    c = world.client
    token = login(c, "analyst")
    resp = c.post(f"/alerts/{alert_id}/case", data={"csrf": token, "title": "Compras sin cupo"}, follow_redirects=False)
    assert resp.status_code == 303
    case_url = resp.headers["location"]
    case_id = case_url.rsplit("/", 1)[1]
    assert c.post(f"{case_url}/notes", data={"csrf": token, "text": "llamar al operador"},
                  follow_redirects=False).status_code == 303
    assert c.post(f"{case_url}/referral", data={"csrf": token, "to": "police", "version": version(c, case_url)},
                  follow_redirects=False).status_code == 303
    # An analyst cannot close a case: the workflow's own message comes back.
    refused = c.post(f"{case_url}/status", data={"csrf": token, "status": "closed", "version": version(c, case_url)},
                     follow_redirects=False)
    assert refused.status_code == 409 and "referred" in refused.text
    page = c.get(case_url).text
    assert "llamar al operador" in page and alert_id in page and BUYER in page
    assert _events(world, "case.open") == [("staff:analyst", case_id)]
    assert ("staff:analyst", case_id) in _events(world, "case.refer")
    # The list names each case's operators, and finds a case by part of a RUC or of its title.
    def listed(query: str) -> str:
        return c.get(f"/cases{query}").text.split('<table id="cases">')[1].split("</table>")[0]
    assert f'href="/operators/{BUYER}"' in listed("")
    assert f"#{case_id}" in listed(f"?q={BUYER[2:8]}") and f"#{case_id}" in listed("?q=sin+cupo")
    nothing = listed("?q=no-such-case")
    assert f"#{case_id}" not in nothing and 'href="/cases"' in nothing  # and a way back
    api = c.get("/v1/cases", headers=world.as_("analyst")).json()
    assert [x["rucs"] for x in api if str(x["case_id"]) == case_id] == [[BUYER]]


def test_registrar_registers_suspends_and_grants(world: World) -> None:  # noqa: F811
    c = world.client
    token = login(c, "registrar")
    new = make_ruc(77)
    resp = c.post("/registry/operators", data={"csrf": token, "ruc": new, "name": "Nueva Química SAC",
                                               "sector": "distributor"}, follow_redirects=False)
    assert resp.status_code == 303 and resp.headers["location"] == f"/registry/operators/{new}"
    again = c.post("/registry/operators", data={"csrf": token, "ruc": new, "name": "Otra", "sector": "distributor"})
    assert again.status_code == 409
    invalid = c.post("/registry/operators", data={"csrf": token, "ruc": "123", "name": "X", "sector": "distributor"})
    assert invalid.status_code == 400 and "ruc: no tiene la forma esperada" in invalid.text
    assert "String should" not in invalid.text  # the registrar's words, not pydantic's
    page_url = f"/registry/operators/{new}"
    assert c.post(f"{page_url}/status", data={"csrf": token, "status": "suspended", "reason": "visita",
                                              "version": version(c, page_url)}, follow_redirects=False).status_code == 303
    grant = c.post(f"/registry/operators/{new}/authorisations",
                   data={"csrf": token, "chemical": "acetone", "activities": ["buy", "sell"], "annual_quota_kg": "5000",
                         "valid_from": date(2025, 1, 1).isoformat(), "version": version(c, page_url)},
                   follow_redirects=False)
    assert grant.status_code == 303, grant.text
    page = c.get(f"/registry/operators/{new}").text
    assert "suspendido" in page and "comprar, vender" in page and "distribuidor" in page
    # Found by a part of its RUC as by its name; its sector in words, not the stored code.
    listing = c.get(f"/registry?name={new[3:9]}").text.split('<table id="operators">')[1].split("</table>")[0]
    assert new in listing and "Nueva Química SAC" in listing and "distribuidor" in listing
    assert "<td>distributor</td>" not in listing
    # No key for a suspended operator (issue 16); reinstated, it gets one.
    refused = c.post(f"/registry/operators/{new}/keys", data={"csrf": token, "label": "portal"})
    assert refused.status_code == 409 and f"{new} is suspended" in refused.text
    assert c.post(f"{page_url}/status", data={"csrf": token, "status": "active", "reason": "",
                                              "version": version(c, page_url)}, follow_redirects=False).status_code == 303
    issued = c.post(f"/registry/operators/{new}/keys", data={"csrf": token, "label": "portal"})
    key = re.search(r'id="new-key">([^<]+)<', issued.text)
    assert key and key.group(1).startswith("trz_")
    assert _events(world, "registry.operator.register") == [("staff:registrar", new)]
    assert _events(world, "registry.operator.suspended") == [("staff:registrar", new)]
    assert [s for _, s in _events(world, "registry.authorisation.save")] == [new]


def test_supervisor_bulk_assigns_and_sets_a_rule_mode(world: World) -> None:  # noqa: F811
    ids = [world.alert(f"a-bulk-{i}", ruc=BUYER) for i in range(3)]
    c = world.client
    token = login(c, "supervisor")
    versions = {f"version:{i}": version(c, "/alerts", f"version:{i}") for i in ids}
    resp = c.post("/alerts/assign", data={"csrf": token, "alert_id": ids[:2], "assignee": "analyst",
                                          "back": "/alerts?status=open", **versions}, follow_redirects=False)
    assert resp.status_code == 303 and resp.headers["location"] == "/alerts?status=open&done=assigned:2"
    with world.db() as db:
        got = dict(db.query("SELECT alert_id, assignee FROM alert_state WHERE alert_id LIKE 'a-bulk-%'"))
    assert got == {ids[0]: "analyst", ids[1]: "analyst", ids[2]: None}
    nobody = c.post("/alerts/assign", data={"csrf": token, "alert_id": ids[2:], "assignee": "auditor", **versions})
    assert nobody.status_code == 400
    assert c.post("/rules/quota_exceeded/mode", data={"csrf": token, "shadow": "true"},
                  follow_redirects=False).status_code == 303
    assert "en sombra" in c.get("/rules/quota_exceeded").text
    assert _events(world, "rule.mode") == [("staff:supervisor", "quota_exceeded")]


def test_operator_portal_sale_check_and_own_submissions_only(world: World) -> None:  # noqa: F811
    c = world.client
    token = _csrf(c.get("/login").text)
    assert c.post("/login/operator", data={"csrf": token, "ruc": SELLER, "api_key": world.keys["seller"]},
                  follow_redirects=False).status_code == 303
    token = _csrf(c.get("/portal").text)
    resp = c.post("/portal/check", data={"csrf": token, "buyer_ruc": BUYER, "chemical": "sulfuric_acid",
                                         "quantity": "10", "unit": "kg", "buyer_establishment": "0000"})
    assert resp.status_code == 200, resp.text[-500:]
    decision = re.search(r'id="decision" class="decision-(\w+)"', resp.text)
    assert decision and decision.group(1) in ("allow", "review", "block")
    with world.db() as db:
        row = db.query("SELECT seller_ruc, buyer_ruc, decision FROM sale_checks")
    assert row == [(SELLER, BUYER, decision.group(1))]  # recorded like an API check
    bad = c.post("/portal/check", data={"csrf": token, "buyer_ruc": BUYER, "chemical": "unobtainium",
                                        "quantity": "10", "unit": "kg", "buyer_establishment": "0000"})
    assert bad.status_code == 400 and "unknown chemical" in bad.text
    # Another operator's rows are refused, each named by its line and field, and never stored.
    other = f"declaration_id,declarant_ruc,establishment_code,date,type,chemical,quantity,unit\nX1,{BUYER},0000,2025-05-01,consumption,acetone,1,kg\n"
    refused = c.post("/portal/upload", data={"csrf": token}, files={"file": ("m.csv", other.encode(), "text/csv")})
    assert refused.status_code == 200 and "not your RUC" in refused.text and "declarant_ruc" in refused.text
    with world.db() as db:
        assert db.scalar("SELECT count(*) FROM movements WHERE declaration_id = 'X1'") == 0
    # The submissions of others are not visible.
    with world.db() as db:
        theirs = db.scalar("SELECT max(submission_id) FROM submissions WHERE coalesce(submitted_by, '') <> ?",
                           (f"operator:{SELLER}",))
    assert c.get(f"/portal/submissions/{theirs}").status_code == 404


def test_operator_downloads_templates_that_load_once_the_example_is_replaced(world: World) -> None:  # noqa: F811
    import io

    from openpyxl import load_workbook

    c = world.client
    token = _csrf(c.get("/login").text)
    assert c.post("/login/operator", data={"csrf": token, "ruc": SELLER, "api_key": world.keys["seller"]},
                  follow_redirects=False).status_code == 303
    portal = c.get("/portal").text
    assert 'href="/portal/template.csv"' in portal and 'href="/portal/template.xlsx"' in portal
    csv_file = c.get("/portal/template.csv")
    assert csv_file.status_code == 200 and "attachment" in csv_file.headers["content-disposition"]
    header, example = csv_file.text.splitlines()
    assert header.startswith("declaration_id,declarant_ruc,") and f",{SELLER}," in example
    token = _csrf(portal)
    # Sent back unchanged, it records nothing: its row is refused saying what to do.
    unchanged = c.post("/portal/upload", data={"csrf": token}, files={"file": ("t.csv", csv_file.content, "text/csv")})
    assert unchanged.status_code == 200 and "example row: replace it with your own movements" in unchanged.text
    # Filled in (the example's id replaced), the same row loads.
    filled = csv_file.text.replace("EJEMPLO-1", "V-900")
    kept = c.post("/portal/upload", data={"csrf": token}, files={"file": ("t.csv", filled.encode(), "text/csv")})
    assert kept.status_code == 200, kept.text[-400:]
    with world.db() as db:
        assert db.scalar("SELECT count(*) FROM movements WHERE declaration_id = 'V-900'") == 1
        assert db.scalar("SELECT count(*) FROM movements WHERE declaration_id = 'EJEMPLO-1'") == 0
    wb = load_workbook(io.BytesIO(c.get("/portal/template.xlsx").content))
    rows = [[str(x or "") for x in r] for r in wb.active.iter_rows(values_only=True)]
    assert rows == [header.split(","), example.split(",")]  # the same columns and example, as text
    assert c.get("/portal/template.pdf").status_code == 404
