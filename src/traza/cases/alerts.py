"""Alert triage: list and filter, assign, snooze an operator, close with an outcome (which a
supervisor approves), and each rule's performance from those outcomes."""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from traza.cases.audit import _filters, now, record
from traza.cases.versions import Current, claim, guarded
from traza.cases.workflow import alert_action_problem, alert_close_problem
from traza.core.vocab import OUTCOMES, SUPERVISORS, TRUE_OUTCOMES
from traza.store.db import Database

_COLUMNS = ("a.alert_id, a.rule, a.rule_version, a.severity, a.score, a.ruc, a.chemical, a.period_start, "
            "a.period_end, a.observed, a.baseline, a.explanation_es, a.explanation_en, a.shadow, "
            "a.first_detected_at, a.detected_at, a.retired_at, s.status, s.assignee, s.outcome, s.closed_at, "
            "z.until AS snoozed_until, "
            # the version a change must name (cases/versions.py): the latest analyst action's id
            "(SELECT coalesce(max(l.event_id), 0) FROM alert_log l WHERE l.alert_id = a.alert_id) AS version")
_FROM = ("FROM alerts a JOIN alert_state s ON s.alert_id = a.alert_id "
         "LEFT JOIN current_snoozes z ON z.ruc = a.ruc AND z.until >= ?")


class AlertProblem(Exception):
    """The action does not apply to the alert in its current state (message says why)."""


@dataclass(frozen=True)
class AlertFilter:
    status: str | None = None
    rule: str | None = None
    ruc: str | None = None
    severity: str | None = None
    assignee: str | None = None
    chemical: str | None = None
    include_snoozed: bool = False
    include_shadow: bool = False
    include_retired: bool = False
    # Alerts whose period overlaps [since, until].
    since: date | None = None
    until: date | None = None


# Orders the queue can be sorted by (the web UI's column headers); the alert id breaks ties.
ORDERS = {"score": "a.score DESC", "severity": "CASE a.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 "
          "WHEN 'medium' THEN 2 ELSE 3 END, a.score DESC", "detected": "a.first_detected_at DESC",
          "period": "a.period_end DESC", "rule": "a.rule, a.score DESC", "ruc": "a.ruc, a.score DESC"}


def _where(f: AlertFilter) -> tuple[str, list[Any]]:
    where, params = _filters(**{"s.status": f.status, "a.rule": f.rule, "a.ruc": f.ruc,
                                "a.severity": f.severity, "s.assignee": f.assignee, "a.chemical": f.chemical})
    if not f.include_snoozed:
        where.append("z.until IS NULL")
    if not f.include_shadow:
        where.append("NOT a.shadow")
    if not f.include_retired:
        where.append("a.retired_at IS NULL")
    if f.since is not None:
        where.append("a.period_end >= ?")
        params.append(f.since)
    if f.until is not None:
        where.append("a.period_start <= ?")
        params.append(f.until)
    return (" WHERE " + " AND ".join(where) if where else ""), params


def list_alerts(db: Database, f: AlertFilter, limit: int = 100, offset: int = 0,
                today: date | None = None, order: str = "score") -> list[dict[str, Any]]:
    where, params = _where(f)
    sql = f"SELECT {_COLUMNS} {_FROM}{where} ORDER BY {ORDERS[order]}, a.alert_id LIMIT ? OFFSET ?"
    return db.dicts(sql, [today or date.today(), *params, limit, offset])


def count_alerts(db: Database, f: AlertFilter, today: date | None = None) -> int:
    where, params = _where(f)
    return int(db.scalar(f"SELECT count(*) {_FROM}{where}", [today or date.today(), *params]))


