"""The version guard in the service itself (cases/versions.py), on DuckDB and PostgreSQL: the
race is forced (one change reads, another commits, the first then writes), so the database's
refusal is what is tested, not a lucky ordering of requests."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tests.factories import BUYER, Dataset
from traza.cases import alerts, cases
from traza.cases.versions import Stale, guarded
from traza.ingest import load_paths
from traza.service import registry
from traza.store import Database


def _alert(db: Database, alert_id: str = "A-1") -> str:
    now = datetime.now(UTC).replace(tzinfo=None)
    db.execute("INSERT INTO alerts (alert_id, rule, rule_version, severity, score, ruc, first_detected_at, detected_at) "
               "VALUES (?, 'quota_exceeded', 1, 'high', 0.5, ?, ?, ?)", (alert_id, BUYER, now, now))
    return alert_id


def test_the_database_refuses_the_change_that_lost_the_race(db: Database) -> None:
    """A reads version 0 and passes the comparison; B closes the alert and commits; A then
    writes: A's claim on version 0 is refused and nothing of A stays."""
    alert_id = _alert(db)
    other = db.sibling()
    try:
        with pytest.raises(Stale) as refused, \
                guarded(db, "alert", alert_id, 0, lambda: alerts.current(db, alert_id)) as done:
            b = threading.Thread(target=alerts.act, args=(other, "staff:b", "supervisor", alert_id, "close",
                                                          "confirmed_diversion"), kwargs={"version": 0})
            b.start()
            b.join(30)
            assert not b.is_alive()
            eid = alerts._log(db, "staff:a", alert_id, "approve_close", "false_positive")
            done("staff:a", eid)
    finally:
        other.close()
    assert refused.value.current.changed_by == "staff:b" and refused.value.current.status == "closed"
    alert = alerts.get_alert(db, alert_id)
    assert alert is not None and alert["outcome"] == "confirmed_diversion"
    assert [(h["actor"], h["value"]) for h in alert["history"]] == [("staff:b", "confirmed_diversion")]
    assert db.scalar("SELECT count(*) FROM events WHERE actor = 'staff:a'") == 0


@pytest.mark.parametrize("n", [4, 6])
def test_of_n_threads_closing_one_alert_exactly_one_succeeds(db: Database, n: int) -> None:
    alert_id = _alert(db)
    outcomes = ("confirmed_diversion", "false_positive", "useful")
    gate = threading.Barrier(n)
    results: list[str | None] = [None] * n

    def close(i: int) -> None:
        conn = db.sibling()
        try:
            gate.wait()
            alerts.act(conn, f"staff:{i}", "supervisor", alert_id, "close", outcomes[i % 3], "why", version=0)
            results[i] = "ok"
        except Stale:
            results[i] = "stale"
        finally:
            conn.close()

    threads = [threading.Thread(target=close, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert results.count("ok") == 1 and results.count("stale") == n - 1, results
    winner = results.index("ok")
    alert = alerts.get_alert(db, alert_id)
    assert alert is not None and alert["outcome"] == outcomes[winner % 3]
    assert [h["actor"] for h in alert["history"]] == [f"staff:{winner}"]


def test_a_case_change_on_an_old_version_is_refused(db: Database) -> None:
    case_id = cases.create(db, "staff:a", "t", [], None)
    v = cases.current(db, case_id).version
    cases.transition(db, "staff:a", "analyst", case_id, "closure_requested", "nothing found", v, "no_diversion")
    asked = cases.current(db, case_id).version
    cases.transition(db, "staff:s", "supervisor", case_id, "closed", None, asked)
    with pytest.raises(Stale) as refused:  # the refusal decided on the request, after it was approved
        cases.transition(db, "staff:t", "supervisor", case_id, "investigating", "look again", asked)
    assert refused.value.current.status == "closed" and refused.value.current.changed_by == "staff:s"
    assert cases.current(db, case_id).status == "closed"
    # A note cannot overwrite anything: it may leave the version out.
    cases.note(db, "staff:a", case_id, "seen", None)


def test_snooze_window_is_the_service_rule(db: Database) -> None:
    today = date(2026, 3, 1)
    for until in (today - timedelta(days=1), today + timedelta(days=367)):
        with pytest.raises(alerts.SnoozeRange, match="until: expected a day between 2026-03-01 and 2027-03-02"):
            alerts.snooze(db, "staff:a", BUYER, until, None, today=today)
    assert db.scalar("SELECT count(*) FROM snoozes") == 0
    alerts.snooze(db, "staff:a", BUYER, today + timedelta(days=366), None, today=today)
    assert db.scalar("SELECT count(*) FROM snoozes") == 1


def test_a_registry_change_and_its_events_commit_together(db: Database, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """If the audit event cannot be written, the new version is not kept either."""
    load_paths(db, Dataset(tmp_path / "seed").write(), submitted_by="test", today=date(2025, 6, 1))
    before = registry.current(db, BUYER)

    def broken(*args: object, **kwargs: object) -> int:
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr(registry, "record", broken)
    with pytest.raises(RuntimeError, match="audit log"):
        registry.set_status(db, "staff:r", BUYER, "suspended", "inspection", before.version)
    assert registry.current(db, BUYER) == before
    assert db.scalar("SELECT status FROM operators WHERE ruc = ?", (BUYER,)) == "active"
    monkeypatch.undo()
    out = registry.set_status(db, "staff:r", BUYER, "suspended", "inspection", before.version)
    events = db.query("SELECT action FROM events WHERE subject_id = ? ORDER BY event_id", (BUYER,))
    assert [e[0] for e in events] == ["registry.operator.suspended", "registry.operator.status_reason"]
    assert out["version"] == registry.current(db, BUYER).version > before.version
