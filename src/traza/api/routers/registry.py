"""The registry, for registrars: register, suspend, revoke, reinstate, establishments,
authorisations, API keys; every change a new version plus an audit event."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import Query
from pydantic import BaseModel, Field

from traza.api.deps import Db, Registrar, RegistryReader, State
from traza.api.errors import Conflict, NotFound
from traza.api.routers._common import Version, router, translated
from traza.api.schemas import (
    EstCode,
    KeyIn,
    KeyOut,
    Limit,
    NewKeyOut,
    Offset,
    Ruc,
    ShortText,
    Strict,
    Text,
    Timestamp,
    Ubigeo,
)
from traza.core.types import SECTORS, Activity, OperatorStatus
from traza.service import accounts, registry

r = router("registry")
Sector = Literal[SECTORS]  # type: ignore[valid-type]


class OperatorIn(Strict):
    ruc: Ruc
    name: ShortText
    sector: Sector
    registered_on: dt.date | None = None
    representative_id: Annotated[str, Field(max_length=20)] | None = None
    phone: Annotated[str, Field(max_length=30)] | None = None
    email: Annotated[str, Field(max_length=200)] | None = None


class StatusIn(Strict):
    status: OperatorStatus
    reason: Text | None = None
    version: Version


class EstablishmentIn(Strict):
    ruc: Ruc
    establishment_code: EstCode
    ubigeo: Ubigeo
    address: Annotated[str, Field(max_length=300)] | None = None
    version: Version


class AuthorisationIn(Strict):
    ruc: Ruc
    chemical: Annotated[str, Field(min_length=1, max_length=40)]
    activities: list[Activity] = Field(
        min_length=1, max_length=8)
    annual_quota_kg: Annotated[float, Field(ge=0, le=1e10)] | None = None
    valid_from: dt.date
    valid_to: dt.date | None = None
    version: Version


class ChangeOut(BaseModel):
    submission_id: int | None
    event_id: int
    request: str
    version: int = Field(description="The operator file's version after the change: send it with the next one")


class OperatorSummaryOut(BaseModel):
    ruc: str
    name: str
    sector: str
    registered_on: dt.date
    status: str


class OperatorDetailOut(OperatorSummaryOut):
    representative_id: str | None
    phone: str | None
    email: str | None
    version_id: int
    version: int = Field(description="The operator file's version (its latest version_id across the record, "
                         "establishments and authorisations): send it with a change")
    recorded_at: Timestamp
    recorded_by: str | None
    establishments: list[dict[str, Any]]
    authorisations: list[dict[str, Any]]


class VersionOut(BaseModel):
    version_id: int
    record: str
    key: str
    summary: str | None
    recorded_at: Timestamp
    recorded_by: str | None
    submission_id: int | None


@r.get("/registry/operators", operation_id="list_operators", response_model=list[OperatorSummaryOut])
def list_operators(staff: RegistryReader, db: Db,
                   status: Annotated[OperatorStatus | None, Query()] = None,
                   sector: Annotated[Sector | None, Query()] = None,
                   name: Annotated[str | None, Query(max_length=100, description="Part of the name or of the RUC.")] = None,
                   limit: Annotated[Limit, Query()] = 100, offset: Annotated[Offset, Query()] = 0,
                   ) -> list[OperatorSummaryOut]:
    """Registered operators (current versions)."""
    return [OperatorSummaryOut(**o) for o in registry.list_operators(db, status, sector, name, limit, offset)]


@r.get("/registry/operators/{ruc}", operation_id="get_operator", response_model=OperatorDetailOut)
def get_operator(staff: RegistryReader, db: Db, ruc: Ruc) -> OperatorDetailOut:
    """An operator with its establishments and authorisations."""
    rec = registry.details(db, ruc)
    if rec is None:
        raise NotFound(f"{ruc} is not registered")
    return OperatorDetailOut(**rec)


@r.get("/registry/operators/{ruc}/history", operation_id="get_operator_history", response_model=list[VersionOut])
def history(staff: RegistryReader, db: Db, ruc: Ruc) -> list[VersionOut]:
    """Every version of the operator's records, oldest first: who changed what, when."""
    rows = registry.history(db, ruc)
    if not rows:
        raise NotFound(f"{ruc} is not registered")
    return [VersionOut(**v) for v in rows]


