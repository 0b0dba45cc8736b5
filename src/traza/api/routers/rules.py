"""The rule catalogue, live or shadow mode, and each rule's performance from outcomes."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Query
from pydantic import BaseModel, Field

from traza.api.deps import AlertReader, Db, Supervisor
from traza.api.errors import Invalid, NotFound
from traza.api.routers._common import router
from traza.api.schemas import Strict, Text
from traza.cases.alerts import rule_performance
from traza.detect.catalogue import default_rules
from traza.service import rules as rule_modes

r = router("rules")


class RuleOut(BaseModel):
    id: str
    version: int
    severity: str
    weight: float
    title_es: str
    title_en: str
    rationale_es: str
    rationale_en: str
    shadow: bool = Field(description="As run: the rule file's flag unless a supervisor set a mode")
    shadow_in_file: bool
    mode_set_by: str | None
    params: dict[str, float]


class ModeIn(Strict):
    shadow: bool
    reason: Text | None = None


class PerformanceOut(BaseModel):
    rule: str
    hits: int
    operators: int
    shadow_hits: int
    closed: int
    false_positive: int
    useful: int
    confirmed_diversion: int
    true_positive: int
    precision: float | None = Field(description="useful or confirmed among closed alerts")
    precision_confirmed: float | None


def _rules(db: Db) -> list[RuleOut]:
    return [RuleOut(
        id=m.rule.id, version=m.rule.version, severity=m.rule.severity, weight=m.rule.weight,
        title_es=m.rule.title.es, title_en=m.rule.title.en, rationale_es=m.rule.rationale.es,
        rationale_en=m.rule.rationale.en, shadow=m.shadow, shadow_in_file=m.rule.shadow, mode_set_by=m.set_by,
        params={k: p.default for k, p in m.rule.params.items()}) for m in rule_modes.catalogue(db)]


@r.get("/rules", operation_id="list_rules", response_model=list[RuleOut])
def list_rules(staff: AlertReader, db: Db) -> list[RuleOut]:
    """The detection rules, their versions and whether each runs live or in shadow."""
    return _rules(db)


@r.post("/rules/{rule_id}/mode", operation_id="set_rule_mode", response_model=RuleOut)
def set_mode(staff: Supervisor, db: Db, rule_id: Annotated[str, Field(max_length=100)], body: ModeIn) -> RuleOut:
    """Put a rule in shadow mode (its alerts are kept and counted, out of the queue) or live."""
    if rule_id not in {x.id for x in default_rules().rules}:
        raise NotFound(f"no rule {rule_id}")
    rule_modes.set_mode(db, staff.actor, rule_id, body.shadow, body.reason)
    return next(x for x in _rules(db) if x.id == rule_id)


@r.get("/rules/performance", operation_id="get_rule_performance", response_model=list[PerformanceOut])
def performance(staff: AlertReader, db: Db, since: Annotated[dt.date, Query()],
                until: Annotated[dt.date, Query()]) -> list[PerformanceOut]:
    """Per rule over alerts first detected in [since, until]: hits, distinct operators, closed
    alerts, outcomes and precision."""
    if until < since:
        raise Invalid("until must not be before since")
    return [PerformanceOut(**p) for p in rule_performance(db, since, until)]
