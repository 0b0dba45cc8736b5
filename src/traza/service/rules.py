"""Rule modes: a supervisor puts a rule in shadow (its alerts kept and counted, out of the
queue) or back live; each change is an appended row and an audit event. Shared by the API
and the web pages."""

from __future__ import annotations

from dataclasses import dataclass

from traza.cases.audit import now, record
from traza.detect.catalogue import Rule, default_rules
from traza.detect.runner import supervised_modes
from traza.store.db import Database


@dataclass(frozen=True)
class RuleMode:
    rule: Rule
    shadow: bool  # as run: the rule file's flag unless a supervisor set a mode
    set_by: str | None  # the supervisor who set it, None when the file's flag holds


def catalogue(db: Database) -> list[RuleMode]:
    """Every detection rule with the mode it runs in."""
    set_ = supervised_modes(db)
    return [RuleMode(r, *set_.get(r.id, (r.shadow, None))) for r in default_rules().rules]


def set_mode(db: Database, actor: str, rule_id: str, shadow: bool, reason: str | None) -> int:
    with db.transaction():
        at = now()
        eid = record(db, actor, "rule.mode", "rule", rule_id, {"shadow": shadow, "reason": reason}, at)
        db.execute("INSERT INTO rule_modes (event_id, rule_id, shadow, recorded_at, actor) VALUES (?, ?, ?, ?, ?)",
                   (eid, rule_id, shadow, at, actor))
        return eid
