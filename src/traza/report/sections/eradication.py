"""Eradication: hectares of coca and m2 of seedbeds eradicated in the month and the year to
date, against the goals, by operational axis and department, with the days worked.

Seedbeds are also stated as "hectares if planted" at ``seedbed_m2_per_ha`` m2 of seedbed per
hectare (docs/principles.md: a convention, 15 by default: 18,015 m2 gives 1,201 ha)."""

from __future__ import annotations

from datetime import date
from typing import Any

from traza.core.geo import default_geography
from traza.report import records as rl
from traza.report.context import Context, show_sql
from traza.report.model import Cell, Section, Table, Visual
from traza.report.svg import bar_chart, district_map

T = {
    "es": {
        "title": "Erradicación",
        "ha": "Coca erradicada",
        "plots": "Parcelas erradicadas",
        "replanted": "Parcelas resembradas erradicadas otra vez",
        "seedbeds": "Almácigos erradicados",
        "if_planted": "Almácigos en hectáreas si se plantaran",
        "days": "Días de operación",
        "goal": "Meta del año",
        "goal_share": "Avance de la meta anual",
        "narrative": ("Al {asof}, se erradicaron en el mes {ha} de coca y {m2} de almácigos, con lo que el total "
                      "del año llega a {ha_ytd} y {m2_ytd} de almácigos (más de {over} si se plantaran: "
                      "{planted} a {factor} de almácigo por hectárea), en {days} días de operación en el mes."),
        "narrative_goal": " La meta del año es {goal}; el acumulado alcanza {share}.",
        "goal_month": "Meta del mes",
        "goal_month_share": "Avance de la meta del mes",
        "narrative_goal_month": " La meta del mes es {goal}; se alcanzó {share}.",
        "by_axis": "Erradicación por eje operacional",
        "total": "Total nacional",
        "axis": "Eje operacional",
        "month": "Mes",
        "ytd": "Acumulado del año",
        "goal_col": "Meta del año",
        "share_col": "Avance",
        "no_axis": "(sin operación asociada)",
        "by_dept": "Erradicación del mes por departamento",
        "dept": "Departamento",
        "chart": "Erradicación acumulada frente a la meta anual",
        "chart_alt": "Barras horizontales por eje operacional: hectáreas acumuladas en el año y meta anual. {items}.",
        "map": "Parcelas erradicadas en el mes",
        "map_alt": ("Mapa de las parcelas erradicadas en {month}: {plots} parcelas en {districts} distritos; el "
                    "distrito con más hectáreas es {top}."),
    },
    "en": {
        "title": "Eradication",
        "ha": "Coca eradicated",
        "plots": "Plots eradicated",
        "replanted": "Replanted plots eradicated again",
        "seedbeds": "Seedbeds eradicated",
        "if_planted": "Seedbeds as hectares if planted",
        "days": "Days of operations",
        "goal": "The year's goal",
        "goal_share": "Share of the yearly goal",
        "narrative": ("As of {asof}, {ha} of coca and {m2} of seedbeds were eradicated in the month, making a "
                      "total for the year of {ha_ytd} and {m2_ytd} of seedbeds (over {over} if planted: "
                      "{planted} at {factor} of seedbed per hectare), over {days} days of operations in the "
                      "month."),
        "narrative_goal": " The year's goal is {goal}; the year to date reaches {share}.",
        "goal_month": "The month's goal",
        "goal_month_share": "Share of the month's goal",
        "narrative_goal_month": " The month's goal is {goal}; {share} of it was reached.",
        "by_axis": "Eradication by operational axis",
        "total": "National total",
        "axis": "Operational axis",
        "month": "Month",
        "ytd": "Year to date",
        "goal_col": "Year's goal",
        "share_col": "Reached",
        "no_axis": "(no operation recorded)",
        "by_dept": "The month's eradication by department",
        "dept": "Department",
        "chart": "Eradication to date against the yearly goal",
        "chart_alt": "Horizontal bars per operational axis: hectares eradicated this year and the yearly goal. {items}.",
        "map": "Plots eradicated in the month",
        "map_alt": ("Map of the plots eradicated in {month}: {plots} plots in {districts} districts; the district "
                    "with the most hectares is {top}."),
    },
}


