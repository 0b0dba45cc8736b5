"""The header's search: a RUC (its first digits) or part of a registered name, over the
registry and every RUC the ledger and the alerts name; each result links to its entity page."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import Response

from traza.api.deps import Db
from traza.core.text import BadText, clean_text
from traza.service import entity
from traza.web.deps import RegistryReader, WebProblem
from traza.web.render import html
from traza.web.routes._common import router

r = router()
MAX_Q = 100


@r.get("/search")
def search_page(request: Request, v: RegistryReader, db: Db,
                q: Annotated[str | None, Query(max_length=MAX_Q)] = None) -> Response:
    try:
        text = clean_text(q or "", "q", max_length=MAX_Q).strip()
    except BadText as exc:
        raise WebProblem(str(exc)) from None
    results = entity.search(db, text, entity.SEARCH_LIMIT + 1) if text else []
    return html(request, v, "search.html", q=text, results=results[:entity.SEARCH_LIMIT],
                more=len(results) > entity.SEARCH_LIMIT, limit=entity.SEARCH_LIMIT)
