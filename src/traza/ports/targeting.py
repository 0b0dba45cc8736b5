"""The inspection list of a vessel call: every container ranked by score with its reasons and
recommended methods, plus a random control drawn with a recorded seed, so hit rates can be
measured without the bias of looking only where the rules point."""

from __future__ import annotations

import hashlib
import json
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from traza.ports.runner import Scored, run
from traza.store.db import Database

DEFAULT_CONTROL_SHARE = 0.02


@dataclass
class ListEntry:
    container_no: str
    score: float
    rank: int
    selected_by: str  # targeted | random | none
    reasons: list[dict[str, object]] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)


@dataclass
class InspectionList:
    call_id: str
    draw_id: int | None
    seed: int
    control_share: float
    entries: list[ListEntry]


def draw(population: Sequence[str], share: float, seed: int) -> list[str]:
    """The random control: ceil(share x population) containers, the same for the same seed and
    population (sorted first, so the order the database returns rows in does not matter)."""
    if not 0 <= share <= 1:
        raise ValueError(f"control share {share}: expected between 0 and 1")
    pop = sorted(set(population))
    k = min(len(pop), math.ceil(share * len(pop))) if share > 0 else 0
    return sorted(random.Random(seed).sample(pop, k))


def default_seed(call_id: str, n: int) -> int:
    return int(hashlib.sha256(f"{call_id}|{n}".encode()).hexdigest()[:12], 16)


def rank(call_id: str, population: Sequence[str], scored: dict[tuple[str, str], Scored], targeted_share: float,
         control: Sequence[str]) -> list[ListEntry]:
    """Pure: order the call's containers by score (ties by number), mark the top share as
    targeted and the drawn ones as random."""
    rows = []
    for c in sorted(set(population)):
        s = scored.get((call_id, c))
        reasons: list[dict[str, object]] = [{"rule": h.rule.id, "version": h.rule.version, "strength": h.strength, "detail": h.detail,
                    "weight": h.rule.weight, "es": h.rule.explain("es", h.detail, h.strength),
                    "en": h.rule.explain("en", h.detail, h.strength)} for h in (s.hits if s else [])]
        rows.append(ListEntry(c, s.score if s else 0.0, 0, "none", reasons, s.methods if s else []))
    rows.sort(key=lambda e: (-e.score, e.container_no))
    n_target = math.ceil(targeted_share * len(rows)) if targeted_share > 0 else 0
    drawn = set(control)
    for i, e in enumerate(rows, start=1):
        e.rank = i
        if e.container_no in drawn:
            e.selected_by = "random"
        elif i <= n_target and e.score > 0:
            e.selected_by = "targeted"
    return rows


def make_list(db: Database, call_id: str, *, control_share: float = DEFAULT_CONTROL_SHARE,
              targeted_share: float = 0.02, seed: int | None = None, engine: str | None = None,
              scored: dict[tuple[str, str], Scored] | None = None, record: bool = True,
              actor: str | None = None) -> InspectionList:
    """Rank the call's containers and draw the random control; with ``record``, store both,
    and with ``actor`` (a person through the API or the web UI) an audit event beside them."""
    population = [r[0] for r in db.query(
        "SELECT DISTINCT e.container_no FROM port_equipment e JOIN port_manifests_current m "
        "ON m.manifest_id = e.manifest_id WHERE m.call_id = ?", (call_id,))]
    if not population:
        raise KeyError(f"no vessel call {call_id!r} with containers")
    if scored is None:
        scored = run(db, engine or db.dialect)
    n_draws = int(db.scalar("SELECT count(*) FROM port_control_draws WHERE call_id = ?", (call_id,)) or 0)
    the_seed = seed if seed is not None else default_seed(call_id, n_draws)
    control = draw(population, control_share, the_seed)
    entries = rank(call_id, population, scored, targeted_share, control)
    draw_id = None
    if record:
        now = datetime.now(UTC).replace(tzinfo=None)
        with db.transaction():
            draw_id = int(db.scalar("SELECT nextval('port_id_seq')"))
            db.execute("INSERT INTO port_control_draws VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (draw_id, call_id, the_seed, control_share, len(set(population)), json.dumps(control), now))
            aid = int(db.scalar("SELECT nextval('port_id_seq')"))

            db.append("port_risk_assessments",
                   ("assessment_id", "call_id", "container_no", "score", "rank", "selected_by", "reasons", "methods",
                    "draw_id", "recorded_at"),
                   [(aid, call_id, e.container_no, e.score, e.rank, e.selected_by,
                     json.dumps(e.reasons, ensure_ascii=False), ",".join(e.methods), draw_id, now) for e in entries])
            if actor is not None:
                from traza.cases.audit import record as audit

                audit(db, actor, "ports.inspection_list", "vessel_call", call_id,
                      {"draw_id": draw_id, "seed": the_seed, "control_share": control_share,
                       "selected": sum(1 for e in entries if e.selected_by != "none")})
    return InspectionList(call_id, draw_id, the_seed, control_share, entries)


def redraw(db: Database, draw_id: int) -> bool:
    """Redo a recorded draw from its seed and population: True when it gives the same pick."""
    row = db.query("SELECT call_id, seed, share, drawn FROM port_control_draws WHERE draw_id = ?", (draw_id,))
    if not row:
        raise KeyError(f"no draw {draw_id}")
    call_id, seed, share, drawn = row[0]
    population = [r[0] for r in db.query(
        "SELECT DISTINCT container_no FROM port_risk_assessments WHERE draw_id = ?", (draw_id,))]
    return bool(draw(population, float(share), int(seed)) == json.loads(drawn))
