"""Field operations for staff: operations and plots of a month, tallies against goals, the
ENACO certificate checks and the incident log."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import Query
from pydantic import BaseModel, Field

from traza.api.deps import AlertReader, AlertWorker, Db
from traza.api.errors import Invalid
from traza.api.routers._common import router
from traza.api.schemas import Strict
from traza.core.jurisdiction import jurisdiction
from traza.field import queries
from traza.field.checks import run_checks, stored_finding
from traza.field.model import SEEDBED_M2_PER_HA
from traza.field.tally import month_bounds, tally_month

r = router("field")
Month = Annotated[str, Query(pattern=r"^\d{4}-\d{2}$", description="YYYY-MM")]


class CheckRunIn(Strict):
    as_of: dt.date | None = Field(default=None, description="Run as of this day (default today)")


class FindingOut(BaseModel):
    check_id: str
    check_version: int
    subject: str
    ubigeo: str | None
    period_start: dt.date | None
    period_end: dt.date | None
    observed: float | None
    baseline: float | None
    strength: float | None
    detail: str | None
    evidence: list[str]
    explanation_es: str | None = None
    explanation_en: str | None = None


class CheckRunOut(BaseModel):
    run_id: int | None
    as_of: dt.date | None
    findings: list[FindingOut]


def _month(month: str) -> None:
    try:
        month_bounds(month)
    except ValueError as exc:
        raise Invalid(str(exc)) from exc


@r.get("/field/operations", operation_id="list_field_operations")
def list_operations(staff: AlertReader, db: Db, month: Month) -> list[dict[str, Any]]:
    _month(month)
    return queries.operations(db, month)


@r.get("/field/plots", operation_id="list_field_plots")
def list_plots(staff: AlertReader, db: Db, month: Month,
               ubigeo: Annotated[str | None, Query(pattern=jurisdiction().geography.pattern)] = None) -> list[dict[str, Any]]:
    _month(month)
    return queries.plots(db, month, ubigeo)


@r.get("/field/tallies", operation_id="get_field_tallies")
def get_tallies(staff: AlertReader, db: Db, month: Month, through: dt.date | None = None,
                m2_per_ha: Annotated[float, Query(gt=0)] = SEEDBED_M2_PER_HA) -> dict[str, Any]:
    try:
        t = tally_month(db, month, through, m2_per_ha)
    except ValueError as exc:
        raise Invalid(str(exc)) from exc
    from dataclasses import asdict

    out = asdict(t)
    out["by_day"] = {d.isoformat(): f for d, f in out["by_day"].items()}
    return out


@r.get("/field/certificate-checks", operation_id="list_field_findings", response_model=CheckRunOut)
def list_findings(staff: AlertReader, db: Db) -> CheckRunOut:
    run, rows = queries.latest_findings(db)
    out = []
    for row in rows:
        f = FindingOut(**row)
        if (ff := stored_finding(f.model_dump())) is not None:
            f.explanation_es, f.explanation_en = ff.explain("es"), ff.explain("en")
        out.append(f)
    return CheckRunOut(run_id=run["run_id"] if run else None, as_of=run["as_of"] if run else None, findings=out)


@r.post("/field/certificate-checks/run", operation_id="run_field_checks", response_model=CheckRunOut)
def run_field_checks(staff: AlertWorker, db: Db, body: CheckRunIn) -> CheckRunOut:
    run_id, found = run_checks(db, db.dialect, body.as_of, actor=staff.actor)
    return CheckRunOut(run_id=run_id, as_of=body.as_of or dt.date.today(), findings=[FindingOut(
        check_id=f.check.id, check_version=f.check.version, subject=f.subject, ubigeo=f.ubigeo,
        period_start=f.period_start, period_end=f.period_end, observed=f.observed, baseline=f.baseline,
        strength=f.strength, detail=f.detail, evidence=list(f.evidence), explanation_es=f.explain("es"),
        explanation_en=f.explain("en")) for f in found])


@r.get("/field/incidents", operation_id="list_field_incidents")
def list_incidents(staff: AlertReader, db: Db,
                   month: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}$")] = None) -> list[dict[str, Any]]:
    if month:
        _month(month)
    return queries.incidents(db, month)
