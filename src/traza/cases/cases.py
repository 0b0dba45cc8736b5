"""Cases: alerts grouped for one investigation, with notes, a status workflow and referral to
the police or an inspection. A case is its rows in case_log; case_state is the view.

A case closes with an outcome (core/vocab.py CASE_OUTCOMES): the analyst asks for closure
naming it, with a note; a supervisor approves (the case closes with it, and may close the
case's open alerts with the alert outcome it means, CASE_ALERT_OUTCOME, in the same
transaction) or sends it back to investigating, saying why."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from traza.cases import alerts
from traza.cases.audit import _filters, now, record
from traza.cases.versions import Current, guarded
from traza.cases.workflow import case_input_problem, case_transition_problem
from traza.core.vocab import CASE_ALERT_OUTCOME
from traza.store.db import Database


class CaseProblem(Exception):
    """The change does not apply to the case as it stands (message says why)."""


def _log(db: Database, actor: str, case_id: int, action: str, value: str | None,
         note: str | None = None, outcome: str | None = None, extra: dict[str, Any] | None = None) -> int:
    """One case_log row and its audit event (which holds the same note and outcome)."""
    at = now()
    payload = {"value": value, **({"note": note} if note else {}), **({"outcome": outcome} if outcome else {}),
               **(extra or {})}
    eid = record(db, actor, f"case.{action}", "case", str(case_id), payload, at)
    db.execute("INSERT INTO case_log (event_id, case_id, action, value, recorded_at, actor, note, outcome) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (eid, case_id, action, value, at, actor, note, outcome))
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


# A case's version (cases/versions.py) is its latest case_log event: any change moves it.
_STATE = ("SELECT c.*, (SELECT max(l.event_id) FROM case_log l WHERE l.case_id = c.case_id) AS version "
          "FROM case_state c")


def state(db: Database, case_id: int) -> dict[str, Any] | None:
    rows = db.dicts(f"{_STATE} WHERE c.case_id = ?", (case_id,))
    return rows[0] if rows else None


def get(db: Database, case_id: int) -> dict[str, Any] | None:
    case = state(db, case_id)
    if case is None:
        return None
    case["alerts"] = [r[0] for r in db.query("SELECT alert_id FROM case_alerts WHERE case_id = ? ORDER BY 1", (case_id,))]
    case["notes"] = db.dicts("SELECT event_id, value AS text, recorded_at, actor FROM case_log "
                             "WHERE case_id = ? AND action = 'note' ORDER BY event_id", (case_id,))
    case["history"] = db.dicts("SELECT event_id, action, value, note, outcome, recorded_at, actor FROM case_log "
                               "WHERE case_id = ? ORDER BY event_id", (case_id,))
    return case


def list_cases(db: Database, status: str | None, assignee: str | None, limit: int, offset: int, *,
               text: str | None = None) -> list[dict[str, Any]]:
    """Cases, newest first, each with ``rucs``: the operators its alerts name. ``text`` is a
    part of the title or of an operator's RUC (what an analyst remembers of a case)."""
    where, params = _filters(**{"c.status": status, "c.assignee": assignee})
    if text and text.strip():
        like = "%" + text.strip().lower().replace("%", "").replace("_", "") + "%"
        where.append("(lower(c.title) LIKE ? OR c.case_id IN (SELECT ca.case_id FROM case_alerts ca "
                     "JOIN alerts a ON a.alert_id = ca.alert_id WHERE a.ruc LIKE ?))")
        params += [like, like]
    sql = (_STATE + (" WHERE " + " AND ".join(where) if where else "")
           + " ORDER BY c.case_id DESC LIMIT ? OFFSET ?")
    rows = db.dicts(sql, [*params, limit, offset])
    named: dict[int, dict[str, str]] = {}
    if rows:
        marks = ", ".join("?" for _ in rows)
        for case_id, ruc, name in db.query(
                "SELECT DISTINCT ca.case_id, a.ruc, o.name FROM case_alerts ca JOIN alerts a ON a.alert_id = ca.alert_id "
                f"LEFT JOIN operators o ON o.ruc = a.ruc WHERE ca.case_id IN ({marks}) ORDER BY 1, 2",  # noqa: S608 - marks only
                [r["case_id"] for r in rows]):
            named.setdefault(int(case_id), {})[str(ruc)] = str(name or ruc)
    for r in rows:
        r["names"] = named.get(int(r["case_id"]), {})  # RUC -> registry name (the RUC when unregistered)
        r["rucs"] = list(r["names"])
    return rows


def current(db: Database, case_id: int) -> Current:
    """The case's version, status, and who made its latest change and when (KeyError: no case)."""
    s = state(db, case_id)
    if s is None:
        raise KeyError(str(case_id))
    last = db.query("SELECT actor, recorded_at FROM case_log WHERE case_id = ? ORDER BY event_id DESC LIMIT 1",
                    (case_id,))
    return Current(int(s["version"]), str(s["status"]), str(last[0][0]), last[0][1])


