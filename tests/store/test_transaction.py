"""``Database.transaction()`` is re-entrant: an inner block joins the outer one, so a service
can wrap a load and its audit event in one commit; an inner failure undoes the whole."""

from __future__ import annotations

import duckdb
import psycopg
import pytest

from traza.store import Database
from traza.store.db import TransactionDoomed


def _table(db: Database) -> None:
    db.execute("CREATE TABLE t_nest (v INTEGER)")


def _values(db: Database) -> list[int]:
    return [int(r[0]) for r in db.query("SELECT v FROM t_nest ORDER BY v")]


def test_an_inner_transaction_commits_with_the_outer_one(db: Database) -> None:
    _table(db)
    with db.transaction():
        db.execute("INSERT INTO t_nest VALUES (1)")
        with db.transaction():
            db.execute("INSERT INTO t_nest VALUES (2)")
        assert db.in_transaction  # the inner block did not commit or close the outer one
    assert not db.in_transaction
    assert _values(db) == [1, 2]


def test_a_failure_after_the_inner_block_rolls_back_both(db: Database) -> None:
    _table(db)
    with pytest.raises(RuntimeError), db.transaction():
        db.execute("INSERT INTO t_nest VALUES (1)")
        with db.transaction():
            db.execute("INSERT INTO t_nest VALUES (2)")
        raise RuntimeError("the audit event failed")
    assert _values(db) == []


def test_an_inner_failure_caught_by_the_caller_still_commits_nothing(db: Database) -> None:
    _table(db)
    with pytest.raises(TransactionDoomed), db.transaction():
        db.execute("INSERT INTO t_nest VALUES (1)")
        try:
            with db.transaction():
                db.execute("INSERT INTO t_nest VALUES (2)")
                raise ValueError("refused")
        except ValueError:
            pass
    assert _values(db) == []
    with db.transaction():  # the connection is usable again afterwards
        db.execute("INSERT INTO t_nest VALUES (3)")
    assert _values(db) == [3]


def test_end_hooks_run_once_when_the_outer_transaction_ends(db: Database) -> None:
    _table(db)
    heard: list[bool] = []
    with db.transaction():
        with db.transaction():
            db.on_transaction_end(heard.append)
        assert heard == []
    assert heard == [True]


def test_append_writes_every_row_and_resolves_conflicts_when_asked(db: Database) -> None:
    db.execute("CREATE TABLE t_app (k INTEGER PRIMARY KEY, v VARCHAR)")
    db.append("t_app", ("k", "v"), [])
    db.append("t_app", ("k", "v"), [(1, "a"), (2, "b")])
    with db.transaction():
        db.append("t_app", ("k", "v"), [(2, "B"), (3, "c")],
                  on_conflict="ON CONFLICT (k) DO UPDATE SET v = excluded.v")
    assert db.query("SELECT k, v FROM t_app ORDER BY k") == [(1, "a"), (2, "B"), (3, "c")]
    with pytest.raises((duckdb.Error, psycopg.Error)), db.transaction():  # a conflict not asked for is an error
        db.append("t_app", ("k", "v"), [(4, "d"), (1, "again")])
    assert [r[0] for r in db.query("SELECT k FROM t_app ORDER BY k")] == [1, 2, 3]
