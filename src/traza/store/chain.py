"""The audit log's hash chain: each event carries the hash of the one before it and a hash
over a canonical serialisation of itself and that link, so an edited, deleted or forged event
breaks the chain at a place ``verify`` names.

Keyed when ``TRAZA_AUDIT_KEY`` is set: the hash is then an HMAC-SHA256 with a key the
database does not hold (stored as ``k1:`` + hex), so a role that may INSERT events (the
service's) cannot forge a well-formed one by SQL alone: an outside probe computed the unkeyed
SHA-256 of a made-up event and it verified. Once one keyed event is in the log, every later
event must be keyed too (an unkeyed one after it is a forgery). Without the key the chain is
plain SHA-256: anyone may verify a copy, and it finds edits and deletions, but not a
well-formed insert. Neither stops someone who holds the key and may UPDATE every row from
recomputing the chain after an edit; on PostgreSQL only the owner role may UPDATE events (the
app role may not, store/roles.py), and a head hash noted elsewhere (``traza audit verify``
prints it; ``--anchor`` checks it) reveals even that.

Writers are serialised so the chain cannot fork: on PostgreSQL a transaction-level advisory
lock (held to commit, across processes); on DuckDB, one writer process, a lock per database
file held to commit by whichever thread appends.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from traza.core.settings import env
from traza.store.db import Database

GENESIS = "0" * 64  # the prev_hash of the first event
KEYED = "k1:"  # the prefix of an HMAC-SHA256 link (TRAZA_AUDIT_KEY)


def audit_key() -> bytes | None:
    """``TRAZA_AUDIT_KEY`` (docs/settings.md), read at each call: the CLI's loads and the
    service append events alike, and a test may set it."""
    secret = env().audit_key
    key = secret.get_secret_value() if secret else ""
    return key.encode() if key else None


FIELDS = "event_id, recorded_at, actor, action, subject_type, subject_id, payload"
# pg_advisory_xact_lock(int, int): this constant and a hash of the schema, so two schemas of
# one database (the tests' fresh ones) do not wait on each other.
_PG_LOCK = "SELECT pg_advisory_xact_lock(7022, hashtext(current_schema() || '.events'))"
# The next event's id and the stored head, in one round trip (record() is on every login).
# PostgreSQL finds the head by walking the primary key backwards; DuckDB would scan the table
# for ORDER BY ... LIMIT, so it looks the head up only when this process does not know it.
_NEXT_PG = ("SELECT nextval('event_id_seq'), (SELECT event_id FROM events ORDER BY event_id DESC LIMIT 1), "
            "(SELECT hash FROM events ORDER BY event_id DESC LIMIT 1)")
_NEXT_DUCK = ("SELECT nextval('event_id_seq'), e.event_id, e.hash FROM (SELECT max(event_id) AS m FROM events) x "
              "LEFT JOIN events e ON e.event_id = x.m")


def canonical(event_id: int, recorded_at: datetime, actor: str, action: str, subject_type: str,
              subject_id: str, payload: str, prev_hash: str) -> bytes:
    """The bytes an event's hash is taken over: a JSON array in a fixed order, timestamps to
    the microsecond (what both engines store)."""
    return json.dumps([int(event_id), recorded_at.isoformat(sep=" ", timespec="microseconds"), actor, action,
                       subject_type, subject_id, payload, prev_hash],
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def link_hash(event_id: int, recorded_at: datetime, actor: str, action: str, subject_type: str,
              subject_id: str, payload: str, prev_hash: str, key: bytes | None = None) -> str:
    body = canonical(event_id, recorded_at, actor, action, subject_type, subject_id, payload, prev_hash)
    if key:
        return KEYED + hmac.new(key, body, hashlib.sha256).hexdigest()
    return hashlib.sha256(body).hexdigest()


# --- appending -------------------------------------------------------------------------------

class _DuckHead:
    """One DuckDB file's chain: the lock and the head last committed in this process. The head
    is kept because a DuckDB transaction reads the snapshot of its start, which may predate the
    event another thread committed while this one waited for the lock (and because finding it
    in the table is a scan)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.head: tuple[int, str] | None = None


