"""Every parameter of every page (query, path and form fields, from the app's route table) gets
every hostile value, logged in as a role that may open the page (or as nobody, for the login
forms): never a 5xx; a value that cannot be taken is refused on the normal error page naming
the field (``query.rule``, ``form.ruc``, ``path.alert_id``); a normalised one (full-width
digits in a filter) may be answered as the plain value would be."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from httpx import Response

from tests.api.conftest import World, world  # noqa: F401 - the fixture
from tests.api.hostile import HOSTILE, Hostile, Param, base_value, is_identifier
from tests.factories import SELLER
from tests.web.test_access import _api_routes, _roles
from tests.web.test_pages import _csrf, login

SKIP = {("POST", "/logout")}  # it would end the session the matrix goes on using
ORDER = ("operator", "analyst", "supervisor", "registrar", "auditor", "admin", None)
BASES = {"alert_id": "A-HOSTILE", "rule_id": "quota_exceeded", "case_id": "1", "username": "nobody-x"}


def _fields(dependant: Any, kind: str) -> Iterator[Any]:
    yield from getattr(dependant, kind)
    for sub in dependant.dependencies:
        yield from _fields(sub, kind)


def _params(route: APIRoute) -> list[Param]:
    out = []
    for where, kind in (("query", "query_params"), ("path", "path_params"), ("form", "body_params")):
        for f in _fields(route.dependant, kind):
            if "File" in type(f.field_info).__name__:
                continue  # the file is the loader's: tests/reliability and tests/ingest read those
            name = f.alias or f.name
            out.append(Param(where, name, BASES.get(name) or base_value(name), f"{where}.{name}"))
    return out


def _as(c: TestClient, who: str | None, w: World) -> str:
    """Log ``c`` in as ``who``; the CSRF token of its session."""
    c.cookies.clear()
    if who is None:
        return _csrf(c.get("/login").text)
    if who == "operator":
        token = _csrf(c.get("/login").text)
        assert c.post("/login/operator", data={"csrf": token, "ruc": SELLER, "api_key": w.keys["seller"]},
                      follow_redirects=False).status_code == 303
        return _csrf(c.get("/portal").text)
    return login(c, who)


def _send(c: TestClient, method: str, path: str, params: list[Param], target: Param | None, value: str,
          token: str) -> Response:
    url, query, form = path, {}, {"csrf": token}
    for p in params:
        v = value if p is target else p.base
        if p.where == "path":
            url = url.replace("{" + p.name + "}", quote(v, safe=""))
        elif p.where == "query" and p is target:
            query[p.name] = v
        elif p.where == "form":
            form[p.name] = v
    if query:
        url += "?" + "&".join(f"{quote(k)}={quote(v)}" for k, v in query.items())
    if method == "GET":
        return c.get(url, follow_redirects=False)
    return c.post(url, data=form, follow_redirects=False)


def _problem(resp: Response, value: Hostile, p: Param, what: str) -> str | None:
    if resp.status_code >= 500:
        return f"{what}: {resp.status_code} {resp.text[:200]}"
    if not value.refused or (value.identifier_only and not is_identifier(p.name)):
        return None
    if resp.status_code not in (400, 414, 422):
        return f"{what}: expected a refusal naming {p.field}, got {resp.status_code}"
    named = "query" if resp.status_code == 414 else p.field
    if named not in resp.text or "<html" not in resp.text.lower():
        return f"{what}: the refusal page does not name {named}: {resp.text[:300]}"
    return None


def test_every_page_parameter_takes_every_hostile_value(world: World) -> None:  # noqa: F811
    world.alert("A-HOSTILE")
    routes = [(m, path, r) for path, r in _api_routes(world.app.routes) if not path.startswith("/v1")
              for m in sorted(r.methods) if (m, path) not in SKIP]
    done: set[tuple[str, str]] = set()
    problems: list[str] = []
    sent = 0
    c = world.client
    for who in ORDER:
        token = _as(c, who, world)
        for method, path, route in routes:
            roles = _roles(route.dependant)
            if (method, path) in done or (roles is not None and who not in roles) or (roles is None and who):
                continue
            done.add((method, path))
            params = _params(route)
            for p in params:
                for value in HOSTILE:
                    resp = _send(c, method, path, params, p, value.make(p.base), token)
                    sent += 1
                    problem = _problem(resp, value, p, f"{who} {method} {path} {p.field}={value.name}")
                    if problem:
                        problems.append(problem)
                    if who and resp.status_code == 303 and "/login" in resp.headers.get("location", ""):
                        token = _as(c, who, world)  # the value ended the session: start another
    assert len(done) > 30 and sent > 300, (len(done), sent)
    assert not problems, f"{len(problems)} of {sent}:\n" + "\n".join(problems[:40])
