"""The sale check's decision: "may I sell this quantity of this chemical to this buyer,
delivered there?" (issue 5; NPLEx's stop-sale at the counter is the model).

A pure function: the caller gathers the registry facts, the quota and zone deliveries used
so far and the open alerts; this module turns them into ``allow``, ``review`` or ``block``
with every reason. Each reason has an effect; the decision is the strongest effect.

Need to know (issue 16, finding 5): the seller learns the decision and the reasons that
concern the sale itself (who is registered and authorised for what, whether the quantity fits
the buyer's quota and the zone limits), never another firm's figures or what the registry
knows about it. A reason is ``told`` or not; :func:`seller_reasons` is the only view a seller
gets: the reasons told, in words without the buyer's figures, and the untold ones (open alerts,
a confirmed diversion) folded into one reason that says only that the registry asks for a
review or does not allow the sale. The record of the check keeps every code, for staff.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Effect = Literal["block", "review", "info"]
Decision = Literal["allow", "review", "block"]

# A sale that leaves the buyer less than this share of its annual quota is reviewed.
QUOTA_REVIEW_FRACTION = 0.1
_RANK = {"info": 0, "review": 1, "block": 2}
_SEVERITY_RANK = {"low": 0, "medium": 1, "high": 2, "critical": 3}


@dataclass(frozen=True)
class Authorisation:
    activities: frozenset[str]
    annual_quota_kg: float | None
    valid_from: date
    valid_to: date | None

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class SaleFacts:
    """What the registry, the ledger and detection say about one intended sale."""

    chemical: str
    quantity_kg: float
    day: date
    seller_status: str | None  # None: not registered
    seller_authorisations: tuple[Authorisation, ...]
    buyer_status: str | None
    buyer_authorisations: tuple[Authorisation, ...]
    quota_used_kg: float = 0.0  # acquired by the buyer this calendar year
    zone: str | None = None  # special-regime zone of the destination
    controlled_here: bool = True  # False: a zone-only chemical delivered outside the zones
    zone_limit_kg: float | None = None
    zone_review_fraction: float = 0.8
    zone_used_kg: float = 0.0  # delivered to the buyer into the zones this month
    establishment: Literal["ok", "unknown", "elsewhere"] | None = None
    open_alerts: int = 0
    open_alert_severity: str | None = None
    confirmed_diversion: bool = False
    single_purchase_threshold_kg: float | None = None


@dataclass(frozen=True)
class Reason:
    code: str
    effect: Effect
    message: str
    told: bool = True  # False: the registry's own knowledge, weighed in the decision, never shown to a seller


@dataclass(frozen=True)
class SaleVerdict:
    decision: Decision
    reasons: tuple[Reason, ...]
    quota_kg: float | None = None
    quota_used_kg: float | None = None
    quota_remaining_kg: float | None = None  # before this sale
    zone_limit_kg: float | None = None
    zone_used_kg: float | None = None
    extra: dict[str, str] = field(default_factory=dict)


def _fmt(kg: float) -> str:
    return f"{kg:,.0f} kg" if kg >= 10 else f"{kg:,.2f} kg"


def _current(auths: tuple[Authorisation, ...], activity: str, day: date) -> Authorisation | None:
    """The valid authorisation covering ``activity`` that started last (a renewal wins)."""
    fitting = [a for a in auths if activity in a.activities and a.valid_on(day)]
    return max(fitting, key=lambda a: a.valid_from) if fitting else None


def decide(f: SaleFacts) -> SaleVerdict:
    """Allow, review or block one intended sale, with every reason that applies."""
    if not f.controlled_here:
        return SaleVerdict("allow", (Reason(
            "not_controlled_here", "info",
            f"{f.chemical} is controlled only inside the special-regime zones, and this delivery "
            "is outside them"),))
    reasons: list[Reason] = []
    add = reasons.append
    if f.seller_status is None:
        add(Reason("seller_not_registered", "block", "the seller is not in the registry: register before selling"))
    elif f.seller_status != "active":
        add(Reason("seller_inactive", "block", f"the seller's registration is {f.seller_status}"))
    elif _current(f.seller_authorisations, "sell", f.day) is None:
        add(Reason("seller_not_authorised", "block",
                   f"the seller holds no authorisation to sell {f.chemical} valid on {f.day}"))
    quota = used = remaining = None
    if f.buyer_status is None:
        add(Reason("buyer_not_registered", "block",
                   "the buyer is not in the registry: a controlled chemical may be sold only to a registered user"))
    elif f.buyer_status != "active":
        add(Reason("buyer_inactive", "block", f"the buyer's registration is {f.buyer_status}"))
    else:
        auth = _current(f.buyer_authorisations, "buy", f.day)
        if auth is None:
            add(Reason("buyer_not_authorised", "block",
                       f"the buyer holds no authorisation to buy {f.chemical} valid on {f.day}"))
        elif auth.annual_quota_kg is not None:
            quota, used = auth.annual_quota_kg, f.quota_used_kg
            remaining = max(quota - used, 0.0)
            after = quota - used - f.quantity_kg
            if after < 0:
                # The buyer's quota and use are its own business: the seller learns only
                # whether this quantity fits.
                add(Reason("quota_exceeded", "block",
                           f"the sale of {_fmt(f.quantity_kg)} is more than the buyer may still acquire of "
                           f"{f.chemical} in {f.day.year} under its authorisation"))
            elif after < QUOTA_REVIEW_FRACTION * quota:
                add(Reason("quota_nearly_used", "review",
                           f"after this sale the buyer would have nearly used its {f.day.year} quota of {f.chemical}"))
    if f.zone is not None:
        add(Reason("zone_delivery", "info", f"the destination is in the special-regime zone {f.zone}"))
        if f.zone_limit_kg is not None:
            month_total = f.zone_used_kg + f.quantity_kg
            if month_total > f.zone_limit_kg:
                # The limit is the published rule; what other sellers delivered is not told.
                add(Reason("zone_limit_exceeded", "block",
                           f"this sale would take this month's deliveries of {f.chemical} to this buyer into "
                           f"the zones above the limit of {_fmt(f.zone_limit_kg)}"))
            elif month_total > f.zone_review_fraction * f.zone_limit_kg:
                add(Reason("zone_limit_near", "review",
                           f"this sale would take this month's deliveries of {f.chemical} to this buyer into "
                           f"the zones close to the limit of {_fmt(f.zone_limit_kg)}"))
    if f.establishment == "unknown":
        add(Reason("establishment_unknown", "review", "the buyer has no registered establishment with that code"))
    elif f.establishment == "elsewhere":
        add(Reason("destination_not_establishment", "review",
                   "the destination is not the district of any of the buyer's registered establishments"))
    if f.confirmed_diversion:
        add(Reason("confirmed_diversion", "block",
                   "an alert against the buyer was closed as confirmed diversion in the last 12 months", told=False))
    if f.open_alerts:
        sev = f" (highest severity: {f.open_alert_severity})" if f.open_alert_severity else ""
        add(Reason("open_alerts", "review",
                   f"{f.open_alerts} open alert(s) against the buyer{sev}: an analyst is looking at it", told=False))
    if f.single_purchase_threshold_kg is not None and f.quantity_kg >= f.single_purchase_threshold_kg:
        add(Reason("large_single_sale", "info",
                   f"{_fmt(f.quantity_kg)} is at or above the {_fmt(f.single_purchase_threshold_kg)} "
                   "threshold: the sale is reported on its own"))
    worst = max((_RANK[r.effect] for r in reasons), default=0)
    decision: Decision = "block" if worst == 2 else ("review" if worst == 1 else "allow")
    return SaleVerdict(
        decision, tuple(reasons), quota, used, remaining,
        f.zone_limit_kg if f.zone is not None else None, f.zone_used_kg if f.zone is not None else None,
    )


def seller_reasons(verdict: SaleVerdict, chemical: str) -> tuple[Reason, ...]:
    """What the seller is told: the reasons that concern the sale, and at most one reason
    standing for everything the registry knows and does not tell (its strongest effect)."""
    told = tuple(r for r in verdict.reasons if r.told)
    held = [r for r in verdict.reasons if not r.told and r.effect != "info"]
    if not held:
        return told
    if any(r.effect == "block" for r in held):
        return (*told, Reason("registry_block", "block",
                              f"the registry does not allow sales of {chemical} to this buyer at present: "
                              "ask the registry", told=True))
    return (*told, Reason("registry_review", "review",
                          f"the registry asks that sales of {chemical} to this buyer be reviewed before they are "
                          "made", told=True))


def worst_severity(severities: list[str]) -> str | None:
    return max(severities, key=lambda s: _SEVERITY_RANK.get(s, -1)) if severities else None
