"""Alerts: list and filter, assign, close with an outcome (approved by a supervisor), reopen;
snooze an operator's alerts until a day."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import Query
from pydantic import BaseModel, Field

from traza.api.deps import AlertReader, AlertWorker, Db, Supervisor
from traza.api.errors import ErrorDetail, Invalid, NotFound
from traza.api.routers._common import Version, router, translated
from traza.api.schemas import Limit, Offset, Ruc, ShortText, Strict, Text, Timestamp
from traza.cases import alerts as svc
from traza.cases.workflow import AlertStatus
from traza.core.vocab import Outcome, Severity
from traza.service import accounts

r = router("alerts")
AlertId = Annotated[str, Field(min_length=1, max_length=200)]


class AlertOut(BaseModel):
    alert_id: str
    rule: str
    rule_version: int
    severity: str
    score: float
    ruc: str
    chemical: str | None
    period_start: dt.date | None
    period_end: dt.date | None
    observed: float | None
    baseline: float | None
    explanation_es: str | None
    explanation_en: str | None
    shadow: bool
    first_detected_at: Timestamp
    detected_at: Timestamp
    retired_at: Timestamp | None
    status: str
    assignee: str | None
    outcome: str | None
    closed_at: Timestamp | None
    snoozed_until: dt.date | None
    version: int = Field(description="Send it back with a change: the latest change's id (0: none yet)")


class AlertLogOut(BaseModel):
    event_id: int
    action: str
    value: str | None
    recorded_at: Timestamp
    actor: str


class AlertDetailOut(AlertOut):
    detail: str | None
    evidence: Any = None
    history: list[AlertLogOut]
    cases: list[int]


class AssignIn(Strict):
    assignee: ShortText
    version: Version


class CloseIn(Strict):
    outcome: Outcome
    note: Text | None = Field(None, description="Why; required for false_positive (422 naming `note`)")
    version: Version


class NoteIn(Strict):
    note: Text | None = None
    version: Version


class StatusOut(BaseModel):
    alert_id: str
    status: str
    version: int


class SnoozeIn(Strict):
    ruc: Ruc
    until: dt.date
    reason: Text | None = None


class SnoozeOut(BaseModel):
    ruc: str
    until: dt.date
    reason: str | None
    recorded_at: Timestamp
    actor: str


@r.get("/alerts", operation_id="list_alerts", response_model=list[AlertOut])
def list_alerts(staff: AlertReader, db: Db,
                status: Annotated[AlertStatus | None, Query()] = None,
                rule: Annotated[str | None, Query(max_length=100)] = None, ruc: Ruc | None = None,
                severity: Annotated[Severity | None, Query()] = None,
                assignee: Annotated[str | None, Query(max_length=100)] = None,
                chemical: Annotated[str | None, Query(max_length=100)] = None,
                include_snoozed: bool = False, include_shadow: bool = False, include_retired: bool = False,
                limit: Annotated[Limit, Query()] = 100, offset: Annotated[Offset, Query()] = 0) -> list[AlertOut]:
    """The alert queue, highest score first; snoozed operators, shadow rules and retired
    alerts are left out unless asked for."""
    f = svc.AlertFilter(status, rule, ruc, severity, assignee, chemical, include_snoozed, include_shadow, include_retired)
    return [AlertOut(**a) for a in svc.list_alerts(db, f, limit, offset)]


@r.get("/alerts/{alert_id}", operation_id="get_alert", response_model=AlertDetailOut)
def get_alert(staff: AlertReader, db: Db, alert_id: AlertId) -> AlertDetailOut:
    """One alert with its evidence, its history and the cases that hold it."""
    alert = svc.get_alert(db, alert_id)
    if alert is None:
        raise NotFound(f"no alert {alert_id}")
    return AlertDetailOut(**alert)


def _exists(db: Db, alert_id: str) -> None:
    if svc.get_alert(db, alert_id) is None:
        raise NotFound(f"no alert {alert_id}")


@r.post("/alerts/{alert_id}/assign", operation_id="assign_alert", response_model=StatusOut)
def assign(staff: Supervisor, db: Db, alert_id: AlertId, body: AssignIn) -> StatusOut:
    """Give an alert to an analyst (or supervisor)."""
    _exists(db, alert_id)
    if not accounts.assignable(db, body.assignee):
        raise Invalid(f"{body.assignee} is not an active analyst or supervisor")
    with translated("alert"):
        svc.assign(db, staff.actor, alert_id, body.assignee, body.version)
    return _status_out(db, alert_id)


def _status_out(db: Db, alert_id: str) -> StatusOut:
    now = svc.current(db, alert_id)
    return StatusOut(alert_id=alert_id, status=str(now.status), version=now.version)


@r.post("/alerts/{alert_id}/close", operation_id="close_alert", response_model=StatusOut)
def close(staff: AlertWorker, db: Db, alert_id: AlertId, body: CloseIn) -> StatusOut:
    """Close with an outcome; an analyst's closure waits for a supervisor's approval. A
    false_positive needs a `note` saying why. Send the alert's `version`: of simultaneous decisions on one version exactly one is kept, the others
    get 409 saying what the alert is now."""
    with translated("alert"):
        svc.act(db, staff.actor, staff.role, alert_id, "close", body.outcome, body.note, version=body.version)
    return _status_out(db, alert_id)


def _supervise(staff: Any, db: Db, alert_id: str, action: str, body: NoteIn) -> StatusOut:
    with translated("alert"):
        svc.act(db, staff.actor, staff.role, alert_id, action, None, body.note, version=body.version)
    return _status_out(db, alert_id)


@r.post("/alerts/{alert_id}/approve", operation_id="approve_alert_closure", response_model=StatusOut)
def approve(staff: Supervisor, db: Db, alert_id: AlertId, body: NoteIn) -> StatusOut:
    """Approve an analyst's closure."""
    return _supervise(staff, db, alert_id, "approve", body)


