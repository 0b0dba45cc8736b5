"""Who ran the CLI's changes (issue 16, lesser item): `traza load` keeps `cli:<user>` as each
submission's submitted_by unless --by names someone, and `traza load` and `traza detect` each
write an audit event naming who ran them, on the chain `traza audit verify` checks."""

from __future__ import annotations

import getpass
from pathlib import Path

from typer.testing import CliRunner

from tests.factories import Dataset
from traza.cli import app
from traza.store import open_database

runner = CliRunner()
ME = f"cli:{getpass.getuser()}"


def test_load_and_detect_record_who_ran_them(db_url: str, data: Dataset, tmp_path: Path) -> None:
    data.write()
    result = runner.invoke(app, ["load", str(data.folder), "-d", db_url, "--rejections", str(tmp_path / "r.csv")])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["detect", "-d", db_url])
    assert result.exit_code == 0, result.output
    with open_database(db_url) as db:
        subs = db.query("SELECT submission_id, submitted_by FROM submissions ORDER BY submission_id")
        assert subs and all(by == ME for _, by in subs)
        loads = db.query("SELECT actor, subject_type, subject_id FROM events WHERE action = 'declarations.load' "
                         "ORDER BY event_id")
        assert loads == [(ME, "submission", str(s)) for s, _ in subs]
        run = db.query("SELECT actor, subject_type, subject_id FROM events WHERE action = 'detection.run'")
        assert run == [(ME, "detection_run", str(db.scalar("SELECT max(run_id) FROM detection_runs")))]
    result = runner.invoke(app, ["audit", "verify", "-d", db_url])
    assert result.exit_code == 0 and "audit log OK" in result.output


def test_load_by_someone_named(db_url: str, data: Dataset, tmp_path: Path) -> None:
    data.write("operators")
    result = runner.invoke(app, ["load", str(data.folder), "-d", db_url, "--by", "SUNAT batch 7",
                                 "--rejections", str(tmp_path / "r.csv")])
    assert result.exit_code == 0, result.output
    with open_database(db_url) as db:
        assert db.query("SELECT submitted_by FROM submissions") == [("SUNAT batch 7",)]
        event = db.dicts("SELECT actor, payload FROM events WHERE action = 'declarations.load'")
        assert event[0]["actor"] == ME and '"submitted_by": "SUNAT batch 7"' in event[0]["payload"]
