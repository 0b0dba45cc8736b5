"""One rule runner for every kind of SQL rule: chemical detection, port targeting, field checks.

A ``RuleKind`` says what differs between them (the columns a rule returns, the reference and
base tables it reads, the stored tables Spark needs exported, how one row becomes a finding);
``run_rules`` does the rest the same way for all: build the tables, render and run each rule,
check its columns, wrap an engine's failure in ``RuleFailed`` naming the rule, convert rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Generic, TypeVar

from traza.core.errors import TrazaError
from traza.detect.catalogue import SqlRule
from traza.detect.engines import Engine, make_engine
from traza.store.db import Database

RuleT = TypeVar("RuleT", bound=SqlRule)
FindingT = TypeVar("FindingT")
Progress = Callable[[str, int, int], None]


class RuleFailed(TrazaError):
    """A rule's SQL failed on an engine: the message names the rule."""


def _nothing(engine: Engine) -> None:
    return None


def _no_base(as_of: str) -> Sequence[tuple[str, str]]:
    return ()


@dataclass(frozen=True)
class RuleKind(Generic[RuleT, FindingT]):
    label: str  # how a message names one of them: "rule", "port rule", "field check"
    output: tuple[str, ...]  # the first columns every rule of this kind returns, in order
    finding: Callable[[RuleT, Sequence[Any]], FindingT]  # one result row to a finding
    references: Callable[[Engine], None] = _nothing  # small reference tables, from Python
    base: Callable[[str], Sequence[tuple[str, str]]] = _no_base  # (name, SELECT) for the run's date
    sources: tuple[str, ...] = ()  # stored tables read besides the ledger's (exported for Spark)
    # Columns a rule may add after ``output`` (any of them, in this order); a finding always
    # receives all of them, None for those its rule does not return.
    optional: tuple[str, ...] = ()

    def engine(self, name: str, db: Database, parquet_dir: Path | None = None) -> Engine:
        return make_engine(name, db, parquet_dir, self.sources)


def run_rules(kind: RuleKind[RuleT, FindingT], engine: Engine, rules: Sequence[RuleT], as_of: date | None = None,
              params: dict[str, dict[str, float]] | None = None, progress: Progress | None = None) -> list[FindingT]:
    """Build ``kind``'s tables in ``engine`` for ``as_of`` and run ``rules``; their findings."""
    tick = progress or (lambda what, i, n: None)
    day = as_of.isoformat() if as_of else ""
    base = kind.base(day)
    steps = len(base) + len(rules) + 1
    tick("reference data", 0, steps)
    kind.references(engine)
    for i, (name, sql) in enumerate(base, start=1):
        tick(f"base table {name}", i, steps)
        engine.create(name, sql)
    out: list[FindingT] = []
    for j, rule in enumerate(rules, start=len(base) + 1):
        tick(f"{kind.label} {rule.id}", j, steps)
        try:
            names, rows = engine.query(rule.render(day, (params or {}).get(rule.id)))
        except Exception as exc:  # each engine raises its own error types
            raise RuleFailed(f"{kind.label} {rule.id} (v{rule.version}) failed on {engine.name}: {exc}") from exc
        if tuple(names[: len(kind.output)]) != kind.output:
            raise ValueError(f"{kind.label} {rule.id} returns {names}, expected the columns {kind.output}")
        extra = list(names[len(kind.output):])
        if extra:
            if [c for c in kind.optional if c in extra] != extra:
                raise ValueError(f"{kind.label} {rule.id} returns {extra} after {kind.output}: "
                                 f"expected some of {kind.optional}, in that order")
            at = {c: i for i, c in enumerate(names)}
            pick = [at.get(c) for c in kind.optional]
            rows = [(*r[: len(kind.output)], *(None if i is None else r[i] for i in pick)) for r in rows]
        elif kind.optional:
            pad = (None,) * len(kind.optional)
            rows = [(*r[: len(kind.output)], *pad) for r in rows]
        out.extend(kind.finding(rule, r) for r in rows)
    tick("done", steps, steps)
    return out


def number(v: Any) -> float | None:
    # Engines sum in different orders: round so every engine reports the same figures.
    return None if v is None else round(float(v), 2)


def day(v: Any) -> date | None:
    if v is None:
        return None
    return v.date() if isinstance(v, datetime) else v
