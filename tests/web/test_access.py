"""Every page declares who may open it (``traza_roles`` on its dependency, or a listing in
``PUBLIC_PATHS``), and the declared roles are what the server enforces."""

from __future__ import annotations

import re
from typing import Any

from fastapi.routing import APIRoute

from tests.api.conftest import PASSWORD, World, world  # noqa: F401 - the fixture
from traza.api import create_app
from traza.api.settings import Settings
from traza.web import PUBLIC_PATHS

STAFF = ("registrar", "analyst", "supervisor", "auditor", "admin")


def _roles(dependant: Any) -> tuple[str, ...] | None:
    for dep in dependant.dependencies:
        found = getattr(dep.call, "traza_roles", None)
        if found is not None:
            return tuple(found)
        inner = _roles(dep)
        if inner is not None:
            return inner
    return None


def _api_routes(routes: list[Any], prefix: str = "") -> list[tuple[str, APIRoute]]:
    """(full path, route), through included routers (FastAPI keeps them as wrappers that
    point at the router they include)."""
    out = []
    for route in routes:
        if isinstance(route, APIRoute):
            out.append((prefix + route.path, route))
        elif hasattr(route, "original_router"):
            out.extend(_api_routes(route.original_router.routes, prefix + route.include_context.prefix))
    return out


def web_routes() -> dict[tuple[str, str], tuple[str, ...] | None]:
    app = create_app(Settings(env="development", database_url="duckdb:///:memory:"))
    out = {}
    for path, route in _api_routes(app.routes):
        if not path.startswith("/v1"):
            for method in route.methods:
                out[(method, path)] = _roles(route.dependant)
    return out


def _public(path: str) -> bool:
    return any(path == p or (p.endswith("/") and path.startswith(p)) for p in PUBLIC_PATHS)


def test_every_page_declares_its_roles_or_is_public() -> None:
    routes = web_routes()
    assert len(routes) > 30
    undeclared = sorted(k for k, roles in routes.items() if roles is None and not _public(k[1]))
    assert not undeclared, undeclared
    assert routes[("GET", "/audit")] == ("auditor",)
    assert routes[("POST", "/alerts/{alert_id}/close")] == ("analyst", "supervisor")
    assert routes[("POST", "/alerts/assign")] == ("supervisor",)
    assert routes[("POST", "/registry/operators")] == ("registrar",)
    assert routes[("POST", "/portal/upload")] == ("operator",)
    # The monthly report as the API's report_monthly admits it; the record lists behind its
    # figures as the alert and ports pages they sit beside.
    assert routes[("GET", "/reports")] == ("registrar", "analyst", "supervisor", "auditor")
    assert routes[("GET", "/ports/inspections")] == routes[("GET", "/ports")] == ("analyst", "supervisor", "auditor")
    assert routes[("GET", "/records/alerts")] == ("analyst", "supervisor", "auditor")
    # Every page that changes something admits no more roles than the API's route for it.
    assert all(set(roles or ()) <= {"analyst", "supervisor", "registrar", "operator"}
               for (method, _), roles in routes.items() if method == "POST" and roles)


def test_declared_roles_are_enforced(world: World) -> None:  # noqa: F811
    pages = {path: roles for (method, path), roles in web_routes().items()
             if method == "GET" and roles and "{" not in path and path != "/"}
    assert {"/alerts", "/cases", "/rules", "/registry", "/audit", "/portal", "/portal/check", "/reports",
            "/ports/calls", "/ports/inspections", "/records/movements", "/records/field-plots"} <= set(pages)
    c = world.client
    for role in STAFF:
        c.cookies.clear()
        token = re.search(r'name="csrf" value="([^"]+)"', c.get("/login").text)
        assert token
        assert c.post("/login", data={"csrf": token.group(1), "username": role, "password": PASSWORD},
                      follow_redirects=False).status_code == 303
        for path, roles in pages.items():
            got = c.get(path, follow_redirects=False).status_code
            assert got == (200 if role in roles else 403), (role, path, got)
    c.cookies.clear()
    for path in pages:
        assert c.get(path, follow_redirects=False).status_code == 303, path
