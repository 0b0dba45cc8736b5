"""An operator's own record: registry entry, API keys, ledger and balances."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import Query
from pydantic import BaseModel

from traza.api.deps import Db, Operator, State
from traza.api.errors import Conflict, Invalid, NotFound
from traza.api.routers._common import router, translated
from traza.api.schemas import KeyIn, KeyOut, Limit, NewKeyOut, Offset, Timestamp
from traza.core.catalogue import default_catalogue
from traza.core.types import MOVEMENT_TYPES
from traza.service import accounts, registry
from traza.service.declarations import movements as declared_movements
from traza.store.ledger import balances

r = router("operator")
MovementType = Literal[MOVEMENT_TYPES]  # type: ignore[valid-type]


class MovementOut(BaseModel):
    movement_id: int
    declaration_id: str | None
    establishment_code: str
    date: dt.date
    type: str
    chemical: str
    quantity: float
    unit: str
    quantity_kg: float
    counterparty_ruc: str | None
    counterparty_establishment: str | None
    counterparty_registered: bool | None
    document_ref: str | None
    destination_ubigeo: str | None
    origin_country: str | None
    destination_country: str | None
    submission_id: int
    declared_at: Timestamp


class BalanceOut(BaseModel):
    establishment_code: str
    chemical: str
    book_kg: float
    movements: int
    last_movement: dt.date | None
    count_date: dt.date | None
    counted_kg: float | None
    book_at_count_kg: float | None
    count_difference_kg: float | None


class ProfileOut(BaseModel):
    ruc: str
    key_id: str
    registered: bool
    record: dict[str, Any] | None


def _chemical(code: str | None) -> str | None:
    if code is None:
        return None
    c = default_catalogue().chemical(code)
    if c is None:
        raise Invalid(f"unknown chemical {code!r}: use a catalogue code or CAS number")
    return c.code


@r.get("/me", operation_id="get_my_profile", response_model=ProfileOut)
def me(op: Operator, db: Db) -> ProfileOut:
    """Your registry record: status, establishments and authorisations."""
    rec = registry.details(db, op.ruc)
    return ProfileOut(ruc=op.ruc, key_id=op.key_id, registered=rec is not None, record=rec)


@r.get("/me/keys", operation_id="list_my_keys", response_model=list[KeyOut])
def my_keys(op: Operator, db: Db) -> list[KeyOut]:
    """Your API keys (never their secrets)."""
    return [KeyOut(**k) for k in accounts.list_keys(db, op.ruc)]


@r.post("/me/keys", operation_id="create_my_key", response_model=NewKeyOut, status_code=201)
def create_my_key(op: Operator, db: Db, body: KeyIn) -> NewKeyOut:
    """Another API key for your operator (say, one per system); shown once. At most 5 live
    keys (409 beyond: revoke one first)."""
    try:
        key = accounts.issue_key(db, f"operator:{op.ruc}", op.ruc, body.label)
    except accounts.KeyRefused as exc:
        raise Conflict(str(exc)) from exc
    return NewKeyOut(key_id=key.key_id, ruc=op.ruc, api_key=key.token)


@r.post("/me/keys/{key_id}/revoke", operation_id="revoke_my_key", response_model=KeyOut)
def revoke_my_key(op: Operator, db: Db, state: State, key_id: str) -> KeyOut:
    """Revoke one of your keys (it stops working at once in this worker, within seconds in all)."""
    mine = {k["key_id"]: k for k in accounts.list_keys(db, op.ruc)}
    if key_id not in mine:
        raise NotFound(f"you have no key {key_id}")
    with translated("key"):
        accounts.revoke_key(db, f"operator:{op.ruc}", key_id)
    state.facts.forget_key(key_id)
    return KeyOut(**{k["key_id"]: k for k in accounts.list_keys(db, op.ruc)}[key_id])


@r.get("/ledger/movements", operation_id="list_my_movements", response_model=list[MovementOut])
def movements(op: Operator, db: Db, chemical: str | None = None,
              type: Annotated[MovementType | None, Query()] = None,  # noqa: A002 - the v1 column
              since: dt.date | None = None, until: dt.date | None = None,
              limit: Annotated[Limit, Query()] = 100, offset: Annotated[Offset, Query()] = 0) -> list[MovementOut]:
    """Your declared movements, newest first."""
    rows = declared_movements(db, op.ruc, _chemical(chemical), type, since, until, limit, offset)
    return [MovementOut(**m) for m in rows]


@r.get("/ledger/balances", operation_id="list_my_balances", response_model=list[BalanceOut])
def my_balances(op: Operator, db: Db, chemical: str | None = None, at: dt.date | None = None) -> list[BalanceOut]:
    """Book stock per establishment and chemical, with the last physical count beside it."""
    return [BalanceOut(**b) for b in balances(db, op.ruc, _chemical(chemical), at)]
