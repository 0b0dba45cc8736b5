"""Staff accounts (versions of a user, never edited), their sessions, and operators' API keys."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from traza.cases.audit import now, record
from traza.core.vocab import WORKER_ROLES
from traza.service import sessions
from traza.service.keys import NewKey, new_api_key
from traza.store import chain
from traza.store.db import Database


@dataclass(frozen=True)
class StaffUser:
    username: str
    full_name: str | None
    role: str
    password_hash: str
    active: bool
    version: int  # the event that made this version of the account


def get_user(db: Database, username: str) -> StaffUser | None:
    rows = db.query("SELECT username, full_name, role, password_hash, active, event_id FROM staff_users "
                    "WHERE username = ?", (username,))
    if not rows:
        return None
    u, name, role, h, active, version = rows[0]
    return StaffUser(u, name, role, h, bool(active), int(version))


def list_users(db: Database) -> list[dict[str, Any]]:
    # The password hash never leaves this module.
    return db.dicts("SELECT username, full_name, role, active, recorded_at AS updated_at FROM staff_users ORDER BY username")


def any_user(db: Database) -> bool:
    return bool(db.scalar("SELECT count(*) FROM (SELECT 1 FROM staff_users LIMIT 1) AS one"))


def assignees(db: Database) -> list[str]:
    """The active staff alerts and cases can be given to."""
    return [u["username"] for u in list_users(db) if u["active"] and u["role"] in WORKER_ROLES]


def assignable(db: Database, username: str) -> bool:
    user = get_user(db, username)
    return user is not None and user.active and user.role in WORKER_ROLES


def save_user(db: Database, actor: str, username: str, full_name: str | None, role: str,
              password_hash: str, active: bool, action: str, changed: list[str]) -> int:
    """Append a version of the account and its event (which names what changed, not the hash)."""
    with db.transaction():
        at = now()
        eid = record(db, actor, action, "user", username,
                     {"role": role, "active": active, "full_name": full_name, "changed": changed}, at)
        db.execute("INSERT INTO staff_user_versions (event_id, username, full_name, role, password_hash, active, "
                   "recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   (eid, username, full_name, role, password_hash, active, at))
        # Every session opened with an older version ends with this one (the version check
        # in session_of refuses them too; the end says when and why).
        sessions.end_all(db, sessions.STAFF, username, action)
        return eid


def open_staff_session(db: Database, user: StaffUser, channel: str, minutes: int) -> str:
    """A session for ``user`` as it is now (a later version of the account ends it)."""
    return sessions.start(db, sessions.STAFF, user.username, str(user.version), channel, minutes)


def session_of(db: Database, session_id: str) -> tuple[sessions.OpenSession, StaffUser | None] | None:
    """An open session (not ended, not expired) and, for a staff session, its account while
    that is active and at the version the session was opened with (None otherwise): one
    query, looked up by the session's primary key, on every request."""
    rows = db.query(
        "SELECT s.kind, s.principal, s.credential, s.channel, s.expires_at, "
        "u.username, u.full_name, u.role, u.password_hash, u.active, u.event_id FROM sessions s "
        "LEFT JOIN session_ends e ON e.session_hash = s.session_hash "
        "LEFT JOIN staff_users u ON s.kind = 'staff' AND u.username = s.principal "
        "WHERE s.session_hash = ? AND e.session_hash IS NULL AND s.expires_at > ?",
        (sessions.digest(session_id), now()))
    if not rows:
        return None
    kind, principal, credential, channel, expires, *account = rows[0]
    found = sessions.OpenSession(kind, principal, credential, channel, expires)
    u, name, role, h, active, version = account
    current = u is not None and bool(active) and str(version) == credential
    return found, StaffUser(u, name, role, h, True, int(version)) if current else None


def staff_session(db: Database, session_id: str, channel: str, username: str) -> StaffUser | None:
    """The account behind an open session of ``channel`` ('api', 'web') naming ``username``."""
    found = session_of(db, session_id)
    if found is None or found[0].channel != channel or found[0].principal != username:
        return None
    return found[1]


def end_staff_sessions(db: Database, actor: str, username: str) -> int:
    """Log ``username`` out everywhere: every web session and bearer token, at once."""
    with db.transaction():
        # The audit chain before the session rows, as save_user takes them: the other order
        # deadlocked a logout against a deactivation of the same account.
        chain.hold(db)
        n = sessions.end_all(db, sessions.STAFF, username, "auth.logout")
        record(db, actor, "auth.logout", "user", username, {"sessions": n})
    return n


