"""Sessions kept on the server, so that they can be ended (issue 16, finding 2).

A staff bearer token and a web session cookie are signed, but a signature alone cannot be taken
back: a cookie saved before logging out went on opening pages for its whole lifetime. Each now
carries a random session id, and the database keeps the session (under the id's SHA-256, so a
copy of the table opens nothing) with what it was opened with: the account version for staff,
the API key for an operator. A session admits its bearer while it has no end, has not expired,
and what it was opened with is still current: one query by primary key per request
(:func:`traza.service.accounts.session_of`, which reads the account in the same query).

What ends sessions: logging out (every session of that staff member, web and API; for an
operator, every portal session opened with that API key), and for staff any new version of
the account (password, role, deactivation), which :func:`traza.service.accounts.save_user`
ends explicitly and which the version check refuses anyway.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from traza.cases.audit import now, record
from traza.store import chain
from traza.store.db import Database

STAFF, OPERATOR = "staff", "operator"


@dataclass(frozen=True)
class OpenSession:
    kind: str  # STAFF or OPERATOR
    principal: str  # the username, or the operator's RUC
    credential: str  # the account version or the API key id it was opened with
    channel: str  # 'api' or 'web'
    expires_at: datetime


def digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def start(db: Database, kind: str, principal: str, credential: str, channel: str, minutes: int) -> str:
    """Open a session; the returned id (the only clear copy) goes into the token or cookie."""
    session_id = secrets.token_urlsafe(32)
    t = now()
    db.execute("INSERT INTO sessions (session_hash, kind, principal, credential, channel, created_at, expires_at) "
               "VALUES (?, ?, ?, ?, ?, ?, ?)",
               (digest(session_id), kind, principal, credential, channel, t, t + timedelta(minutes=minutes)))
    return session_id


def end_all(db: Database, kind: str, principal: str, reason: str, credential: str | None = None) -> int:
    """End every open session of ``principal`` (only those opened with ``credential`` when
    given); returns how many were open."""
    where, params = "s.kind = ? AND s.principal = ? AND s.expires_at > ?", [kind, principal, now()]
    if credential is not None:
        where += " AND s.credential = ?"
        params.append(credential)
    open_ = f"FROM sessions s WHERE {where} AND NOT EXISTS " \
            "(SELECT 1 FROM session_ends e WHERE e.session_hash = s.session_hash)"
    n = int(db.scalar(f"SELECT count(*) {open_}", params) or 0)  # where: fixed text, values bound
    if n:
        db.execute(f"INSERT INTO session_ends (session_hash, ended_at, reason) SELECT s.session_hash, ?, ? {open_} "
                   "ON CONFLICT DO NOTHING", [now(), reason, *params])
    return n


def end_operator_sessions(db: Database, ruc: str, key_id: str) -> int:
    """An operator logging out of the portal: every portal session opened with that API key
    ends (the key itself stays valid for the API; revoking it is the registry's to do)."""
    with db.transaction():
        chain.hold(db)  # the audit chain before the session rows (accounts.end_staff_sessions)
        n = end_all(db, OPERATOR, ruc, "auth.logout", key_id)
        record(db, f"operator:{ruc}", "auth.logout", "operator", ruc, {"key_id": key_id, "sessions": n})
    return n