_duck_heads: dict[str, _DuckHead] = {}
_duck_heads_lock = threading.Lock()


def _duck_state(key: str) -> _DuckHead:
    with _duck_heads_lock:
        return _duck_heads.setdefault(key, _DuckHead())


def forget_duck_head(key: str) -> None:
    """A DuckDB file was (re)opened: what this process remembered of its head may be stale."""
    with _duck_heads_lock:
        state = _duck_heads.get(key)
        if state is not None and not state.lock.locked():
            state.head = None


class ChainTail:
    """The chain's head, held for the current transaction of ``db`` (see ``hold``)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.pending: tuple[int, str] | None = None  # DuckDB: this transaction's last event

    def next(self) -> tuple[int, str]:
        """The id of the event to append and the hash it links to. The id is drawn while the
        chain is held, so event order is chain order."""
        if self.db.dialect == "postgres":  # read committed, after the lock: the true head
            event_id, _, head_hash = self.db.query(_NEXT_PG)[0]
            return int(event_id), str(head_hash) if head_hash else GENESIS
        known = self.pending or _duck_state(self.db.chain_key).head
        if known is None:
            event_id, head_id, head_hash = self.db.query(_NEXT_DUCK)[0]
            return int(event_id), str(head_hash) if head_id is not None else GENESIS
        return int(self.db.scalar("SELECT nextval('event_id_seq')")), known[1]

    def appended(self, event_id: int, hash_: str) -> None:
        if self.db.dialect != "postgres":
            self.pending = (event_id, hash_)


def hold(db: Database) -> ChainTail:
    """Take the chain for ``db``'s current transaction (once; released when it ends) and
    return its tail. Call inside a transaction, before taking the event's id."""
    tail: ChainTail | None = getattr(db, "_chain_tail", None)
    if tail is not None:
        return tail
    if not db.in_transaction:
        raise RuntimeError("the audit chain is held to commit: append events inside db.transaction()")
    tail = ChainTail(db)
    if db.dialect == "postgres":
        db.execute_native(_PG_LOCK)
    else:
        state = _duck_state(db.chain_key)
        state.lock.acquire()
    db._chain_tail = tail  # type: ignore[attr-defined]

    def release(committed: bool) -> None:
        db._chain_tail = None  # type: ignore[attr-defined]
        if db.dialect != "postgres":
            if committed and tail.pending:
                state.head = tail.pending
            state.lock.release()

    db.on_transaction_end(release)
    return tail


# --- verifying -------------------------------------------------------------------------------

@dataclass
class ChainReport:
    dialect: str
    checked: int = 0
    head_event_id: int | None = None
    head_hash: str | None = None
    broken_event_id: int | None = None
    problem: str | None = None
    problems: int = 0
    anchor_problem: str | None = None
    keyed: int = 0  # events sealed with the audit key
    unchecked: int = 0  # keyed events whose contents could not be checked (no key given)

    @property
    def ok(self) -> bool:
        return self.broken_event_id is None and self.anchor_problem is None

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "checked": self.checked, "head_event_id": self.head_event_id,
                "head_hash": self.head_hash, "broken_event_id": self.broken_event_id, "problem": self.problem,
                "problems": self.problems, "anchor_problem": self.anchor_problem, "keyed": self.keyed,
                "unchecked": self.unchecked, "limits": limits(self.dialect)}


def limits(dialect: str) -> str:
    """What the chain cannot promise on this engine, said plainly."""
    keyless = ("" if audit_key() else " No TRAZA_AUDIT_KEY is set: a well-formed event inserted by anyone who may "
               "INSERT events (the service's role included) cannot be told from a real one.")
    return _limits(dialect) + keyless


def _limits(dialect: str) -> str:
    if dialect == "postgres":
        return ("The service's role may only append and read events; the owner role can still rewrite the "
                "table and recompute every hash after an edit, which only a head hash kept elsewhere "
                "(--anchor) reveals.")
    return ("DuckDB is one file with no roles: anyone who can write the file can rewrite the log. The chain "
            "finds an edited, deleted or inserted event, but not a log rewritten and rehashed from the edit "
            "on; keep the head hash elsewhere and check it with --anchor, or use PostgreSQL server mode.")


