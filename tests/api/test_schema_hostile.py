"""schemathesis with hostile text, on PostgreSQL (where a NUL cannot be stored): every case
the schema generates has one hostile fragment (NUL, an escape, a BOM, a zero-width space,
full-width or Arabic-Indic digits, a lone surrogate in JSON, 20,000 characters) put into every
string of its path, query and body. Never a 5xx, and every answer as the schema documents.

Bounded: a few examples per operation (about a minute), operator and supervisor credentials on
every call, as tests/api/test_schema.py does on DuckDB with plain generated text."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import negative_data_rejection, positive_data_acceptance

from tests.api.conftest import PASSWORD, seed
from tests.api.conftest import test_settings as settings_for
from tests.conftest import _PG_SKIP, PG_BASE, REQUIRE_ALL, pg_url
from tests.factories import Dataset
from traza.api import create_app

if _PG_SKIP:
    if REQUIRE_ALL:
        pytest.fail(f"{_PG_SKIP} (TRAZA_REQUIRE_ALL_BACKENDS=1: every backend must run)", pytrace=False)
    pytest.skip(_PG_SKIP, allow_module_level=True)
TMP = Path(tempfile.mkdtemp(prefix="traza-schema-pg-"))
SCHEMA = f"traza_t_{uuid.uuid4().hex[:12]}"
# schemathesis starts the app to read its schema, so the database schema must exist first.
with psycopg.connect(PG_BASE, autocommit=True) as _conn:
    _conn.execute(f"CREATE SCHEMA {SCHEMA}")
APP = create_app(settings_for(pg_url(SCHEMA)))
schema = schemathesis.openapi.from_asgi("/v1/openapi.json", APP)
HEADERS: dict[str, str] = {}

FRAGMENTS = ("\x00", "\x1b[2J", "\ufeff", "\u200b", "２０１", "٢٠١", "\u202e", "7" * 20_000)
JSON_FRAGMENTS: tuple[str, ...] = ()  # a lone surrogate: schemathesis cannot encode one (test_hostile_params sends it)


def _inject(value: Any, fragment: str, at: int) -> Any:
    if isinstance(value, str):
        cut = at % (len(value) + 1)
        return value[:cut] + fragment + value[cut:]
    if isinstance(value, list):
        return [_inject(v, fragment, at) for v in value]
    if isinstance(value, dict):
        return {k: _inject(v, fragment, at) for k, v in value.items()}
    return value


@schema.hook
def flatmap_case(context: Any, case: Any) -> Any:
    def hostile(choice: tuple[int, int]) -> Any:
        i, at = choice
        fragments = FRAGMENTS + JSON_FRAGMENTS
        fragment = fragments[i % len(fragments)]
        if case.body is not None and isinstance(case.body, dict | list):
            case.body = _inject(case.body, fragment, at)
        if fragment not in JSON_FRAGMENTS:
            for part in ("query", "path_parameters"):
                if getattr(case, part):
                    setattr(case, part, _inject(getattr(case, part), fragment, at))
        return case

    return st.tuples(st.integers(0, 64), st.integers(0, 8)).map(hostile)


@pytest.fixture(scope="module", autouse=True)
def running() -> Iterator[None]:
    try:
        with TestClient(APP) as client:
            keys, _ = seed(APP, Dataset(TMP / "seed").write())
            token = client.post("/v1/auth/login", json={"username": "supervisor", "password": PASSWORD}).json()
            HEADERS.update({"X-API-Key": keys["seller"], "Authorization": f"Bearer {token['access_token']}"})
            yield
    finally:
        with psycopg.connect(PG_BASE, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {SCHEMA} CASCADE")
        shutil.rmtree(TMP, ignore_errors=True)


@schema.parametrize()
@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_conforms_with_hostile_text(case: schemathesis.Case) -> None:
    # As in test_schema.py, the data-acceptance heuristics are left out: a hostile value is
    # meant to be refused, and a normalised one may be refused for another reason.
    case.call_and_validate(headers=HEADERS, excluded_checks=[positive_data_acceptance, negative_data_rejection])