def _over(value: float) -> float:
    """The round hundred a value is over ("over 1,200" for 1,201)."""
    return max((int(value) - 1) // 100 * 100, 0) if value > 100 else int(value)


def build(ctx: Context) -> Section | None:
    if not ctx.has("field_plots", "field_seedbeds", "field_operations"):
        return None
    t = T[ctx.lang]
    ha = ctx.listed("ha", t["ha"], rl.PLOTS, rl.PLOTS.summed, unit="ha")
    m2 = ctx.listed("seedbeds", t["seedbeds"], rl.SEEDBEDS, rl.SEEDBEDS.summed, unit="m²")
    if not (ha.value or m2.value or ha.ytd or m2.ytd):
        return None
    factor = ctx.seedbed_m2_per_ha
    planted = (m2.ytd or 0) / factor
    m2_sql, _ = rl.SEEDBEDS.figure(rl.SEEDBEDS.summed)
    figs = [
        ha,
        ctx.listed("plots", t["plots"], rl.PLOTS),
        ctx.listed("replanted", t["replanted"], rl.PLOTS, replanted="true"),
        m2,
        ctx.fixed("if_planted", t["if_planted"], planted, m2_sql + f" -- / {factor:g} m2 per ha",
                  (ctx.ytd_start, ctx.end), unit="ha", link=ctx.field_link("seedbeds", "ytd")),
        ctx.listed("days", t["days"], rl.OPERATIONS, f"count(DISTINCT {rl.OPERATIONS.day})"),
    ]
    goal_sql = ("SELECT sum(hectares) FROM field_goals WHERE year = ? AND month IS NULL AND axis IS NULL "
                "AND ubigeo IS NULL")
    goal = ctx.db.scalar(goal_sql, (ctx.month.year,))
    extra = ""
    if goal:
        share = (ha.ytd or 0) / float(goal)
        figs.append(ctx.fixed("goal", t["goal"], float(goal), goal_sql, (ctx.month.year,), unit="ha",
                              link=ctx.field_link("goals")))
        figs.append(ctx.fixed("goal_share", t["goal_share"], share, goal_sql, (ctx.month.year,), unit="%",
                              link=ctx.field_link("goals")))
        extra = t["narrative_goal"].format(goal=ctx.fmt(float(goal), "ha"), share=ctx.n.pct(share))
    month_goal_sql = ("SELECT sum(hectares) FROM field_goals WHERE year = ? AND month = ? AND axis IS NULL "
                      "AND ubigeo IS NULL")
    month_goal = ctx.db.scalar(month_goal_sql, (ctx.month.year, ctx.month.month))
    if month_goal:
        share = (ha.value or 0) / float(month_goal)
        params = (ctx.month.year, ctx.month.month)
        goals_link = ctx.field_link("goals")
        figs.append(ctx.fixed("goal_month", t["goal_month"], float(month_goal), month_goal_sql, params, unit="ha",
                              link=goals_link))
        figs.append(ctx.fixed("goal_month_share", t["goal_month_share"], share, month_goal_sql, params, unit="%",
                              link=goals_link))
        extra += t["narrative_goal_month"].format(goal=ctx.fmt(float(month_goal), "ha"), share=ctx.n.pct(share))
    asof = ctx.db.scalar(
        "SELECT max(d) FROM (SELECT max(date) AS d FROM field_plots WHERE date >= ? AND date < ? "
        "UNION ALL SELECT max(date) FROM field_seedbeds WHERE date >= ? AND date < ?) x",
        (ctx.start, ctx.end, ctx.start, ctx.end))
    by_key = {f.key: f for f in figs}
    narrative = t["narrative"].format(
        asof=ctx.n.day(asof if isinstance(asof, date) else ctx.end), ha=ha.text, m2=m2.text, ha_ytd=ha.ytd_text,
        m2_ytd=m2.ytd_text, over=ctx.fmt(_over(planted), "ha"), planted=ctx.fmt(planted, "ha"),
        factor=ctx.fmt(factor, "m²"), days=by_key["days"].text) + extra
    tables, visuals = _by_axis(ctx, t)
    if goal and not visuals:  # no goals by axis: the national goal alone
        total = t["total"]
        alt = t["chart_alt"].format(items=f"{total}: {ha.ytd_text} / {ctx.fmt(float(goal), 'ha')}")
        svg = bar_chart(t["chart"], alt, [total], [(t["ytd"], [ha.ytd or 0.0]), (t["goal_col"], [float(goal)])],
                        lambda v: ctx.fmt(v, "ha"))
        visuals.append(Visual("eradication_goal", t["chart"], alt, svg, ha.query + "; " + show_sql(goal_sql, (ctx.month.year,)),
                              ctx.field_link("goals")))
    tables.append(_by_department(ctx, t))
    plot_map = _map(ctx, t)
    if plot_map:
        visuals.append(plot_map)
    return Section("eradication", t["title"], narrative, tuple(figs), tuple(tables), tuple(visuals),
                   headline=("ha", "seedbeds"))


def _by_axis(ctx: Context, t: dict[str, str]) -> tuple[list[Table], list[Visual]]:
    sql = ("SELECT coalesce(o.axis, '') AS axis, "
           "sum(CASE WHEN p.date >= ? THEN p.area_ha ELSE 0 END) AS month_ha, sum(p.area_ha) AS ytd_ha "
           "FROM field_plots p LEFT JOIN field_operations o ON o.operation_id = p.operation_id "
           "WHERE p.date >= ? AND p.date < ? GROUP BY 1 ORDER BY 3 DESC")
    rows, query = ctx.rows(sql, (ctx.start, ctx.ytd_start, ctx.end))
    goals_sql = ("SELECT axis, sum(hectares) AS ha FROM field_goals WHERE year = ? AND month IS NULL "
                 "AND axis IS NOT NULL AND ubigeo IS NULL GROUP BY axis")
    goal_rows, goal_query = ctx.rows(goals_sql, (ctx.month.year,))
    goals = {str(r["axis"]): float(r["ha"] or 0) for r in goal_rows}
    body: list[tuple[Cell, ...]] = []
    for r in rows:
        axis = str(r["axis"])
        g = goals.get(axis)
        body.append((Cell(axis or t["no_axis"]),
                     ctx.cell(r["month_ha"], "ha", link=ctx.field_link("plots", axis=axis or None)),
                     ctx.cell(r["ytd_ha"], "ha", link=ctx.field_link("plots", "ytd", axis=axis or None)),
                     Cell(ctx.fmt(g, "ha") if g else "–", numeric=True),
                     Cell(ctx.n.pct(float(r["ytd_ha"]) / g) if g else "–", numeric=True)))
    tables = [ctx.table("by_axis", t["by_axis"], (t["axis"], t["month"], t["ytd"], t["goal_col"], t["share_col"]),
                        body, query + "; " + goal_query)]
    visuals: list[Visual] = []
    charted = [r for r in rows if str(r["axis"]) in goals]
    if charted:
        names = [str(r["axis"]) for r in charted]
        done = [float(r["ytd_ha"]) for r in charted]
        aims = [goals[n] for n in names]
        items = "; ".join(f"{n}: {ctx.fmt(d, 'ha')} / {ctx.fmt(a, 'ha')}"
                          for n, d, a in zip(names, done, aims, strict=True))
        alt = t["chart_alt"].format(items=items)
        svg = bar_chart(t["chart"], alt, names, [(t["ytd"], done), (t["goal_col"], aims)],
                        lambda v: ctx.fmt(v, "ha"))
        visuals.append(Visual("eradication_goal", t["chart"], alt, svg, query + "; " + goal_query,
                              ctx.field_link("plots", "ytd")))
    return tables, visuals


def _by_department(ctx: Context, t: dict[str, str]) -> Table:
    sql = ("SELECT substr(ubigeo, 1, 2) AS dept, count(*) AS plots, sum(area_ha) AS ha FROM field_plots "
           "WHERE date >= ? AND date < ? GROUP BY 1 ORDER BY 3 DESC")
    rows, query = ctx.rows(sql, (ctx.start, ctx.end))
    names = _department_names()
    body = [(Cell(names.get(str(r["dept"]), str(r["dept"]))),
             ctx.cell(r["plots"], link=ctx.field_link("plots", department=r["dept"])),
             ctx.cell(r["ha"], "ha")) for r in rows]
    return ctx.table("by_department", t["by_dept"], (t["dept"], T[ctx.lang]["plots"], t["ha"]), body, query)


def _department_names() -> dict[str, str]:
    return {u[:2]: d.department.title() for u, d in default_geography().districts.items()}


def _map(ctx: Context, t: dict[str, str]) -> Visual | None:
    sql = "SELECT ubigeo, longitude, latitude, area_ha FROM field_plots WHERE date >= ? AND date < ?"
    rows, query = ctx.rows(sql, (ctx.start, ctx.end))
    if not rows:
        return None
    per: dict[str, float] = {}
    for r in rows:
        per[str(r["ubigeo"])] = per.get(str(r["ubigeo"]), 0.0) + float(r["area_ha"])
    top = max(per, key=lambda k: per[k])
    d = default_geography().districts.get(top)
    alt = t["map_alt"].format(month=ctx.n.month(ctx.month), plots=ctx.n.num(len(rows)),
                              districts=ctx.n.num(len(per)),
                              top=f"{d.name.title() if d else top} ({ctx.fmt(per[top], 'ha')})")
    points: list[Any] = [(float(r["longitude"]), float(r["latitude"])) for r in rows]
    svg = district_map(t["map"], alt, per, ctx.n.num, points=points, unit="ha")
    return Visual("plots_map", t["map"], alt, svg, query, ctx.field_link("plots"))
