"""Scores: one alert's, and an operator's risk combining its alerts (pure functions).

Precision is the product (docs/principles.md, principle 8): one weak signal must not put an operator
at the top of the queue; independent signals that agree should. So an operator's risk is a
noisy-OR over rules, each rule's contribution capped by its weight (many alerts of one rule
count about as much as one strong alert of it) and decayed with the alert's age.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

HALF_LIFE_DAYS = 180.0


def strength_score(severity_weight: float, strength: float) -> float:
    """0..severity: the rule's severity scaled by how far past its threshold the finding is:
    60% at the threshold, 80% four times past it, 90% at sixteen times, and on towards the
    whole severity without ever reaching it, so a stronger finding always ranks higher."""
    s = max(strength, 1.0) if math.isfinite(strength) else 1e6
    return severity_weight * (1.0 - 0.4 / math.sqrt(s))


# What each independent rule agreeing about the same operator takes off the doubt left.
AGREEMENT = 0.2
MAX_AGREEING = 5


def alert_score(severity_weight: float, strength: float, *, agreeing: int = 0, kg: float | None = None,
                age_days: float | None = None, findings: int = 1, key: str = "") -> float:
    """0..1, for ordering the queue: the strength score, raised by each other rule that
    found something about the same operator (``agreeing``), with ties broken by the evidence:
    the amount involved, how recent it is, how many findings the operator has, and last, for
    two alerts on the very same evidence (a seller's and its buyer's), ``key`` (the alert id),
    so the order is stable. The tie-breaks sit in the fifth decimal and below, never across a
    difference of strength an analyst would notice."""
    doubt = (1.0 - strength_score(severity_weight, strength)) * (1.0 - AGREEMENT) ** min(max(agreeing, 0), MAX_AGREEING)
    amount = min(math.log10(1.0 + max(kg or 0.0, 0.0)) / 8.0, 1.0)  # 100,000 t or more: 1
    fresh = decay(age_days or 0.0)
    breadth = min(max(findings, 1), 10) / 10.0
    last = int(hashlib.sha1(key.encode()).hexdigest()[:6], 16) / 0xFFFFFF if key else 0.0  # noqa: S324 - an order, not security
    tie = 0.9 * amount + 0.09 * fresh + 0.009 * breadth + 0.0009 * last
    return round((1.0 - doubt) * 0.9999 + 0.0001 * tie, 10)


def decay(age_days: float, half_life: float = HALF_LIFE_DAYS) -> float:
    return float(0.5 ** (max(age_days, 0.0) / half_life))


@dataclass(frozen=True)
class Scored:
    rule: str
    weight: float
    ruc: str
    score: float
    period_end: date | None


@dataclass(frozen=True)
class Risk:
    ruc: str
    score: float
    breakdown: dict[str, dict[str, float]]  # rule -> {"contribution", "alerts"}

    def top_rules(self, n: int = 3) -> list[str]:
        ranked = sorted(self.breakdown.items(), key=lambda kv: -kv[1]["contribution"])
        return [k for k, _ in ranked[:n]]


def operator_risk(alerts: Iterable[Scored], as_of: date, half_life: float = HALF_LIFE_DAYS) -> list[Risk]:
    """Risk per operator, highest first (ties by RUC, so the ranking is stable)."""
    per: dict[str, dict[str, list[Scored]]] = defaultdict(lambda: defaultdict(list))
    for a in alerts:
        per[a.ruc][a.rule].append(a)
    out = []
    for ruc, rules in per.items():
        breakdown: dict[str, dict[str, float]] = {}
        keep = 1.0
        for rule, items in rules.items():
            miss = 1.0
            for a in items:
                age = (as_of - a.period_end).days if a.period_end else 0
                miss *= 1.0 - a.score * decay(age, half_life)
            contribution = items[0].weight * (1.0 - miss)
            breakdown[rule] = {"contribution": round(contribution, 4), "alerts": float(len(items))}
            keep *= 1.0 - contribution
        out.append(Risk(ruc, round(1.0 - keep, 4), breakdown))
    out.sort(key=lambda r: (-r.score, r.ruc))
    return out
