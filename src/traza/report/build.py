"""Build the monthly report: run every section for the month, then the summary."""

from __future__ import annotations

from datetime import UTC, date, datetime

from traza.report.context import Context
from traza.report.model import Report, Section
from traza.report.sections import SECTIONS
from traza.report.sections.summary import build as build_summary
from traza.store.db import Database

LABELS = {
    "es": {
        "title": "Informe mensual del programa", "period": "Periodo", "generated": "Generado el",
        "indicator": "Indicador", "month": "Mes", "ytd": "Acumulado del año",
        "prev": "Mismo periodo del año anterior", "change": "Variación", "sources": "Fuentes de cada cifra",
        "what": "Cifra", "query": "Consulta", "records": "Registros", "contents": "Contenido",
        "empty": "No hay datos para este mes.", "units": "Unidades: ha hectáreas, m² metros cuadrados, kg kilogramos.",
        "see": "ver registros", "until": "datos al", "figures": "Cifras",
    },
    "en": {
        "title": "Monthly program report", "period": "Period", "generated": "Generated on",
        "indicator": "Indicator", "month": "Month", "ytd": "Year to date",
        "prev": "Same period last year", "change": "Change", "sources": "Sources of every figure",
        "what": "Figure", "query": "Query", "records": "Records", "contents": "Contents",
        "empty": "No data for this month.", "units": "Units: ha hectares, m² square metres, kg kilograms.",
        "see": "see records", "until": "data to", "figures": "Figures",
    },
}


def build_report(db: Database, month: date, lang: str = "es", *, base_url: str = "",
                 seedbed_m2_per_ha: float = 15.0, until: date | None = None,
                 generated_at: datetime | None = None) -> Report:
    """The report of ``month``; ``until`` cuts its data at a day of that month (inclusive)."""
    first = month.replace(day=1)
    if until is not None and not (first <= until and until.replace(day=1) == first):
        raise ValueError(f"--as-of {until} is not a day of {first:%Y-%m}")
    ctx = Context(db, first, lang, base_url, seedbed_m2_per_ha, until)
    sections: list[Section] = []
    for build in SECTIONS:
        section = build(ctx)
        if section is not None:
            sections.append(section)
    summary = build_summary(ctx, sections)
    labels = LABELS[lang]
    return Report(
        month=ctx.month, lang=lang, title=f"{labels['title']}: {ctx.n.month(ctx.month)}",
        period=ctx.n.month(ctx.month) + (f" ({labels['until']} {ctx.n.day(until)})" if until else ""),
        generated_at=generated_at or datetime.now(UTC).replace(tzinfo=None),
        base_url=base_url, labels=labels, sections=tuple(([summary] if summary else []) + sections))
