"""Versioned schema: a database made by an older traza upgrades in place, keeping its data."""

from __future__ import annotations

import logging

import pytest

from tests.factories import Dataset
from traza.ingest import load_paths
from traza.store import open_database
from traza.store.migrate import current_version, migrations, upgrade
from traza.store.url import parse_url


def test_fresh_database_is_at_latest_version(db_url: str) -> None:
    with open_database(db_url) as db:
        assert current_version(db) == migrations()[-1].version
        assert upgrade(db) == []  # nothing left to apply


def test_older_database_upgrades_in_place(db_url: str, data: Dataset) -> None:
    with open_database(db_url, migrate=False) as db:
        assert upgrade(db, target=1) == [1]
        assert not db.table_exists("alerts")
        load_paths(db, data.write())
    with open_database(db_url) as db:  # a newer traza opens it
        latest = migrations()[-1].version
        assert current_version(db) == latest
        assert db.table_exists("alerts") and db.table_exists("events")
        assert db.scalar("SELECT count(*) FROM movements") == 4
        assert [r[0] for r in db.query("SELECT version FROM schema_migrations ORDER BY 1")] == list(range(1, latest + 1))


def test_migrations_are_numbered_without_gaps() -> None:
    assert [m.version for m in migrations()] == list(range(1, len(migrations()) + 1))


def test_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRAZA_DATABASE_URL", raising=False)
    assert parse_url().target == "traza.duckdb"
    assert parse_url("duckdb:////abs/x.duckdb").target == "/abs/x.duckdb"
    assert str(parse_url("duckdb:////abs/x.duckdb")) == "duckdb:////abs/x.duckdb"
    monkeypatch.setenv("TRAZA_DATABASE_URL", "postgresql://u:secret@h/db")
    parsed = parse_url()
    assert parsed.dialect == "postgres" and "secret" not in str(parsed)
    with pytest.raises(ValueError, match="unsupported database URL"):
        parse_url("mysql://x")


def test_second_duckdb_writer_gets_a_clear_message(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    url = f"duckdb:///{tmp_path / 'busy.duckdb'}"
    with open_database(url):
        code = f"from traza.store import open_database\nopen_database({url!r})"
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode != 0
    assert "database busy" in out.stderr


def test_migrating_a_fresh_database_warns_nothing(db_url: str, caplog: pytest.LogCaptureFixture) -> None:
    """PostgreSQL's own SQL (functions, triggers) runs as written: sqlglot printed 38
    "unsupported syntax" warnings reading it (issue 16)."""
    import warnings

    from traza.store.pg import to_postgres

    to_postgres.cache_clear()  # sqlglot warns when it reads a statement, not when it is cached
    caplog.set_level(logging.WARNING)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with open_database(db_url) as db:
            assert current_version(db) == len(migrations())
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
