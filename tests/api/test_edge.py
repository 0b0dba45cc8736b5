"""The text edge (api/edge.py): every query, path, form and JSON text is read once through
core.text before a route sees it. On PostgreSQL a NUL once reached the driver and came back
as a 500; here every such value is a 422 naming the field, on both backends."""

from __future__ import annotations

import json
from collections.abc import Iterator

from tests.api.conftest import PASSWORD, World
from tests.factories import BUYER, SELLER
from tests.web.test_pages import _csrf, login
from traza.api.deps import Db

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _error(resp: object) -> dict[str, object]:
    body = resp.json()  # type: ignore[attr-defined]
    assert set(body) == {"error"}, body
    return dict(body["error"])


def test_nul_in_the_login_body_is_422_naming_the_field(world: World) -> None:
    r = world.client.post("/v1/auth/login", json={"username": "a\u0000b", "password": "x"})
    assert r.status_code == 422, r.text
    err = _error(r)
    assert err["details"] == [{"field": "body.username", "problem": err["details"][0]["problem"]}]  # type: ignore[index]
    assert "NUL" in str(err["message"]) and "body.username" in str(err["message"])
    # The server is still whole: the next login works.
    ok = world.client.post("/v1/auth/login", json={"username": "analyst", "password": PASSWORD})
    assert ok.status_code == 200


def test_nul_in_a_nested_json_field_names_its_path(world: World) -> None:
    batch = {"movements": [{"establishment_code": "0000", "date": "2025-03-01", "type": "purchase",
                            "chemical": "sulfuric_acid", "quantity": 1, "unit": "kg",
                            "declaration_id": f"E-{i}", "document_ref": "ok" if i != 3 else "F\u0000-1"}
                           for i in range(5)]}
    r = world.client.post("/v1/declarations/batch", headers=world.as_("seller"), json=batch)
    assert r.status_code == 422, r.text
    assert _error(r)["details"][0]["field"] == "body.movements[3].document_ref"  # type: ignore[index]


def test_nul_and_controls_in_query_and_path_parameters(world: World) -> None:
    staff = world.as_("analyst")
    for url, field in (("/v1/alerts?rule=a%00b", "query.rule"), ("/v1/alerts?assignee=x%1by", "query.assignee"),
                       ("/v1/alerts/a%00b", "path.alert_id"), ("/v1/cases?assignee=%00", "query.assignee")):
        r = world.client.get(url, headers=staff)
        assert r.status_code == 422, (url, r.text)
        assert _error(r)["details"][0]["field"] == field  # type: ignore[index]
    # Bytes that are not UTF-8 after percent-decoding are refused, not replaced by U+FFFD.
    r = world.client.get("/v1/alerts?rule=%ff", headers=staff)
    assert r.status_code == 422 and "UTF-8" in str(_error(r)["message"])


def test_full_width_digits_read_as_ascii_and_other_scripts_are_refused(world: World) -> None:
    staff = world.as_("registrar")
    plain = world.client.get(f"/v1/registry/operators/{SELLER}", headers=staff)
    assert plain.status_code == 200
    wide = world.client.get(f"/v1/registry/operators/{SELLER.translate(FULL_WIDTH)}", headers=staff)
    assert wide.status_code == 200 and wide.json() == plain.json()
    arabic = world.client.get(f"/v1/registry/operators/{SELLER.translate(ARABIC)}", headers=staff)
    assert arabic.status_code == 422 and _error(arabic)["details"][0]["field"] == "path.ruc"  # type: ignore[index]
    assert "ASCII" in str(_error(arabic)["message"])
    q = world.client.get(f"/v1/checks?buyer_ruc={BUYER.translate(ARABIC)}", headers=world.as_("analyst"))
    assert q.status_code == 422 and _error(q)["details"][0]["field"] == "query.buyer_ruc"  # type: ignore[index]
    # An invisible character in a JSON key is not a second key: the BOM goes, the name stays.
    r = world.client.post("/v1/auth/login", json={"\ufeffusername": "analyst", "pass\u200bword": PASSWORD})
    assert r.status_code == 200, r.text


