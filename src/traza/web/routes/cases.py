"""Cases: the list, and one case with its timeline, notes, linked alerts and operators, and
its outcome; actions through the same service functions as the API."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Query, Request
from fastapi.responses import Response

from traza.api.deps import Db
from traza.cases import cases as svc
from traza.cases.workflow import CASE_STATUSES, CASE_TRANSITIONS, REFERRALS, Required
from traza.core.vocab import CASE_ALERT_OUTCOME, CASE_OUTCOMES
from traza.service import accounts
from traza.service import profile as prof
from traza.web import labels, timeline
from traza.web.deps import AlertReader, AlertWorker, SupervisorW, Viewer, WebProblem
from traza.web.i18n import translate
from traza.web.problems import shown
from traza.web.render import html, redirect
from traza.web.routes._common import check_assignable, parse_choice, parse_version, router

r = router()
Text = Annotated[str, Form(max_length=2000)]
Version = Annotated[str, Form(max_length=20)]  # the hidden field: the version the page showed


@r.get("/cases")
def case_list(request: Request, v: AlertReader, db: Db,
              status: Annotated[str | None, Query(max_length=30)] = None,
              q: Annotated[str | None, Query(max_length=100)] = None,
              page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> Response:
    parse_choice(status, CASE_STATUSES, "status")
    rows = svc.list_cases(db, status or None, None, 101, (page - 1) * 100, text=q)
    return html(request, v, "cases.html", active="cases", rows=rows[:100], more=len(rows) > 100, page=page,
                status=status or "", statuses=CASE_STATUSES, q=q or "")


def _case(db: Db, case_id: int) -> dict[str, object]:
    case = svc.get(db, case_id)
    if case is None:
        raise WebProblem(f"case {case_id} ?", status=404)
    return case


@r.get("/cases/{case_id}")
def case_page(request: Request, v: AlertReader, db: Db, case_id: int) -> Response:
    return _case_view(request, v, db, case_id)


def _case_view(request: Request, v: Viewer, db: Db, case_id: int, error: str | None = None,
               kept: dict[str, str] | None = None, code: int = 200) -> Response:
    """The case page; a refused change draws it again with why (``error``) beside the form it
    came from, and what was typed (``kept``: the form's fields, ``form`` naming which)."""
    case = _case(db, case_id)
    ids = list(case["alerts"])  # type: ignore[call-overload]
    alerts = prof.alerts_by_id(db, [str(i) for i in ids])
    current = str(case["status"])
    targets = sorted(t for (f, t), roles in CASE_TRANSITIONS.items() if f == current and (v.role in roles))
    # closing, approving, returning and reopening have forms of their own; the rest, one select
    moves = [t for t in targets if t not in ("closure_requested", "closed")
             and not (t == "investigating" and current in ("closure_requested", "closed"))]
    users = accounts.assignees(db)
    history = timeline.events(v.lang, list(case["history"]))  # type: ignore[call-overload]
    return html(request, v, "case.html", code=code, active="cases", c=case, alerts=alerts, targets=targets,
                moves=moves, history=history, case_outcomes=CASE_OUTCOMES, alert_outcome=CASE_ALERT_OUTCOME,
                error=error, kept=kept or {}, referrals=REFERRALS, assignees=users, rules=labels.rules(v.lang),
                chemicals=labels.chemicals(v.lang),
                operators=sorted({(a["ruc"], a["name"] or a["ruc"]) for a in alerts}))


def _back(request: Request, v: Viewer, case_id: int) -> Response:
    return redirect(request, v, f"/cases/{case_id}")


@r.post("/cases/{case_id}/notes")
def add_note(request: Request, v: AlertWorker, db: Db, case_id: int, text: Text, version: Version = "") -> Response:
    if not text.strip():
        raise WebProblem("the note is empty")
    with shown("case", v.lang):
        svc.note(db, v.actor, case_id, text.strip(), parse_version(version) if version else None)
    return _back(request, v, case_id)


@r.post("/cases/{case_id}/status")
def set_status(request: Request, v: AlertWorker, db: Db, case_id: int,
               status: Annotated[str, Form(max_length=30)], note: Text = "", version: Version = "",
               outcome: Annotated[str, Form(max_length=40)] = "", close_alerts: Annotated[str, Form(max_length=5)] = "",
               confirm: Annotated[str, Form(max_length=5)] = "", form: Annotated[str, Form(max_length=20)] = "") -> Response:
    """Every move of the case. The approval form (``form`` approve) asks for "I confirm" and,
    ticked by default, to close the case's open alerts with the outcome; a refusal for a
    missing value draws the page again saying why, with what was typed."""
    parse_choice(status, CASE_STATUSES, "status")
    parse_choice(outcome, CASE_OUTCOMES, "outcome")
    sent = parse_version(version)
    kept = {"form": form or status, "note": note, "outcome": outcome, "close_alerts": close_alerts}
    if form == "approve" and not confirm:
        return _case_view(request, v, db, case_id, translate(v.lang, "required.confirm"), kept, 400)
    with shown("case", v.lang):
        try:
            svc.transition(db, v.actor, str(v.role), case_id, status, note.strip() or None, sent,
                           outcome or None, bool(close_alerts))
        except Required as exc:
            return _case_view(request, v, db, case_id, translate(v.lang, exc.key), kept, 400)
    return _back(request, v, case_id)


@r.post("/cases/{case_id}/referral")
def refer(request: Request, v: AlertWorker, db: Db, case_id: int, to: Annotated[str, Form(max_length=20)],
          note: Text = "", version: Version = "") -> Response:
    parse_choice(to, REFERRALS, "to")
    sent = parse_version(version)
    with shown("case", v.lang):
        svc.refer(db, v.actor, str(v.role), case_id, to, note.strip() or None, sent)
    return _back(request, v, case_id)


@r.post("/cases/{case_id}/alerts/{alert_id}/remove")
def remove_alert(request: Request, v: AlertWorker, db: Db, case_id: int, alert_id: str,
                 version: Version = "") -> Response:
    sent = parse_version(version)
    with shown("case", v.lang):
        svc.remove_alert(db, v.actor, case_id, alert_id, sent)
    return _back(request, v, case_id)


@r.post("/cases/{case_id}/assign")
def assign(request: Request, v: SupervisorW, db: Db, case_id: int, assignee: Annotated[str, Form(max_length=100)],
           version: Version = "") -> Response:
    check_assignable(db, assignee)
    sent = parse_version(version)
    with shown("case", v.lang):
        svc.assign(db, v.actor, case_id, assignee, sent)
    return _back(request, v, case_id)
