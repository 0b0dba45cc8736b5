"""Chemicals seized in the field and traced back to the registry: part of the chemical-control
section. A seizure is traced when it names the seller's RUC or its lot / document reference
matches a declared movement's document (``movements.document_ref``)."""

from __future__ import annotations

from traza.core.jurisdiction import jurisdiction
from traza.report import records as rl
from traza.report.context import Context
from traza.report.model import Cell, Figure, Table

_TAX = jurisdiction().tax_id.name
T = {
    "es": {"seized": "Insumos químicos decomisados en campo", "traced": "Decomisos de insumos trazados al registro",
           "table": "Insumos decomisados trazados a su vendedor", "seller": f"Vendedor ({_TAX})", "chemical": "Insumo",
           "seizures": "Decomisos", "kg": "Cantidad"},
    "en": {"seized": "Precursor chemicals seized in the field", "traced": "Chemical seizures traced to the registry",
           "table": "Seized chemicals traced back to their seller", "seller": f"Seller ({_TAX})", "chemical": "Chemical",
           "seizures": "Seizures", "kg": "Quantity"},
}


def build(ctx: Context) -> tuple[list[Figure], list[Table]]:
    if not ctx.has("field_seizures"):
        return [], []
    t = T[ctx.lang]
    seizures = rl.FIELD_SEIZURES
    figs = [ctx.listed("seized_kg", t["seized"], seizures, seizures.summed, unit="kg", substance="precursor"),
            ctx.listed("traced", t["traced"], seizures, substance="precursor", traced="true")]
    if not any(f.value or f.ytd for f in figs):
        return [], []
    listed, values = seizures.figure(f"{rl.SELLER} AS seller, s.chemical, s.quantity_kg AS kg", substance="precursor")
    sql = (f"SELECT seller, chemical, count(*) AS n, sum(kg) AS kg FROM ({listed}) x WHERE seller IS NOT NULL "
           "GROUP BY seller, chemical ORDER BY kg DESC NULLS LAST, seller")
    rows, query = ctx.rows(sql, (ctx.start, ctx.end, *values))
    tables = []
    if rows:
        body: list[tuple[Cell, ...]] = [
            (Cell(str(r["seller"]), ctx.link(f"/operators/{r['seller']}")), Cell(str(r["chemical"] or "")),
             ctx.cell(r["n"]), ctx.cell(r["kg"], "kg")) for r in rows]
        tables.append(ctx.table("traced", t["table"], (t["seller"], t["chemical"], t["seizures"], t["kg"]),
                                body, query))
    return figs, tables
