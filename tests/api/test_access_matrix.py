"""The access matrix derived from the app itself: each route's rule is read from the
``traza_roles`` of its dependencies (traza.api.deps), or it is listed as public. A new route
that declares neither fails here; then every route is called by every kind of caller."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fastapi.dependencies.models import Dependant
from fastapi.dependencies.utils import get_dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import BaseRoute

from tests.api.conftest import ROLES, World
from tests.api.test_access import relogin
from tests.factories import BUYER
from traza.api.deps import PUBLIC_PATHS

OPERATOR = "operator"
CALLERS = ("anonymous", OPERATOR, *ROLES)
PATH_VALUES = {"ruc": BUYER, "alert_id": "no-such-alert", "case_id": "999", "submission_id": "999",
               "key_id": "000000000000", "username": "nobody", "rule_id": "no_such_rule"}


def public_paths() -> set[str]:
    """The API's public paths, and the web UI's when that package exists."""
    paths = set(PUBLIC_PATHS)
    try:
        web = importlib.import_module("traza.web")
    except ModuleNotFoundError:
        return paths
    return paths | set(getattr(web, "PUBLIC_PATHS", ()))


def is_public(path: str, public: set[str]) -> bool:
    """Listed, or under a listed prefix (an entry ending in '/', such as the web's static assets)."""
    return path in public or any(p.endswith("/") and (path + "/").startswith(p) for p in public)


def _walk(dep: Dependant) -> Iterator[Any]:
    yield dep.call
    for sub in dep.dependencies:
        yield from _walk(sub)


@dataclass(frozen=True)
class Entry:
    """A route as the app serves it: its full path, and the guards an including router adds."""

    path: str
    route: BaseRoute
    guards: tuple[Any, ...] = ()

    def roles(self) -> set[str]:
        calls: list[Any] = list(self.guards)
        dependant = getattr(self.route, "dependant", None)
        if dependant is not None:
            calls += list(_walk(dependant))
        for guard in self.guards:
            calls += list(_walk(get_dependant(path=self.path, call=guard)))
        return {role for call in calls for role in getattr(call, "traza_roles", ())}


def _flat(routes: list[BaseRoute], prefix: str = "", guards: tuple[Any, ...] = ()) -> Iterator[Entry]:
    for route in routes:
        inner = getattr(route, "original_router", None)  # recent FastAPI keeps included routers whole
        if inner is not None:
            ctx = route.include_context  # type: ignore[attr-defined]
            extra = tuple(d.dependency for d in [*ctx.dependencies, *inner.dependencies] if d.dependency)
            yield from _flat(inner.routes, prefix + ctx.prefix, guards + extra)
        elif getattr(route, "path", None):
            yield Entry(prefix + route.path, route, guards)  # type: ignore[attr-defined]


def app_routes(world: World) -> list[Entry]:
    return list(_flat(world.app.routes))


def test_every_route_declares_who_may_call_it(world: World) -> None:
    public = public_paths()
    undeclared, both = [], []
    for entry in app_routes(world):
        roles = entry.roles()
        if not roles and not is_public(entry.path, public):
            undeclared.append(entry.path)
        if roles and is_public(entry.path, public):
            both.append(entry.path)
    assert not undeclared, f"routes with neither a traza_roles dependency nor a PUBLIC_PATHS entry: {undeclared}"
    assert not both, f"routes both public and guarded: {both}"
    assert len([e for e in app_routes(world) if isinstance(e.route, APIRoute)]) >= 40


def _path(entry: Entry, values: dict[str, str]) -> str:
    path = entry.path
    for name, value in values.items():
        path = path.replace("{" + name + "}", value)
    return path


def _call(world: World, entry: Entry, method: str, who: str, values: dict[str, str] = PATH_VALUES) -> int:
    kwargs: dict[str, Any] = {"headers": world.as_("seller" if who == OPERATOR else who)}
    if entry.path.endswith("/declarations/files"):
        kwargs["files"] = {"file": ("m.csv", b"declarant_ruc\n", "text/csv")}
    elif method in ("POST", "PUT", "PATCH"):
        kwargs["json"] = {}
    # Not followed: a web page answers strangers with a redirect to its login page (a 200).
    status = world.client.request(method, _path(entry, values), follow_redirects=False, **kwargs).status_code
    if entry.path == "/v1/auth/logout" and status == 204:
        relogin(world, who)  # that ended the role's token: the rest of the matrix needs one
    return status


def test_every_route_by_every_caller(world: World) -> None:
    public = public_paths()
    failures = []
    for entry in app_routes(world):
        if not isinstance(entry.route, APIRoute):
            continue
        roles = entry.roles()
        for method in sorted(entry.route.methods):
            web = not entry.path.startswith("/v1/") and not is_public(entry.path, public)
            for who in CALLERS:
                if web and who != "anonymous":
                    continue  # web pages take a session cookie, not these headers: their own tests log in
                status = _call(world, entry, method, who)
                if web:
                    ok = status in (401, 403) or 300 <= status < 400  # a web page sends strangers to its login
                elif is_public(entry.path, public) and not entry.path.startswith("/v1/") and method == "POST":
                    # a public form (log in, log out) still wants its fields and CSRF token
                    ok = status in (400, 403, 422)
                elif is_public(entry.path, public) or who in roles:
                    ok = status not in (401, 403) and status < 500
                elif who == "anonymous" or (who == OPERATOR) != (roles == {OPERATOR}):
                    # No credential of the kind the route takes (a key on a staff route, a
                    # token on an operator one): 401, not 403.
                    ok = status == 401
                else:
                    ok = status == 403
                if not ok:
                    failures.append(f"{method} {entry.path} as {who}: {status} (admits {sorted(roles) or 'anyone'})")
    assert not failures, "\n".join(failures)


def test_an_operator_reaching_for_another_operators_data(world: World) -> None:
    """Every operator route that names a resource, called by the buyer with the seller's:
    refused (404, so it does not even confirm the resource exists)."""
    c = world.client
    batch = {"movements": [{"establishment_code": "0000", "date": "2025-02-01", "type": "consumption",
                            "chemical": "sulfuric_acid", "quantity": 5, "unit": "kg", "declaration_id": "F-1"}]}
    sub = c.post("/v1/declarations/batch", headers=world.as_("seller"), json=batch).json()["submission_id"]
    key = c.get("/v1/me/keys", headers=world.as_("seller")).json()[0]["key_id"]
    foreign = {**PATH_VALUES, "submission_id": str(sub), "key_id": key}
    checked: list[str] = []
    web_pages: list[Entry] = []
    for entry in app_routes(world):
        if not isinstance(entry.route, APIRoute) or entry.roles() != {OPERATOR} or "{" not in entry.path:
            continue
        if not entry.path.startswith("/v1/"):
            web_pages.append(entry)  # a cookie session, not a key in a header: below
            continue
        for method in entry.route.methods:
            body: dict[str, Any] = {"json": {}} if method == "POST" else {}
            status = c.request(method, _path(entry, foreign), headers=world.as_("buyer"), **body).status_code
            assert status in (403, 404), f"{method} {entry.path}: the buyer got {status} on the seller's resource"
            if method == "GET":
                own = c.request(method, _path(entry, foreign), headers=world.as_("seller")).status_code
                assert own == 200, f"{method} {entry.path}: the owner got {own}"
            checked.append(entry.path)
    assert len(checked) >= 2, checked
    # The portal's pages, logged in through the portal's own form as the buyer, then the seller.
    for who, ok in (("buyer", (403, 404)), ("seller", (200,))):
        browser = TestClient(world.app)
        page = browser.get("/login").text
        token = re.search(r'name="csrf" value="([^"]+)"', page)
        assert token
        key = world.as_(who)["X-API-Key"]
        ruc = c.get("/v1/me", headers=world.as_(who)).json()["ruc"]
        assert browser.post("/login/operator", data={"csrf": token.group(1), "ruc": ruc, "api_key": key},
                            follow_redirects=False).status_code == 303
        for entry in web_pages:
            for method in entry.route.methods:  # type: ignore[attr-defined]
                if method != "GET":
                    continue
                status = browser.get(_path(entry, foreign), follow_redirects=False).status_code
                assert status in ok, f"{method} {entry.path} as {who}: {status}"
                checked.append(entry.path)
    assert any(not p.startswith("/v1/") for p in checked), "no portal page names a resource?"
    # The buyer's attempt did not revoke the seller's key.
    assert c.get("/v1/me", headers=world.as_("seller")).status_code == 200
