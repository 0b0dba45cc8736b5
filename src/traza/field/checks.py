"""Field checks: one YAML file each in ``rules/``, validated by ``Check`` (the detection
catalogue's ``Text`` and ``Param``, the same ``{param}`` rendering) and run through the
detection engines (DuckDB, PostgreSQL, Spark) over field tables loaded for one ``as_of`` date.

A check's SQL (DuckDB dialect, transpiled by each engine) reads the ``f_*`` tables below and
the ledger (``movements``, ``operators``), and returns one row per finding with ``OUTPUT``.
Evidence is a list of record references ``kind:id`` (``plot:P1``, ``movement:42``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from traza.core.vocab import Severity
from traza.detect.catalogue import SqlRule, load_yaml_rules
from traza.detect.engines import Engine
from traza.detect.explain import explain
from traza.detect.kinds import RuleKind, day, number, run_rules
from traza.store.db import Database

RULES_DIR = Path(__file__).resolve().parent / "rules"
OUTPUT = ("subject", "ubigeo", "period_start", "period_end", "observed", "baseline", "strength", "detail", "evidence")

# What the checks read, as loaded into the engine: (name, source query, column types).
TABLES: dict[str, tuple[str, dict[str, str]]] = {
    "f_plots": ("SELECT plot_id, operation_id, date, ubigeo, latitude, longitude, area_ha, replanted, certificate_id "
                "FROM field_plots WHERE date <= ?",
                {"plot_id": "VARCHAR", "operation_id": "VARCHAR", "date": "DATE", "ubigeo": "VARCHAR",
                 "latitude": "DOUBLE", "longitude": "DOUBLE", "area_ha": "DOUBLE", "replanted": "BOOLEAN",
                 "certificate_id": "VARCHAR"}),
    "f_certificates": ("SELECT certificate_id, holder_name, holder_document, role, registration_year, declared_ha, "
                       "declared_ubigeo, verified_ha, holder_deceased, representative_verified FROM enaco_certificates",
                       # the register as it stands: reference data, not events dated by as_of
                       {"certificate_id": "VARCHAR", "holder_name": "VARCHAR", "holder_document": "VARCHAR",
                        "role": "VARCHAR", "registration_year": "BIGINT", "declared_ha": "DOUBLE",
                        "declared_ubigeo": "VARCHAR", "verified_ha": "DOUBLE", "holder_deceased": "BOOLEAN",
                        "representative_verified": "BOOLEAN"}),
    "f_measurements": ("SELECT measurement_id, date, ubigeo, measured_ha FROM field_measurements WHERE date <= ?",
                       {"measurement_id": "VARCHAR", "date": "DATE", "ubigeo": "VARCHAR", "measured_ha": "DOUBLE"}),
    "f_seizures": ("SELECT seizure_id, date, ubigeo, lab_id, substance, chemical, quantity_kg, lot_ref, seller_ruc "
                   "FROM field_seizures WHERE date <= ?",
                   {"seizure_id": "VARCHAR", "date": "DATE", "ubigeo": "VARCHAR", "lab_id": "VARCHAR",
                    "substance": "VARCHAR", "chemical": "VARCHAR", "quantity_kg": "DOUBLE", "lot_ref": "VARCHAR",
                    "seller_ruc": "VARCHAR"}),
    "f_labs": ("SELECT lab_id, date, ubigeo, type, destroyed FROM field_labs WHERE date <= ?",
               {"lab_id": "VARCHAR", "date": "DATE", "ubigeo": "VARCHAR", "type": "VARCHAR", "destroyed": "BOOLEAN"}),
}


class Check(SqlRule):
    severity: Severity


def load_checks(directory: Path | None = None) -> tuple[Check, ...]:
    return load_yaml_rules(directory or RULES_DIR, Check)


@cache
def default_checks() -> tuple[Check, ...]:
    return load_checks()


@dataclass(frozen=True)
class FieldFinding:
    check: Check
    subject: str
    ubigeo: str | None
    period_start: date | None
    period_end: date | None
    observed: float | None
    baseline: float | None
    strength: float
    detail: str | None
    evidence: tuple[str, ...]

    def explain(self, lang: str = "es") -> str:
        """The check's explanation filled in (hectares and km with two decimals)."""
        text = getattr(self.check.explanation, lang)
        fields = {"ruc": self.subject, "detail": self.detail, "period_start": self.period_start,
                  "period_end": self.period_end, "evidence": self.evidence, "observed": self.observed,
                  "baseline": self.baseline}
        params = {k: p.default for k, p in self.check.params.items()}
        return explain(text, lang, fields, params, digits=2)

    def key(self) -> tuple[Any, ...]:
        return (self.check.id, self.subject, self.ubigeo, self.period_start, self.period_end, self.observed,
                self.baseline, self.detail, self.evidence)


