"""Interdiction: drug labs found and destroyed, seizures by substance, arrests and weapons.
Precursor chemicals seized and traced back to the registry are in chemical control
(``traced.py``)."""

from __future__ import annotations

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
_LABS = "FROM field_labs WHERE date >= ? AND date < ?"
_SEIZ = "FROM field_seizures WHERE date >= ? AND date < ?"


def build(ctx: Context) -> Section | None:
    if not ctx.has("field_labs", "field_seizures"):
        return None
    t: dict = T[ctx.lang]  # type: ignore[type-arg]
    labs_link, seiz_link = ctx.field_link("labs"), ctx.field_link("seizures")
    figs = [
        ctx.measure("labs", t["labs"], f"SELECT count(*) {_LABS}", link=labs_link),
        ctx.measure("destroyed", t["destroyed"], f"SELECT count(*) {_LABS} AND destroyed", link=labs_link),
        ctx.measure("seizures", t["seizures"], f"SELECT count(*) {_SEIZ}", link=seiz_link),
        ctx.measure("arrests", t["arrests"], f"SELECT coalesce(sum(arrests), 0) {_SEIZ}", link=seiz_link),
        ctx.measure("weapons", t["weapons"], f"SELECT coalesce(sum(weapons), 0) {_SEIZ}", link=seiz_link),
        ctx.measure("precursor_kg", t["precursor_kg"],
                    f"SELECT coalesce(sum(quantity_kg), 0) {_SEIZ} AND substance = 'precursor'", unit="kg",
                    link=ctx.field_link("seizures", substance="precursor")),
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
