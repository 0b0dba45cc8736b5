"""The workbench beside each backend: what it copies in, what it writes out, and that a
write lands inside the database's transaction (so a failed load leaves nothing)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from traza.store.db import Database
from traza.store.workbench import Workbench


@pytest.fixture
def table(db: Database) -> str:
    db.execute("CREATE TABLE wb_things (k VARCHAR PRIMARY KEY, n DOUBLE)")
    db.execute("INSERT INTO wb_things VALUES ('a', 1), ('b', 2), ('c', 3)")
    return "wb_things"


@pytest.fixture
def wb(db: Database) -> Iterator[Workbench]:
    bench = db.workbench()
    try:
        yield bench
    finally:
        bench.close()


def test_a_mirror_reads_the_database_and_refresh_sees_new_rows(db: Database, wb: Workbench, table: str) -> None:
    wb.mirror("m", f"SELECT k, n FROM {table}", types={"k": "VARCHAR", "n": "DOUBLE"})
    assert wb.con.execute("SELECT k, n FROM m ORDER BY k").fetchall() == [("a", 1.0), ("b", 2.0), ("c", 3.0)]
    with db.transaction():
        wb.con.execute("CREATE OR REPLACE TEMP TABLE new_rows AS SELECT 'b' AS k, 20.0::DOUBLE AS n "
                       "UNION ALL SELECT 'd', 4.0")
        db.execute(f"DELETE FROM {table} WHERE k = 'b'")
        wb.write(table, ["k", "n"], "SELECT k, n FROM new_rows")
        wb.refresh("m", "k", "SELECT k, n FROM new_rows")
        assert wb.con.execute("SELECT k, n FROM m ORDER BY k").fetchall() == [
            ("a", 1.0), ("b", 20.0), ("c", 3.0), ("d", 4.0)]
    assert db.query(f"SELECT k, n FROM {table} ORDER BY k") == [("a", 1.0), ("b", 20.0), ("c", 3.0), ("d", 4.0)]


def test_fetch_for_keys_brings_only_the_rows_asked_for(db: Database, wb: Workbench, table: str) -> None:
    wb.con.execute("CREATE OR REPLACE TEMP TABLE want AS SELECT unnest(['c', 'a', 'zz']) AS k")
    wb.fetch_for_keys("got", f"SELECT k, n FROM {table}", "k", "SELECT k FROM want",
                      types={"k": "VARCHAR", "n": "DOUBLE"})
    assert wb.con.execute("SELECT k, n FROM got ORDER BY k").fetchall() == [("a", 1.0), ("c", 3.0)]


def test_a_write_inside_a_failed_transaction_leaves_nothing(db: Database, wb: Workbench, table: str) -> None:
    wb.con.execute("CREATE OR REPLACE TEMP TABLE more AS SELECT 'x' AS k, 9.0::DOUBLE AS n")
    with pytest.raises(RuntimeError), db.transaction():
        wb.write(table, ["k", "n"], "SELECT k, n FROM more")
        raise RuntimeError("the load fails after writing")
    assert db.scalar(f"SELECT count(*) FROM {table} WHERE k = 'x'") == 0


def test_next_ids_are_fresh_and_increasing(db: Database, wb: Workbench) -> None:
    db.execute("CREATE SEQUENCE wb_seq START 10")
    first, second = wb.next_ids("wb_seq", 3), wb.next_ids("wb_seq", 2)
    assert first == sorted(first) and len(set(first + second)) == 5 and min(second) > max(first)
    assert wb.next_ids("wb_seq", 0) == []