def _change(out: dict[str, Any]) -> ChangeOut:
    return ChangeOut(**out)


@r.post("/registry/operators", operation_id="register_operator", response_model=ChangeOut, status_code=201)
def register(staff: Registrar, db: Db, body: OperatorIn) -> ChangeOut:
    """Register an operator (validated as a line of operators.csv)."""
    with translated("operator"):
        return _change(registry.register(db, staff.actor, body.model_dump(mode="json", exclude_none=True)))


@r.post("/registry/operators/{ruc}/status", operation_id="set_operator_status", response_model=ChangeOut)
def set_status(staff: Registrar, db: Db, state: State, ruc: Ruc, body: StatusIn) -> ChangeOut:
    """Suspend, revoke or reinstate an operator."""
    with translated("operator"):
        out = _change(registry.set_status(db, staff.actor, ruc, body.status, body.reason, body.version))
    state.facts.note_status(ruc, body.status)  # its keys stop (or start) working at once here
    return out


@r.post("/registry/establishments", operation_id="save_establishment", response_model=ChangeOut, status_code=201)
def save_establishment(staff: Registrar, db: Db, body: EstablishmentIn) -> ChangeOut:
    """Add an establishment, or a new version of one."""
    with translated("operator"):
        return _change(registry.add_establishment(db, staff.actor, body.model_dump(
            mode="json", exclude_none=True, exclude={"version"}), body.version))


@r.post("/registry/authorisations", operation_id="save_authorisation", response_model=ChangeOut, status_code=201)
def save_authorisation(staff: Registrar, db: Db, body: AuthorisationIn) -> ChangeOut:
    """Grant an authorisation (chemical, activities, annual quota, validity), or a new version."""
    row = body.model_dump(mode="json", exclude={"version"})
    row["activities"] = ";".join(body.activities)
    with translated("operator"):
        return _change(registry.add_authorisation(db, staff.actor, row, body.version))


@r.get("/registry/operators/{ruc}/keys", operation_id="list_operator_keys", response_model=list[KeyOut])
def list_keys(staff: Registrar, db: Db, ruc: Ruc) -> list[KeyOut]:
    """An operator's API keys (never their secrets)."""
    return [KeyOut(**k) for k in accounts.list_keys(db, ruc)]


@r.post("/registry/operators/{ruc}/keys", operation_id="issue_operator_key", response_model=NewKeyOut, status_code=201)
def issue_key(staff: Registrar, db: Db, ruc: Ruc, body: KeyIn) -> NewKeyOut:
    """Issue an API key to an active operator; the key is shown once. 409 for a suspended or
    revoked operator, or one already holding the most live keys allowed (5)."""
    if registry.operator(db, ruc) is None:
        raise NotFound(f"{ruc} is not registered")
    try:
        key = accounts.issue_key(db, staff.actor, ruc, body.label)
    except accounts.KeyRefused as exc:
        raise Conflict(str(exc)) from exc
    return NewKeyOut(key_id=key.key_id, ruc=ruc, api_key=key.token)


@r.post("/registry/keys/{key_id}/revoke", operation_id="revoke_operator_key", response_model=KeyOut)
def revoke_key(staff: Registrar, db: Db, state: State,
               key_id: Annotated[str, Field(min_length=1, max_length=40)]) -> KeyOut:
    """Revoke an operator's API key."""
    with translated("key"):
        accounts.revoke_key(db, staff.actor, key_id)
        rec = accounts.find_key(db, key_id)
        if rec is None:
            raise KeyError(key_id)
    state.facts.forget_key(key_id)
    return KeyOut(**{k["key_id"]: k for k in accounts.list_keys(db, rec.ruc)}[key_id])


__all__ = ["ShortText"]
