"""``traza backup`` / ``traza restore`` round trip on each backend: every table comes back
row for row, sequences continue after the restored ids, and damaged or mismatched backups
are refused."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.factories import Dataset
from tests.reliability.harness import child_env, traza
from traza.ingest import load_paths
from traza.service import accounts
from traza.store import Database, open_database
from traza.store.backup import BackupError, backup, restore, tables


def _fill(db: Database, data: Dataset) -> None:
    load_paths(db, data.write(), submitted_by="test")
    accounts.save_user(db, "test", "ana", "Ana", "analyst", "hash", True, "user.create", ["role"])
    accounts.add_key(db, "test", data.operators[0]["ruc"], "k1", "h", "label")


def snapshot(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    return {t: sorted(tuple(str(v) for v in r) for r in db.query(f"SELECT * FROM {t}"))  # noqa: S608
            for t in tables(db)}


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(traza(*args), capture_output=True, text=True, env=child_env())


def test_round_trip_keeps_every_table(db_url: str, data: Dataset, tmp_path: Path) -> None:
    with open_database(db_url) as db:
        _fill(db, data)
        before = snapshot(db)
        max_event = int(db.scalar("SELECT max(event_id) FROM events"))
    assert sum(map(len, before.values())) > 20 and len(before) >= 15
    out = tmp_path / "backup"
    done = _cli("backup", str(out), "-d", db_url)
    assert done.returncode == 0, done.stderr
    assert "backed up" in done.stdout and (out / "manifest.json").is_file()
    if db_url.startswith("duckdb"):
        target = f"duckdb:///{tmp_path / 'restored.duckdb'}"
    else:
        import psycopg

        from tests.conftest import PG_BASE
        schema = db_url.rsplit("%3D", 1)[1]
        with psycopg.connect(PG_BASE, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")
        target = db_url
    done = _cli("restore", str(out), "-d", target)
    assert done.returncode == 0, done.stderr
    with open_database(target) as db:
        assert snapshot(db) == before
        assert int(db.scalar("SELECT nextval('event_id_seq')")) > max_event
    # Restoring again over the restored data is refused, and changes nothing.
    again = _cli("restore", str(out), "-d", target)
    assert again.returncode == 2 and ("not empty" in again.stderr or "exists" in again.stderr), again.stderr


def test_damaged_or_foreign_backups_are_refused(data: Dataset, tmp_path: Path) -> None:
    src = f"duckdb:///{tmp_path / 'a.duckdb'}"
    with open_database(src) as db:
        _fill(db, data)
        manifest = backup(db, tmp_path / "b")
        with pytest.raises(BackupError, match="not empty"):
            backup(db, tmp_path / "b")
    victim = tmp_path / "b" / manifest["tables"]["events"]["file"]
    victim.write_bytes(victim.read_bytes()[:-10] + b"0123456789")
    with open_database(f"duckdb:///{tmp_path / 'c.duckdb'}") as db:
        with pytest.raises(BackupError, match="checksum"):
            restore(db, tmp_path / "b")
        assert db.scalar("SELECT count(*) FROM events") == 0
        with pytest.raises(BackupError, match="not a traza backup"):
            restore(db, tmp_path)
