"""Optimistic concurrency: a change to an alert, a case or an operator's registry file names
the version it was made against, and is refused when someone changed it since.

A subject's version is the id of its latest change (0 before any). Comparing it is not enough
on its own: two requests can read the same version at once. So each change also appends a
``change_heads`` row keyed by (subject, the version it was made against) in the same
transaction; the database lets one such row commit and refuses the other (PostgreSQL at the
insert, once the first commits; DuckDB at commit), and that refusal becomes :class:`Stale`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from traza.cases.audit import now
from traza.store.db import Database
from traza.store.errors import lost_race


@dataclass(frozen=True)
class Current:
    """What a refused change is told: where the subject stands now, and who moved it there."""

    version: int
    status: str | None
    changed_by: str | None
    changed_at: datetime | None


class Stale(Exception):
    """The change was made against an old version (HTTP 409, saying what changed)."""

    def __init__(self, subject_type: str, subject_id: str, sent: int, current: Current) -> None:
        self.subject_type, self.subject_id, self.sent, self.current = subject_type, subject_id, sent, current
        by = f" by {current.changed_by}" if current.changed_by else ""
        at = f" at {current.changed_at:%Y-%m-%d %H:%M:%S} UTC" if current.changed_at else ""
        status = f"; it is now {current.status}" if current.status else ""
        super().__init__(f"{subject_type} {subject_id} changed since version {sent}: it is at version "
                         f"{current.version}, changed{by}{at}{status}. Read it again and decide on what it is now.")


@contextmanager
def guarded(db: Database, subject_type: str, subject_id: str, sent: int | None,
            current: Callable[[], Current]) -> Iterator[Callable[[str, int], None]]:
    """One transaction for a change made against version ``sent``.

    The version is compared first, inside the transaction; the change then writes and calls
    the yielded ``done(actor, new_version)`` once, which appends the change_heads row. Whether
    the comparison fails or the database refuses the row (another request won the race), the
    whole change rolls back and :class:`Stale` says what the subject is now. ``sent`` None is
    for changes that cannot overwrite anything (a note): nothing is compared or claimed."""
    claimed: list[int] = []
    try:
        with db.transaction():
            base = current().version
            if sent is not None and sent != base:
                raise Stale(subject_type, subject_id, sent, current())

            def done(actor: str, new_version: int) -> None:
                # Nothing written (adding alerts the case already holds): nothing to claim,
                # and claiming would block the next real change made against this version.
                if sent is not None and new_version != base:
                    claim(db, subject_type, subject_id, base, new_version, actor)
                claimed.append(new_version)

            yield done
            if not claimed:  # a programming error: the change would have gone unguarded
                raise RuntimeError(f"{subject_type} {subject_id}: change written without done()")
    except Stale:
        raise
    except Exception as exc:
        if lost_race(exc):
            raise Stale(subject_type, subject_id, sent or 0, current()) from exc
        # Refused for another reason (the workflow's own, say) while someone else's change
        # landed: PostgreSQL's read-committed statements can see it mid-transaction. The
        # request was decided on an old version, and that is what its sender needs to hear.
        if sent is not None:
            try:
                now_at = current()
            except Exception:
                raise exc from None
            if now_at.version != sent:
                raise Stale(subject_type, subject_id, sent, now_at) from exc
        raise


def claim(db: Database, subject_type: str, subject_id: str, base: int, new_version: int, actor: str) -> None:
    """Record, inside the change's transaction, that it moved the subject from ``base`` to
    ``new_version``; a second change from the same ``base`` cannot commit."""
    db.execute("INSERT INTO change_heads (subject_type, subject_id, base_version, version, recorded_at, actor) "
               "VALUES (?, ?, ?, ?, ?, ?)", (subject_type, subject_id, base, new_version, now(), actor))


def stale_details(exc: Stale) -> list[dict[str, Any]]:
    """The refusal's facts, field by field (the API's error details)."""
    c = exc.current
    return [{"field": "version", "problem": f"sent {exc.sent}; current version is {c.version}"},
            {"field": "status", "problem": f"now {c.status}"},
            {"field": "changed_by", "problem": str(c.changed_by)},
            {"field": "changed_at", "problem": f"{c.changed_at:%Y-%m-%dT%H:%M:%S}" if c.changed_at else "None"}]
