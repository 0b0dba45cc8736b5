"""The audit log, for auditors: read-only, and no endpoint anywhere can change it."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import Query
from pydantic import BaseModel

from traza.api.deps import Auditor, Db
from traza.api.routers._common import router
from traza.api.schemas import Limit, Offset, Timestamp
from traza.cases.audit import events
from traza.store.chain import verify

r = router("audit")
Filter = Annotated[str | None, Query(max_length=200)]


class EventOut(BaseModel):
    event_id: int
    recorded_at: Timestamp
    actor: str
    action: str
    subject_type: str
    subject_id: str
    payload: dict[str, Any]


@r.get("/audit/events", operation_id="list_audit_events", response_model=list[EventOut])
def list_events(staff: Auditor, db: Db, actor: Filter = None, action: Filter = None, subject_type: Filter = None,
                subject_id: Filter = None, since: dt.date | None = None, until: dt.date | None = None,
                limit: Annotated[Limit, Query()] = 100, offset: Annotated[Offset, Query()] = 0) -> list[EventOut]:
    """Every change made through the service, newest first: who, when, what."""
    return [EventOut(**e) for e in events(db, actor=actor, action=action, subject_type=subject_type,
                                          subject_id=subject_id, since=since, until=until, limit=limit, offset=offset)]


class ChainOut(BaseModel):
    ok: bool
    checked: int
    head_event_id: int | None
    head_hash: str | None
    broken_event_id: int | None
    problem: str | None
    problems: int
    limits: str


@r.get("/audit/verify", operation_id="verify_audit_chain", response_model=ChainOut)
def verify_chain(staff: Auditor, db: Db) -> ChainOut:
    """Whether the audit log's hash chain holds: every event unchanged, none deleted or forged
    (the first broken one is named), and what the chain cannot promise on this engine."""
    return ChainOut(**{k: v for k, v in verify(db).as_dict().items() if k != "anchor_problem"})
