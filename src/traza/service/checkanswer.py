"""The sale check for every door (the API route, its fast path, the portal's page).

The key's operator must be active and be the seller; the ask is validated field by field
(finite numbers, a quantity of at least a gram); the rate limit is per operator, whatever key
it uses; the record is committed before the answer goes out; and the seller is told only what
concerns the sale (:func:`traza.core.salecheck.seller_reasons`): never another firm's alerts,
cases or quota figures (issue 16, findings 5 and 9).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from traza.core.catalogue import default_catalogue
from traza.core.geo import default_geography
from traza.core.jurisdiction import jurisdiction
from traza.core.salecheck import seller_reasons
from traza.core.zone_limits import ZoneLimits
from traza.service.checkrecord import Recorder, RecorderStopped
from traza.service.checks import Facts, InactiveOperator, Principal, SaleRequest, evaluate

# The smallest quantity a check records: below a gram nothing is sold, and 1e-300 kg (issue 16)
# only fills the record with noise.
MIN_QUANTITY_KG = 0.001
MAX_QUANTITY = 1e9
RefusalKind = Literal["forbidden", "invalid", "rate_limited", "unavailable"]


class CheckRefused(Exception):
    """A check not answered: ``kind`` says which (the API's 403, 422, 429 or 503)."""

    def __init__(self, kind: RefusalKind, message: str, problems: tuple[tuple[str, str], ...] = (),
                 retry_after: float = 0.0) -> None:
        super().__init__(message)
        self.kind, self.message, self.problems, self.retry_after = kind, message, problems, retry_after


class Limiter(Protocol):
    def take(self, key: str) -> float: ...


@dataclass(frozen=True)
class SaleAsk:
    """What a seller asks, as the API's body and the portal's form give it."""

    seller_ruc: str
    buyer_ruc: str
    chemical: str
    quantity: float
    unit: str
    seller_establishment: str | None = None
    buyer_establishment: str | None = None
    destination_ubigeo: str | None = None


def resolve(ask: SaleAsk) -> SaleRequest:
    """The ask checked field by field (every problem named), the quantity in kilograms."""
    problems: list[tuple[str, str]] = []
    tax_id = jurisdiction().tax_id
    for name in ("seller_ruc", "buyer_ruc"):
        p = tax_id.problem(getattr(ask, name))
        if p:
            problems.append((name, p))
    if not math.isfinite(ask.quantity) or ask.quantity <= 0 or ask.quantity > MAX_QUANTITY:
        problems.append(("quantity", f"expected a finite number above 0 and at most {MAX_QUANTITY:,.0f}"))
    cat = default_catalogue()
    chem = cat.chemical(ask.chemical)
    kg = 0.0
    if chem is None:
        problems.append(("chemical", f"unknown chemical {ask.chemical!r}: use a catalogue code or CAS number "
                                     "(GET the catalogue with `traza catalogue`)"))
    elif not problems or problems[-1][0] != "quantity":
        try:
            kg = cat.to_kg(ask.quantity, ask.unit, chem.code)
        except ValueError as exc:
            problems.append(("unit", str(exc)))
        else:
            if not math.isfinite(kg):
                problems.append(("quantity", "the quantity is too large"))
            elif kg < MIN_QUANTITY_KG:
                problems.append(("quantity", f"{ask.quantity:g} {ask.unit} is {kg:.3g} kg: a check is for at "
                                             f"least {MIN_QUANTITY_KG * 1000:g} g"))
    if ask.destination_ubigeo and default_geography().district(ask.destination_ubigeo) is None:
        problems.append(("destination_ubigeo", f"{ask.destination_ubigeo} is not a known district"))
    if problems:
        raise CheckRefused("invalid", "the sale check is not valid: " + "; ".join(f"{f}: {p}" for f, p in problems),
                           tuple(problems))
    assert chem is not None
    return SaleRequest(ask.seller_ruc, ask.buyer_ruc, chem.code, ask.quantity, ask.unit, kg,
                       ask.seller_establishment, ask.buyer_establishment, ask.destination_ubigeo)


@dataclass(frozen=True)
class Answer:
    """The seller's answer, to be sent only once ``row`` (the check's record) is committed:
    :func:`deliver` on the event loop, :func:`deliver_now` elsewhere."""

    body: dict[str, Any]
    row: tuple[Any, ...]


def answer(facts: Facts, limiter: Limiter, limits: ZoneLimits, rate_per_minute: int,
           op: Principal, ask: SaleAsk) -> Answer:
    """The sale check for every door; not yet recorded (see :class:`Answer`)."""
    if ask.seller_ruc != op.ruc:
        raise CheckRefused("forbidden", f"this key belongs to {op.ruc}: you may check only your own sales")
    status = facts.status(op.ruc)
    if status != "active":  # the key was checked earlier; the status may have changed since
        raise CheckRefused("forbidden", str(InactiveOperator(op.ruc, status)))
    # Per operator, not per key: an operator may hold several keys (accounts.MAX_LIVE_KEYS).
    wait = limiter.take(op.ruc)
    if wait:
        raise CheckRefused("rate_limited", f"more than {rate_per_minute} sale checks a minute by {op.ruc} (all its "
                           "keys together): slow down or ask the registry for a higher limit", retry_after=wait)
    req = resolve(ask)
    result = evaluate(facts.current(), req, limits, facts.zones, op.key_id)
    v = result.verdict
    body = {
        "check_id": result.check_id, "checked_at": result.checked_at.isoformat() + "+00:00", "decision": v.decision,
        "reasons": [{"code": x.code, "effect": x.effect, "message": x.message}
                    for x in seller_reasons(v, req.chemical)],
        "chemical": req.chemical, "quantity_kg": req.quantity_kg, "destination_ubigeo": result.destination_ubigeo,
        "zone": result.zone, "zone_limit_kg": v.zone_limit_kg, "facts_as_of": result.facts_as_of.isoformat(),
    }
    return Answer(body, result.row)


_NOT_RECORDED = "the check could not be recorded, so it has no answer: check again in a moment"


async def deliver(recorder: Recorder, pending: Answer) -> dict[str, Any]:
    """The body, once the check is committed (group commit); a failed write is a 503."""
    try:
        await recorder.record(pending.row)
    except RecorderStopped as exc:
        raise CheckRefused("unavailable", str(exc), retry_after=1) from exc
    except Exception as exc:
        raise CheckRefused("unavailable", _NOT_RECORDED, retry_after=1) from exc
    return pending.body


def deliver_now(recorder: Recorder, pending: Answer) -> dict[str, Any]:
    """As :func:`deliver`, from a thread (the portal's page)."""
    try:
        recorder.record_now(pending.row)
    except Exception as exc:
        raise CheckRefused("unavailable", _NOT_RECORDED, retry_after=1) from exc
    return pending.body
