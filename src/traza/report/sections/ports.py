"""Ports (the Manifest Review Unit): vessel calls and manifests per port, containers
inspected, seizures, and the hit rate of targeted inspections against random control."""

from __future__ import annotations

from typing import Any

from traza.report import records as rl
from traza.report.context import Context
from traza.report.model import Cell, Section, Visual
from traza.report.svg import bar_chart

PORTS = {"PECLL": "Callao", "PEPAI": "Paita", "PECHM": "Chimbote", "PEMRI": "Matarani"}
T = {
    "es": {"title": "Seguridad portuaria", "calls": "Escalas de naves", "manifests": "Manifiestos revisados",
           "inspected": "Inspecciones de contenedores", "hits": "Inspecciones con decomiso",
           "seized_kg": "Droga decomisada", "hit_targeted": "Tasa de acierto (dirigidas)",
           "hit_random": "Tasa de acierto (control aleatorio)", "lift": "Veces el control aleatorio",
           "by_port": "Resultados por puerto", "port": "Puerto",
           "chart": "Inspecciones y decomisos por puerto",
           "chart_alt": "Barras horizontales por puerto: contenedores inspeccionados y con decomiso en {month}. {items}.",
           "narrative": ("En el mes se revisaron {manifests} manifiestos de {calls} escalas; se inspeccionaron "
                         "{inspected} contenedores y {hits} dieron decomiso ({kg}). Las inspecciones dirigidas "
                         "acertaron en {rate_t}, frente a {rate_r} del control aleatorio.")},
    "en": {"title": "Port security", "calls": "Vessel calls", "manifests": "Manifests reviewed",
           "inspected": "Container inspections", "hits": "Inspections with a seizure", "seized_kg": "Drugs seized",
           "hit_targeted": "Hit rate (targeted)", "hit_random": "Hit rate (random control)",
           "lift": "Times the random control", "by_port": "Results by port", "port": "Port",
           "chart": "Inspections and seizures per port",
           "chart_alt": "Horizontal bars per port: containers inspected and with a seizure in {month}. {items}.",
           "narrative": ("In the month {manifests} manifests of {calls} vessel calls were reviewed; {inspected} "
                         "containers were inspected and {hits} led to a seizure ({kg}). Targeted inspections hit "
                         "{rate_t}, against {rate_r} for random control.")},
}
# a hit rate: the inspections with a seizure among those the list shows for the selection
_RATE = "count(*), sum(CASE WHEN i.result = 'seizure' THEN 1 ELSE 0 END)"


def _rate(hits: float, n: float) -> float | None:
    return hits / n if n else None


def build(ctx: Context) -> Section | None:
    if not ctx.has("port_vessel_calls", "port_manifests", "port_inspections", "port_seizures"):
        return None
    t = T[ctx.lang]
    link = ctx.period_link
    figs = [
        ctx.listed("calls", t["calls"], rl.CALLS),
        ctx.listed("manifests", t["manifests"], rl.MANIFESTS),
        ctx.listed("inspected", t["inspected"], rl.INSPECTIONS),
        ctx.listed("hits", t["hits"], rl.INSPECTIONS, result="seizure"),
        ctx.listed("seized_kg", t["seized_kg"], rl.PORT_SEIZURES, rl.PORT_SEIZURES.summed, unit="kg"),
    ]
    if not any(f.value or f.ytd for f in figs):
        return None
    rates: dict[str, float | None] = {}
    for sel in ("targeted", "random"):
        rate_sql, values = rl.INSPECTIONS.figure(_RATE, selected_by=sel)
        row = ctx.db.query(rate_sql, (ctx.start, ctx.end, *values))[0]
        rates[sel] = _rate(float(row[1] or 0), float(row[0] or 0))
        figs.append(ctx.fixed(f"hit_{sel}", t[f"hit_{sel}"], rates[sel], rate_sql, (ctx.start, ctx.end, *values),
                              unit="%", link=link(rl.INSPECTIONS.path, selected_by=sel)))
    lift = (rates["targeted"] / rates["random"]) if rates["targeted"] is not None and rates["random"] else None
    figs.append(ctx.fixed("lift", t["lift"], lift, rate_sql + " -- targeted rate / random rate",
                          (ctx.start, ctx.end, "targeted"), decimals=1,
                          link=link(rl.INSPECTIONS.path)))
    f = {x.key: x for x in figs}
    table, chart = _by_port(ctx, t)
    narrative = t["narrative"].format(manifests=f["manifests"].text, calls=f["calls"].text,
                                      inspected=f["inspected"].text, hits=f["hits"].text, kg=f["seized_kg"].text,
                                      rate_t=f["hit_targeted"].text, rate_r=f["hit_random"].text)
    return Section("ports", t["title"], narrative, tuple(figs), (table,) if table else (),
                   (chart,) if chart else (), headline=("inspected", "seized_kg"))


