"""Scores: one alert's, and an operator's risk combining its alerts (pure functions).

Precision is the product (docs/principles.md, principle 8): one weak signal must not put an operator
at the top of the queue; independent signals that agree should. So an operator's risk is a
noisy-OR over rules, each rule's contribution capped by its weight (many alerts of one rule
count about as much as one strong alert of it) and decayed with the alert's age.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

HALF_LIFE_DAYS = 180.0


def alert_score(severity_weight: float, strength: float) -> float:
    """0..1: the rule's severity, scaled by how far past its threshold the finding is
    (strength 1 = at the threshold gives 60%, 4 times past it gives the full severity)."""
    s = max(strength, 1.0) if math.isfinite(strength) else 4.0
    return round(severity_weight * min(1.0, 0.6 + 0.2 * math.log2(s)), 4)


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
