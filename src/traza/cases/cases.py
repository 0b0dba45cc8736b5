"""Cases: alerts grouped for one investigation, with notes, a status workflow and referral to
the police or an inspection. A case is its rows in case_log; case_state is the view."""

from __future__ import annotations

from typing import Any

from traza.cases.audit import _filters, now, record
from traza.cases.workflow import case_transition_problem
from traza.store.db import Database


class CaseProblem(Exception):
    """The change does not apply to the case as it stands (message says why)."""


def _log(db: Database, actor: str, case_id: int, action: str, value: str | None,
         extra: dict[str, Any] | None = None) -> int:
    at = now()
    eid = record(db, actor, f"case.{action}", "case", str(case_id), {"value": value, **(extra or {})}, at)
    db.execute("INSERT INTO case_log (event_id, case_id, action, value, recorded_at, actor) VALUES (?, ?, ?, ?, ?, ?)",
               (eid, case_id, action, value, at, actor))
    return eid


def _missing_alerts(db: Database, alert_ids: list[str]) -> list[str]:
    return [a for a in dict.fromkeys(alert_ids)
            if not db.query("SELECT 1 FROM alerts WHERE alert_id = ?", (a,))]


def create(db: Database, actor: str, title: str, alert_ids: list[str], note: str | None) -> int:
    with db.transaction():
        missing = _missing_alerts(db, alert_ids) if alert_ids else []
        if missing:
            raise KeyError(", ".join(missing))
        case_id = int(db.scalar("SELECT nextval('case_id_seq')"))
        _log(db, actor, case_id, "open", title)
        for a in dict.fromkeys(alert_ids):
            _log(db, actor, case_id, "add_alert", a)
        if note:
            _log(db, actor, case_id, "note", note)
        return case_id


def state(db: Database, case_id: int) -> dict[str, Any] | None:
    rows = db.dicts("SELECT * FROM case_state WHERE case_id = ?", (case_id,))
    return rows[0] if rows else None


def get(db: Database, case_id: int) -> dict[str, Any] | None:
    case = state(db, case_id)
    if case is None:
        return None
    case["alerts"] = [r[0] for r in db.query("SELECT alert_id FROM case_alerts WHERE case_id = ? ORDER BY 1", (case_id,))]
    case["notes"] = db.dicts("SELECT event_id, value AS text, recorded_at, actor FROM case_log "
                             "WHERE case_id = ? AND action = 'note' ORDER BY event_id", (case_id,))
    case["history"] = db.dicts("SELECT event_id, action, value, recorded_at, actor FROM case_log "
                               "WHERE case_id = ? ORDER BY event_id", (case_id,))
    return case


def list_cases(db: Database, status: str | None, assignee: str | None, limit: int, offset: int) -> list[dict[str, Any]]:
    where, params = _filters(status=status, assignee=assignee)
    sql = ("SELECT * FROM case_state" + (" WHERE " + " AND ".join(where) if where else "")
           + " ORDER BY case_id DESC LIMIT ? OFFSET ?")
    return db.dicts(sql, [*params, limit, offset])


def _current(db: Database, case_id: int) -> str:
    s = state(db, case_id)
    if s is None:
        raise KeyError(str(case_id))
    return str(s["status"])


def add_alerts(db: Database, actor: str, case_id: int, alert_ids: list[str]) -> None:
    with db.transaction():
        if _current(db, case_id) == "closed":
            raise CaseProblem("the case is closed: a supervisor must reopen it first")
        missing = _missing_alerts(db, alert_ids)
        if missing:
            raise KeyError(", ".join(missing))
        held = {r[0] for r in db.query("SELECT alert_id FROM case_alerts WHERE case_id = ?", (case_id,))}
        for a in dict.fromkeys(alert_ids):
            if a not in held:
                _log(db, actor, case_id, "add_alert", a)


def remove_alert(db: Database, actor: str, case_id: int, alert_id: str) -> None:
    with db.transaction():
        _current(db, case_id)
        held = {r[0] for r in db.query("SELECT alert_id FROM case_alerts WHERE case_id = ?", (case_id,))}
        if alert_id not in held:
            raise CaseProblem(f"alert {alert_id} is not in case {case_id}")
        _log(db, actor, case_id, "remove_alert", alert_id)


def note(db: Database, actor: str, case_id: int, text: str) -> int:
    with db.transaction():
        _current(db, case_id)
        return _log(db, actor, case_id, "note", text)


def transition(db: Database, actor: str, role: str, case_id: int, target: str, note_text: str | None) -> str:
    with db.transaction():
        problem = case_transition_problem(_current(db, case_id), target, role)
        if problem:
            raise CaseProblem(problem)
        _log(db, actor, case_id, "status", target, {"note": note_text} if note_text else None)
        return target


def refer(db: Database, actor: str, role: str, case_id: int, to: str, note_text: str | None) -> None:
    """Referral to the police or an inspection moves an investigated case to ``referred``."""
    with db.transaction():
        current = _current(db, case_id)
        if current == "open":
            _log(db, actor, case_id, "status", "investigating")
            current = "investigating"
        if current != "referred":
            problem = case_transition_problem(current, "referred", role)
            if problem:
                raise CaseProblem(problem)
            _log(db, actor, case_id, "status", "referred")
        _log(db, actor, case_id, "refer", to, {"note": note_text} if note_text else None)


def assign(db: Database, actor: str, case_id: int, assignee: str) -> None:
    with db.transaction():
        _current(db, case_id)
        _log(db, actor, case_id, "assign", assignee)
