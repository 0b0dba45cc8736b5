"""The summary: the month's key figures, taken from the sections that follow it."""

from __future__ import annotations

from collections.abc import Sequence

from traza.report.context import Context
from traza.report.model import Section

T = {
    "es": {"title": "Resumen", "narrative": "Cifras clave de {month}; cada una remite a su sección y a sus registros."},
    "en": {"title": "Summary", "narrative": "Key figures of {month}; each one refers to its section and records."},
}


def build(ctx: Context, sections: Sequence[Section]) -> Section | None:
    figs = tuple(s.figure(k) for s in sections for k in s.headline)
    if not figs:
        return None
    t = T[ctx.lang]
    facts = "; ".join(f"{f.label.lower() if ctx.lang == 'en' else f.label}: {f.text}" for f in figs)
    return Section("summary", t["title"], t["narrative"].format(month=ctx.n.month(ctx.month)) + " " + facts + ".",
                   figs)
