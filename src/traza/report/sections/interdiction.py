"""Interdiction: drug labs found and destroyed, seizures by substance, arrests and weapons.
Precursor chemicals seized and traced back to the registry are in chemical control
(``traced.py``)."""

from __future__ import annotations

from traza.report import records as rl
from traza.report.context import Context
from traza.report.model import Cell, Section

T = {
    "es": {"title": "Interdicción", "labs": "Laboratorios hallados", "destroyed": "Laboratorios destruidos",
           "seizures": "Decomisos", "arrests": "Detenidos", "weapons": "Armas incautadas",
           "precursor_kg": "Insumos químicos decomisados",
           "by_substance": "Decomisos del mes por sustancia", "substance": "Sustancia", "kg": "Cantidad",
           "substances": {"cocaine_hcl": "clorhidrato de cocaína", "base_paste": "pasta básica",
                          "coca_leaf": "hoja de coca", "precursor": "insumos químicos", "other": "otros"},
           "narrative": ("En el mes se hallaron {labs} laboratorios ({destroyed} destruidos), hubo {seizures} "
                         "decomisos y {arrests} detenidos; se decomisaron {kg} de insumos químicos.")},
    "en": {"title": "Interdiction", "labs": "Labs found", "destroyed": "Labs destroyed", "seizures": "Seizures",
           "arrests": "Arrests", "weapons": "Weapons seized", "precursor_kg": "Precursor chemicals seized",
           "by_substance": "The month's seizures by substance", "substance": "Substance", "kg": "Quantity",
           "substances": {"cocaine_hcl": "cocaine hydrochloride", "base_paste": "base paste",
                          "coca_leaf": "coca leaf", "precursor": "precursor chemicals", "other": "other"},
           "narrative": ("In the month {labs} labs were found ({destroyed} destroyed), with {seizures} seizures "
                         "and {arrests} arrests; {kg} of precursor chemicals were seized.")},
}
_SEIZ = "FROM field_seizures WHERE date >= ? AND date < ?"  # the table by substance


def build(ctx: Context) -> Section | None:
    if not ctx.has("field_labs", "field_seizures"):
        return None
    t: dict = T[ctx.lang]  # type: ignore[type-arg]
    labs, seizures = rl.LABS, rl.FIELD_SEIZURES
    figs = [
        ctx.listed("labs", t["labs"], labs),
        ctx.listed("destroyed", t["destroyed"], labs, f"count(CASE WHEN {labs.column('destroyed')} THEN 1 END)"),
        ctx.listed("seizures", t["seizures"], seizures),
        ctx.listed("arrests", t["arrests"], seizures, f"coalesce(sum({seizures.column('arrests')}), 0)"),
        ctx.listed("weapons", t["weapons"], seizures, "coalesce(sum(s.weapons), 0)"),
        ctx.listed("precursor_kg", t["precursor_kg"], seizures, seizures.summed, unit="kg", substance="precursor"),
    ]
    if not any(f.value or f.ytd for f in figs):
        return None
    f = {x.key: x for x in figs}
    tables = []
    rows, query = ctx.rows(f"SELECT substance, count(*) AS n, sum(quantity_kg) AS kg {_SEIZ} "
                           "GROUP BY substance ORDER BY kg DESC NULLS LAST, substance", (ctx.start, ctx.end))
    if rows:
        body = [(Cell(t["substances"].get(r["substance"], r["substance"])),
                 ctx.cell(r["n"], link=ctx.field_link("seizures", substance=r["substance"])),
                 ctx.cell(r["kg"], "kg")) for r in rows]
        tables.append(ctx.table("by_substance", t["by_substance"], (t["substance"], t["seizures"], t["kg"]),
                                body, query))
    narrative = t["narrative"].format(labs=f["labs"].text, destroyed=f["destroyed"].text,
                                      seizures=f["seizures"].text, arrests=f["arrests"].text,
                                      kg=f["precursor_kg"].text)
    return Section("interdiction", t["title"], narrative, tuple(figs), tuple(tables),
                   headline=("labs", "arrests"))
