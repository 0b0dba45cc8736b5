"""The sale check ("may I sell this?") and, for staff, the record of checks asked."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any, Self

from fastapi import Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, BeforeValidator, Field, model_validator

from traza.api.deps import AlertReader, Db, Operator, State
from traza.api.errors import ApiError, ErrorDetail, Forbidden, Invalid, RateLimited, Unavailable
from traza.api.limits import RateLimiter
from traza.api.routers._common import router
from traza.api.schemas import EstCode, Limit, Offset, Ruc, Strict, Timestamp, Ubigeo
from traza.core.salecheck import Decision, Effect
from traza.service.checkanswer import MAX_QUANTITY, CheckRefused, SaleAsk, deliver
from traza.store.salechecks import list_checks

r = router("checks")


def _number(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("expected a number, not true or false")
    return value


class SaleCheckIn(Strict):
    seller_ruc: Ruc
    seller_establishment: EstCode | None = None
    buyer_ruc: Ruc
    buyer_establishment: EstCode | None = Field(default=None, description="Where the goods go (registered)")
    destination_ubigeo: Ubigeo | None = Field(default=None, description="Or the district they are delivered to")
    chemical: str = Field(min_length=1, max_length=40, description="Catalogue code or CAS number")
    # A number, finite, and not a boolean (JSON's true is not 1 kg); the floor of 1 g is
    # checked after the unit is converted (service.checkanswer.MIN_QUANTITY_KG).
    quantity: Annotated[float, BeforeValidator(_number)] = Field(gt=0, le=MAX_QUANTITY, allow_inf_nan=False)
    unit: str = Field(min_length=1, max_length=10, description="kg, t, l, gal, m3 or KGM, TNE, LTR, GLL, MTQ")

    @model_validator(mode="after")
    def _where(self) -> Self:
        if self.buyer_establishment is None and self.destination_ubigeo is None:
            raise ValueError("say where the goods go: buyer_establishment or destination_ubigeo")
        return self


class ReasonOut(BaseModel):
    code: str
    effect: Effect
    message: str


class SaleCheckOut(BaseModel):
    check_id: str
    checked_at: Timestamp
    decision: Decision
    reasons: list[ReasonOut]
    chemical: str
    quantity_kg: float
    destination_ubigeo: str | None
    zone: str | None
    zone_limit_kg: float | None = Field(description="The published monthly limit into the zones, if any")
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


def ask_of(body: SaleCheckIn) -> SaleAsk:
    return SaleAsk(body.seller_ruc, body.buyer_ruc, body.chemical, body.quantity, body.unit,
                   body.seller_establishment, body.buyer_establishment, body.destination_ubigeo)


def api_error(exc: CheckRefused) -> ApiError:
    """A refused check as the API says it (the portal shows the same message)."""
    if exc.kind == "invalid":
        return Invalid(exc.message, details=[ErrorDetail(field=f, problem=p) for f, p in exc.problems])
    if exc.kind == "rate_limited":
        return RateLimited(exc.message, headers={"Retry-After": RateLimiter.retry_after(exc.retry_after)})
    if exc.kind == "unavailable":
        return Unavailable(exc.message, headers={"Retry-After": RateLimiter.retry_after(exc.retry_after)})
    return Forbidden(exc.message)


@r.post("/checks/sale", operation_id="check_sale", response_model=SaleCheckOut)
async def check_sale(body: SaleCheckIn, op: Operator, state: State) -> JSONResponse:
    """May I sell this quantity of this chemical to this buyer, delivered there? Answers
    allow, review or block with the reasons that concern the sale (never the buyer's quota
    figures, nor what the registry knows about it: that shows only as a `registry_review` or
    `registry_block` reason). Every check is recorded before it is answered: a check never
    followed by a declared sale, or a block followed by one, is evidence for detection.
    Only an active operator's key works (403 otherwise). Limited per operator, all its keys
    together (429 with Retry-After beyond it)."""
    # Served by api/fastcheck.py ahead of FastAPI's routing; this route documents it (and
    # answers the same way if the fast path is not installed).
    try:
        return JSONResponse(await deliver(state.recorder, state.sale_check(op, ask_of(body))))
    except CheckRefused as exc:
        raise api_error(exc) from exc


@r.get("/checks", operation_id="list_sale_checks", response_model=list[CheckRecordOut])
def checks(staff: AlertReader, db: Db, seller_ruc: Ruc | None = None, buyer_ruc: Ruc | None = None,
           decision: Annotated[Decision | None, Query()] = None,
           limit: Annotated[Limit, Query()] = 100, offset: Annotated[Offset, Query()] = 0) -> list[CheckRecordOut]:
    """Sale checks asked, newest first, each with the sale that followed it (if any)."""
    rows = list_checks(db, seller_ruc, buyer_ruc, decision, limit, offset)
    out = []
    for row in rows:
        row["reasons"] = json.loads(row["reasons"])
        out.append(CheckRecordOut(**row))
    return out
