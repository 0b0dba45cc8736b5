"""Chemical control: the registry, the declarations, the sale checks, the alerts and what
analysts concluded, the typologies behind the alerts, and deliveries into the coca valleys."""

from __future__ import annotations

from datetime import timedelta

from traza.core import vocab
from traza.core.geo import default_geography
from traza.detect.catalogue import load_rules
from traza.report import records as rl
from traza.report.context import Context
from traza.report.model import Cell, Section, Table, Visual
from traza.report.sections import traced
from traza.report.svg import bar_chart, district_map

T = {
    "es": {
        "title": "Control de insumos químicos",
        "operators": "Operadores inscritos al cierre del mes",
        "new_operators": "Inscripciones nuevas",
        "changes": "Cambios en el registro (estado, datos)",
        "submissions": "Archivos de declaraciones recibidos",
        "refused_rows": "Filas de declaraciones rechazadas",
        "movements": "Movimientos declarados (fechados en el periodo)",
        "checks": "Consultas de venta",
        "blocks": "Ventas bloqueadas en la consulta",
        "alerts": "Alertas sobre operaciones del periodo",
        "closed": "Alertas cerradas",
        "cases": "Casos abiertos",
        "referred": "Casos derivados (policía o inspección)",
        "outcome_open": "abierta",
        "outcome_pending_approval": "cierre por aprobar",
        "outcome_false_positive": "falso positivo",
        "outcome_useful": "útil",
        "outcome_confirmed_diversion": "desvío confirmado",
        "by_outcome": "Alertas del mes según su estado o resultado",
        "by_outcome_alt": "Barras horizontales: alertas sobre operaciones de {month} según estado o resultado: {items}.",
        "typologies": "Tipologías con más alertas en el mes",
        "rule": "Regla",
        "alerts_col": "Alertas",
        "high_col": "De severidad alta o crítica",
        "deliveries": "Entregas de insumos en valles cocaleros",
        "deliveries_alt": ("Mapa de distritos de las zonas de régimen especial: distritos que recibieron "
                           "entregas en {month}: {n}, con {kg} en total; el que más, {top}."),
        "deliveries_table": "Entregas declaradas en zonas de régimen especial, por zona",
        "zone": "Zona",
        "kg": "Cantidad",
        "districts": "Distritos",
        "zone_districts": "Distrito de zona de régimen especial sin entregas",
        "seized": " Se decomisaron en campo {kg} de insumos químicos; decomisos trazados al registro: {traced}.",
        "narrative": ("En {month} se detectaron {alerts} alertas sobre operaciones del mes y se cerraron {closed}; se atendieron "
                      "{checks} consultas de venta, de las que {blocks} se bloquearon; {operators} "
                      "operadores estaban inscritos al cierre del mes."),
    },
    "en": {
        "title": "Chemical control",
        "operators": "Operators registered at month end",
        "new_operators": "New registrations",
        "changes": "Registry changes (status, details)",
        "submissions": "Declaration files received",
        "refused_rows": "Declaration rows refused",
        "movements": "Movements declared (dated in the period)",
        "checks": "Sale checks",
        "blocks": "Sales blocked at the check",
        "alerts": "Alerts on the period's activity",
        "closed": "Alerts closed",
        "cases": "Cases opened",
        "referred": "Cases referred (police or inspection)",
        "outcome_open": "open",
        "outcome_pending_approval": "closure awaiting approval",
        "outcome_false_positive": "false positive",
        "outcome_useful": "useful",
        "outcome_confirmed_diversion": "confirmed diversion",
        "by_outcome": "The month's alerts by status or outcome",
        "by_outcome_alt": "Horizontal bars: alerts on the activity of {month} by status or outcome: {items}.",
        "typologies": "Typologies with the most alerts in the month",
        "rule": "Rule",
        "alerts_col": "Alerts",
        "high_col": "High or critical severity",
        "deliveries": "Chemical deliveries into coca valleys",
        "deliveries_alt": ("Map of the special-regime zone districts: districts with deliveries declared in "
                           "{month}: {n}, {kg} in all; the most, {top}."),
        "deliveries_table": "Deliveries declared into special-regime zones, by zone",
        "zone": "Zone",
        "kg": "Quantity",
        "districts": "Districts",
        "zone_districts": "Special-regime zone district with no deliveries",
        "seized": " {kg} of precursor chemicals were seized in the field; seizures traced to the registry: {traced}.",
        "narrative": ("In {month}, {alerts} alerts were raised on the month's activity and {closed} closed; {checks} sale checks "
                      "were answered, {blocks} of them blocked; {operators} operators were registered "
                      "at month end."),
    },
}