def stored_finding(row: dict[str, Any]) -> FieldFinding | None:
    """A finding as read back (:func:`traza.field.queries.latest_findings`) joined to its check,
    so it can be explained; None when the check is no longer in the catalogue."""
    check = next((c for c in default_checks() if c.id == row["check_id"]), None)
    if check is None:
        return None
    return FieldFinding(check, row["subject"], row["ubigeo"], row["period_start"], row["period_end"], row["observed"],
                        row["baseline"], float(row["strength"] or 1), row["detail"], tuple(row["evidence"]))


def load_field_tables(engine: Engine, db: Database, as_of: date) -> None:
    for name, (sql, types) in TABLES.items():
        names, rows = db.columns(sql, (as_of,) if "?" in sql else ())
        engine.load_table(name, {c: [r[i] for r in rows] for i, c in enumerate(names)}, types)


def _finding(check: Check, r: Sequence[Any]) -> FieldFinding:
    subject, ubigeo, start, end, observed, baseline, strength, detail, evidence = r[: len(OUTPUT)]
    return FieldFinding(check, str(subject), ubigeo, day(start), day(end), number(observed), number(baseline),
                        round(float(strength if strength is not None else 1.0), 3),
                        None if detail is None else str(detail), tuple(sorted({str(x) for x in (evidence or [])})))


FIELD: RuleKind[Check, FieldFinding] = RuleKind("field check", OUTPUT, _finding)


def find(engine: Engine, db: Database, as_of: date, checks: tuple[Check, ...] | None = None,
         params: dict[str, dict[str, float]] | None = None) -> list[FieldFinding]:
    """Load the field tables for ``as_of`` into ``engine`` and run the checks."""
    load_field_tables(engine, db, as_of)
    out = run_rules(FIELD, engine, checks or default_checks(), as_of, params)
    out.sort(key=lambda f: (f.check.id, f.subject, str(f.period_start), f.detail or ""))
    return out


def run_checks(db: Database, engine_name: str = "duckdb", as_of: date | None = None,
               actor: str | None = None) -> tuple[int, list[FieldFinding]]:
    """Run every field check and store the findings (with an audit event when a person,
    ``actor``, asked through the API or the web UI); return (run id, findings)."""
    when = as_of or date.today()
    engine = FIELD.engine(engine_name, db)
    try:
        findings = find(engine, db, when)
    finally:
        engine.close()
    now = datetime.now(UTC).replace(tzinfo=None)
    with db.transaction():
        run_id = int(db.scalar("SELECT nextval('field_run_seq')"))
        db.execute("INSERT INTO field_check_runs VALUES (?, ?, ?, ?, ?)", (run_id, engine_name, when, now, len(findings)))
        db.executemany("INSERT INTO field_findings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
            (run_id, f.check.id, f.check.version, f.subject, f.ubigeo, f.period_start, f.period_end, f.observed,
             f.baseline, f.strength, f.detail, json.dumps(list(f.evidence))) for f in findings])
        if actor is not None:
            from traza.cases.audit import record as audit

            audit(db, actor, "field.checks_run", "field_check_run", str(run_id),
                  {"as_of": when.isoformat(), "engine": engine_name, "findings": len(findings)})
    return run_id, findings
