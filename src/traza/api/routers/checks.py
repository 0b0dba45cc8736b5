"""The sale check ("may I sell this?") and, for staff, the record of checks asked."""

from __future__ import annotations

import json
import math
from datetime import date
from typing import Annotated, Any, Literal, Self

from fastapi import Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, model_validator

from traza.api.deps import AlertReader, Db, Operator, State
from traza.api.errors import ErrorDetail, Forbidden, Invalid, RateLimited
from traza.api.routers._common import router
from traza.api.schemas import EstCode, Limit, Offset, Ruc, Strict, Timestamp, Ubigeo
from traza.api.state import AppState
from traza.core.catalogue import default_catalogue
from traza.core.geo import default_geography
from traza.core.identifiers import ruc_problem
from traza.service.checks import Principal, SaleRequest, evaluate
from traza.store.salechecks import list_checks

r = router("checks")


class SaleCheckIn(Strict):
    seller_ruc: Ruc
    seller_establishment: EstCode | None = None
    buyer_ruc: Ruc
    buyer_establishment: EstCode | None = Field(default=None, description="Where the goods go (registered)")
    destination_ubigeo: Ubigeo | None = Field(default=None, description="Or the district they are delivered to")
    chemical: str = Field(min_length=1, max_length=40, description="Catalogue code or CAS number")
    quantity: float = Field(gt=0, le=1e9)
    unit: str = Field(min_length=1, max_length=10, description="kg, t, l, gal, m3 or KGM, TNE, LTR, GLL, MTQ")

    @model_validator(mode="after")
    def _where(self) -> Self:
        if self.buyer_establishment is None and self.destination_ubigeo is None:
            raise ValueError("say where the goods go: buyer_establishment or destination_ubigeo")
        return self


class ReasonOut(BaseModel):
    code: str
    effect: Literal["block", "review", "info"]
    message: str


class SaleCheckOut(BaseModel):
    check_id: str
    checked_at: Timestamp
    decision: Literal["allow", "review", "block"]
    reasons: list[ReasonOut]
    chemical: str
    quantity_kg: float
    destination_ubigeo: str | None
    zone: str | None
    quota_kg: float | None
    quota_used_kg: float | None
    quota_remaining_kg: float | None = Field(description="Before this sale; null when the buyer has no quota")
    zone_limit_kg: float | None
    zone_used_kg: float | None
    facts_as_of: Timestamp


class CheckRecordOut(BaseModel):
    check_id: str
    checked_at: Timestamp
    seller_ruc: str
    seller_establishment: str | None
    buyer_ruc: str
    buyer_establishment: str | None
    destination_ubigeo: str | None
    zone: str | None
    chemical: str
    quantity: float
    unit: str
    quantity_kg: float
    decision: str
    reasons: list[str]
    quota_remaining_kg: float | None
    sale_movement_id: int | None = Field(description="The first sale declared after the check, if any")
    sale_date: date | None


def _resolve(body: SaleCheckIn) -> SaleRequest:
    problems: list[ErrorDetail] = []
    for field in ("seller_ruc", "buyer_ruc"):
        p = ruc_problem(getattr(body, field))
        if p:
            problems.append(ErrorDetail(field=field, problem=p))
    cat = default_catalogue()
    chem = cat.chemical(body.chemical)
    kg = 0.0
    if chem is None:
        problems.append(ErrorDetail(field="chemical", problem=f"unknown chemical {body.chemical!r}: use a catalogue "
                                    "code or CAS number (GET the catalogue with `traza catalogue`)"))
    else:
        try:
            kg = cat.to_kg(body.quantity, body.unit, chem.code)
        except ValueError as exc:
            problems.append(ErrorDetail(field="unit", problem=str(exc)))
    if body.destination_ubigeo and default_geography().district(body.destination_ubigeo) is None:
        problems.append(ErrorDetail(field="destination_ubigeo", problem=f"{body.destination_ubigeo} is not a known district"))
    if kg and not math.isfinite(kg):
        problems.append(ErrorDetail(field="quantity", problem="the quantity is too large"))
    if problems:
        raise Invalid("the sale check is not valid: " + "; ".join(f"{p.field}: {p.problem}" for p in problems),
                      details=problems)
    assert chem is not None
    return SaleRequest(body.seller_ruc, body.buyer_ruc, chem.code, body.quantity, body.unit, kg,
                       body.seller_establishment, body.buyer_establishment, body.destination_ubigeo)


def answer(state: AppState, op: Principal, body: SaleCheckIn) -> dict[str, Any]:
    """The sale check itself, shared by the route and the fast path (api/fastcheck.py)."""
    if body.seller_ruc != op.ruc:
        raise Forbidden(f"this key belongs to {op.ruc}: you may check only your own sales")
    wait = state.limiter.take(op.key_id)
    if wait:
        raise RateLimited(f"more than {state.settings.check_rate_per_minute} sale checks a minute on this key: "
                          "slow down or ask the registry for a higher limit",
                          headers={"Retry-After": state.limiter.retry_after(wait)})
    req = _resolve(body)
    result = evaluate(state.facts.current(), req, state.zone_limits, state.facts.zones, op.key_id)
    state.recorder.add(result.row)
    v = result.verdict
    return {
        "check_id": result.check_id, "checked_at": result.checked_at.isoformat() + "+00:00", "decision": v.decision,
        "reasons": [{"code": x.code, "effect": x.effect, "message": x.message} for x in v.reasons],
        "chemical": req.chemical, "quantity_kg": req.quantity_kg, "destination_ubigeo": result.destination_ubigeo,
        "zone": result.zone, "quota_kg": v.quota_kg, "quota_used_kg": v.quota_used_kg,
        "quota_remaining_kg": v.quota_remaining_kg, "zone_limit_kg": v.zone_limit_kg, "zone_used_kg": v.zone_used_kg,
        "facts_as_of": result.facts_as_of.isoformat(),
    }


@r.post("/checks/sale", operation_id="check_sale", response_model=SaleCheckOut)
async def check_sale(body: SaleCheckIn, op: Operator, state: State) -> JSONResponse:
    """May I sell this quantity of this chemical to this buyer, delivered there? Answers
    allow, review or block with every reason and the buyer's remaining quota. Every check is
    recorded: a check never followed by a declared sale, or a block followed by one, is
    evidence for detection. Limited per API key (429 with Retry-After beyond it)."""
    # Served by api/fastcheck.py ahead of FastAPI's routing; this route documents it (and
    # answers the same way if the fast path is not installed).
    return JSONResponse(answer(state, op, body))


@r.get("/checks", operation_id="list_sale_checks", response_model=list[CheckRecordOut])
def checks(staff: AlertReader, db: Db, seller_ruc: Ruc | None = None, buyer_ruc: Ruc | None = None,
           decision: Annotated[Literal["allow", "review", "block"] | None, Query()] = None,
           limit: Annotated[Limit, Query()] = 100, offset: Annotated[Offset, Query()] = 0) -> list[CheckRecordOut]:
    """Sale checks asked, newest first, each with the sale that followed it (if any)."""
    rows = list_checks(db, seller_ruc, buyer_ruc, decision, limit, offset)
    out = []
    for row in rows:
        row["reasons"] = json.loads(row["reasons"])
        out.append(CheckRecordOut(**row))
    return out