# an alert's state at month end: still open, awaiting approval, or closed with an outcome
OUTCOMES = ("open", "pending_approval", *vocab.OUTCOMES)


def build(ctx: Context) -> Section | None:
    t = T[ctx.lang]
    active = {"status": "active", "to": (ctx.end - timedelta(days=1)).isoformat()}  # registered by month end
    sql, values = rl.OPERATORS.select(rl.OPERATORS.count, active)
    figs = [
        ctx.fixed("operators", t["operators"], ctx.value(sql, values), sql, values,
                  link=ctx.link(rl.OPERATORS.path, **active)),
        ctx.listed("new_operators", t["new_operators"], rl.OPERATORS),
        ctx.listed("changes", t["changes"], rl.OPERATOR_CHANGES),
        ctx.listed("submissions", t["submissions"], rl.SUBMISSIONS),
        ctx.listed("refused_rows", t["refused_rows"], rl.SUBMISSIONS, rl.SUBMISSIONS.summed, refused="true"),
        ctx.listed("movements", t["movements"], rl.MOVEMENTS),
        ctx.listed("checks", t["checks"], rl.SALE_CHECKS),
        ctx.listed("blocks", t["blocks"], rl.SALE_CHECKS, decision="block"),
        ctx.listed("alerts", t["alerts"], rl.ALERTS),
        ctx.listed("closed", t["closed"], rl.ALERTS_CLOSED),
        ctx.listed("cases", t["cases"], rl.CASES),
        ctx.listed("referred", t["referred"], rl.CASES_REFERRED),
    ]
    seized, seized_tables = traced.build(ctx)
    figs += seized
    if not any(f.value or f.ytd for f in figs[1:]):
        return None  # nothing happened in the registry this year: the section is left out
    by_key = {f.key: f for f in figs}
    month = ctx.n.month(ctx.month)
    visuals: list[Visual] = []
    tables = list(seized_tables)
    outcome = _outcomes(ctx, t, month)
    if outcome:
        visuals.append(outcome)
    typ = _typologies(ctx, t)
    if typ:
        tables.append(typ)
    deliveries = _deliveries(ctx, t, month)
    if deliveries:
        visuals.append(deliveries[0])
        tables.append(deliveries[1])
    return Section(
        "chemicals", t["title"],
        t["narrative"].format(month=month, alerts=by_key["alerts"].text, closed=by_key["closed"].text,
                              checks=by_key["checks"].text, blocks=by_key["blocks"].text,
                              operators=by_key["operators"].text)
        + (t["seized"].format(kg=by_key["seized_kg"].text, traced=by_key["traced"].text) if seized else ""),
        tuple(figs), tuple(tables), tuple(visuals), headline=("alerts", "blocks", "operators"))