def get_alert(db: Database, alert_id: str, today: date | None = None) -> dict[str, Any] | None:
    rows = db.dicts(f"SELECT {_COLUMNS}, a.evidence, a.detail {_FROM} WHERE a.alert_id = ?",
                    (today or date.today(), alert_id))
    if not rows:
        return None
    alert = rows[0]
    with contextlib.suppress(ValueError):  # detection's own text: shown as it is
        alert["evidence"] = json.loads(alert["evidence"]) if alert["evidence"] else None
    alert["history"] = db.dicts(
        "SELECT event_id, action, value, recorded_at, actor FROM alert_log WHERE alert_id = ? ORDER BY event_id",
        (alert_id,))
    alert["cases"] = [r[0] for r in db.query("SELECT case_id FROM case_alerts WHERE alert_id = ? ORDER BY 1",
                                             (alert_id,))]
    return alert


def _status(db: Database, alert_id: str) -> str | None:
    row = db.query("SELECT status FROM alert_state WHERE alert_id = ?", (alert_id,))
    return str(row[0][0]) if row else None


def current(db: Database, alert_id: str) -> Current:
    """The alert's version (its latest alert_log event, 0 before any), status, and who made
    the latest change and when. KeyError: no such alert."""
    status = _status(db, alert_id)
    if status is None:
        raise KeyError(alert_id)
    last = db.query("SELECT event_id, actor, recorded_at FROM alert_log WHERE alert_id = ? "
                    "ORDER BY event_id DESC LIMIT 1", (alert_id,))
    if not last:
        return Current(0, status, None, None)
    return Current(int(last[0][0]), status, str(last[0][1]), last[0][2])


def _log(db: Database, actor: str, alert_id: str, action: str, value: str | None,
         extra: dict[str, Any] | None = None) -> int:
    at = now()
    eid = record(db, actor, f"alert.{action}", "alert", alert_id, {"value": value, **(extra or {})}, at)
    db.execute("INSERT INTO alert_log (event_id, alert_id, action, value, recorded_at, actor) VALUES (?, ?, ?, ?, ?, ?)",
               (eid, alert_id, action, value, at, actor))
    return eid


def assign(db: Database, actor: str, alert_id: str, assignee: str, version: int) -> int:
    """Give the alert to ``assignee``; ``version`` is the alert's version the change was
    decided on (Stale when it has moved since)."""
    with guarded(db, "alert", alert_id, version, lambda: current(db, alert_id)) as done:
        eid = _log(db, actor, alert_id, "assign", assignee)
        done(actor, eid)
        return eid


def act(db: Database, actor: str, role: str, alert_id: str, action: str, outcome: str | None = None,
        note: str | None = None, *, version: int) -> str:
    """Close (with an outcome), approve, reject or reopen; return the new status. A
    supervisor's own close needs nobody's approval. ``version`` is the alert's version the
    decision was made on: of simultaneous decisions on one version exactly one is kept, the
    others get Stale (so a confirmed diversion is never overwritten by a false positive).
    Closing needs an outcome, and a false positive a note saying why (Required)."""
    with guarded(db, "alert", alert_id, version, lambda: current(db, alert_id)) as done:
        status = str(_status(db, alert_id))
        problem = alert_action_problem(status, action, role)
        if problem:
            raise AlertProblem(problem)
        missing = alert_close_problem(outcome, note) if action == "close" else None
        if missing:
            raise missing
        extra = {"note": note} if note else None
        if action == "close":
            eid = _log(db, actor, alert_id, "approve_close" if role in SUPERVISORS else "close", outcome, extra)
        elif action == "approve":
            pending = db.scalar("SELECT outcome FROM alert_state WHERE alert_id = ?", (alert_id,))
            eid = _log(db, actor, alert_id, "approve_close", pending, extra)
        elif action == "reject":
            eid = _log(db, actor, alert_id, "reject_close", None, extra)
        else:
            eid = _log(db, actor, alert_id, "reopen", None, extra)
        done(actor, eid)
        return str(_status(db, alert_id))


def close_with_case(db: Database, actor: str, case_id: int, alert_ids: list[str], outcome: str,
                    case_outcome: str) -> list[str]:
    """Inside the case's closing transaction (cases.transition): close those of ``alert_ids``
    not yet closed with ``outcome``, a supervisor's closure, each claiming the version it
    found (an alert changed meanwhile makes the whole closure Stale). Returns those closed."""
    closed = []
    for alert_id in alert_ids:
        found = current(db, alert_id)
        if found.status == "closed":
            continue
        eid = _log(db, actor, alert_id, "approve_close", outcome, {"case_id": case_id, "case_outcome": case_outcome})
        claim(db, "alert", alert_id, found.version, eid, actor)
        closed.append(alert_id)
    return closed


