"""The audit log's hash chain (issue 16, finding 4), on both engines: an untouched log verifies;
an edited, deleted or forged event is found and named, by the store and by `traza audit
verify`; concurrent writers keep one chain; events from before migration 0007 are chained."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest
from typer.testing import CliRunner

from traza.cases.audit import record
from traza.cli import app
from traza.store import Database, open_database
from traza.store.chain import GENESIS, link_hash, verify
from traza.store.migrate import upgrade

runner = CliRunner()


def _events(db: Database, n: int) -> list[int]:
    return [record(db, "staff:analyst", "alert.close", "alert", f"A{i}", {"value": "confirmed", "i": i})
            for i in range(n)]


def _as_owner(db: Database, sql: str, params: tuple[object, ...] = ()) -> None:
    """What the owner role (or anyone holding the DuckDB file) can do: lift the trigger, edit."""
    with db.transaction():
        if db.dialect == "postgres":
            db.execute_native("ALTER TABLE events DISABLE TRIGGER events_append_only")
        db.execute(sql, params)
        if db.dialect == "postgres":
            db.execute_native("ALTER TABLE events ENABLE TRIGGER events_append_only")


def _verify_cli(db_url: str, *extra: str) -> tuple[int, str]:
    result = runner.invoke(app, ["audit", "verify", "-d", db_url, *extra])
    return result.exit_code, result.output


def test_untouched_log_verifies(db: Database, db_url: str) -> None:
    ids = _events(db, 5)
    with db.transaction():  # several events of one change
        ids += _events(db, 3)
    report = verify(db)
    head = db.query("SELECT event_id, hash FROM events ORDER BY event_id DESC LIMIT 1")[0]
    assert report.ok and report.checked == 8 and report.problems == 0
    assert (report.head_event_id, report.head_hash) == (ids[-1], head[1])
    first = db.query("SELECT prev_hash FROM events ORDER BY event_id LIMIT 1")[0][0]
    assert first == GENESIS
    code, out = _verify_cli(db_url)
    assert code == 0, out
    assert "audit log OK" in out and "8 events checked" in out and head[1] in out
    assert "cannot promise" in out


def test_edited_payload_is_found_and_named(db: Database, db_url: str) -> None:
    ids = _events(db, 5)
    _as_owner(db, "UPDATE events SET payload = ? WHERE event_id = ?", ('{"value": "false_positive"}', ids[2]))
    report = verify(db)
    assert not report.ok and report.broken_event_id == ids[2]
    assert report.problem and "contents no longer match its hash" in report.problem
    code, out = _verify_cli(db_url)
    assert code == 1, out
    assert f"BROKEN at event {ids[2]}" in out


def test_forged_insert_is_found(db: Database, db_url: str) -> None:
    ids = _events(db, 3)
    # Direct SQL, as anyone allowed to INSERT could: first with no hash, then with a made-up one.
    db.execute("INSERT INTO events (event_id, recorded_at, actor, action, subject_type, subject_id, payload) "
               "VALUES (?, ?, 'staff:admin', 'user.create', 'user', 'mallory', '{}')", (ids[-1] + 10, datetime.now()))
    report = verify(db)
    assert report.broken_event_id == ids[-1] + 10 and report.problem and "no hash" in report.problem
    head = db.query("SELECT hash FROM events WHERE event_id = ?", (ids[-1],))[0][0]
    db.execute("INSERT INTO events VALUES (?, ?, 'staff:admin', 'user.create', 'user', 'eve', '{}', ?, ?)",
               (ids[-1] + 20, datetime.now(), head, "f" * 64))
    assert verify(db).problems == 2
    code, out = _verify_cli(db_url)
    assert code == 1 and f"event {ids[-1] + 10}" in out and "2 broken events" in out


def test_deleted_event_is_found(db: Database) -> None:
    ids = _events(db, 4)
    _as_owner(db, "DELETE FROM events WHERE event_id = ?", (ids[1],))
    report = verify(db)
    assert report.broken_event_id == ids[2]
    assert report.problem and "was deleted" in report.problem and f"event {ids[0]}" in report.problem


def test_rewritten_and_rehashed_log_is_found_only_by_an_anchor(db: Database, db_url: str) -> None:
    """The limit, said plainly: whoever may UPDATE every row can recompute the chain; a head hash
    noted elsewhere beforehand still reveals it."""
    ids = _events(db, 3)
    anchor = f"{ids[-1]}:{verify(db).head_hash}"
    rows = db.query("SELECT event_id, recorded_at, actor, action, subject_type, subject_id, payload FROM events "
                    "ORDER BY event_id")
    prev = GENESIS
    for r in rows:
        payload = '{"value": "false_positive"}' if r[0] == ids[0] else r[6]
        h = link_hash(r[0], r[1], r[2], r[3], r[4], r[5], payload, prev)
        _as_owner(db, "UPDATE events SET payload = ?, prev_hash = ?, hash = ? WHERE event_id = ?", (payload, prev, h, r[0]))
        prev = h
    assert verify(db).ok
    code, out = _verify_cli(db_url, "--anchor", anchor)
    assert code == 1 and f"anchor event {ids[-1]}" in out and "rehashed" in out


def test_concurrent_writers_keep_one_chain(db: Database) -> None:
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def write(n: int) -> None:
        conn = db.sibling()
        try:
            start.wait()
            for i in range(20):
                if i % 3:
                    record(conn, f"t{n}", "x.y", "t", str(i), {"n": n})
                else:  # two events in one transaction, the chain held between them
                    with conn.transaction():
                        record(conn, f"t{n}", "x.y", "t", str(i))
                        record(conn, f"t{n}", "x.z", "t", str(i))
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            conn.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    report = verify(db)
    assert report.ok, report.problem
    assert report.checked == 6 * (20 + 7)
    links = db.query("SELECT prev_hash, count(*) FROM events GROUP BY prev_hash HAVING count(*) > 1")
    assert links == []  # no two events claim the same predecessor: no fork


def test_rolled_back_event_leaves_the_chain_whole(db: Database) -> None:
    _events(db, 2)
    with pytest.raises(RuntimeError), db.transaction():
        _events(db, 1)
        raise RuntimeError("the change fails after its event")
    _events(db, 2)
    report = verify(db)
    assert report.ok and report.checked == 4


def test_events_from_before_the_chain_are_chained_by_the_migration(db_url: str) -> None:
    with open_database(db_url, migrate=False) as db:
        upgrade(db, target=6)
        for i in range(3):
            db.execute("INSERT INTO events VALUES (nextval('event_id_seq'), ?, 'staff:admin', 'user.create', "
                       "'user', ?, '{}')", (datetime(2025, 1, 1, 12, 0, i, 123456), f"u{i}"))
        assert upgrade(db, target=7) == [7]
        assert verify(db).ok and verify(db).checked == 3
        _events(db, 1)
        report = verify(db)
        assert report.ok and report.checked == 4


def test_a_well_formed_forgery_is_found_when_the_chain_is_keyed(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    # An outside probe inserted an event with the right prev_hash and the SHA-256 it computed
    # itself, and the unkeyed chain verified. With TRAZA_AUDIT_KEY the seal is an HMAC the
    # database does not hold.
    from traza.store.chain import link_hash

    monkeypatch.setenv("TRAZA_AUDIT_KEY", "k" * 40)
    _events(db, 2)
    head_id, head = db.query("SELECT event_id, hash FROM events ORDER BY event_id DESC LIMIT 1")[0]
    assert head.startswith("k1:") and verify(db).ok and verify(db).keyed == 2
    at = datetime(2026, 1, 1, 12, 0, 0, 1)
    for fake in (link_hash(head_id + 1, at, "staff:admin", "alert.close", "alert", "A9", "{}", head),
                 link_hash(head_id + 1, at, "staff:admin", "alert.close", "alert", "A9", "{}", head, b"guess")):
        with db.transaction():
            db.execute("INSERT INTO events VALUES (?, ?, 'staff:admin', 'alert.close', 'alert', 'A9', '{}', ?, ?)",
                       (head_id + 1, at, head, fake))
        report = verify(db)
        assert not report.ok and report.broken_event_id == head_id + 1, report
        if db.dialect != "duckdb":
            break  # PostgreSQL's append-only trigger keeps the first forgery: once is enough there
        db.execute("DELETE FROM events WHERE event_id = ?", (head_id + 1,))
    # Without the key the seals' contents cannot be checked, and the report says so.
    monkeypatch.delenv("TRAZA_AUDIT_KEY")
    assert verify(db).unchecked >= 2
