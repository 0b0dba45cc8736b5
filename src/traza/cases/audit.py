"""The audit log: every change made through the service is one appended event.

Nothing here updates or deletes; state tables (alert_log, case_log...) are appended in the
same transaction as their event and carry its id. Each event is a link of a hash chain
(store/chain.py), which ``traza audit verify`` walks.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

from traza.store import chain
from traza.store.db import Database

_DAY = timedelta(days=1)


def now() -> datetime:
    """Naive UTC, as every timestamp in the database."""
    return datetime.now(UTC).replace(tzinfo=None)


def record(db: Database, actor: str, action: str, subject_type: str, subject_id: str,
           payload: dict[str, Any] | None = None, at: datetime | None = None) -> int:
    """Append one event and return its id. Call inside the transaction of the change (alone,
    it takes one of its own): the chain stays held until that transaction ends."""
    if not db.in_transaction:
        with db.transaction():
            return record(db, actor, action, subject_type, subject_id, payload, at)
    tail = chain.hold(db)
    event_id, prev = tail.next()
    when = at or now()
    if when.tzinfo is not None:  # stored naive UTC: hash what is stored
        when = when.astimezone(UTC).replace(tzinfo=None)
    text = json.dumps(payload or {}, default=str, sort_keys=True)
    digest = chain.link_hash(event_id, when, actor, action, subject_type, subject_id, text, prev, chain.audit_key())
    db.execute(
        "INSERT INTO events (event_id, recorded_at, actor, action, subject_type, subject_id, payload, prev_hash, "
        "hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (event_id, when, actor, action, subject_type, subject_id, text, prev, digest),
    )
    tail.appended(event_id, digest)
    return event_id


def events(db: Database, *, actor: str | None = None, action: str | None = None,
           subject_type: str | None = None, subject_id: str | None = None,
           since: date | None = None, until: date | None = None,
           limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    """Events, newest first, filtered by the given fields (each a bound parameter)."""
    where, params = _filters(actor=actor, action=action, subject_type=subject_type, subject_id=subject_id)
    if since:
        where.append("recorded_at >= ?")
        params.append(datetime.combine(since, datetime.min.time()))
    if until:
        where.append("recorded_at < ?")
        params.append(datetime.combine(until, datetime.min.time()) + _DAY)
    sql = ("SELECT event_id, recorded_at, actor, action, subject_type, subject_id, payload FROM events"
           + (" WHERE " + " AND ".join(where) if where else "")
           + " ORDER BY event_id DESC LIMIT ? OFFSET ?")
    rows = db.dicts(sql, [*params, limit, offset])
    for r in rows:
        r["payload"] = json.loads(r["payload"])
    return rows


def _filters(**fields: str | None) -> tuple[list[str], list[Any]]:
    """Equality filters on fixed column names (the keys are ours, the values bound)."""
    where, params = [], []
    for column, value in fields.items():
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    return where, params
