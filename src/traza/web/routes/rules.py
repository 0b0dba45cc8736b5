"""The rule catalogue: each rule's mode (live or shadow), precision from closed alerts'
outcomes, and a month-by-month backtest (replayed on demand, loaded by HTMX)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import Form, Request
from fastapi.responses import Response

from traza.api.deps import Db
from traza.cases.alerts import rule_performance
from traza.detect.backtest import backtest
from traza.detect.catalogue import Rule, default_rules
from traza.service import dashboard as dash
from traza.service import rules as rule_modes
from traza.web import charts
from traza.web.deps import AlertReader, SupervisorW, WebProblem
from traza.web.i18n import translate
from traza.web.render import html, redirect
from traza.web.routes._common import router

r = router()
EVER = dt.date(2000, 1, 1)


def _rule(rule_id: str) -> Rule:
    try:
        return default_rules().get(rule_id)
    except KeyError:
        raise WebProblem(f"rule {rule_id} ?", status=404) from None


def _rows(db: Db) -> list[dict[str, Any]]:
    perf = {p["rule"]: p for p in rule_performance(db, EVER, dt.date.today())}
    return [{"rule": m.rule, "shadow": m.shadow, "set_by": m.set_by, "perf": perf.get(m.rule.id)}
            for m in rule_modes.catalogue(db)]


@r.get("/rules")
def rules_page(request: Request, v: AlertReader, db: Db) -> Response:
    return html(request, v, "rules.html", active="rules", rows=_rows(db))


@r.get("/rules/{rule_id}")
def rule_page(request: Request, v: AlertReader, db: Db, rule_id: str) -> Response:
    rule = _rule(rule_id)
    row = next(x for x in _rows(db) if x["rule"].id == rule.id)
    return html(request, v, "rule.html", active="rules", row=row, rule=rule)


@r.get("/rules/{rule_id}/backtest")
def backtest_fragment(request: Request, v: AlertReader, db: Db, rule_id: str) -> Response:
    """Findings per month over the last 12 months of data, each month replayed without
    look-ahead (nothing stored)."""
    rule = _rule(rule_id)
    end = dash.latest_movement_date(db) or dt.date.today()
    start = dt.date(end.year - 1, end.month, 1) + dt.timedelta(days=32)
    months = backtest(db, rule.id, dt.date(start.year, start.month, 1), end)
    chart = charts.stacked_bars([m["month"] for m in months], [
        (translate(v.lang, "rules.new"), [m["new"] for m in months], "#D55E00"),
        (translate(v.lang, "rules.repeated"), [m["findings"] - m["new"] for m in months], "#56B4E9")])
    return html(request, v, "_backtest.html", chart=chart, months=months)


@r.post("/rules/{rule_id}/mode")
def set_mode(request: Request, v: SupervisorW, db: Db, rule_id: str, shadow: Annotated[str, Form(max_length=5)],
             reason: Annotated[str, Form(max_length=2000)] = "") -> Response:
    rule = _rule(rule_id)
    if shadow not in ("true", "false"):
        raise WebProblem(f"shadow: expected true or false, got {shadow!r}")
    rule_modes.set_mode(db, v.actor, rule.id, shadow == "true", reason.strip() or None)
    return redirect(request, v, f"/rules/{rule.id}")
