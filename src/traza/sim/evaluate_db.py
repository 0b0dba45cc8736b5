"""Reads what detection left in the database: alerts and the latest operator ranking."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path
from typing import Any

from traza.sim.evaluate import Alert, RiskEntry, TruthScheme, parse_truth
from traza.store.db import Database


def read_truth(path: Path) -> list[TruthScheme]:
    with path.open(encoding="utf-8", newline="") as fh:
        return parse_truth(csv.DictReader(fh))


def _date(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def read_alerts(db: Database) -> list[Alert]:
    # Retired alerts (no longer found by the latest run of their rule) do not count.
    rows = db.query("SELECT alert_id, rule, ruc, period_start, period_end, shadow FROM alerts "
                    "WHERE retired_at IS NULL ORDER BY alert_id")
    return [Alert(str(r[0]), str(r[1]), str(r[2]), _date(r[3]), _date(r[4]), bool(r[5])) for r in rows]


def read_ranking(db: Database) -> tuple[int | None, list[RiskEntry]]:
    """The ranking of the latest run (highest run_id), best first."""
    run = db.scalar("SELECT max(run_id) FROM operator_risk")
    if run is None:
        return None, []
    rows = db.query("SELECT ruc, rank, score FROM operator_risk WHERE run_id = ? ORDER BY rank, ruc", (run,))
    return int(run), [RiskEntry(str(r[0]), int(r[1]), float(r[2])) for r in rows]
