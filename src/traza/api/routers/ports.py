"""Ports: vessel calls, the inspection list of a call, a container's page, inspection results
(with seizures, which feed the watch list) and hit rates per port and rule."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

from fastapi import Query
from pydantic import BaseModel, Field

from traza.api.deps import AlertReader, AlertWorker, Db
from traza.api.errors import Invalid, NotFound
from traza.api.routers._common import router
from traza.ports.feedback import InspectionIn, record_inspection, stats
from traza.ports.queries import container, inspection_list, vessel_calls
from traza.ports.targeting import make_list

r = router("ports")
CallId = Annotated[str, Field(min_length=3, max_length=300)]
Container = Annotated[str, Field(min_length=4, max_length=20)]


class CallOut(BaseModel):
    call_id: str
    port: str
    direction: str
    vessel_name: str
    voyage: str
    arrival: dt.date | None
    departure: dt.date | None
    manifest_versions: int
    containers: int


class ListEntryOut(BaseModel):
    container_no: str
    score: float
    rank: int
    selected_by: str
    methods: list[str]
    reasons: list[dict[str, Any]]


class ListOut(BaseModel):
    call_id: str
    draw_id: int | None
    seed: int
    control_share: float
    entries: list[ListEntryOut]


class ListIn(BaseModel):
    control_share: float = Field(default=0.02, ge=0, le=1)
    targeted_share: float = Field(default=0.02, ge=0, le=1)
    seed: int | None = Field(default=None, ge=0)


class RecordedOut(BaseModel):
    inspection_id: int
    seizure_id: int | None
    watch_entries: int


@r.get("/ports/calls", operation_id="list_vessel_calls", response_model=list[CallOut])
def list_calls(staff: AlertReader, db: Db, port: Annotated[str | None, Query(max_length=5)] = None) -> list[CallOut]:
    """Vessel calls (optionally of one port, as a UN/LOCODE) with their manifests and containers."""
    return [CallOut(**c) for c in vessel_calls(db, port)]


@r.post("/ports/calls/{call_id}/inspection-list", operation_id="make_inspection_list", response_model=ListOut)
def make(staff: AlertWorker, db: Db, call_id: CallId, body: ListIn) -> ListOut:
    """Rank the call's containers, draw the random control (seeded, recorded) and record it."""
    try:
        lst = make_list(db, call_id, control_share=body.control_share, targeted_share=body.targeted_share,
                        seed=body.seed, actor=staff.actor)
    except KeyError as exc:
        raise NotFound(str(exc.args[0])) from exc
    return ListOut(call_id=lst.call_id, draw_id=lst.draw_id, seed=lst.seed, control_share=lst.control_share,
                   entries=[ListEntryOut(**e.__dict__) for e in lst.entries])


@r.get("/ports/calls/{call_id}/inspection-list", operation_id="get_inspection_list", response_model=list[ListEntryOut])
def latest(staff: AlertReader, db: Db, call_id: CallId) -> list[ListEntryOut]:
    """The call's latest recorded inspection list."""
    rows = inspection_list(db, call_id)
    if not rows:
        raise NotFound(f"no inspection list for call {call_id}: make one first")
    return [ListEntryOut(**x) for x in rows]


@r.get("/ports/calls/{call_id}/containers/{container_no}", operation_id="get_port_container")
def get_container(staff: AlertReader, db: Db, call_id: CallId, container_no: Container) -> dict[str, Any]:
    """A container of a call: documents, seals, events, the latest assessment and inspections."""
    found = container(db, call_id, container_no)
    if found is None:
        raise NotFound(f"no container {container_no} in call {call_id}")
    out: dict[str, Any] = json.loads(json.dumps(found, default=str))  # dates and decimals as JSON
    return out


@r.post("/ports/calls/{call_id}/inspections", operation_id="record_port_inspection", response_model=RecordedOut)
def inspect(staff: AlertWorker, db: Db, call_id: CallId, body: InspectionIn) -> RecordedOut:
    """Record an inspection result; a seizure adds its parties, route and markings to the watch list."""
    try:
        rec = record_inspection(db, call_id, body, staff.actor)
    except KeyError as exc:
        raise NotFound(str(exc.args[0])) from exc
    except ValueError as exc:
        raise Invalid(str(exc)) from exc
    return RecordedOut(**rec.__dict__)


@r.get("/ports/stats", operation_id="get_port_stats")
def get_stats(staff: AlertReader, db: Db) -> dict[str, Any]:
    """Per port and per rule: inspections, hits, precision; lift of targeted over random control."""
    return stats(db)
