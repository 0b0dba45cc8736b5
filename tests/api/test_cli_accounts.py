"""``traza demo-accounts``: a newcomer who ran ``make demo`` can log in as every role and as an
operator; nowhere else can the command make accounts. And a fresh installation's login page
says how the first admin is made."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.api.conftest import PASSWORD
from tests.api.conftest import test_settings as settings_for
from tests.factories import Dataset
from traza.api import create_app
from traza.cli import app
from traza.core.vocab import ROLES
from traza.ingest import load_paths
from traza.service import accounts
from traza.store import open_database

runner = CliRunner()


def _country(db_url: str, tmp_path: Path) -> None:
    with open_database(db_url) as db:
        load_paths(db, Dataset(tmp_path / "seed").write(), submitted_by="test")


def test_demo_logins_open_every_role_and_the_operator_api(db_url: str, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    _country(db_url, tmp_path)
    monkeypatch.setenv("TRAZA_ENV", "development")
    monkeypatch.setenv("TRAZA_ARGON2_TIME_COST", "1")
    monkeypatch.setenv("TRAZA_ARGON2_MEMORY_KIB", "8")
    out = tmp_path / "demo" / "accounts.txt"
    r = runner.invoke(app, ["demo-accounts", "--out", str(out), "-d", db_url])
    assert r.exit_code == 0, r.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # the secrets are the user's alone
    text = out.read_text(encoding="utf-8")
    staff = dict(re.findall(r"user (demo-\w+)\s+password (\S+)", text))
    assert sorted(staff) == sorted(f"demo-{role}" for role in ROLES)
    [(ruc, key)] = re.findall(r"RUC\s+(\d{11})\s+API key\s+(\S+)", text)
    with TestClient(create_app(settings_for(db_url))) as client:
        for username, password in staff.items():
            resp = client.post("/v1/auth/login", json={"username": username, "password": password})
            assert resp.status_code == 200, (username, resp.text)
            assert client.post("/v1/auth/login", json={"username": username, "password": PASSWORD}).status_code == 401
        subs = client.get("/v1/submissions", headers={"X-API-Key": key})
        assert subs.status_code == 200, subs.text
    with open_database(db_url) as db:
        assert {u["username"]: u["role"] for u in accounts.list_users(db)} == {f"demo-{r}": r for r in ROLES}
        assert accounts.live_keys(db, ruc) == 1


def test_demo_accounts_are_refused_outside_development_and_where_staff_exist(
        db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _country(db_url, tmp_path)
    out = tmp_path / "accounts.txt"
    monkeypatch.delenv("TRAZA_ENV", raising=False)  # production by default
    r = runner.invoke(app, ["demo-accounts", "--out", str(out), "-d", db_url])
    assert r.exit_code == 2 and "TRAZA_ENV=development" in r.output
    monkeypatch.setenv("TRAZA_ENV", "development")
    monkeypatch.setenv("TRAZA_NEW_PASSWORD", PASSWORD)
    assert runner.invoke(app, ["staff-add", "ana", "--role", "admin", "-d", db_url]).exit_code == 0
    r = runner.invoke(app, ["demo-accounts", "--out", str(out), "-d", db_url])
    assert r.exit_code == 2 and "already has staff accounts" in r.output
    with open_database(db_url) as db:
        assert [u["username"] for u in accounts.list_users(db)] == ["ana"]
    assert not out.exists()


def test_the_login_page_of_a_fresh_installation_says_how_the_first_admin_is_made(db_url: str) -> None:
    with TestClient(create_app(settings_for(db_url))) as client:
        page = client.get("/login").text
        assert 'id="no-staff"' in page and "traza staff-add" in page and "Aún no hay cuentas" in page
        with open_database(db_url) as db:
            accounts.save_user(db, "test", "ana", None, "admin", "x", True, "user.create", ["role"])
        assert 'id="no-staff"' not in client.get("/login").text