def _guarded(db: Database, case_id: int, version: int | None) -> AbstractContextManager[Callable[[str, int], None]]:
    return guarded(db, "case", str(case_id), version, lambda: current(db, case_id))


def add_alerts(db: Database, actor: str, case_id: int, alert_ids: list[str], version: int | None) -> None:
    """Each change below names the case's ``version`` it was decided on (Stale when the case
    moved since: of simultaneous changes on one version exactly one is kept). Adding alerts
    only adds, so here, as for a note, None means "the case as it is now"."""
    with _guarded(db, case_id, version) as done:
        if current(db, case_id).status == "closed":
            raise CaseProblem("the case is closed: a supervisor must reopen it first")
        missing = _missing_alerts(db, alert_ids)
        if missing:
            raise KeyError(", ".join(missing))
        held = {r[0] for r in db.query("SELECT alert_id FROM case_alerts WHERE case_id = ?", (case_id,))}
        last = current(db, case_id).version
        for a in dict.fromkeys(alert_ids):
            if a not in held:
                last = _log(db, actor, case_id, "add_alert", a)
        done(actor, last)


def remove_alert(db: Database, actor: str, case_id: int, alert_id: str, version: int) -> None:
    with _guarded(db, case_id, version) as done:
        held = {r[0] for r in db.query("SELECT alert_id FROM case_alerts WHERE case_id = ?", (case_id,))}
        if alert_id not in held:
            raise CaseProblem(f"alert {alert_id} is not in case {case_id}")
        done(actor, _log(db, actor, case_id, "remove_alert", alert_id))


def note(db: Database, actor: str, case_id: int, text: str, version: int | None = None) -> int:
    """A note only adds: it cannot overwrite anyone's change, so its version may be left out
    (when given, it is checked like any other)."""
    with _guarded(db, case_id, version) as done:
        eid = _log(db, actor, case_id, "note", text)
        done(actor, eid)
        return eid


def transition(db: Database, actor: str, role: str, case_id: int, target: str, note_text: str | None,
               version: int, outcome: str | None = None, close_alerts: bool = False) -> str:
    """Move the case to ``target``. Asking for closure needs ``outcome`` and a note; sending a
    request back to investigating needs the reason (Required). Approving (``closed``) keeps the
    requested outcome and, with ``close_alerts``, closes the case's alerts not yet closed with
    the alert outcome it maps to (none for insufficient evidence: they stay open), in this
    transaction and audit log. Approving and refusing one closure request both name the
    version of that request: exactly one of them is kept."""
    with _guarded(db, case_id, version) as done:
        now_at = current(db, case_id).status or ""
        problem = case_transition_problem(now_at, target, role)
        if problem:
            raise CaseProblem(problem)
        missing = case_input_problem(now_at, target, outcome, note_text)
        if missing:
            raise missing
        if target == "closed":
            asked = (state(db, case_id) or {}).get("outcome")
            if outcome and asked and outcome != asked:
                raise CaseProblem(f"closure was requested with outcome {asked}, not {outcome}: approve it as "
                                  "requested, or return the case to investigating saying why")
            outcome = asked or outcome
        kept = outcome if target in ("closure_requested", "closed") else None
        last = _log(db, actor, case_id, "status", target, note_text, kept)
        alert_outcome = CASE_ALERT_OUTCOME.get(kept or "") if target == "closed" and close_alerts else None
        if alert_outcome:
            held = [r[0] for r in db.query("SELECT alert_id FROM case_alerts WHERE case_id = ? ORDER BY 1", (case_id,))]
            closed = alerts.close_with_case(db, actor, case_id, held, alert_outcome, str(kept))
            if closed:
                last = _log(db, actor, case_id, "close_alerts", ", ".join(closed), outcome=alert_outcome)
        done(actor, last)
        return target


def refer(db: Database, actor: str, role: str, case_id: int, to: str, note_text: str | None, version: int) -> None:
    """Referral to the police or an inspection moves an investigated case to ``referred``."""
    with _guarded(db, case_id, version) as done:
        now_at = str(current(db, case_id).status)
        if now_at == "open":
            _log(db, actor, case_id, "status", "investigating")
            now_at = "investigating"
        if now_at != "referred":
            problem = case_transition_problem(now_at, "referred", role)
            if problem:
                raise CaseProblem(problem)
            _log(db, actor, case_id, "status", "referred")
        done(actor, _log(db, actor, case_id, "refer", to, note_text))


def assign(db: Database, actor: str, case_id: int, assignee: str, version: int) -> None:
    with _guarded(db, case_id, version) as done:
        done(actor, _log(db, actor, case_id, "assign", assignee))