@dataclass(frozen=True)
class KeyRecord:
    key_id: str
    ruc: str
    secret_hash: str
    revoked: bool


# Live (unrevoked) keys an operator may hold: one per system that calls the API is plenty, and
# the cap stops an operator minting keys without end (issue 16).
MAX_LIVE_KEYS = 5


class KeyRefused(Exception):
    """No key issued: the operator is not active, or holds as many live keys as allowed."""


def _insert_key(db: Database, actor: str, ruc: str, key_id: str, secret_hash: str, label: str | None) -> None:
    at = now()
    eid = record(db, actor, "api_key.issue", "operator", ruc, {"key_id": key_id, "label": label}, at)
    db.execute("INSERT INTO api_keys (key_id, ruc, label, secret_hash, created_at, created_by, event_id) "
               "VALUES (?, ?, ?, ?, ?, ?, ?)", (key_id, ruc, label, secret_hash, at, actor, eid))


def add_key(db: Database, actor: str, ruc: str, key_id: str, secret_hash: str, label: str | None) -> None:
    """Store a key as given, without the rules of :func:`issue_key` (fixtures, benchmarks)."""
    with db.transaction():
        _insert_key(db, actor, ruc, key_id, secret_hash, label)


def live_keys(db: Database, ruc: str) -> int:
    return int(db.scalar("SELECT count(*) FROM api_keys k LEFT JOIN api_key_revocations r ON r.key_id = k.key_id "
                         "WHERE k.ruc = ? AND r.key_id IS NULL", (ruc,)) or 0)


def issue_key(db: Database, actor: str, ruc: str, label: str | None) -> NewKey:
    """A new key for ``ruc``, stored as its hash; the returned token is the only clear copy.
    Every door that issues keys comes here: the operator must be registered and active, and
    hold fewer than :data:`MAX_LIVE_KEYS` live keys (else :class:`KeyRefused`)."""
    key = new_api_key()
    with db.transaction():
        # The audit chain first, before reading: two issues at once must not both see four keys
        # and make six, on either engine (the event this writes needs the chain anyway).
        chain.hold(db)
        status = db.scalar("SELECT status FROM operators WHERE ruc = ?", (ruc,))
        if status is None:
            raise KeyError(ruc)
        if status != "active":
            raise KeyRefused(f"{ruc} is {status}: API keys are issued only to active operators "
                             "(reinstate it first)")
        held = live_keys(db, ruc)
        if held >= MAX_LIVE_KEYS:
            raise KeyRefused(f"{ruc} already holds {held} live API keys, the most allowed ({MAX_LIVE_KEYS}): "
                             "revoke one it no longer uses first")
        _insert_key(db, actor, ruc, key.key_id, key.secret_hash, label)
    return key


def find_key(db: Database, key_id: str) -> KeyRecord | None:
    rows = db.query("SELECT k.key_id, k.ruc, k.secret_hash, r.key_id IS NOT NULL FROM api_keys k "
                    "LEFT JOIN api_key_revocations r ON r.key_id = k.key_id WHERE k.key_id = ?", (key_id,))
    return KeyRecord(rows[0][0], rows[0][1], rows[0][2], bool(rows[0][3])) if rows else None


def list_keys(db: Database, ruc: str) -> list[dict[str, Any]]:
    return db.dicts("SELECT k.key_id, k.label, k.created_at, k.created_by, r.revoked_at, r.revoked_by "
                    "FROM api_keys k LEFT JOIN api_key_revocations r ON r.key_id = k.key_id "
                    "WHERE k.ruc = ? ORDER BY k.created_at, k.key_id", (ruc,))


def revoke_key(db: Database, actor: str, key_id: str) -> bool:
    """Revoke a key; False when it was already revoked."""
    with db.transaction():
        chain.hold(db)  # before reading: two revokes at once, one is False (not a duplicate key)
        key = find_key(db, key_id)
        if key is None:
            raise KeyError(key_id)
        if key.revoked:
            return False
        at = now()
        eid = record(db, actor, "api_key.revoke", "operator", key.ruc, {"key_id": key_id}, at)
        db.execute("INSERT INTO api_key_revocations (key_id, revoked_at, revoked_by, event_id) VALUES (?, ?, ?, ?)",
                   (key_id, at, actor, eid))
        return True