@r.post("/alerts/{alert_id}/reject", operation_id="reject_alert_closure", response_model=StatusOut)
def reject(staff: Supervisor, db: Db, alert_id: AlertId, body: NoteIn) -> StatusOut:
    """Send a proposed closure back: the alert is open again."""
    return _supervise(staff, db, alert_id, "reject", body)


@r.post("/alerts/{alert_id}/reopen", operation_id="reopen_alert", response_model=StatusOut)
def reopen(staff: Supervisor, db: Db, alert_id: AlertId, body: NoteIn) -> StatusOut:
    """Reopen a closed alert."""
    return _supervise(staff, db, alert_id, "reopen", body)


@r.get("/snoozes", operation_id="list_snoozes", response_model=list[SnoozeOut])
def list_snoozes(staff: AlertReader, db: Db) -> list[SnoozeOut]:
    """Operators whose alerts are snoozed, and until when."""
    return [SnoozeOut(**s) for s in svc.snoozes(db)]


@r.post("/snoozes", operation_id="snooze_operator", response_model=SnoozeOut, status_code=201)
def snooze(staff: AlertWorker, db: Db, body: SnoozeIn) -> SnoozeOut:
    """Hide an operator's alerts from the queue until a day (at most a year ahead)."""
    try:
        svc.snooze(db, staff.actor, body.ruc, body.until, body.reason)
    except svc.SnoozeRange as exc:
        raise Invalid(str(exc), details=[ErrorDetail(field="until", problem=str(exc))]) from exc
    return SnoozeOut(ruc=body.ruc, until=body.until, reason=body.reason,
                     recorded_at=dt.datetime.now(dt.UTC).replace(tzinfo=None), actor=staff.actor)


@r.post("/snoozes/{ruc}/lift", operation_id="lift_snooze", response_model=list[SnoozeOut])
def lift(staff: AlertWorker, db: Db, ruc: Ruc) -> list[SnoozeOut]:
    """End an operator's snooze now; returns the snoozes still running."""
    if not any(s["ruc"] == ruc for s in svc.snoozes(db)):
        raise NotFound(f"{ruc} is not snoozed")
    svc.lift_snooze(db, staff.actor, ruc)
    return [SnoozeOut(**s) for s in svc.snoozes(db)]
