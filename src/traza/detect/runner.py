"""A detection run: base tables for one date, every rule, alerts and operator risk.

The engine computes findings; the runner turns them into alerts (stable ids, scores,
explanations) and writes them to the database, whichever engine found them.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from traza.core.catalogue import default_catalogue
from traza.core.geo import default_geography
from traza.detect.base import base_tables
from traza.detect.catalogue import OUTPUT, Rule, RuleSet, default_rules
from traza.detect.engines import Engine
from traza.detect.explain import PEER_COLUMNS, Peers, explain
from traza.detect.kinds import Progress, RuleKind, day, number, run_rules
from traza.detect.scoring import Scored, alert_score, operator_risk, strength_score
from traza.store.db import Database

MAX_EVIDENCE = 500


@dataclass
class Finding:
    rule: Rule
    ruc: str
    chemical: str | None
    period_start: date | None
    period_end: date | None
    observed: float | None
    baseline: float | None
    strength: float
    detail: str | None
    evidence: list[int]
    peers: Peers | None = None  # what a peer-relative rule compared the operator with

    @property
    def alert_id(self) -> str:
        key = "|".join(str(x) for x in (self.rule.id, self.ruc, self.chemical, self.period_start, self.detail))
        return hashlib.sha1(key.encode()).hexdigest()[:20]  # noqa: S324 - an identifier, not security


@dataclass
class RunReport:
    run_id: int
    engine: str
    as_of: date
    findings: list[Finding] = field(default_factory=list)
    alerts_new: int = 0
    per_rule: dict[str, int] = field(default_factory=dict)


def load_references(engine: Engine) -> None:
    geo, cat = default_geography(), default_catalogue()
    engine.load_table("ref_zones", {"ubigeo": [z.ubigeo for z in geo.zones], "zone": [z.zone for z in geo.zones]},
                      {"ubigeo": "VARCHAR", "zone": "VARCHAR"})
    engine.load_table("ref_chemicals", {
        "code": [c.code for c in cat.chemicals], "scope": [c.controlled_scope for c in cat.chemicals],
        "state": [c.state for c in cat.chemicals],
        "threshold_kg": [c.single_purchase_threshold_kg for c in cat.chemicals],
        "substitute": [c.bulk_substitute for c in cat.chemicals]},
        {"code": "VARCHAR", "scope": "VARCHAR", "state": "VARCHAR", "threshold_kg": "DOUBLE", "substitute": "BOOLEAN"})


def _finding(rule: Rule, r: Sequence[Any]) -> Finding:
    ruc, chem, start, end, observed, baseline, strength, detail, evidence, group, size, pct = r
    ids = sorted({int(x) for x in (evidence or [])})
    s = float(strength) if strength is not None else 1.0
    peers = None if group is None else Peers(str(group), int(size or 0), round(float(pct or 0) * 100, 1))
    return Finding(rule, str(ruc), chem, day(start), day(end), number(observed), number(baseline),
                   round(s, 3) if math.isfinite(s) else 999.0, None if detail is None else str(detail), ids, peers)


DETECTION: RuleKind[Rule, Finding] = RuleKind("rule", OUTPUT, _finding, load_references, base_tables,
                                              optional=PEER_COLUMNS)


def find(engine: Engine, rules: Sequence[Rule], as_of: date, params: dict[str, dict[str, float]] | None = None,
         progress: Progress | None = None) -> list[Finding]:
    """Build the base tables in ``engine`` and run ``rules``; return their findings."""
    return run_rules(DETECTION, engine, rules, as_of, params, progress)


def detect(db: Database, engine_name: str = "duckdb", as_of: date | None = None, ruleset: RuleSet | None = None,
           only: Sequence[str] | None = None, params: dict[str, dict[str, float]] | None = None,
           progress: Progress | None = None) -> RunReport:
    """Run detection and store its alerts and operator risk in ``db``."""
    when = as_of or date.today()
    rules = _with_modes(db, list((ruleset or default_rules()).rules))
    if only:
        unknown = sorted(set(only) - {r.id for r in rules})
        if unknown:  # a typo must not run nothing (nor retire with an empty rule list)
            raise KeyError(f"no rule {unknown[0]!r}; `traza rules list` shows them")
        rules = [r for r in rules if r.id in set(only)]
    now = datetime.now(UTC).replace(tzinfo=None)
    run_id = int(db.scalar("SELECT nextval('detection_run_seq')"))
    db.execute("INSERT INTO detection_runs (run_id, engine, as_of, started_at) VALUES (?, ?, ?, ?)",
               (run_id, engine_name, when, now))
    engine = DETECTION.engine(engine_name, db)
    try:
        findings = find(engine, rules, when, params, progress)
    finally:
        engine.close()
    report = RunReport(run_id, engine_name, when, findings)
    for f in findings:
        report.per_rule[f.rule.id] = report.per_rule.get(f.rule.id, 0) + 1
    replay = _is_replay(db, run_id, when)
    with db.transaction():
        report.alerts_new = _store_alerts(db, findings, run_id, now, params, replay, when)
        if not replay:
            _retire(db, rules, run_id, now)
        _store_risk(db, findings, run_id, when, now)
        db.execute("UPDATE detection_runs SET finished_at = ?, rules_run = ?, findings = ?, alerts_new = ? "
                   "WHERE run_id = ?", (datetime.now(UTC).replace(tzinfo=None), len(rules), len(findings),
                                         report.alerts_new, run_id))
    return report


def supervised_modes(db: Database) -> dict[str, tuple[bool, str]]:
    """rule id -> (shadow, who set it), for the rules a supervisor switched between live and
    shadow (the latest switch; ``service.rules`` records them)."""
    if not db.table_exists("rule_modes"):
        return {}
    return {str(m[0]): (bool(m[1]), str(m[2])) for m in db.query("SELECT rule_id, shadow, actor FROM current_rule_modes")}


def _with_modes(db: Database, rules: list[Rule]) -> list[Rule]:
    """A supervisor's switch, when there is one, overrides the rule file's default."""
    modes = supervised_modes(db)
    return [r.model_copy(update={"shadow": modes[r.id][0]}) if r.id in modes else r for r in rules]


def _store_alerts(db: Database, findings: list[Finding], run_id: int, now: datetime,
                  params: dict[str, dict[str, float]] | None, replay: bool = False, as_of: date | None = None) -> int:
    """Insert new alerts; refresh known ones, unless this is a replay of the past, which adds
    what it finds but leaves the queue's alerts as the current run left them."""
    if not findings:
        return 0
    ids = sorted({f.alert_id for f in findings})
    # which of these are already stored: asked of these ids only, not of every alert ever stored
    known: set[str] = set()
    for i in range(0, len(ids), 1000):
        chunk = ids[i:i + 1000]
        known |= {str(r[0]) for r in db.query(
            f"SELECT alert_id FROM alerts WHERE alert_id IN ({', '.join('?' for _ in chunk)})", tuple(chunk))}
    # Which live rules found something about each operator: the others agree with a finding.
    rules_of: dict[str, set[str]] = {}
    count: dict[str, int] = {}
    for f in findings:
        if not f.rule.shadow:
            rules_of.setdefault(f.ruc, set()).add(f.rule.id)
            count[f.ruc] = count.get(f.ruc, 0) + 1
    rows = []
    for f in findings:
        agreeing = len(rules_of.get(f.ruc, set()) - {f.rule.id})
        age = (as_of - f.period_end).days if as_of and f.period_end else 0
        score = alert_score(f.rule.severity_weight, f.strength, agreeing=agreeing, kg=f.observed, age_days=age,
                            findings=count.get(f.ruc, 1), key=f.alert_id)
        p = {k: v.default for k, v in f.rule.params.items()} | (params or {}).get(f.rule.id, {})
        finding = {"ruc": f.ruc, "chemical": f.chemical, "period_start": f.period_start, "period_end": f.period_end,
                   "observed": f.observed, "baseline": f.baseline, "strength": f.strength, "detail": f.detail,
                   "evidence": f.evidence, "peers": f.peers}
        evidence = json.dumps({"movement_ids": f.evidence[:MAX_EVIDENCE], "movements": len(f.evidence),
                               "observed": f.observed, "baseline": f.baseline, "params": p}
                              | ({"peers": f.peers._asdict()} if f.peers else {}))
        rows.append((f.alert_id, f.rule.id, f.rule.version, f.rule.severity, score,
                     f.ruc, f.chemical, f.period_start, f.period_end, f.observed, f.baseline, f.detail,
                     explain(f.rule.explanation.es, "es", finding, p), explain(f.rule.explanation.en, "en", finding, p),
                     evidence, f.rule.shadow, run_id, now, now))
    on_conflict = "ON CONFLICT (alert_id) DO NOTHING" if replay else (
        "ON CONFLICT (alert_id) DO UPDATE SET rule_version = excluded.rule_version, severity = excluded.severity, "
        "score = excluded.score, period_end = excluded.period_end, observed = excluded.observed, "
        "baseline = excluded.baseline, explanation_es = excluded.explanation_es, "
        "explanation_en = excluded.explanation_en, evidence = excluded.evidence, shadow = excluded.shadow, "
        "run_id = excluded.run_id, detected_at = excluded.detected_at, retired_at = NULL")
    rows = list({r[0]: r for r in rows}.values())  # one row per alert id, the last finding's (as row by row)
    db.append("alerts", ("alert_id", "rule", "rule_version", "severity", "score", "ruc", "chemical", "period_start",
                           "period_end", "observed", "baseline", "detail", "explanation_es", "explanation_en",
                           "evidence", "shadow", "run_id", "first_detected_at", "detected_at"), rows, on_conflict)
    return len(ids) - len(known)


