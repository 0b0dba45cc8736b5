"""The record lists behind the monthly report's figures (:mod:`traza.report.records`): one page per
list, filtered by the report link's parameters, with the count the figure states."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Query, Request
from fastapi.responses import Response

from traza.api.deps import Db
from traza.report.records import LISTS, BadFilter, RecordList, queries
from traza.web.deps import AlertReader, WebProblem
from traza.web.render import html
from traza.web.routes._common import router

r = router()
PAGE = 100


def _href(template: str, row: dict[str, Any]) -> str | None:
    if any(row.get(k) is None for k in _names(template)):
        return None
    return template.format(**{k: quote(str(row[k]), safe="") for k in _names(template)})


def _names(template: str) -> list[str]:
    return [part.split("}", 1)[0] for part in template.split("{")[1:]]


def _page(spec: RecordList) -> Any:
    def page(request: Request, v: AlertReader, db: Db,
             page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> Response:
        params = {k: val for k, val in request.query_params.items() if len(val) <= 100}
        try:
            q = queries(spec, params, PAGE, (page - 1) * PAGE)
        except BadFilter as exc:
            raise WebProblem(str(exc)) from exc
        total = int(db.scalar(*q["count"]))
        pages = max(1, -(-total // PAGE))
        if page > pages:  # past the end (a stale link, ?page=999): its last page
            page = pages
            q = queries(spec, params, PAGE, (page - 1) * PAGE)
        rows = db.dicts(*q["rows"])
        summed = float(db.scalar(*q["total"]) or 0) if "total" in q else None
        links = [{k: _href(t, row) for k, t in spec.links.items()} for row in rows]
        names = [c.rsplit(" AS ", 1)[1] for c, _ in spec.columns]
        shown = {k: val for k, val in params.items() if k in ("from", "to", *spec.filters)}
        return html(request, v, "records.html", active="reports", spec=spec, rows=rows, links=links, names=names,
                    total=total, summed=summed, page=page, pages=pages, shown=shown,
                    title=spec.title[1] if v.lang == "en" else spec.title[0])
    page.__name__ = "records_" + spec.path.strip("/").replace("/", "_").replace("-", "_")
    return page


for _spec in LISTS:
    r.get(_spec.path)(_page(_spec))
