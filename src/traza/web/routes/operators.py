"""One party on one page, registered or not (any RUC the data names): registry data and
history, authorisations with the quota used, who sold it what and where it was delivered,
shared identities, the ledger (filtered with HTMX), book stock per chemical, counterparties as
a graph, the risk breakdown, alerts and cases."""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import Response

from traza.api.deps import Db
from traza.cases import alerts as alert_svc
from traza.core.geo import default_geography
from traza.core.identifiers import normalise_ruc
from traza.core.jurisdiction import jurisdiction
from traza.core.text import BadText
from traza.core.types import MOVEMENT_TYPES
from traza.report.numbers import Numbers
from traza.service import dashboard as dash
from traza.service import entity, registry
from traza.service import profile as prof
from traza.web import charts, labels
from traza.web.deps import AlertReader, WebProblem
from traza.web.i18n import translate
from traza.web.render import html
from traza.web.routes._common import parse_choice, parse_day, router

r = router()
LEDGER_PAGE = 50
Q = Annotated[str | None, Query(max_length=100)]


def _ledger(db: Db, ruc: str, chemical: str | None, type_: str | None, from_: str | None, to: str | None,
            page: int) -> dict[str, Any]:
    parse_choice(type_, MOVEMENT_TYPES, "type")
    rows = prof.ledger(db, ruc, chemical or None, type_ or None, parse_day(from_, "from"), parse_day(to, "to"),
                       LEDGER_PAGE + 1, (page - 1) * LEDGER_PAGE)
    return {"ledger": rows[:LEDGER_PAGE], "ledger_more": len(rows) > LEDGER_PAGE, "ledger_page": page,
            "lq": {"chemical": chemical or "", "type": type_ or "", "from": from_ or "", "to": to or ""},
            "types": MOVEMENT_TYPES}


LABEL_CHARS = 22


