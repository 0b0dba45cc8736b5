"""A targeting run: base tables in an engine (DuckDB, PostgreSQL or Spark), every port rule,
and a score per container. Same SQL, same findings on every engine."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from traza.detect.engines import Engine
from traza.detect.kinds import RuleKind, run_rules
from traza.ports.base import BASE, SOURCES
from traza.ports.reference import load_reference
from traza.ports.rules_catalogue import OUTPUT, PortRule, default_port_rules
from traza.store.db import Database


class Hit(NamedTuple):
    # A named tuple, not a dataclass: a year at Callao makes close to a million of them, and a
    # frozen dataclass costs several times more to build.
    rule: PortRule
    call_id: str
    container_no: str
    strength: float
    detail: str | None


@dataclass
class Scored:
    call_id: str
    container_no: str
    score: float = 0.0
    hits: list[Hit] = field(default_factory=list)

    @property
    def methods(self) -> list[str]:
        seen: dict[str, float] = {}
        for h in self.hits:
            for m in h.rule.methods:
                seen[m] = seen.get(m, 0.0) + h.rule.weight
        return sorted(seen, key=lambda m: (-seen[m], m))


def find(engine: Engine, rules: Sequence[PortRule] | None = None,
         params: dict[str, dict[str, float]] | None = None) -> list[Hit]:
    """Build the base tables in ``engine`` and run the live rules; return their hits."""
    live = rules if rules is not None else [r for r in default_port_rules() if not r.shadow]
    return run_rules(TARGETING, engine, live, None, params)  # no {as_of}: see PortRule


def _hit(rule: PortRule, r: Sequence[Any]) -> Hit:
    call_id, cont, strength, detail = r[0], r[1], r[2], r[3]
    if strength is None or strength == 1:
        s = 1.0  # nearly every hit: skip the clamping and rounding
    else:
        s = float(strength)
        s = round(min(max(s, 0.0), 1.0), 3) if math.isfinite(s) else 1.0
    return Hit(rule, call_id if type(call_id) is str else str(call_id), cont if type(cont) is str else str(cont), s,
               detail if detail is None or type(detail) is str else str(detail))


def _base(as_of: str) -> Sequence[tuple[str, str]]:
    return BASE


TARGETING: RuleKind[PortRule, Hit] = RuleKind("port rule", OUTPUT, _hit, load_reference, _base, SOURCES)


def score(hits: Sequence[Hit]) -> dict[tuple[str, str], Scored]:
    """Per container: 1 - prod(1 - weight x strength) over its rules (each rule once, at its
    strongest), so one strong reason ranks high and several weak ones add up without limit 1."""
    best: dict[tuple[str, str, str], Hit] = {}
    for h in hits:
        k = (h.call_id, h.container_no, h.rule.id)
        b = best.get(k)
        if b is None or h.strength > b.strength:
            best[k] = h
    out: dict[tuple[str, str], Scored] = {}
    for h in best.values():
        ck = (h.call_id, h.container_no)
        s = out.get(ck)
        if s is None:
            s = out[ck] = Scored(h.call_id, h.container_no)
        s.hits.append(h)
    for s in out.values():
        keep = 1.0
        for h in s.hits:
            keep *= 1.0 - h.rule.weight * h.strength
        s.score = round(1.0 - keep, 4)
        if len(s.hits) > 1:
            s.hits.sort(key=_order)
    return out


def _order(h: Hit) -> tuple[float, str]:
    return (-h.rule.weight * h.strength, h.rule.id)


def run(db: Database, engine_name: str = "duckdb", rules: Sequence[PortRule] | None = None) -> dict[tuple[str, str], Scored]:
    engine = TARGETING.engine(engine_name, db)
    try:
        return score(find(engine, rules))
    finally:
        engine.close()
