"""PostgreSQL only: a table grown by a bulk write is analysed when the write commits, so the
planner does not meet a freshly loaded table without statistics (a 3.5 s alert queue)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import pg_url
from traza.store import Database, open_database
from traza.store.pg import ANALYZE_AFTER_ROWS


@pytest.fixture
def pg(pg_schema: str) -> Iterator[Database]:
    db = open_database(pg_url(pg_schema), migrate=False)
    db.execute("CREATE TABLE t_bulk (v INTEGER)")
    try:
        yield db
    finally:
        db.close()


def _tuples(db: Database) -> float:
    # reltuples is -1 until the table is first analysed (COPY does not set it).
    return float(db.scalar("SELECT reltuples FROM pg_class WHERE oid = 't_bulk'::regclass"))


def test_a_bulk_append_is_analysed_when_its_transaction_commits(pg: Database) -> None:
    n = ANALYZE_AFTER_ROWS + 500
    with pg.transaction():
        pg.append("t_bulk", ["v"], [(i,) for i in range(n)])
        assert _tuples(pg) == -1  # not inside the transaction: its rows may yet be undone
    assert _tuples(pg) == n


def test_an_append_that_resolves_conflicts_is_analysed_too(pg: Database) -> None:
    # A detection run writes its alerts so (ON CONFLICT: a finding seen before is updated).
    pg.execute("ALTER TABLE t_bulk ADD PRIMARY KEY (v)")
    n = ANALYZE_AFTER_ROWS
    pg.append("t_bulk", ["v"], [(i,) for i in range(n)], "ON CONFLICT (v) DO NOTHING")
    assert _tuples(pg) == n


def test_a_bulk_copy_outside_a_transaction_is_analysed_at_once(pg: Database, tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("".join(f"{i}\n" for i in range(ANALYZE_AFTER_ROWS)))
    pg.copy_csv_into("t_bulk", ["v"], path)
    assert _tuples(pg) == ANALYZE_AFTER_ROWS


def test_a_small_write_or_a_rolled_back_one_is_left_to_autovacuum(pg: Database) -> None:
    pg.append("t_bulk", ["v"], [(1,), (2,)])
    with pytest.raises(RuntimeError), pg.transaction():
        pg.append("t_bulk", ["v"], [(i,) for i in range(ANALYZE_AFTER_ROWS)])
        raise RuntimeError("the load failed")
    pg.append("t_bulk", ["v"], [(3,)])  # the undone rows no longer count towards the next
    assert _tuples(pg) == -1
    assert pg.scalar("SELECT count(*) FROM t_bulk") == 3
