"""The audit log, for auditors: every change made through the service (API or web), newest
first, filtered by who, what and when; its first page says whether the hash chain holds."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import Response

from traza.api.deps import Db
from traza.cases.audit import events
from traza.store.chain import verify
from traza.web.deps import Auditor
from traza.web.render import html
from traza.web.routes._common import parse_day, router

r = router()
PAGE = 100
Q = Annotated[str | None, Query(max_length=200)]


@r.get("/audit")
def audit(request: Request, v: Auditor, db: Db, actor: Q = None, action: Q = None, subject_type: Q = None,
          subject_id: Q = None, from_: Annotated[str | None, Query(alias="from", max_length=10)] = None,
          to: Annotated[str | None, Query(max_length=10)] = None,
          page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> Response:
    rows = events(db, actor=actor or None, action=action or None, subject_type=subject_type or None,
                  subject_id=subject_id or None, since=parse_day(from_, "from"), until=parse_day(to, "to"),
                  limit=PAGE + 1, offset=(page - 1) * PAGE)
    # The whole chain is walked, so only the first page pays for it.
    chain = verify(db).as_dict() if page == 1 else None
    return html(request, v, "audit.html", active="audit", rows=rows[:PAGE], more=len(rows) > PAGE, page=page,
                chain=chain,
                q={"actor": actor or "", "action": action or "", "subject_type": subject_type or "",
                   "subject_id": subject_id or "", "from": from_ or "", "to": to or ""})
