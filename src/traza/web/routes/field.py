"""Field operations pages: the month's operations map, tallies against goals and incident
log; the ENACO certificate checks (run on demand by analysts and supervisors)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import Response

from traza.api.deps import Db
from traza.core.geo import default_geography
from traza.field import queries
from traza.field.checks import default_checks, run_checks, stored_finding
from traza.field.tally import month_bounds, tally_month
from traza.web import field_map
from traza.web.deps import AlertReader, AlertWorker, WebProblem
from traza.web.render import html, redirect
from traza.web.routes._common import router

r = router()


def _month(db: Db, month: str | None) -> str:
    if month:
        try:
            month_bounds(month)
        except ValueError as exc:
            raise WebProblem(str(exc)) from exc
        return month
    have = queries.months_with_data(db)
    return have[0] if have else dt.date.today().strftime("%Y-%m")


@r.get("/field")
def field_page(request: Request, v: AlertReader, db: Db, month: str | None = None) -> Response:
    m = _month(db, month)
    geo = default_geography()
    names = {u: f"{d.name.title()} ({d.province.title()})" for u, d in geo.districts.items()}
    plots = queries.plots(db, m)
    return html(request, v, "field.html", active="field", month=m, months=queries.months_with_data(db),
                tally=tally_month(db, m), map=field_map.build(plots, names), incidents=queries.incidents(db, m),
                names=names)


@r.get("/field/checks")
def checks_page(request: Request, v: AlertReader, db: Db) -> Response:
    run, rows = queries.latest_findings(db)
    found = [f for f in map(stored_finding, rows) if f is not None]
    findings = [{"check": f.check, "f": f, "text": f.explain(v.lang)} for f in found]
    return html(request, v, "field_checks.html", active="field", run=run, findings=findings,
                checks=list(default_checks()))


@r.post("/field/checks/run")
def run_page(request: Request, v: AlertWorker, db: Db,
             as_of: Annotated[str, Form(max_length=10)] = "") -> Response:
    try:
        day = dt.date.fromisoformat(as_of) if as_of else None
    except ValueError as exc:
        raise WebProblem(f"as_of: expected YYYY-MM-DD, got {as_of!r}") from exc
    run_checks(db, db.dialect, day, actor=v.actor)
    return redirect(request, v, "/field/checks")
