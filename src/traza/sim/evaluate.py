"""Scoring detection against the simulator's truth, as pure functions.

A scheme is caught when a live (non-shadow) alert names one of its members and its period
overlaps the scheme's dates; an alert is a true alert when it catches some scheme that way.
Operator ranking is judged at K, the number of truly involved operators: of the K riskiest
operators of the latest run, how many are involved (precision), and how many of the
involved are among them (recall).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date

DIRTY = "dirty"


@dataclass(frozen=True)
class TruthScheme:
    scheme_id: str
    typology: str
    members: frozenset[str]
    first: date
    last: date


@dataclass(frozen=True)
class Alert:
    alert_id: str
    rule: str
    ruc: str
    period_start: date | None
    period_end: date | None
    shadow: bool = False


@dataclass(frozen=True)
class RiskEntry:
    ruc: str
    rank: int
    score: float = 0.0


@dataclass(frozen=True)
class TypologyScore:
    typology: str
    schemes: int
    caught: int
    caught_in_shadow: int

    @property
    def share(self) -> float:
        return self.caught / self.schemes if self.schemes else 0.0


@dataclass(frozen=True)
class RuleScore:
    rule: str
    alerts: int
    true_alerts: int

    @property
    def precision(self) -> float:
        return self.true_alerts / self.alerts if self.alerts else 0.0


@dataclass(frozen=True)
class Evaluation:
    typologies: list[TypologyScore]
    rules: list[RuleScore]
    alerts: int
    true_alerts: int
    shadow_alerts: int
    k: int
    run_id: int | None
    ranked: int
    hits: int
    involved: list[str] = field(default_factory=list)

    @property
    def schemes(self) -> int:
        return sum(t.schemes for t in self.typologies)

    @property
    def caught(self) -> int:
        return sum(t.caught for t in self.typologies)

    @property
    def precision(self) -> float:
        return self.true_alerts / self.alerts if self.alerts else 0.0

    @property
    def precision_at_k(self) -> float:
        looked = min(self.k, self.ranked)
        return self.hits / looked if looked else 0.0

    @property
    def recall_at_k(self) -> float:
        return self.hits / self.k if self.k else 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "schemes": {"total": self.schemes, "caught": self.caught,
                        "share": _r(self.caught / self.schemes if self.schemes else 0.0)},
            "typologies": [{**asdict(t), "share": _r(t.share)} for t in self.typologies],
            "alerts": {"live": self.alerts, "true": self.true_alerts, "precision": _r(self.precision),
                       "shadow": self.shadow_alerts},
            "rules": [{**asdict(r), "precision": _r(r.precision)} for r in self.rules],
            "operators": {"k": self.k, "run_id": self.run_id, "ranked": self.ranked, "hits": self.hits,
                          "precision_at_k": _r(self.precision_at_k), "recall_at_k": _r(self.recall_at_k)},
        }


def _r(x: float) -> float:
    return round(x, 4)


def parse_truth(rows: Iterable[Mapping[str, str]]) -> list[TruthScheme]:
    """Schemes from truth.csv records (one per member; dirty rows are ignored)."""
    members: dict[str, set[str]] = defaultdict(set)
    info: dict[str, tuple[str, date, date]] = {}
    for row in rows:
        if row["typology"] == DIRTY or not row.get("first_date"):
            continue
        sid = row["scheme_id"]
        members[sid].add(row["ruc"])
        info[sid] = (row["typology"], date.fromisoformat(row["first_date"]), date.fromisoformat(row["last_date"]))
    return [TruthScheme(s, info[s][0], frozenset(members[s]), info[s][1], info[s][2]) for s in sorted(info)]


def touches(alert: Alert, scheme: TruthScheme) -> bool:
    """The alert names a member and its period overlaps the scheme's; an open end of the
    alert's period counts as unbounded."""
    if alert.ruc not in scheme.members:
        return False
    starts_before_end = alert.period_start is None or alert.period_start <= scheme.last
    ends_after_start = alert.period_end is None or alert.period_end >= scheme.first
    return starts_before_end and ends_after_start


def score(schemes: list[TruthScheme], alerts: list[Alert], ranking: list[RiskEntry],
          run_id: int | None = None) -> Evaluation:
    by_member: dict[str, list[TruthScheme]] = defaultdict(list)
    for s in schemes:
        for ruc in s.members:
            by_member[ruc].append(s)
    caught: set[str] = set()
    caught_shadow: set[str] = set()
    per_rule: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    live = true = shadow = 0
    for a in alerts:
        hit = {s.scheme_id for s in by_member.get(a.ruc, ()) if touches(a, s)}
        if a.shadow:
            shadow += 1
            caught_shadow |= hit
            continue
        live += 1
        caught |= hit
        true += bool(hit)
        per_rule[a.rule][0] += 1
        per_rule[a.rule][1] += bool(hit)
    typologies = []
    for t in sorted({s.typology for s in schemes}):
        ids = [s.scheme_id for s in schemes if s.typology == t]
        typologies.append(TypologyScore(t, len(ids), sum(i in caught for i in ids),
                                        sum(i in caught_shadow for i in ids)))
    involved = sorted({m for s in schemes for m in s.members})
    k = len(involved)
    top = [e.ruc for e in sorted(ranking, key=lambda e: (e.rank, e.ruc))[:k]]
    hits = len(set(top) & set(involved))
    rules = [RuleScore(r, n, t) for r, (n, t) in sorted(per_rule.items())]
    return Evaluation(typologies, rules, live, true, shadow, k, run_id, len(ranking), hits, involved)
