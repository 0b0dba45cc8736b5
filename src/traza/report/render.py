"""Lay a built report out as HTML, Markdown or PDF. Nothing here computes a figure."""

from __future__ import annotations

import base64
from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape

from traza.report.model import Report

FORMATS = ("html", "pdf", "md")


def _svg_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


@cache
def _env() -> Environment:
    env = Environment(loader=PackageLoader("traza.report", "templates"), autoescape=select_autoescape(["j2"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["svg_uri"] = _svg_uri
    return env


def to_html(report: Report) -> str:
    return _env().get_template("report.html.j2").render(r=report, L=report.labels)


def to_pdf(report: Report) -> bytes:
    """The HTML through WeasyPrint (A4, page numbers from the template's print styles)."""
    from weasyprint import HTML  # type: ignore[import-untyped]  # heavy: imported only when a PDF is asked for

    pdf = HTML(string=to_html(report)).write_pdf()
    assert pdf is not None  # write_pdf returns bytes when no target is given
    return bytes(pdf)


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|")


def to_markdown(report: Report, pictures: str | None = None) -> str:
    """Markdown: the same sections and figures; each figure, table and picture carries a
    bracketed number that the appendix resolves to its query and its records' link. With
    ``pictures`` (a folder beside the file, see ``pictures_of``) the charts and maps are shown
    from there; without, their alternative text stands in."""
    L = report.labels
    out = [f"# {report.title}", "", f"{L['period']}: {report.period} · {L['generated']} "
           f"{report.generated_at:%Y-%m-%d %H:%M} UTC", ""]
    refs: list[tuple[str, str, str | None]] = []

    def ref(what: str, query: str, link: str | None) -> str:
        refs.append((what, query, link))
        return f"[{len(refs)}]"

    if not report.sections:
        out += [L["empty"], ""]
    for s in report.sections:
        out += [f"## {s.title}", "", s.narrative, ""]
        if s.figures:
            out += [f"| {L['indicator']} | {L['month']} | {L['ytd']} | {L['prev']} | {L['change']} | |",
                    "|---|---:|---:|---:|---:|---|"]
            for f in s.figures:
                out.append(f"| {_md_escape(f.label)} | {f.text} | {f.ytd_text or '–'} | {f.prev_ytd_text or '–'} | "
                           f"{f.change_text or '–'} | {ref(f'{s.title}: {f.label}', f.query, f.link)} |")
            out.append("")
        for v in s.visuals:
            if pictures:
                out += [f"![{v.alt}]({pictures}/{v.key}.svg)", ""]
            out += [f"*{v.title}* {ref(f'{s.title}: {v.title}', v.query, v.link)}: {v.alt}", ""]
        for t in s.tables:
            out += [f"**{t.caption}** {ref(f'{s.title}: {t.caption}', t.query, None)}", "",
                    "| " + " | ".join(_md_escape(c) for c in t.columns) + " |",
                    "|" + "|".join("---" if i == 0 else "---:" for i in range(len(t.columns))) + "|"]
            out += ["| " + " | ".join(_md_escape(c.text) for c in row) + " |" for row in t.rows]
            out.append("")
        out += [*s.notes, ""] if s.notes else []
    out += [L["units"], ""]
    if refs:
        out += [f"## {L['sources']}", ""]
        for i, (what, query, link) in enumerate(refs, start=1):
            out += [f"{i}. {what}" + (f" — {L['records']}: <{link}>" if link else ""), "",
                    "   ```sql", f"   {query}", "   ```", ""]
    return "\n".join(out)


def pictures_of(report: Report) -> dict[str, str]:
    """File name -> SVG of every chart and map, for the Markdown's picture folder."""
    return {f"{v.key}.svg": v.svg for s in report.sections for v in s.visuals}
