"""Security incidents against eradication and their casualties, by type."""

from __future__ import annotations

from traza.report import records as rl
from traza.report.context import Context
from traza.report.model import Cell, Section

T = {
    "es": {"title": "Incidentes de seguridad", "incidents": "Incidentes", "wounded": "Heridos", "killed": "Muertos",
           "aircraft": "Aeronaves dañadas", "halted": "Incidentes que detuvieron la erradicación",
           "by_type": "Incidentes del mes por tipo", "type": "Tipo",
           "types": {"ambush": "emboscada", "rock_throwing": "ataque con piedras", "firearm": "disparos",
                     "explosive": "explosivos", "blockade": "bloqueo", "aircraft_damage": "daño a aeronave"},
           "narrative": ("En el mes hubo {n} incidentes contra la erradicación, con {wounded} heridos y {killed} "
                         "muertos; aeronaves dañadas: {aircraft}. En el año van {ytd} incidentes "
                         "({prev} en el mismo periodo del año anterior).")},
    "en": {"title": "Security incidents", "incidents": "Incidents", "wounded": "Wounded", "killed": "Killed",
           "aircraft": "Aircraft damaged", "halted": "Incidents that halted eradication",
           "by_type": "The month's incidents by type", "type": "Type",
           "types": {"ambush": "ambush", "rock_throwing": "rock throwing", "firearm": "firearm",
                     "explosive": "explosive", "blockade": "blockade", "aircraft_damage": "aircraft damage"},
           "narrative": ("In the month there were {n} incidents against eradication, with {wounded} wounded and "
                         "{killed} killed; aircraft damaged: {aircraft}. The year to date counts {ytd} "
                         "incidents ({prev} in the same period of the previous year).")},
}
WOUNDED = "police_wounded + eradicators_wounded + civilians_wounded + attackers_wounded"
KILLED = "police_killed + eradicators_killed + civilians_killed + attackers_killed"
_WHERE = "FROM field_incidents WHERE date >= ? AND date < ?"  # the table by type


def build(ctx: Context) -> Section | None:
    if not ctx.has("field_incidents"):
        return None
    t: dict = T[ctx.lang]  # type: ignore[type-arg]
    incidents = rl.INCIDENTS
    n = ctx.listed("incidents", t["incidents"], incidents)
    if not (n.value or n.ytd):
        return None
    # the rest add up the same rows: the link opens the incidents they come from
    figs = [n,
            ctx.listed("wounded", t["wounded"], incidents, f"coalesce(sum({WOUNDED}), 0)"),
            ctx.listed("killed", t["killed"], incidents, f"coalesce(sum({KILLED}), 0)"),
            ctx.listed("aircraft", t["aircraft"], incidents, f"coalesce(sum({incidents.column('aircraft')}), 0)"),
            ctx.listed("halted", t["halted"], incidents, f"count(CASE WHEN {incidents.column('halted')} THEN 1 END)")]
    f = {x.key: x for x in figs}
    sql = (f"SELECT type, count(*) AS n, sum({WOUNDED}) AS wounded, sum({KILLED}) AS killed {_WHERE} "
           "GROUP BY type ORDER BY n DESC, type")
    rows, query = ctx.rows(sql, (ctx.start, ctx.end))
    tables = []
    if rows:
        body = [(Cell(t["types"].get(r["type"], r["type"])),
                 ctx.cell(r["n"], link=ctx.field_link("incidents", type=r["type"])),
                 ctx.cell(r["wounded"]), ctx.cell(r["killed"])) for r in rows]
        tables.append(ctx.table("by_type", t["by_type"], (t["type"], t["incidents"], t["wounded"], t["killed"]),
                                body, query))
    narrative = t["narrative"].format(n=n.text, wounded=f["wounded"].text, killed=f["killed"].text,
                                      aircraft=f["aircraft"].text, ytd=n.ytd_text, prev=n.prev_ytd_text)
    return Section("incidents", t["title"], narrative, tuple(figs), tuple(tables), headline=("incidents",))