SNOOZE_DAYS = 366  # how far ahead a snooze may run: a year (and a leap day)


class SnoozeRange(ValueError):
    """The snooze's last day is not between today and a year from today."""


def snooze(db: Database, actor: str, ruc: str, until: date, reason: str | None, today: date | None = None) -> int:
    """Hide the operator's alerts until ``until`` (today at the earliest, a year ahead at the
    latest: the rule lives here so no caller can skip it)."""
    day = today or date.today()
    if not day <= until <= day + timedelta(days=SNOOZE_DAYS):
        raise SnoozeRange(f"until: expected a day between {day} and {day + timedelta(days=SNOOZE_DAYS)}, got {until}")
    with db.transaction():
        at = now()
        eid = record(db, actor, "operator.snooze", "operator", ruc, {"until": until, "reason": reason}, at)
        db.execute("INSERT INTO snoozes (event_id, ruc, until, reason, recorded_at, actor) VALUES (?, ?, ?, ?, ?, ?)",
                   (eid, ruc, until, reason, at, actor))
        return eid


def lift_snooze(db: Database, actor: str, ruc: str) -> int:
    """A snooze is ended by a new row that expired yesterday (rows are never deleted)."""
    yesterday = date.today() - timedelta(days=1)
    with db.transaction():
        at = now()
        eid = record(db, actor, "operator.snooze_lifted", "operator", ruc, {}, at)
        db.execute("INSERT INTO snoozes (event_id, ruc, until, reason, recorded_at, actor) VALUES (?, ?, ?, ?, ?, ?)",
                   (eid, ruc, yesterday, "lifted", at, actor))
        return eid


def snoozes(db: Database, today: date | None = None) -> list[dict[str, Any]]:
    return db.dicts("SELECT ruc, until, reason, recorded_at, actor FROM current_snoozes WHERE until >= ? ORDER BY ruc",
                    (today or date.today(),))


def rule_performance(db: Database, since: date, until: date) -> list[dict[str, Any]]:
    """Per rule, over alerts first detected in [since, until]: hits, distinct operators, closed
    alerts, each outcome's count, and precision (useful or confirmed among closed)."""
    lo = datetime.combine(since, datetime.min.time())
    hi = datetime.combine(until, datetime.min.time()) + timedelta(days=1)
    good = ", ".join(f"'{o}'" for o in TRUE_OUTCOMES)  # our constants, not user input
    per_outcome = "".join(f"sum(CASE WHEN s.status = 'closed' AND s.outcome = '{o}' THEN 1 ELSE 0 END) AS {o}, "
                          for o in OUTCOMES)
    rows = db.dicts(
        "SELECT a.rule, count(*) AS hits, count(DISTINCT a.ruc) AS operators, "
        "sum(CASE WHEN a.shadow THEN 1 ELSE 0 END) AS shadow_hits, "
        "sum(CASE WHEN s.status = 'closed' THEN 1 ELSE 0 END) AS closed, "
        f"{per_outcome}"
        f"sum(CASE WHEN s.status = 'closed' AND s.outcome IN ({good}) THEN 1 ELSE 0 END) AS true_positive "
        "FROM alerts a JOIN alert_state s ON s.alert_id = a.alert_id "
        "WHERE a.first_detected_at >= ? AND a.first_detected_at < ? GROUP BY a.rule ORDER BY a.rule",
        (lo, hi))
    for r in rows:
        for k in ("hits", "operators", "shadow_hits", "closed", *OUTCOMES, "true_positive"):
            r[k] = int(r[k] or 0)
        closed = r["closed"]
        r["precision"] = r["true_positive"] / closed if closed else None
        r["precision_confirmed"] = r["confirmed_diversion"] / closed if closed else None
    return rows