def _outcomes(ctx: Context, t: dict[str, str], month: str) -> Visual | None:
    sql = ("SELECT CASE WHEN s.status = 'closed' THEN s.outcome ELSE s.status END AS outcome, count(*) AS n "
           "FROM alerts a JOIN alert_state s ON s.alert_id = a.alert_id "
           "WHERE a.period_end >= ? AND a.period_end < ? AND NOT a.shadow AND a.retired_at IS NULL GROUP BY 1")
    rows, query = ctx.rows(sql, (ctx.start, ctx.end))
    counts = {str(r["outcome"]): float(r["n"]) for r in rows}
    if not counts:
        return None
    cats = [o for o in OUTCOMES if o in counts] + sorted(set(counts) - set(OUTCOMES))
    names = [t.get(f"outcome_{o}", o) for o in cats]
    vals = [counts[o] for o in cats]
    items = "; ".join(f"{n} {ctx.n.num(v)}" for n, v in zip(names, vals, strict=True))
    alt = t["by_outcome_alt"].format(month=month, items=items)
    svg = bar_chart(t["by_outcome"], alt, names, [(t["alerts_col"], vals)], ctx.n.num)
    return Visual("alerts_by_outcome", t["by_outcome"], alt, svg, query, ctx.period_link("/records/alerts"))


def _typologies(ctx: Context, t: dict[str, str]) -> Table | None:
    sql = ("SELECT rule, count(*) AS n, sum(CASE WHEN severity IN ('high', 'critical') THEN 1 ELSE 0 END) AS high "
           "FROM alerts WHERE period_end >= ? AND period_end < ? AND NOT shadow AND retired_at IS NULL "
           "GROUP BY rule ORDER BY n DESC, rule LIMIT 5")
    rows, query = ctx.rows(sql, (ctx.start, ctx.end))
    if not rows:
        return None
    titles = {}
    try:
        titles = {r.id: getattr(r.title, ctx.lang) for r in load_rules().rules}
    except Exception:  # a broken catalogue must not stop the report: ids are still shown
        titles = {}
    body = [(Cell(titles.get(r["rule"], r["rule"]), ctx.link(f"/rules/{r['rule']}")),
             ctx.cell(r["n"], link=ctx.period_link("/records/alerts", rule=r["rule"])),
             ctx.cell(r["high"])) for r in rows]
    return ctx.table("typologies", t["typologies"], (t["rule"], t["alerts_col"], t["high_col"]), body, query)


def _deliveries(ctx: Context, t: dict[str, str], month: str) -> tuple[Visual, Table] | None:
    """Sales and transfers declared toward districts of the special-regime zones, in kg."""
    geo = default_geography()
    zone_of = {z.ubigeo: z.zone for z in geo.zones}
    sql = ("SELECT destination_ubigeo AS ubigeo, sum(quantity_kg) AS kg FROM movements "
           "WHERE date >= ? AND date < ? AND type IN ('sale', 'transfer_out') AND destination_ubigeo IS NOT NULL "
           "GROUP BY destination_ubigeo")
    rows, query = ctx.rows(sql, (ctx.start, ctx.end))
    values = {str(r["ubigeo"]): float(r["kg"]) for r in rows if str(r["ubigeo"]) in zone_of}
    if not values:
        return None
    query += " -- kept: districts of the special-regime zones (traza/data/special_regime_zones.csv)"

    def kg(v: float) -> str:
        return ctx.fmt(v, "kg")

    top = max(values, key=lambda k: values[k])
    d = geo.districts.get(top)
    top_text = f"{d.name.title() if d else top} ({kg(values[top])})"
    alt = t["deliveries_alt"].format(n=ctx.n.num(len(values)), kg=kg(sum(values.values())), month=month, top=top_text)
    svg = district_map(t["deliveries"], alt, values, ctx.n.num, frozenset(zone_of), t["zone_districts"], unit="kg")
    per_zone: dict[str, list[float]] = {}
    for u, v in values.items():
        per_zone.setdefault(zone_of[u], []).append(v)
    body = [(Cell(z.replace("_", " ").title()), ctx.cell(len(vs)), ctx.cell(sum(vs), "kg"))
            for z, vs in sorted(per_zone.items(), key=lambda kv: -sum(kv[1]))]
    table = ctx.table("deliveries", t["deliveries_table"], (t["zone"], t["districts"], t["kg"]), body, query)
    return Visual("deliveries_map", t["deliveries"], alt, svg, query,
                  ctx.period_link("/records/alerts", rule="zone_delivery_excess")), table
