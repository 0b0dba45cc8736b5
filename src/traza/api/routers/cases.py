"""Cases: alerts grouped for one investigation, notes, a status workflow, referral."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from pydantic import BaseModel, Field

from traza.api.deps import AlertReader, AlertWorker, Db, Supervisor
from traza.api.errors import Invalid, NotFound
from traza.api.routers._common import Version, router, translated
from traza.api.schemas import Limit, Offset, ShortText, Strict, Text, Timestamp
from traza.cases import cases as svc
from traza.cases.workflow import CaseStatus, Referral
from traza.core.vocab import CaseOutcome
from traza.service import accounts

r = router("cases")
CaseId = Annotated[int, Field(ge=1, le=2**62)]
AlertId = Annotated[str, Field(min_length=1, max_length=200)]


class CaseOut(BaseModel):
    case_id: int
    title: str
    status: str
    assignee: str | None
    referral: str | None
    opened_at: Timestamp
    opened_by: str
    updated_at: Timestamp | None
    outcome: str | None = Field(None, description=(
        "How the investigation ended (closed), or the outcome its closure was requested with"))
    version: int = Field(description="Send it back with a change: the case's latest change id")
    rucs: list[str] = Field(default_factory=list, description="The operators the case's alerts name")


class NoteOut(BaseModel):
    event_id: int
    text: str | None
    recorded_at: Timestamp
    actor: str


class CaseLogOut(BaseModel):
    event_id: int
    action: str
    value: str | None
    note: str | None = Field(None, description="The note given with a status change or a referral")
    outcome: str | None = Field(None, description=(
        "A closure's case outcome; for close_alerts, the outcome its alerts were closed with"))
    recorded_at: Timestamp
    actor: str


class CaseDetailOut(CaseOut):
    alerts: list[str]
    notes: list[NoteOut]
    history: list[CaseLogOut]


class CaseIn(Strict):
    title: ShortText
    alert_ids: list[AlertId] = Field(default=[], max_length=500)
    note: Text | None = None


class AlertsIn(Strict):
    alert_ids: list[AlertId] = Field(min_length=1, max_length=500)
    # Adding only adds (it cannot undo a change), so, as for a note, the version may be left out.
    version: Version | None = None


class VersionIn(Strict):
    version: Version


class NoteIn(Strict):
    text: Text
    # A note only adds (it cannot overwrite a change), so its version may be left out.
    version: Version | None = None


class StatusIn(Strict):
    status: CaseStatus
    note: Text | None = Field(None, description=(
        "Required asking for closure (why) and returning a closure request to investigating (the reason)"))
    outcome: CaseOutcome | None = Field(None, description=(
        "Required asking for closure: how the investigation ended. Approving keeps the requested one"))
    close_alerts: bool = Field(False, description=(
        "Approving (closed): also close the case's alerts not yet closed with the alert outcome the case's "
        "means (confirmed_diversion → confirmed_diversion, referred → useful, no_diversion → false_positive; "
        "insufficient_evidence leaves them open)"))
    version: Version


class ReferralIn(Strict):
    to: Referral
    note: Text | None = None
    version: Version


class AssignIn(Strict):
    assignee: ShortText
    version: Version


def _detail(db: Db, case_id: int) -> CaseDetailOut:
    case = svc.get(db, case_id)
    if case is None:
        raise NotFound(f"no case {case_id}")
    return CaseDetailOut(**case)


@r.get("/cases", operation_id="list_cases", response_model=list[CaseOut])
def list_cases(staff: AlertReader, db: Db, status: Annotated[CaseStatus | None, Query()] = None,
               assignee: Annotated[str | None, Query(max_length=100)] = None,
               limit: Annotated[Limit, Query()] = 100, offset: Annotated[Offset, Query()] = 0) -> list[CaseOut]:
    """Cases, newest first."""
    return [CaseOut(**c) for c in svc.list_cases(db, status, assignee, limit, offset)]


@r.post("/cases", operation_id="create_case", response_model=CaseDetailOut, status_code=201)
def create_case(staff: AlertWorker, db: Db, body: CaseIn) -> CaseDetailOut:
    """Open a case, optionally with alerts and a first note."""
    with translated("alert"):
        case_id = svc.create(db, staff.actor, body.title, body.alert_ids, body.note)
    return _detail(db, case_id)


@r.get("/cases/{case_id}", operation_id="get_case", response_model=CaseDetailOut)
def get_case(staff: AlertReader, db: Db, case_id: CaseId) -> CaseDetailOut:
    """A case with its alerts, notes and full history."""
    return _detail(db, case_id)


@r.post("/cases/{case_id}/alerts", operation_id="add_case_alerts", response_model=CaseDetailOut)
def add_alerts(staff: AlertWorker, db: Db, case_id: CaseId, body: AlertsIn) -> CaseDetailOut:
    """Add alerts to a case."""
    with translated("case or alert"):
        svc.add_alerts(db, staff.actor, case_id, body.alert_ids, body.version)
    return _detail(db, case_id)


@r.post("/cases/{case_id}/alerts/{alert_id}/remove", operation_id="remove_case_alert", response_model=CaseDetailOut)
def remove_alert(staff: AlertWorker, db: Db, case_id: CaseId, alert_id: AlertId, body: VersionIn) -> CaseDetailOut:
    """Take an alert out of a case (the history keeps that it was there)."""
    with translated("case"):
        svc.remove_alert(db, staff.actor, case_id, alert_id, body.version)
    return _detail(db, case_id)


@r.post("/cases/{case_id}/notes", operation_id="add_case_note", response_model=CaseDetailOut)
def add_note(staff: AlertWorker, db: Db, case_id: CaseId, body: NoteIn) -> CaseDetailOut:
    """Add a note (notes are never edited: add another)."""
    with translated("case"):
        svc.note(db, staff.actor, case_id, body.text, body.version)
    return _detail(db, case_id)


@r.post("/cases/{case_id}/status", operation_id="set_case_status", response_model=CaseDetailOut)
def set_status(staff: AlertWorker, db: Db, case_id: CaseId, body: StatusIn) -> CaseDetailOut:
    """Move a case along its workflow: open → investigating → referred → closure_requested →
    closed (closing and reopening need a supervisor). Asking for closure needs `outcome` and
    `note`; returning a request to investigating needs `note` (422 naming the field). Approving
    (closed) and refusing (investigating) one closure request both send the case's `version`:
    exactly one is kept."""
    with translated("case"):
        svc.transition(db, staff.actor, staff.role, case_id, body.status, body.note, body.version,
                       body.outcome, body.close_alerts)
    return _detail(db, case_id)


@r.post("/cases/{case_id}/referral", operation_id="refer_case", response_model=CaseDetailOut)
def refer(staff: AlertWorker, db: Db, case_id: CaseId, body: ReferralIn) -> CaseDetailOut:
    """Refer a case to the police or to an inspection."""
    with translated("case"):
        svc.refer(db, staff.actor, staff.role, case_id, body.to, body.note, body.version)
    return _detail(db, case_id)


@r.post("/cases/{case_id}/assign", operation_id="assign_case", response_model=CaseDetailOut)
def assign(staff: Supervisor, db: Db, case_id: CaseId, body: AssignIn) -> CaseDetailOut:
    """Give a case to an analyst (or supervisor)."""
    if not accounts.assignable(db, body.assignee):
        raise Invalid(f"{body.assignee} is not an active analyst or supervisor")
    with translated("case"):
        svc.assign(db, staff.actor, case_id, body.assignee, body.version)
    return _detail(db, case_id)
