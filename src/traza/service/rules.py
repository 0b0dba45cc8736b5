"""Rule modes: a supervisor puts a rule in shadow (its alerts kept and counted, out of the
queue) or back live; each change is an appended row and an audit event. Shared by the API
and the web pages."""

from __future__ import annotations

from traza.cases.audit import now, record
from traza.store.db import Database


def modes(db: Database) -> dict[str, tuple[bool, str]]:
    """rule id -> (shadow, who set it), for rules whose mode a supervisor set."""
    return {str(m[0]): (bool(m[1]), str(m[2])) for m in db.query("SELECT rule_id, shadow, actor FROM current_rule_modes")}


def set_mode(db: Database, actor: str, rule_id: str, shadow: bool, reason: str | None) -> int:
    with db.transaction():
        at = now()
        eid = record(db, actor, "rule.mode", "rule", rule_id, {"shadow": shadow, "reason": reason}, at)
        db.execute("INSERT INTO rule_modes (event_id, rule_id, shadow, recorded_at, actor) VALUES (?, ?, ?, ?, ?)",
                   (eid, rule_id, shadow, at, actor))
        return eid
