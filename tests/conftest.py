"""Shared fixtures: a fresh database per test on each backend (DuckDB file, PostgreSQL
schema), and small generated declaration files."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.factories import Dataset
from traza.store import Database, open_database

PG_BASE = os.environ.get("TRAZA_TEST_POSTGRES", "postgresql://root@127.0.0.1:5432/test")


def _postgres_reason() -> str | None:
    try:
        import psycopg

        with psycopg.connect(PG_BASE, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:
        return f"PostgreSQL not reachable at {PG_BASE}: {exc}"
    return None


_PG_SKIP = _postgres_reason()


def pg_url(schema: str) -> str:
    sep = "&" if "?" in PG_BASE else "?"
    return f"{PG_BASE}{sep}options=-csearch_path%3D{schema}"


# CI sets this: there every backend must be present, and a skipped test fails the run.
REQUIRE_ALL = os.environ.get("TRAZA_REQUIRE_ALL_BACKENDS") == "1"


def skip_or_fail(reason: str) -> None:
    if REQUIRE_ALL:
        pytest.fail(f"{reason} (TRAZA_REQUIRE_ALL_BACKENDS=1: every backend must run)")
    pytest.skip(reason)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if REQUIRE_ALL and skipped and exitstatus == 0:
        print(f"\n{skipped} tests were skipped: with TRAZA_REQUIRE_ALL_BACKENDS=1 that is a failure")
        session.exitstatus = 1


@contextmanager
def fresh_pg_schema() -> Iterator[str]:
    """A fresh, empty PostgreSQL schema, dropped afterwards (skipped when the server is away);
    for fixtures of a wider scope than ``pg_schema``."""
    if _PG_SKIP:
        skip_or_fail(_PG_SKIP)
    import psycopg

    name = f"traza_t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_BASE, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    try:
        yield name
    finally:
        with psycopg.connect(PG_BASE, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {name} CASCADE")


@pytest.fixture
def pg_schema() -> Iterator[str]:
    """A fresh, empty PostgreSQL schema, dropped afterwards."""
    with fresh_pg_schema() as name:
        yield name


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """One local Spark session for the whole test run, with few shuffle partitions (the
    data are small); skipped, or failed under TRAZA_REQUIRE_ALL_BACKENDS=1, when PySpark is
    missing or cannot start Java."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TRAZA_SPARK_PARTITIONS", "2")
        try:
            from traza.detect.engines.spark import spark_session

            session = spark_session()
        except Exception as exc:  # ImportError, or Java that will not start
            skip_or_fail(f"Spark cannot start: {type(exc).__name__}: {exc}")
        session.sparkContext.setLogLevel("ERROR")
        try:
            yield session
        finally:
            session.stop()


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of a fresh database on each backend."""
    if request.param == "duckdb":
        return f"duckdb:///{tmp_path / 'traza.duckdb'}"
    schema = request.getfixturevalue("pg_schema")
    return pg_url(schema)


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = open_database(db_url)
    try:
        yield database
    finally:
        database.close()


@pytest.fixture
def data(tmp_path: Path) -> Dataset:
    return Dataset(tmp_path / "files")