def test_absurd_sizes_are_refused_naming_the_field(world: World) -> None:
    staff = world.as_("analyst")
    r = world.client.get("/v1/alerts?rule=" + "x" * 60_000, headers=staff)
    assert r.status_code == 414 and _error(r)["details"][0]["field"] == "query"  # type: ignore[index]
    r = world.client.post("/v1/auth/login", json={"username": "x" * 100_000, "password": "x"})
    assert r.status_code == 422 and _error(r)["details"][0]["field"] == "body.username"  # type: ignore[index]
    r = world.client.get(f"/v1/checks?seller_ruc={'1' * 65}", headers=staff)
    assert r.status_code == 422 and "at most 64" in str(_error(r)["message"])
    deep: object = "x"
    for _ in range(200):
        deep = [deep]
    r = world.client.post("/v1/auth/login", json={"username": deep, "password": "x"})
    assert r.status_code == 422 and "nested" in str(_error(r)["message"])


def test_lone_surrogates_in_json_are_refused(world: World) -> None:
    r = world.client.post("/v1/auth/login", content=b'{"username": "a\\ud800", "password": "x"}',
                          headers={"content-type": "application/json"})
    assert r.status_code == 422 and _error(r)["details"][0]["field"] == "body.username"  # type: ignore[index]


def test_a_control_character_in_a_header_is_refused_naming_it(world: World) -> None:
    r = world.client.get("/v1/me", headers={"X-API-Key": "trz_\x01abc"})
    assert r.status_code == 422 and _error(r)["details"][0]["field"] == "header.x-api-key"  # type: ignore[index]


def test_multiline_notes_keep_their_line_breaks(world: World) -> None:
    analyst = world.as_("analyst")
    case = world.client.post("/v1/cases", headers=analyst, json={"title": "Compras sin cupo"})
    assert case.status_code in (200, 201), case.text
    case_id = case.json()["case_id"]
    note = world.client.post(f"/v1/cases/{case_id}/notes", headers=analyst,
                             json={"text": "llamar al operador\nel lunes"})
    assert note.status_code in (200, 201), note.text
    shown = world.client.get(f"/v1/cases/{case_id}", headers=analyst).text
    assert "llamar al operador\\nel lunes" in shown
    # ... but a title is one line.
    bad = world.client.post("/v1/cases", headers=analyst, json={"title": "a\nb"})
    assert bad.status_code == 422 and _error(bad)["details"][0]["field"] == "body.title"  # type: ignore[index]


