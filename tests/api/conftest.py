"""An app per test on each backend, with the factories' registry and ledger loaded, one staff
member per role (logged in) and an API key for the seller and the buyer."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.factories import BUYER, SELLER, THIRD, Dataset
from traza.api import create_app
from traza.api.settings import Settings
from traza.ingest import load_paths
from traza.service import accounts
from traza.service.keys import new_api_key
from traza.store import Database

ROLES = ("registrar", "analyst", "supervisor", "auditor", "admin")
PASSWORD = "correct horse battery staple"


def test_settings(db_url: str, **over: Any) -> Settings:
    base: dict[str, Any] = dict(env="development", database_url=db_url, facts_refresh_seconds=0,
                                check_flush_seconds=0, argon2_time_cost=1, argon2_memory_kib=8,
                                secret_key="x" * 40, check_rate_per_minute=6000, check_burst=1000,
                                max_upload_bytes=1024 * 1024)
    return Settings(**{**base, **over})


# The state changes that must name the version they change (cases/versions.py).
VERSIONED = re.compile(r"^/v1/(alerts/[^/]+/(assign|close|approve|reject|reopen)|cases/\d+/(status|referral|assign"
                       r"|alerts/[^/]+/remove)|registry/(operators/[^/]+/status|establishments|authorisations))$")


@dataclass
class World:
    client: TestClient
    app: FastAPI
    tokens: dict[str, str] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)

    def db(self) -> Any:
        return self.app.state.traza.pool.connection()

    def as_(self, who: str) -> dict[str, str]:
        """Headers for a role, an operator ('seller', 'buyer') or nobody ('anonymous')."""
        if who in self.tokens:
            return {"Authorization": f"Bearer {self.tokens[who]}"}
        if who in self.keys:
            return {"X-API-Key": self.keys[who]}
        return {}

    def version(self, path: str, body: dict[str, Any] | None = None) -> int:
        """The version a change to ``path`` must name (cases/versions.py), read as a client
        would: from the alert, the case or the operator it changes."""
        parts = path.split("/")
        if parts[2] in ("alerts", "cases"):
            subject = f"/v1/{parts[2]}/{parts[3]}"
        else:  # the registry: the operator named by the path or the body
            ruc = parts[4] if parts[3] == "operators" and len(parts) > 4 else (body or {})["ruc"]
            subject = f"/v1/registry/operators/{ruc}"
        resp = self.client.get(subject, headers=self.as_("auditor" if parts[2] != "registry" else "registrar"))
        return int(resp.json()["version"]) if resp.status_code == 200 else 0

    def versioned(self, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        """``body`` with the subject's current version added (unless it names one)."""
        body = dict(body or {})
        body.setdefault("version", self.version(path, body))
        return body

    def alert(self, alert_id: str, ruc: str = BUYER, rule: str = "quota_exceeded", severity: str = "high",
              shadow: bool = False, chemical: str = "sulfuric_acid") -> str:
        now = datetime.now(UTC).replace(tzinfo=None)
        with self.db() as db:
            db.execute(
                "INSERT INTO alerts (alert_id, rule, rule_version, severity, score, ruc, chemical, period_start, "
                "period_end, observed, baseline, detail, explanation_es, explanation_en, evidence, shadow, run_id, "
                "first_detected_at, detected_at) VALUES (?, ?, 1, ?, 0.8, ?, ?, ?, ?, 10, 5, 'd', 'es', 'en', '[1]', ?, 1, ?, ?)",
                (alert_id, rule, severity, ruc, chemical, date(2025, 1, 1), date(2025, 1, 31), shadow, now, now))
        return alert_id


def seed(app: FastAPI, files: list[Path]) -> tuple[dict[str, str], dict[str, str]]:
    state = app.state.traza
    keys: dict[str, str] = {}
    with state.pool.connection() as db:
        db_: Database = db
        load_paths(db_, files, submitted_by="test", today=date(2025, 6, 1))
        for role in ROLES:
            accounts.save_user(db_, "test", role, role.title(), role, state.passwords.hash(PASSWORD), True,
                               "user.create", ["role"])
        for who, ruc in (("seller", SELLER), ("buyer", BUYER), ("third", THIRD)):
            k = new_api_key()
            accounts.add_key(db_, "test", ruc, k.key_id, k.secret_hash, who)
            keys[who] = k.token
    return keys, {}


@pytest.fixture
def world(db_url: str, tmp_path: Path) -> Iterator[World]:
    app = create_app(test_settings(db_url))
    data = Dataset(tmp_path / "seed")
    with TestClient(app, raise_server_exceptions=False) as client:
        keys, _ = seed(app, data.write())
        w = World(client, app, keys=keys)
        for role in ROLES:
            resp = client.post("/v1/auth/login", json={"username": role, "password": PASSWORD})
            assert resp.status_code == 200, resp.text
            w.tokens[role] = resp.json()["access_token"]
        yield w
