"""Scores (pure): an alert's from its severity and strength; an operator's as a noisy-OR of
its rules, each capped by the rule's weight and decayed with age."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from traza.detect.scoring import (
    HALF_LIFE_DAYS,
    Scored,
    alert_score,
    decay,
    operator_risk,
    strength_score,
)

TODAY = date(2025, 6, 30)


def test_the_strength_score_grows_towards_the_severity_without_reaching_it() -> None:
    assert strength_score(0.75, 1.0) == pytest.approx(0.45)  # at the threshold: 60%
    assert strength_score(0.75, 4.0) == pytest.approx(0.6)  # four times past it: 80%
    assert strength_score(0.75, 0.5) == strength_score(0.75, 1.0)  # never below the threshold's score
    scores = [strength_score(0.75, s) for s in (1, 2, 4, 16, 100, 10_000, float("inf"))]
    assert scores == sorted(scores) and len(set(scores)) == len(scores), "no saturation: stronger ranks higher"
    assert scores[-1] < 0.75


def test_alert_scores_rank_by_strength_then_agreement_then_evidence() -> None:
    weak, strong = alert_score(0.5, 1.2), alert_score(0.5, 1.3)
    assert weak < strong
    # another rule about the same operator counts for more than any amount of kilograms
    assert alert_score(0.5, 1.2, agreeing=1) > alert_score(0.5, 1.3, kg=1e9)
    assert alert_score(0.5, 1.2, agreeing=2) > alert_score(0.5, 1.2, agreeing=1)
    # same rule and strength: the larger amount first, then the more recent
    assert alert_score(0.5, 1.2, kg=5_000) > alert_score(0.5, 1.2, kg=4_000)
    assert alert_score(0.5, 1.2, kg=5_000, age_days=10) > alert_score(0.5, 1.2, kg=5_000, age_days=200)
    # and those tie-breaks never cross a difference of strength
    assert alert_score(0.5, 1.22, kg=0, age_days=999) > alert_score(0.5, 1.2, kg=1e9, age_days=0)
    assert alert_score(0.5, 1.2, kg=5_000, findings=3) > alert_score(0.5, 1.2, kg=5_000, findings=1)
    # the same evidence under two ids (a seller's alert and its buyer's): still an order
    assert alert_score(0.5, 1.2, key="a") != alert_score(0.5, 1.2, key="b")
    assert all(0 <= alert_score(1.0, s, agreeing=9, kg=1e12) <= 1 for s in (1, float("inf")))


def test_decay_halves_every_half_life() -> None:
    assert decay(0) == 1.0
    assert decay(HALF_LIFE_DAYS) == pytest.approx(0.5)
    assert decay(2 * HALF_LIFE_DAYS) == pytest.approx(0.25)
    assert decay(-30) == 1.0  # a period ending after as_of counts as fresh


def _a(ruc: str, rule: str, score: float, weight: float = 0.5, days_ago: int = 0) -> Scored:
    return Scored(rule, weight, ruc, score, TODAY - timedelta(days=days_ago))


def test_one_rule_contributes_at_most_its_weight() -> None:
    [one] = operator_risk([_a("A", "r1", 0.9)], TODAY)
    [many] = operator_risk([_a("A", "r1", 0.9) for _ in range(20)], TODAY)
    assert one.score == pytest.approx(0.45)
    assert many.score == pytest.approx(0.5)  # twenty alerts of one rule: capped
    assert many.breakdown == {"r1": {"contribution": 0.5, "alerts": 20.0}}


def test_independent_signals_outrank_one_strong_signal() -> None:
    risks = operator_risk([
        _a("LOUD", "r1", 1.0, weight=0.6), _a("LOUD", "r1", 1.0, weight=0.6), _a("LOUD", "r1", 1.0, weight=0.6),
        _a("AGREE", "r1", 0.6), _a("AGREE", "r2", 0.6), _a("AGREE", "r3", 0.6),
    ], TODAY)
    assert [r.ruc for r in risks] == ["AGREE", "LOUD"]
    agree = risks[0]
    assert agree.score == pytest.approx(1 - (1 - 0.3) ** 3)
    assert sorted(agree.top_rules()) == ["r1", "r2", "r3"]


def test_old_alerts_weigh_less() -> None:
    fresh, old = operator_risk([_a("NEW", "r1", 0.8), _a("OLD", "r1", 0.8, days_ago=360)], TODAY)
    assert (fresh.ruc, old.ruc) == ("NEW", "OLD")
    assert old.score == pytest.approx(0.5 * 0.8 * 0.25)


def test_ranking_is_stable_and_top_rules_ordered() -> None:
    risks = operator_risk([_a("B", "r1", 0.5), _a("A", "r1", 0.5), _a("C", "x", 0.2), _a("C", "y", 0.9)], TODAY)
    assert [r.ruc for r in risks] == ["C", "A", "B"]  # A and B tie: by RUC
    assert risks[0].score == pytest.approx(1 - (1 - 0.1) * (1 - 0.45))
    c = next(r for r in risks if r.ruc == "C")
    assert c.top_rules() == ["y", "x"] and c.top_rules(1) == ["y"]


def test_no_alerts_no_risk() -> None:
    assert operator_risk([], TODAY) == []
