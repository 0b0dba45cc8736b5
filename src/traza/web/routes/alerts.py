"""The alert queue (filters, sorting, bulk assign, keyboard triage) and the alert page
(evidence, the baseline it was compared with, explanation, actions). Every action calls the
same service functions as the API, so it writes the same audit events."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import Form, Query, Request
from fastapi.responses import Response

from traza.api.deps import Db
from traza.cases import alerts as svc
from traza.cases import cases as case_svc
from traza.cases.workflow import ALERT_STATUSES, Required
from traza.core.vocab import OUTCOMES, SEVERITIES
from traza.report.numbers import Numbers
from traza.service import accounts
from traza.service import profile as prof
from traza.web import charts, labels
from traza.web.deps import AlertReader, AlertWorker, SupervisorW, Viewer, WebProblem
from traza.web.i18n import translate
from traza.web.problems import shown
from traza.web.render import html, redirect
from traza.web.routes._common import (
    check_assignable,
    parse_choice,
    parse_day,
    parse_version,
    router,
)

r = router()
PAGE = 50
Q = Annotated[str | None, Query(max_length=100)]
Text = Annotated[str, Form(max_length=2000)]
Version = Annotated[str, Form(max_length=20)]  # the hidden field: the version the page showed


@r.get("/alerts")
def queue(request: Request, v: AlertReader, db: Db, rule: Q = None, severity: Q = None, status: Q = None,
          ruc: Q = None, chemical: Q = None, assignee: Q = None, sort: Q = None,
          from_: Annotated[str | None, Query(alias="from", max_length=10)] = None,
          to: Annotated[str | None, Query(max_length=10)] = None, page: Annotated[int, Query(ge=1, le=100_000)] = 1,
          done: Q = None) -> Response:
    f = svc.AlertFilter(status=parse_choice(status, ALERT_STATUSES, "status") if status != "all" else None,
                        rule=rule or None, ruc=(ruc or "").strip() or None,
                        severity=parse_choice(severity, SEVERITIES, "severity"), assignee=assignee or None,
                        chemical=chemical or None, since=parse_day(from_, "from"), until=parse_day(to, "to"))
    if status is None:  # the queue's default: what still needs work
        f = svc.AlertFilter(**{**f.__dict__, "status": "open"})
    order = parse_choice(sort, svc.ORDERS, "sort") or "score"
    total = svc.count_alerts(db, f)
    pages = max(1, -(-total // PAGE))
    page = min(page, pages)  # past the end (a stale link, ?page=999): its last page, not "999 / 3"
    rows = svc.list_alerts(db, f, PAGE, (page - 1) * PAGE, order=order)
    return html(request, v, "alerts.html", active="alerts", rows=rows, total=total, page=page, pages=pages,
                f=f, status=status or "open", sort=order, from_=from_ or "", to=to or "", done=done,
                rules=labels.rules(v.lang), chemicals=labels.chemicals(v.lang), statuses=ALERT_STATUSES,
                severities=SEVERITIES, orders=tuple(svc.ORDERS), assignees=accounts.assignees(db))


def _back(value: str | None, fallback: str) -> str:
    return value if value and value.startswith("/alerts") and not value.startswith("//") else fallback


@r.post("/alerts/assign")
async def bulk_assign(request: Request, v: SupervisorW, db: Db) -> Response:
    form = await request.form()
    ids = [str(x) for x in form.getlist("alert_id")][:500]
    assignee = str(form.get("assignee") or "")
    if not ids:
        raise WebProblem(translate(v.lang, "alerts.none_selected"))
    check_assignable(db, assignee)
    versions = {}
    for alert_id in ids:
        _alert_or_404(db, alert_id)
        versions[alert_id] = parse_version(form.get(f"version:{alert_id}"), f"version:{alert_id}")
    with shown("alert", v.lang):
        for alert_id in ids:  # each its own change: one moved meanwhile stops here, the ones before stay
            svc.assign(db, v.actor, alert_id, assignee, versions[alert_id])
    back = _back(str(form.get("back") or ""), "/alerts")
    sep = "&" if "?" in back else "?"
    return redirect(request, v, f"{back}{sep}done=assigned:{len(ids)}")


def _alert_or_404(db: Db, alert_id: str) -> dict[str, Any]:
    alert = svc.get_alert(db, alert_id)
    if alert is None:
        raise WebProblem(f"alert {alert_id} ?", status=404)
    return alert


@r.get("/alerts/{alert_id}")
def alert_page(request: Request, v: AlertReader, db: Db, alert_id: str, done: Q = None) -> Response:
    return _alert_view(request, v, db, alert_id, done)


def _alert_view(request: Request, v: Viewer, db: Db, alert_id: str, done: str | None = None,
                error: str | None = None, kept: dict[str, str] | None = None, code: int = 200) -> Response:
    """The alert page; a refused close draws it again saying why, with what was typed."""
    alert = _alert_or_404(db, alert_id)
    evidence = alert.get("evidence")
    ids = evidence.get("movement_ids", []) if isinstance(evidence, dict) else []
    movements = prof.movements_by_id(db, [int(i) for i in ids if isinstance(i, int)][:500])
    return html(request, v, "alert.html", code=code, active="alerts", a=alert, movements=movements, done=done,
                error=error, kept=kept or {},
                history_chart=_baseline_chart(db, alert, v), rules=labels.rules(v.lang),
                chemicals=labels.chemicals(v.lang), outcomes=OUTCOMES, assignees=accounts.assignees(db),
                open_cases=case_svc.list_cases(db, None, None, 100, 0),
                today=dt.date.today(), operator_name=db.scalar("SELECT name FROM operators WHERE ruc = ?", (alert["ruc"],)))


def _baseline_chart(db: Db, alert: dict[str, Any], v: Viewer) -> dict[str, Any] | None:
    """The operator's monthly kilograms in and out of the alert's chemical, from six months
    before the alert's period to its end, with the baseline and observed figures the rule
    compared (when the rule has a baseline)."""
    end = alert.get("period_end")
    if not alert.get("chemical") or not isinstance(end, dt.date):
        return None
    series = prof.monthly_flows(db, alert["ruc"], alert["chemical"], end, months=12)
    months = [m for m, _, _ in series]
    extra = []
    for key, value, colour in (("alert.baseline", alert.get("baseline"), "#009E73"),
                               ("alert.observed", alert.get("observed"), "#D55E00")):
        if value is not None:
            extra.append({"label": f"{translate(v.lang, key)} ({Numbers(v.lang).num(float(value))})", "data": [value] * len(months),
                          "borderColor": colour, "borderDash": [6, 4], "pointRadius": 0, "fill": False})
    return charts.lines(months, [(translate(v.lang, "alert.inflow"), [i for _, i, _ in series]),
                                 (translate(v.lang, "alert.outflow"), [o for _, _, o in series])], "kg", extra)


def _done(request: Request, v: Viewer, alert_id: str, what: str) -> Response:
    return redirect(request, v, f"/alerts/{alert_id}?done={what}")


@r.post("/alerts/{alert_id}/close")
def close(request: Request, v: AlertWorker, db: Db, alert_id: str, outcome: Annotated[str, Form(max_length=40)] = "",
          note: Text = "", version: Version = "", confirm: Annotated[str, Form(max_length=5)] = "") -> Response:
    """No outcome is chosen for the analyst; "I confirm" is ticked by hand (the form's step
    before a closure); the service refuses no outcome and a false positive without a note."""
    parse_choice(outcome, OUTCOMES, "outcome")
    sent = parse_version(version)
    kept = {"outcome": outcome, "note": note}
    with shown("alert", v.lang):
        try:
            if not confirm:  # the page's own step: the API's caller decides in its request
                raise Required("confirm", "required.confirm", "tick the confirmation")
            svc.act(db, v.actor, str(v.role), alert_id, "close", outcome or None, note.strip() or None, version=sent)
        except Required as exc:
            return _alert_view(request, v, db, alert_id, error=translate(v.lang, exc.key), kept=kept, code=400)
    return _done(request, v, alert_id, "closed")


@r.post("/alerts/{alert_id}/snooze")
def snooze(request: Request, v: AlertWorker, db: Db, alert_id: str, until: Annotated[str, Form(max_length=10)],
           reason: Text = "") -> Response:
    alert = _alert_or_404(db, alert_id)
    day = parse_day(until, "until")
    if day is None:
        raise WebProblem(translate(v.lang, "alert.snooze_range"))
    try:
        svc.snooze(db, v.actor, alert["ruc"], day, reason.strip() or None)
    except svc.SnoozeRange:
        raise WebProblem(translate(v.lang, "alert.snooze_range")) from None
    return _done(request, v, alert_id, "snoozed")


@r.post("/alerts/{alert_id}/case")
def add_to_case(request: Request, v: AlertWorker, db: Db, alert_id: str,
                case_id: Annotated[str, Form(max_length=20)] = "", title: Text = "") -> Response:
    _alert_or_404(db, alert_id)
    with shown("case", v.lang):
        if case_id.strip():
            if not case_id.strip().isdigit():
                raise WebProblem(f"case: expected a number, got {case_id!r}")
            target = int(case_id)
            # Adding only adds (it cannot undo anyone's change): made against the case as it is.
            case_svc.add_alerts(db, v.actor, target, [alert_id], None)
        elif title.strip():
            target = case_svc.create(db, v.actor, title.strip()[:200], [alert_id], None)
        else:
            raise WebProblem(translate(v.lang, "alert.case_needed"))
    return redirect(request, v, f"/cases/{target}")


@r.post("/alerts/{alert_id}/assign")
def assign(request: Request, v: SupervisorW, db: Db, alert_id: str,
           assignee: Annotated[str, Form(max_length=100)], version: Version = "") -> Response:
    _alert_or_404(db, alert_id)
    check_assignable(db, assignee)
    sent = parse_version(version)
    with shown("alert", v.lang):
        svc.assign(db, v.actor, alert_id, assignee, sent)
    return _done(request, v, alert_id, "assigned")


def _supervise(request: Request, v: Viewer, db: Db, alert_id: str, action: str, note: str, version: str) -> Response:
    sent = parse_version(version)
    with shown("alert", v.lang):
        svc.act(db, v.actor, str(v.role), alert_id, action, None, note.strip() or None, version=sent)
    return _done(request, v, alert_id, action)


@r.post("/alerts/{alert_id}/approve")
def approve(request: Request, v: SupervisorW, db: Db, alert_id: str, note: Text = "",
           version: Version = "") -> Response:
    return _supervise(request, v, db, alert_id, "approve", note, version)


@r.post("/alerts/{alert_id}/reject")
def reject(request: Request, v: SupervisorW, db: Db, alert_id: str, note: Text = "",
          version: Version = "") -> Response:
    return _supervise(request, v, db, alert_id, "reject", note, version)


@r.post("/alerts/{alert_id}/reopen")
def reopen(request: Request, v: SupervisorW, db: Db, alert_id: str, note: Text = "",
          version: Version = "") -> Response:
    return _supervise(request, v, db, alert_id, "reopen", note, version)
