"""Field measurements of coca (CADA) and checks of ENACO certificates."""

from __future__ import annotations

from traza.report import records as rl
from traza.report.context import Context
from traza.report.model import Section

T = {
    "es": {"title": "Mediciones de campo y certificados", "measured": "Campos de coca medidos",
           "measured_ha": "Superficie medida", "certs": "Certificados ENACO verificados",
           "findings": "Hallazgos de los controles de campo",
           "narrative": ("En el mes se midieron {n} campos de coca ({ha}); se verificaron {certs} certificados "
                         "ENACO y los controles de campo registraron {findings} hallazgos.")},
    "en": {"title": "Field measurements and certificate checks", "measured": "Coca fields measured",
           "measured_ha": "Area measured", "certs": "ENACO certificates verified",
           "findings": "Findings of the field checks",
           "narrative": ("In the month {n} coca fields were measured ({ha}); {certs} ENACO certificates were "
                         "verified and the field checks recorded {findings} findings.")},
}


def build(ctx: Context) -> Section | None:
    if not ctx.has("field_measurements", "enaco_certificate_versions", "field_findings"):
        return None
    t = T[ctx.lang]
    m = rl.MEASUREMENTS
    figs = [
        ctx.listed("measured", t["measured"], m),
        ctx.listed("measured_ha", t["measured_ha"], m, m.summed, unit="ha", decimals=1),
        ctx.measure("certs", t["certs"],
                    "SELECT count(*) FROM enaco_certificate_versions WHERE recorded_at >= ? AND recorded_at < ? "
                    "AND verified_ha IS NOT NULL", link=ctx.link("/field/checks")),
        # a finding belongs to the month its period ends in (the same finding in two runs counts once)
        ctx.measure("findings", t["findings"],
                    "SELECT count(DISTINCT check_id || '|' || subject) FROM field_findings "
                    "WHERE period_end >= ? AND period_end < ?", link=ctx.link("/field/checks")),
    ]
    if not any(f.value or f.ytd for f in figs):
        return None
    f = {x.key: x for x in figs}
    narrative = t["narrative"].format(n=f["measured"].text, ha=f["measured_ha"].text, certs=f["certs"].text,
                                      findings=f["findings"].text)
    return Section("measurements", t["title"], narrative, tuple(figs))
