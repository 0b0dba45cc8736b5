"""GET /v1/audit/verify (issue 16, finding 4): auditors see whether the chain holds and the first
broken event; and the whole service (API and CLI loads and detection) runs as a PostgreSQL app
role that cannot rewrite the log, its events verifying."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.api import conftest as api
from tests.api.conftest import PASSWORD, ROLES, World, seed, world  # noqa: F401 - the fixture
from tests.api.test_checks import check
from tests.factories import Dataset
from tests.store.test_app_role import Roles, migrated, roles  # noqa: F401 - the fixtures
from tests.web.test_audit_page import _tamper
from traza.api import create_app
from traza.cli import app as cli

runner = CliRunner()


def test_verify_endpoint(world: World) -> None:  # noqa: F811
    c = world.client
    assert c.get("/v1/audit/verify", headers=world.as_("analyst")).status_code == 403
    ok = c.get("/v1/audit/verify", headers=world.as_("auditor")).json()
    assert ok["ok"] is True and ok["checked"] > 0 and ok["broken_event_id"] is None and len(ok["head_hash"]) == 64
    assert "recompute" in ok["limits"] or "rehashed" in ok["limits"]  # the limit, said plainly
    eid = _tamper(world)
    bad = c.get("/v1/audit/verify", headers=world.as_("auditor")).json()
    assert bad["ok"] is False and bad["broken_event_id"] == eid and "no longer match" in bad["problem"]


def test_service_and_cli_run_as_the_app_role(migrated: Roles, tmp_path: Path) -> None:  # noqa: F811
    application = create_app(api.test_settings(migrated.app_url))
    with TestClient(application, raise_server_exceptions=False) as client:
        keys, _ = seed(application, Dataset(tmp_path / "seed").write())
        w = World(client, application, keys=keys)
        for role in ROLES:
            resp = client.post("/v1/auth/login", json={"username": role, "password": PASSWORD})
            assert resp.status_code == 200, resp.text
            w.tokens[role] = resp.json()["access_token"]
        w.alert("A-1")
        assert check(w)["decision"] in ("review", "block")
        r = client.post("/v1/alerts/A-1/close", headers=w.as_("analyst"), json=w.versioned("/v1/alerts/A-1/close", {"outcome": "confirmed_diversion"}))
        assert r.status_code == 200, r.text
        assert client.post("/v1/alerts/A-1/approve", headers=w.as_("supervisor"),
                           json=w.versioned("/v1/alerts/A-1/approve")).status_code == 200
        with w.db() as db:
            assert db.scalar("SELECT current_user") == migrated.app
    other = Dataset(tmp_path / "cli")
    other.movements[0]["declaration_id"] = "S-app-role"
    other.write()
    result = runner.invoke(cli, ["load", str(other.folder), "-d", migrated.app_url, "--rejections", str(tmp_path / "r.csv")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["detect", "-d", migrated.app_url], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["audit", "verify", "-d", migrated.app_url])
    assert result.exit_code == 0 and "audit log OK" in result.output, result.output