def _chunks(size: int) -> Iterator[bytes]:
    for _ in range(size // 65536 + 1):
        yield b"x" * 65536


def test_a_chunked_body_over_the_limit_is_413(world: World) -> None:
    limit = world.app.state.traza.settings.max_upload_bytes
    boundary = "edgeboundary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"m.csv\"\r\n"
            "Content-Type: text/csv\r\n\r\n").encode()

    def body() -> Iterator[bytes]:
        yield head
        yield from _chunks(limit + 1)
        yield f"\r\n--{boundary}--\r\n".encode()

    # A generator body goes out chunked, with no Content-Length for the limit to read.
    r = world.client.post("/v1/declarations/files", headers={**world.as_("seller"),
                          "content-type": f"multipart/form-data; boundary={boundary}"}, content=body())
    assert r.status_code == 413, r.text
    assert _error(r)["code"] == "payload_too_large"
    c = world.client
    token = _csrf(c.get("/login").text)
    assert c.post("/login/operator", data={"csrf": token, "ruc": SELLER, "api_key": world.keys["seller"]},
                  follow_redirects=False).status_code == 303
    r = c.post("/portal/upload", headers={"content-type": f"multipart/form-data; boundary={boundary}"}, content=body())
    assert r.status_code == 413, r.text
    r = c.post("/v1/auth/login", headers={"content-type": "application/json"},
               content=(b"x" * 65536 for _ in range(limit // 65536 + 2)))
    assert r.status_code == 413, r.text


def test_web_filters_refuse_nul_on_the_page_and_normalise_full_width(world: World) -> None:
    c = world.client
    login(c, "analyst")
    r = c.get("/alerts?rule=a%00b")
    assert r.status_code == 422 and "query.rule" in r.text and "NUL" in r.text
    assert "<html" in r.text.lower()  # the normal page, not JSON
    r = c.get(f"/alerts?ruc={BUYER.translate(FULL_WIDTH)}")
    assert r.status_code == 200
    login(c, "registrar")
    r = c.get(f"/registry/operators/{SELLER.translate(FULL_WIDTH)}")
    assert r.status_code == 200 and SELLER in r.text


def test_web_forms_are_cleaned_and_notes_keep_lines(world: World) -> None:
    c = world.client
    token = login(c, "registrar")
    r = c.post("/registry/operators", data={"csrf": token, "ruc": "2010\u00001", "name": "X", "sector": "distributor"})
    assert r.status_code == 422 and "form.ruc" in r.text
    r = c.post(f"/registry/operators/{SELLER}/status", data={"csrf": token, "status": "suspended",
                                                            "version": world.version(f"/v1/registry/operators/{SELLER}/status"),
                                                            "reason": "visita\r\nsin permiso"}, follow_redirects=False)
    assert r.status_code == 303, r.text


def _stores(db: Db, value: str) -> dict[str, str]:
    db.query("SELECT CAST(? AS INTEGER)" if value.isdigit() else "SELECT ?",
             ({"nul": "a\x00b", "surrogate": "a\udc00b"}.get(value, value),))
    return {"ok": value}


def test_a_value_the_database_refuses_is_a_4xx_and_the_server_stays_whole(world: World) -> None:
    # The last line of defence behind the edge: a route that hands the database a value it
    # cannot hold (a NUL, a lone surrogate, a number out of range). Real queries on the real
    # database, through two routes added for the test (one API, one page).
    world.app.add_api_route("/v1/test-stores/{value}", _stores)
    world.app.add_api_route("/test-stores/{value}", _stores)
    for value in ("nul", "surrogate", "99999999999"):
        r = world.client.get(f"/v1/test-stores/{value}")
        pg = world.app.state.traza.settings.database_url.startswith("postgres")
        if pg or value == "99999999999":  # DuckDB stores a NUL, and its surrogate error is another kind
            assert r.status_code == 422, r.text
            assert "cannot be stored" in r.text or "not Unicode" in r.text
            page = world.client.get(f"/test-stores/{value}")
            assert page.status_code == 422 and "<html" in page.text.lower()
        for _ in range(3):  # more than one pooled connection: none is left broken
            assert world.client.get("/v1/me", headers=world.as_("seller")).status_code == 200


def test_two_content_types_or_a_multipart_form_cannot_skip_the_edge(world: World) -> None:
    # A review found both: with a second Content-Type the edge passed the body on uncleaned
    # while FastAPI still parsed it as JSON; a multipart form was never cleaned at all.
    c, h = world.client, world.as_("analyst")
    body = json.dumps({"title": "ＡＢＣ\u200b\u0000x"}).encode()
    r = c.post("/v1/cases", content=body, headers=[*h.items(), ("content-type", "application/json"),
                                                   ("content-type", "text/plain")])
    assert r.status_code == 400 and "header.content-type" in r.text, r.text
    r = c.post("/v1/cases", headers=h, files={"title": (None, "ABC\u0000x")})
    assert r.status_code == 415 and "header.content-type" in r.text, r.text
    with world.db() as db:
        assert db.scalar("SELECT count(*) FROM case_log") == 0
