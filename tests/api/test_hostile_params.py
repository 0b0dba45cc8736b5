"""Every parameter of every API operation (from /v1/openapi.json) gets every hostile value:
NUL, an escape sequence, 20,000 characters, a BOM, a zero-width space, full-width and
Arabic-Indic digits, letters that look like digits, a lone surrogate in JSON. Never a 5xx; a
value that cannot be taken is a 4xx naming the field (``query.rule``, ``path.ruc``,
``body.movements[0].document_ref``); one that is normalised may be anything but a 5xx.

PostgreSQL is where NUL bites (its text cannot hold one); DuckDB runs the same matrix."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from tests.api.conftest import PASSWORD, ROLES, seed
from tests.api.conftest import test_settings as settings_for
from tests.api.hostile import (
    HOSTILE,
    JSON_ONLY,
    Hostile,
    Param,
    api_operations,
    is_identifier,
    replaced,
)
from tests.conftest import fresh_pg_schema, pg_url
from tests.factories import Dataset
from traza.api import create_app

# Operations that would end the credentials the matrix goes on using.
SKIP = {("POST", "/v1/me/keys/{key_id}/revoke"), ("POST", "/v1/registry/keys/{key_id}/revoke")}


class Api:
    def __init__(self, client: TestClient, headers: dict[str, dict[str, str]]) -> None:
        self.client, self.headers = client, headers
        self.spec: dict[str, Any] = client.get("/v1/openapi.json").json()
        self._who: dict[tuple[str, str], dict[str, str]] = {}

    def send(self, method: str, path: str, query: dict[str, str], body: Any, who: dict[str, str]) -> Response:
        url = path + ("?" + "&".join(f"{quote(k)}={quote(v)}" for k, v in query.items()) if query else "")
        # Encoded here, ASCII with escapes: httpx writes UTF-8 and cannot write a lone surrogate.
        content = None if body is None else json.dumps(body).encode()
        return self.client.request(method, url, headers={**who, "content-type": "application/json"}, content=content)

    def who(self, method: str, template: str, path: str, query: dict[str, str], body: Any) -> dict[str, str]:
        """The first credentials that get past 401/403 with the plain request, so the hostile
        ones reach the handler and not only the door."""
        key = (method, template)
        if key not in self._who:
            self._who[key] = self.headers["seller"]
            for headers in self.headers.values():
                if self.send(method, path, query, body, headers).status_code not in (401, 403):
                    self._who[key] = headers
                    break
        return self._who[key]


@pytest.fixture(scope="module", params=["postgres", "duckdb"])
def api(request: pytest.FixtureRequest) -> Iterator[Api]:
    folder = Path(tempfile.mkdtemp(prefix="traza-hostile-"))
    with fresh_pg_schema() if request.param == "postgres" else _nothing() as schema:
        url = pg_url(schema) if request.param == "postgres" else f"duckdb:///{folder / 'h.duckdb'}"
        app = create_app(settings_for(url))
        with TestClient(app, raise_server_exceptions=False) as client:
            keys, _ = seed(app, Dataset(folder / "seed").write())
            headers = {"seller": {"X-API-Key": keys["seller"]}}
            for role in ROLES:
                token = client.post("/v1/auth/login", json={"username": role, "password": PASSWORD}).json()
                headers[role] = {"Authorization": f"Bearer {token['access_token']}"}
            yield Api(client, headers)
    shutil.rmtree(folder, ignore_errors=True)


class _nothing:
    def __enter__(self) -> str:
        return ""

    def __exit__(self, *exc: object) -> None:
        return None


def _expect(resp: Response, value: Hostile, param: Param, what: str) -> str | None:
    """What is wrong with the answer, or None."""
    if resp.status_code >= 500:
        return f"{what}: {resp.status_code} {resp.text[:200]}"
    must_refuse = value.refused and (not value.identifier_only or is_identifier(param.name))
    if not must_refuse:
        return None
    if resp.status_code not in (400, 414, 422):
        return f"{what}: expected a refusal naming {param.field}, got {resp.status_code} {resp.text[:200]}"
    named = param.field if resp.status_code != 414 else "query"
    if named not in resp.text:
        return f"{what}: the refusal does not name {named}: {resp.text[:200]}"
    return None


def _cases() -> list[Hostile]:
    return [*HOSTILE, *JSON_ONLY]


def test_every_api_parameter_takes_every_hostile_value(api: Api) -> None:
    problems: list[str] = []
    sent = 0
    for method, template, params, body in api_operations(api.spec):
        if (method, template) in SKIP:
            continue
        plain_path = template
        for p in params:
            if p.where == "path":
                plain_path = plain_path.replace("{" + p.name + "}", p.base)
        plain_query = {p.name: p.base for p in params if p.where == "query"}
        who = api.who(method, template, plain_path, plain_query, body)
        for p in params:
            for value in _cases():
                if value in JSON_ONLY and p.where != "body":
                    continue
                path, query, doc = plain_path, dict(plain_query), body
                if p.where == "path":
                    path = template
                    for q in params:
                        if q.where == "path":
                            new = value.make(q.base) if q is p else q.base
                            path = path.replace("{" + q.name + "}", quote(new, safe=""))
                elif p.where == "query":
                    query[p.name] = value.make(p.base)
                else:
                    leaf: Any = body
                    for k in p.keys:
                        leaf = leaf[k]
                    doc = replaced(body, list(p.keys), value.make(str(leaf)))
                resp = api.send(method, path, query, doc, who)
                sent += 1
                problem = _expect(resp, value, p, f"{method} {template} {p.field}={value.name}")
                if problem:
                    problems.append(problem)
    assert sent > 1000, sent
    assert not problems, f"{len(problems)} of {sent}:\n" + "\n".join(problems[:40])


def test_hostile_credentials_are_refused_naming_the_header(api: Api) -> None:
    for header, value in (("X-API-Key", "trz_\x00x"), ("Authorization", "Bearer a\x00b"), ("X-API-Key", "trz_\x1bx")):
        for method, path in (("GET", "/v1/me"), ("POST", "/v1/checks/sale"), ("GET", "/v1/alerts")):
            resp = api.client.request(method, path, headers={header: value}, json={} if method == "POST" else None)
            assert resp.status_code == 422, (header, path, resp.text)
            assert f"header.{header.lower()}" in resp.text
