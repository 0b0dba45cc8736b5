"""The home page: analysts, supervisors and auditors get the dashboard; registrars the
registry, operators their portal."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from traza.api.deps import Db
from traza.core.catalogue import default_catalogue
from traza.core.geo import default_geography
from traza.core.vocab import ALERT_READERS, REGISTRARS, SEVERITIES
from traza.service import dashboard as q
from traza.web import charts, peru_map
from traza.web.deps import Anyone, Viewer
from traza.web.i18n import translate
from traza.web.render import html, redirect
from traza.web.routes._common import router

r = router()


@r.get("/")
def home(request: Request, v: Anyone, db: Db) -> Response:
    if v.role == "operator":
        return redirect(request, v, "/portal")
    if v.role in REGISTRARS:
        return redirect(request, v, "/registry")
    if v.role not in ALERT_READERS:
        return html(request, v, "home.html")
    return html(request, v, "dashboard.html", active="dashboard", **dashboard(db, v))


def _chemical_name(lang: str) -> dict[str, str]:
    return {c.code: (c.name_en if lang == "en" else c.name_es) for c in default_catalogue().chemicals}


def dashboard(db: Db, v: Viewer) -> dict[str, Any]:
    until = q.latest_movement_date(db) or date.today()
    by_rule = q.alerts_by_rule_severity(db)
    rules = sorted({row["rule"] for row in by_rule})
    counts = {(row["rule"], row["severity"]): int(row["n"]) for row in by_rule}
    alerts_chart = charts.stacked_bars(
        rules, [(translate(v.lang, f"severity.{s}"), [counts.get((rl, s), 0) for rl in rules], charts.SEVERITY_COLOURS[s])
                for s in SEVERITIES], horizontal=True)
    names = _chemical_name(v.lang)
    sales = q.sales_by_month(db, until)
    months = sorted({row["month"] for row in sales})
    per: dict[str, dict[str, float]] = defaultdict(dict)
    for row in sales:
        per[row["chemical"]][row["month"]] = round(float(row["kg"] or 0))
    # The eight chemicals sold most by weight; the rest would crowd the legend.
    top = sorted(per, key=lambda c: -sum(per[c].values()))[:8]
    volume_chart = charts.lines(months, [(names.get(c, c), [per[c].get(m) for m in months]) for c in top], "kg")
    return {"until": until, "alerts_chart": alerts_chart, "volume_chart": volume_chart,
            "has_alerts": bool(rules), "has_sales": bool(months), "top": q.top_risk(db),
            "map": peru_map_context(q.sales_into_districts(db, until))}


def peru_map_context(kg_by_district: dict[str, float]) -> dict[str, Any]:
    geo = default_geography()
    zones: dict[str, set[str]] = defaultdict(set)
    for z in geo.zones:
        zones[z.zone].add(z.ubigeo)
    in_zone = {u: name for name, members in zones.items() for u in members}
    values = {u: kg for u, kg in kg_by_district.items() if u in in_zone}
    bounds = peru_map.classes(values)
    frozen = tuple(sorted((name, frozenset(m)) for name, m in zones.items()))
    return {
        "width": peru_map.WIDTH, "height": peru_map.HEIGHT,
        "districts": [(d, values.get(d.ubigeo, 0.0), peru_map.class_of(values.get(d.ubigeo, 0.0), bounds),
                       in_zone.get(d.ubigeo)) for d in peru_map.districts()],
        "zones": peru_map.zone_outlines(frozen), "bounds": bounds,
        "ranked": sorted(((kg, u) for u, kg in values.items()), reverse=True)[:15],
        "names": {d.ubigeo: f"{d.name} ({d.province}, {d.department})" for d in peru_map.districts()},
    }