def _rows(db: Database, page: int = 5000) -> Iterator[tuple[Any, ...]]:
    last = -(1 << 62)
    while True:
        rows = db.query(f"SELECT {FIELDS}, prev_hash, hash FROM events WHERE event_id > ? "
                        "ORDER BY event_id LIMIT ?", (last, page))
        yield from rows
        if len(rows) < page:
            return
        last = int(rows[-1][0])


def verify(db: Database, anchors: dict[int, str] | None = None, key: bytes | None = None) -> ChainReport:
    """Walk the chain in event order; report the first broken event and what is wrong with it,
    and how many are broken in all. ``anchors``: event id -> a hash noted earlier. ``key``:
    the audit key (default ``TRAZA_AUDIT_KEY``); without it keyed events are checked for their
    links only, and counted as unchecked."""
    key = key if key is not None else audit_key()
    report = ChainReport(db.dialect)
    expected_prev, prev_id = GENESIS, None
    seen: dict[int, str] = {}
    for event_id, at, actor, action, stype, sid, payload, prev_hash, stored in _rows(db):
        report.checked += 1
        wrong = None
        sealed = bool(stored) and stored.startswith(KEYED)
        report.keyed += sealed
        if not stored:
            wrong = "it carries no hash: it was written outside traza (a forged insert)"
        elif not sealed and report.keyed:
            wrong = ("it is not sealed with the audit key, though events before it are: it was inserted "
                     "outside traza")
        elif sealed and not key:
            report.unchecked += 1
        elif link_hash(event_id, at, actor, action, stype, sid, payload, prev_hash or "",
                       key if sealed else None) != stored:
            wrong = ("its contents no longer match its hash: the row was changed after it was written "
                     "(actor, action, subject, payload or time), or inserted outside traza")
        if wrong is None and prev_hash != expected_prev:
            before = f"event {prev_id}" if prev_id is not None else "the start of the log"
            wrong = (f"its prev_hash is not the hash of {before}: an event between them was deleted, or "
                     "this one was inserted outside traza")
        if wrong:
            report.problems += 1
            if report.broken_event_id is None:
                report.broken_event_id, report.problem = int(event_id), f"event {event_id}: {wrong}"
        if anchors and int(event_id) in anchors:
            seen[int(event_id)] = stored or ""
        expected_prev, prev_id = stored or "", int(event_id)
        report.head_event_id, report.head_hash = int(event_id), stored
    for event_id, want in sorted((anchors or {}).items()):
        if event_id not in seen:
            report.anchor_problem = f"anchor event {event_id} is no longer in the log (deleted)"
        elif seen[event_id] != want:
            report.anchor_problem = (f"anchor event {event_id} now hashes {seen[event_id]}, not {want}: the log "
                                     "was rewritten and rehashed")
        if report.anchor_problem:
            break
    return report


def chain_existing(db: Database) -> int:
    """Migration 0007: chain the events written before the chain existed, in event order, so the
    whole log verifies from its first event. Runs inside the migration's transaction, as the
    owner; on PostgreSQL the append-only trigger is lifted for these UPDATEs only."""
    rows = db.query(f"SELECT {FIELDS} FROM events ORDER BY event_id")
    if not rows:
        return 0
    prev = GENESIS
    links = []
    for row in rows:
        h = link_hash(row[0], row[1], row[2], row[3], row[4], row[5], row[6], prev)
        links.append((prev, h, row[0]))
        prev = h
    if db.dialect == "postgres":
        db.execute_native("ALTER TABLE events DISABLE TRIGGER events_append_only")
    db.executemany("UPDATE events SET prev_hash = ?, hash = ? WHERE event_id = ?", links)
    if db.dialect == "postgres":
        db.execute_native("ALTER TABLE events ENABLE TRIGGER events_append_only")
    return len(links)
