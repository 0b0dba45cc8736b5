"""Login throttling and lockout, shared by every worker process and by the API's and the web
UI's logins.

The policy: after MAX_FAILURES failures for one name within WINDOW (since its last success),
that name is locked for LOCKOUT after the last attempt admitted, right password or not; one
client address that fails MAX_PER_CLIENT times within WINDOW is held back the same way
(password spraying across names). A name that does not exist locks like a real one, so a
lockout says nothing about which names are real.

The count is kept in ``login_throttle`` and an attempt is counted by the same statement that
decides whether it may be checked (an UPSERT that returns the new count): ``admit`` before the
password is verified, ``settle`` after. Checking first and recording the failure afterwards let
40 parallel wrong passwords all be verified (issue 16, finding 3); counted this way, at most
MAX_FAILURES attempts per name are ever verified in a window, however many arrive together, on
one worker or many. The audit log keeps every attempt checked (``auth.login``,
``auth.login_failed``, the client's address as the actor, never the password)."""

from __future__ import annotations

from datetime import datetime, timedelta

from traza.cases.audit import now, record
from traza.store.db import Database

MAX_FAILURES = 5
MAX_PER_CLIENT = 30
WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)
FAILED, OK = "auth.login_failed", "auth.login"

# A count starts again when its window passed without reaching the limit, or when the lock
# that reaching it set has run out. Every reference is to the row as it was before this
# attempt (an UPSERT's SET sees the old row).
_STALE = ("(login_throttle.attempts < ? AND login_throttle.window_start <= ?) "
          "OR (login_throttle.attempts >= ? AND login_throttle.last_at <= ?)")
# One statement counts and decides. On PostgreSQL, parallel UPSERTs of one row queue on its
# lock and each sees the count the one before it left. Refused attempts are counted but do not
# move last_at, so hammering a locked name does not lengthen its lock.
_COUNT = ("INSERT INTO login_throttle (scope, attempts, window_start, last_at) VALUES (?, 1, ?, ?) "
          "ON CONFLICT (scope) DO UPDATE SET "
          f"attempts = CASE WHEN {_STALE} THEN 1 ELSE login_throttle.attempts + 1 END, "
          f"window_start = CASE WHEN {_STALE} THEN excluded.window_start ELSE login_throttle.window_start END, "
          f"last_at = CASE WHEN {_STALE} OR login_throttle.attempts < ? THEN excluded.last_at "
          "ELSE login_throttle.last_at END "
          "RETURNING attempts, last_at")
def _user(username: str) -> str:
    return f"user:{username}"


def _client(client: str | None) -> str:
    return f"client:{client or 'unknown'}"


def _count(db: Database, scope: str, limit: int, t: datetime) -> int:
    """Count one attempt on ``scope``; 0 when it is admitted, else the seconds to wait."""
    stale = [limit, t - WINDOW, limit, t - LOCKOUT]
    with db.serial_row_writes():
        attempts, last = db.query(_COUNT, [scope, t, t, *stale, *stale, *stale, limit])[0]
    if attempts <= limit:
        return 0
    wait = last + LOCKOUT - t
    return max(1, int(wait.total_seconds()) + (1 if wait.microseconds else 0))


def _give_back(db: Database, scope: str) -> None:
    """Uncount one admitted attempt that turned out not to be a failure."""
    with db.serial_row_writes():
        db.execute("UPDATE login_throttle SET attempts = attempts - 1 WHERE scope = ? AND attempts > 0", (scope,))


def admit(db: Database, username: str, client: str | None, at: datetime | None = None) -> int:
    """Count an attempt to log in as ``username`` from ``client`` before its password is
    checked: 0 when it may be checked now (and must then be :func:`settle`-d), else the seconds
    before this name (or this client) may try again."""
    t = at or now()
    wait = _count(db, _client(client), MAX_PER_CLIENT, t)
    if wait:
        return wait
    wait = _count(db, _user(username), MAX_FAILURES, t)
    if wait:
        _give_back(db, _client(client))  # this client was not given a try after all
    return wait


def settle(db: Database, username: str, client: str | None, ok: bool, at: datetime | None = None) -> int:
    """The outcome of an admitted attempt: its audit event (returned), and on success the
    name's count starts again and the client's attempt is not held against it."""
    with db.transaction():
        event_id = record(db, _client(client), OK if ok else FAILED, "user", username, {}, at)
    if ok:
        with db.serial_row_writes():
            db.execute("DELETE FROM login_throttle WHERE scope = ?", (_user(username),))
        _give_back(db, _client(client))
    return event_id