def _is_replay(db: Database, run_id: int, as_of: date) -> bool:
    """A run dated before a finished earlier run replays the past."""
    latest = db.scalar("SELECT max(as_of) FROM detection_runs WHERE run_id < ? AND finished_at IS NOT NULL", (run_id,))
    last = day(latest)
    return last is not None and as_of < last


def _retire(db: Database, rules: Sequence[Rule], run_id: int, now: datetime) -> None:
    """Alerts of these rules that this (current) run no longer finds are retired."""
    marks = ", ".join("?" for _ in rules)
    db.execute(f"UPDATE alerts SET retired_at = ? WHERE retired_at IS NULL AND run_id <> ? AND rule IN ({marks})",
               (now, run_id, *[r.id for r in rules]))


def _store_risk(db: Database, findings: list[Finding], run_id: int, as_of: date, now: datetime) -> None:
    # Risk combines rules itself (a noisy-OR): each alert enters with its own strength only.
    scored = [Scored(f.rule.id, f.rule.weight, f.ruc, strength_score(f.rule.severity_weight, f.strength), f.period_end)
              for f in findings if not f.rule.shadow]
    risks = operator_risk(scored, as_of)
    db.append("operator_risk", ("run_id", "ruc", "score", "rank", "breakdown", "computed_at"),
            [(run_id, r.ruc, r.score, i, json.dumps(r.breakdown), now) for i, r in enumerate(risks, start=1)])

