"""The monthly program report from the web UI (issue 10): a form (month, language, format)
whose answer is the report as ``traza report monthly`` and ``GET /v1/reports/monthly`` write it:
the HTML report itself (its figures link to the record lists), or the PDF or Markdown as a
download. Only reads, so a GET form with no CSRF token. The report's language is ``language``:
``lang`` stays the switch of the UI's own language."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import Response

from traza.api.deps import Db
from traza.api.headers import CSP
from traza.web.deps import RegistryReader, WebProblem
from traza.web.render import finish, html
from traza.web.routes._common import router

r = router()
_TYPES = {"html": "text/html; charset=utf-8", "md": "text/markdown; charset=utf-8", "pdf": "application/pdf"}
_STYLE = re.compile(r"<style>(.*?)</style>", re.S)


def _last_month() -> str:
    first = dt.date.today().replace(day=1)
    return f"{first - dt.timedelta(days=1):%Y-%m}"


def _csp(body: str) -> str:
    """The app's policy, admitting the report's own inline style sheet by its hash (the report
    is one self-contained document, as the CLI writes it) and nothing else inline."""
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(m.encode()).digest()).decode()}'"
                      for m in _STYLE.findall(body))
    return CSP.replace("style-src 'self'", f"style-src 'self' {hashes}".rstrip())


@r.get("/reports")
def reports_page(request: Request, v: RegistryReader, db: Db,
                 month: Annotated[str | None, Query(max_length=7)] = None,
                 language: Annotated[str | None, Query(max_length=2)] = None,
                 fmt: Annotated[str | None, Query(alias="format", max_length=4)] = None) -> Response:
    if not month:
        return html(request, v, "reports.html", active="reports", month=_last_month(), report_lang=v.lang)
    from traza.report import build_report
    from traza.report.context import month_start
    from traza.report.render import to_html, to_markdown, to_pdf

    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
        raise WebProblem(f"month: expected YYYY-MM, e.g. 2025-10, got {month!r}")
    report_lang = language or v.lang
    if report_lang not in ("es", "en"):
        raise WebProblem(f"language: expected es or en, got {report_lang!r}")
    fmt = fmt or "html"
    if fmt not in _TYPES:
        raise WebProblem(f"format: expected html, pdf or md, got {fmt!r}")
    try:
        report = build_report(db, month_start(month), report_lang)
    except ValueError as exc:
        raise WebProblem(str(exc)) from exc
    if fmt == "html":
        body = to_html(report)
        return finish(Response(body, media_type=_TYPES["html"], headers={"Content-Security-Policy": _csp(body)}),
                      request, v)
    data: bytes | str = to_pdf(report) if fmt == "pdf" else to_markdown(report)
    name = f"report-{month}-{report_lang}.{fmt}"
    return finish(Response(data, media_type=_TYPES[fmt], headers={"Content-Disposition": f'attachment; filename="{name}"'}),
                  request, v)
