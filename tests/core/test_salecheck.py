"""The sale check's decision for each reason (pure)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from traza.core.salecheck import Authorisation, SaleFacts, decide

DAY = date(2025, 6, 1)
SELL = Authorisation(frozenset({"sell", "store"}), None, date(2024, 1, 1), None)
BUY = Authorisation(frozenset({"buy", "use"}), 1000.0, date(2024, 1, 1), None)
OK = SaleFacts(chemical="sulfuric_acid", quantity_kg=100, day=DAY, seller_status="active",
               seller_authorisations=(SELL,), buyer_status="active", buyer_authorisations=(BUY,),
               establishment="ok")


def codes(f: SaleFacts) -> tuple[str, set[str]]:
    v = decide(f)
    return v.decision, {r.code for r in v.reasons}


@pytest.mark.parametrize(("change", "decision", "code"), [
    ({}, "allow", None),
    ({"seller_status": None}, "block", "seller_not_registered"),
    ({"seller_status": "suspended"}, "block", "seller_inactive"),
    ({"seller_authorisations": ()}, "block", "seller_not_authorised"),
    ({"seller_authorisations": (replace(SELL, valid_to=date(2025, 1, 1)),)}, "block", "seller_not_authorised"),
    ({"buyer_status": None}, "block", "buyer_not_registered"),
    ({"buyer_status": "revoked"}, "block", "buyer_inactive"),
    ({"buyer_authorisations": (replace(BUY, activities=frozenset({"use"})),)}, "block", "buyer_not_authorised"),
    ({"buyer_authorisations": (replace(BUY, valid_from=date(2025, 7, 1)),)}, "block", "buyer_not_authorised"),
    ({"quota_used_kg": 950}, "block", "quota_exceeded"),
    ({"quota_used_kg": 850}, "review", "quota_nearly_used"),
    ({"zone": "VRAEM", "zone_limit_kg": 1000, "zone_used_kg": 950}, "block", "zone_limit_exceeded"),
    ({"zone": "VRAEM", "zone_limit_kg": 1000, "zone_used_kg": 750}, "review", "zone_limit_near"),
    ({"zone": "VRAEM", "zone_limit_kg": 1000}, "allow", "zone_delivery"),
    ({"establishment": "unknown"}, "review", "establishment_unknown"),
    ({"establishment": "elsewhere"}, "review", "destination_not_establishment"),
    ({"open_alerts": 2, "open_alert_severity": "high"}, "review", "open_alerts"),
    ({"confirmed_diversion": True}, "block", "confirmed_diversion"),
    ({"single_purchase_threshold_kg": 100}, "allow", "large_single_sale"),
    ({"controlled_here": False, "buyer_status": None}, "allow", "not_controlled_here"),
])
def test_each_reason(change: dict[str, object], decision: str, code: str | None) -> None:
    got, reasons = codes(replace(OK, **change))  # type: ignore[arg-type]
    assert got == decision
    assert (code in reasons) if code else not reasons


def test_quota_figures_and_every_reason_reported() -> None:
    v = decide(replace(OK, quota_used_kg=950, buyer_status="active", establishment="unknown", open_alerts=1))
    assert (v.quota_kg, v.quota_used_kg, v.quota_remaining_kg) == (1000, 950, 50)
    assert [r.code for r in v.reasons] == ["quota_exceeded", "establishment_unknown", "open_alerts"]
    assert v.decision == "block"


def test_renewed_authorisation_wins() -> None:
    old = replace(BUY, annual_quota_kg=10, valid_from=date(2020, 1, 1))
    v = decide(replace(OK, buyer_authorisations=(old, BUY), quota_used_kg=500))
    assert v.decision == "allow" and v.quota_kg == 1000


def test_no_quota_means_no_quota_reason() -> None:
    v = decide(replace(OK, buyer_authorisations=(replace(BUY, annual_quota_kg=None),), quota_used_kg=1e9))
    assert v.decision == "allow" and v.quota_remaining_kg is None


def test_seller_is_told_only_what_concerns_the_sale() -> None:
    """Issue 16, finding 5: alerts, a confirmed diversion and the buyer's figures weigh in the
    decision but are never in what the seller reads."""
    from traza.core.salecheck import seller_reasons

    v = decide(replace(OK, quota_used_kg=950, open_alerts=18, open_alert_severity="critical",
                       zone="VRAEM", zone_limit_kg=500, zone_used_kg=450))
    told = seller_reasons(v, OK.chemical)
    assert [r.code for r in told] == ["quota_exceeded", "zone_delivery", "zone_limit_exceeded", "registry_review"]
    text = " ".join(r.message for r in told)
    for secret in ("18", "critical", "alert", "analyst", "950", "1,000", "50 kg", "450", "550"):
        assert secret not in text, secret
    assert "500 kg" in text  # the published zone limit is the rule, not a secret
    v = decide(replace(OK, confirmed_diversion=True, open_alerts=1))
    assert v.decision == "block" and [r.code for r in seller_reasons(v, OK.chemical)] == ["registry_block"]
    assert "diversion" not in seller_reasons(v, OK.chemical)[0].message
    assert seller_reasons(decide(OK), OK.chemical) == ()