def short_label(text: str, limit: int = LABEL_CHARS) -> str:
    """A node's label for display: the name cut at ``limit`` characters with an ellipsis (the
    full name goes in the node's tooltip and the table)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _graph(db: Db, ruc: str, name: str, since: dt.date, lang: str) -> dict[str, Any]:
    flows = prof.counterparties(db, ruc, since)
    totals: dict[str, float] = {}
    names: dict[str, str] = {}
    status: dict[str, str] = {}
    for f in flows:
        totals[f["other"]] = totals.get(f["other"], 0.0) + float(f["kg"] or 0)
        names[f["other"]] = f["name"] or f["other"]
        status[f["other"]] = entity.standing({"status": f["status"]} if f["registered"] else None)
    top = sorted(totals, key=lambda k: -totals[k])[:25]
    chem = labels.chemicals(lang)
    nodes = [{"data": {"id": ruc, "label": short_label(name), "name": name, "ruc": ruc, "centre": True, "kg_log": 8,
                       "kg": round(sum(totals.values()))}}]
    nodes += [{"data": {"id": o, "label": short_label(names[o]), "name": names[o], "ruc": o, "kg": round(totals[o]),
                        "unregistered": status[o] == entity.UNREGISTERED,
                        "inactive": status[o] in ("revoked", "suspended"),
                        "kg_log": min(8.0, math.log10(1 + totals[o]))}} for o in top]
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    for f in flows:
        if f["other"] not in top:
            continue
        src, dst = (ruc, f["other"]) if f["direction"] == "out" else (f["other"], ruc)
        e = edges.setdefault((src, dst), {"kg": 0.0, "chemicals": set()})
        e["kg"] += float(f["kg"] or 0)
        e["chemicals"].add(chem.get(f["chemical"], f["chemical"]))
    for fl in prof.flows_among(db, top, since):
        e = edges.setdefault((fl["seller"], fl["buyer"]), {"kg": 0.0, "chemicals": set()})
        e["kg"] += float(fl["kg"] or 0)
    elements = nodes + [{"data": {"id": f"{s}>{d}", "source": s, "target": d, "kg_log": math.log10(1 + e["kg"]),
                                  "label": f"{Numbers(lang).num(e['kg'])} kg"}} for (s, d), e in edges.items()]
    table = [{"src": s, "dst": d, "kg": e["kg"], "chemicals": ", ".join(sorted(e["chemicals"]))}
             for (s, d), e in sorted(edges.items(), key=lambda kv: -kv[1]["kg"])]
    return {"elements": elements, "table": table, "names": {**names, ruc: name}, "empty": not top}


def _stock_chart(db: Db, ruc: str, lang: str) -> dict[str, Any] | None:
    months, series = prof.stock_by_month(db, ruc)
    if not months:
        return None
    chem = labels.chemicals(lang)
    top = sorted(series, key=lambda c: -max(abs(x) for x in series[c]))[:8]
    return charts.lines(months, [(chem.get(c, c), list(series[c])) for c in top], "kg")


def parse_ruc(value: str, lang: str) -> str:
    """The RUC of a path in its one reading (full-width digits made ASCII, invisible characters
    dropped); a 400 naming the field unless it is the jurisdiction's number of digits. The
    check digit is not required: unregistered parties are named with whatever the declarant
    wrote, and their page shows what was written."""
    try:
        text = normalise_ruc(value, "ruc")
    except BadText as exc:
        raise WebProblem(str(exc)) from None
    digits = jurisdiction().tax_id.digits
    if len(text) != digits or not text.isascii() or not text.isdigit():
        raise WebProblem(f"{translate(lang, 'entity.bad_ruc').replace('{digits}', str(digits))} {text[:40]!r}")
    return text


@r.get("/operators/{ruc}")
def operator_page(request: Request, v: AlertReader, db: Db, ruc: str) -> Response:
    """Any RUC seen anywhere (registry, ledger, alerts, sale checks), registered or not."""
    ruc = parse_ruc(ruc, v.lang)
    rec = registry.details(db, ruc)
    seen = entity.appearances(db, ruc)
    if rec is None and not any(seen.values()):
        raise WebProblem(f"{translate(v.lang, 'entity.not_found')} {ruc}", status=404)
    name = rec["name"] if rec is not None else translate(v.lang, "entity.unregistered_name")
    until = dash.latest_movement_date(db) or dt.date.today()
    year = until.year
    used = prof.quota_used(db, ruc, year)
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    for a in (rec or {}).get("authorisations", []):  # the quota used is this year's, for this year's authorisations
        a["current"] = a["valid_from"] <= last and (a["valid_to"] is None or a["valid_to"] >= first)
    alerts = alert_svc.list_alerts(db, alert_svc.AlertFilter(ruc=ruc, include_snoozed=True), 200, 0)
    geo = default_geography()
    return html(request, v, "operator.html", active="alerts", o=rec or {"ruc": ruc, "name": name}, name=name,
                registered=rec is not None, state=entity.standing(rec), seen=seen,
                history=registry.history(db, ruc) if rec is not None else [],
                used=used, year=year, alerts=alerts, cases=prof.operator_cases(db, ruc), risk=prof.risk(db, ruc),
                stock_chart=_stock_chart(db, ruc, v.lang),
                graph=_graph(db, ruc, rec["name"] if rec else ruc, prof.year_window(until), v.lang),
                suppliers=entity.suppliers(db, ruc), destinations=entity.destinations(db, ruc, geo),
                deliveries=entity.latest_deliveries(db, ruc, geo), shared=entity.shared_identities(db, rec),
                rules=labels.rules(v.lang), chemicals=labels.chemicals(v.lang),
                **_ledger(db, ruc, None, None, None, None, 1))


@r.get("/operators/{ruc}/ledger")
def ledger_fragment(request: Request, v: AlertReader, db: Db, ruc: str, chemical: Q = None,
                    type: Q = None, from_: Annotated[str | None, Query(alias="from", max_length=10)] = None,
                    to: Annotated[str | None, Query(max_length=10)] = None,
                    page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> Response:
    """The ledger table alone (HTMX swaps it in), or the whole page for a browser without JS."""
    ruc = parse_ruc(ruc, v.lang)
    ctx = _ledger(db, ruc, chemical, type, from_, to, page)
    template = "_ledger.html" if request.headers.get("hx-request") else "ledger.html"
    return html(request, v, template, o={"ruc": ruc}, chemicals=labels.chemicals(v.lang), **ctx)