def _by_port(ctx: Context, t: dict[str, str]) -> tuple[Any, Visual | None]:
    sql = (f"WITH calls AS (SELECT c.port, count(*) AS calls FROM port_vessel_calls c WHERE {rl.CALL_DAY} >= ? "
           f"AND {rl.CALL_DAY} < ? GROUP BY c.port), "
           "man AS (SELECT c.port, count(*) AS manifests FROM port_manifests_current m JOIN port_vessel_calls c "
           f"ON c.call_id = m.call_id WHERE {rl.CALL_DAY} >= ? AND {rl.CALL_DAY} < ? GROUP BY c.port), "
           "insp AS (SELECT c.port, count(*) AS inspected, "
           "sum(CASE WHEN i.result = 'seizure' THEN 1 ELSE 0 END) AS hits, "
           "sum(CASE WHEN i.selected_by = 'targeted' THEN 1 ELSE 0 END) AS targeted, "
           "sum(CASE WHEN i.selected_by = 'targeted' AND i.result = 'seizure' THEN 1 ELSE 0 END) AS targeted_hits, "
           "sum(CASE WHEN i.selected_by = 'random' THEN 1 ELSE 0 END) AS random, "
           "sum(CASE WHEN i.selected_by = 'random' AND i.result = 'seizure' THEN 1 ELSE 0 END) AS random_hits "
           "FROM port_inspections i JOIN port_vessel_calls c ON c.call_id = i.call_id "
           "WHERE i.inspected_at >= ? AND i.inspected_at < ? GROUP BY c.port), "
           "ports AS (SELECT port FROM calls UNION SELECT port FROM man UNION SELECT port FROM insp) "
           "SELECT p.port, coalesce(calls.calls, 0) AS calls, coalesce(man.manifests, 0) AS manifests, "
           "coalesce(insp.inspected, 0) AS inspected, coalesce(insp.hits, 0) AS hits, "
           "coalesce(insp.targeted, 0) AS targeted, coalesce(insp.targeted_hits, 0) AS targeted_hits, "
           "coalesce(insp.random, 0) AS random, coalesce(insp.random_hits, 0) AS random_hits "
           "FROM ports p LEFT JOIN calls ON calls.port = p.port LEFT JOIN man ON man.port = p.port "
           "LEFT JOIN insp ON insp.port = p.port ORDER BY 4 DESC, 1")
    rows, query = ctx.rows(sql, (ctx.start, ctx.end) * 3)
    if not rows:
        return None, None
    body = []
    for r in rows:
        rt = _rate(float(r["targeted_hits"]), float(r["targeted"]))
        rr = _rate(float(r["random_hits"]), float(r["random"]))
        port = str(r["port"])
        body.append((Cell(f"{PORTS.get(port, port)} ({port})"),
                     ctx.cell(r["calls"], link=ctx.period_link("/ports/calls", port=port)),
                     ctx.cell(r["manifests"], link=ctx.period_link("/ports/manifests", port=port)),
                     ctx.cell(r["inspected"], link=ctx.period_link("/ports/inspections", port=port)),
                     ctx.cell(r["hits"], link=ctx.period_link("/ports/inspections", port=port, result="seizure")),
                     Cell(ctx.n.pct(rt), numeric=True), Cell(ctx.n.pct(rr), numeric=True),
                     Cell(ctx.n.num(rt / rr, 1) if rt is not None and rr else "–", numeric=True)))
    table = ctx.table("by_port", t["by_port"], (t["port"], t["calls"], t["manifests"], t["inspected"], t["hits"],
                                                t["hit_targeted"], t["hit_random"], t["lift"]), body, query)
    inspected = [r for r in rows if r["inspected"]]
    if not inspected:
        return table, None
    names = [PORTS.get(str(r["port"]), str(r["port"])) for r in inspected]
    a = [float(r["inspected"]) for r in inspected]
    b = [float(r["hits"]) for r in inspected]
    items = "; ".join(f"{n}: {ctx.n.num(x)} / {ctx.n.num(y)}" for n, x, y in zip(names, a, b, strict=True))
    alt = t["chart_alt"].format(month=ctx.n.month(ctx.month), items=items)
    svg = bar_chart(t["chart"], alt, names, [(t["inspected"], a), (t["hits"], b)], ctx.n.num)
    return table, Visual("ports_chart", t["chart"], alt, svg, query, ctx.period_link("/ports/inspections"))
