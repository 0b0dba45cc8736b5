"""The monthly program report for staff, as the CLI writes it (``traza report monthly``): the
web UI links here. Links inside the report are relative, to the web UI on the same host."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import Query, Response

from traza.api.deps import Db, RegistryReader
from traza.api.errors import Invalid
from traza.api.routers._common import router

r = router("reports")

_TYPES = {"html": "text/html; charset=utf-8", "md": "text/markdown; charset=utf-8", "pdf": "application/pdf"}
_DOC = {200: {"description": "The report in the format asked for",
              "content": {"text/html": {"schema": {"type": "string"}},
                          "text/markdown": {"schema": {"type": "string"}},
                          "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}


@r.get("/reports/monthly", operation_id="report_monthly", response_class=Response, responses=_DOC)  # type: ignore[arg-type]
def monthly(
    db: Db, staff: RegistryReader,
    month: Annotated[str, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="The month, YYYY-MM")],
    lang: Annotated[Literal["es", "en"], Query()] = "es",
    fmt: Annotated[Literal["html", "pdf", "md"], Query(alias="format")] = "html",
    as_of: Annotated[dt.date | None, Query(description="Last day with data, within the month")] = None,
) -> Response:
    """The month's program report: every figure links to its records (HTML, PDF) or lists
    its query (Markdown)."""
    from traza.report import build_report
    from traza.report.context import month_start
    from traza.report.render import to_html, to_markdown, to_pdf

    try:
        report = build_report(db, month_start(month), lang, until=as_of)
    except ValueError as exc:
        raise Invalid(str(exc)) from exc
    if fmt == "pdf":
        return Response(to_pdf(report), media_type=_TYPES["pdf"],
                        headers={"Content-Disposition": f'attachment; filename="report-{month}-{lang}.pdf"'})
    body = to_html(report) if fmt == "html" else to_markdown(report)
    return Response(body, media_type=_TYPES[fmt])
