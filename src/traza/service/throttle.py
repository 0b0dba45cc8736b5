"""Login throttling and lockout, kept in the audit log so every worker process (and the web
UI's login, which calls the same functions) sees the same count.

Each attempt is an event: ``auth.login`` or ``auth.login_failed`` on the user named (whether or
not the account exists, so a lockout says nothing about which names are real), with the
client's address as the actor. After MAX_FAILURES failures for one name within WINDOW (since
its last success), that name is locked for LOCKOUT after the last failure, right password or
not; one address that fails MAX_PER_CLIENT times within WINDOW is held back the same way
(password spraying across names)."""

from __future__ import annotations

from datetime import datetime, timedelta

from traza.cases.audit import now, record
from traza.store.db import Database

MAX_FAILURES = 5
MAX_PER_CLIENT = 30
WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)
FAILED, OK = "auth.login_failed", "auth.login"


def _client(client: str | None) -> str:
    return f"client:{client or 'unknown'}"


def retry_after(db: Database, username: str, client: str | None, at: datetime | None = None) -> int:
    """Seconds before ``username`` (or this client) may try again; 0 when it may now."""
    t = at or now()
    since = t - WINDOW
    last_ok = db.scalar("SELECT max(recorded_at) FROM events WHERE subject_type = 'user' AND subject_id = ? "
                        "AND action = ?", (username, OK))
    if last_ok is not None and last_ok > since:
        since = last_ok
    n, last = db.query("SELECT count(*), max(recorded_at) FROM events WHERE subject_type = 'user' AND subject_id = ? "
                       "AND action = ? AND recorded_at > ?", (username, FAILED, since))[0]
    waits = []
    if n >= MAX_FAILURES:
        waits.append(last + LOCKOUT - t)
    n, last = db.query("SELECT count(*), max(recorded_at) FROM events WHERE actor = ? AND action = ? "
                       "AND recorded_at > ?", (_client(client), FAILED, t - WINDOW))[0]
    if n >= MAX_PER_CLIENT:
        waits.append(last + LOCKOUT - t)
    longest = max(waits, default=timedelta(0))
    return max(0, int(longest.total_seconds()) + (1 if longest.microseconds else 0))


def note_attempt(db: Database, username: str, client: str | None, ok: bool, at: datetime | None = None) -> None:
    """Record one attempt (never the password)."""
    with db.transaction():
        record(db, _client(client), OK if ok else FAILED, "user", username, {}, at)
