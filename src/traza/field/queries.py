"""Read models of field operations for the API and the web pages (SQL lives here, not in
route handlers)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from traza.field.tally import month_bounds
from traza.store.db import Database


def operations(db: Database, month: str) -> list[dict[str, Any]]:
    """The month's operations with what each eradicated."""
    start, end = month_bounds(month)
    return db.dicts(
        "SELECT o.operation_id, o.date, o.axis, o.coca_area, o.ubigeo, o.brigade, o.eradicators, o.police, "
        "o.modality, o.goal_id, count(p.plot_id) AS plots, coalesce(sum(p.area_ha), 0) AS hectares "
        "FROM field_operations o LEFT JOIN field_plots p ON p.operation_id = o.operation_id "
        "WHERE o.date BETWEEN ? AND ? GROUP BY o.operation_id, o.date, o.axis, o.coca_area, o.ubigeo, o.brigade, "
        "o.eradicators, o.police, o.modality, o.goal_id ORDER BY o.date, o.operation_id", (start, end))


def plots(db: Database, month: str, ubigeo: str | None = None, limit: int = 5000) -> list[dict[str, Any]]:
    """The month's plots with their geometry (GeoJSON objects) for maps."""
    start, end = month_bounds(month)
    where = "WHERE date BETWEEN ? AND ?"
    params: list[Any] = [start, end]
    if ubigeo is not None:
        where += " AND ubigeo = ?"
        params.append(ubigeo)
    rows = db.dicts(
        "SELECT plot_id, operation_id, date, ubigeo, geometry, latitude, longitude, area_ha, area_method, "
        f"reported_ha, replanted, vulnerable_zone, certificate_id FROM field_plots {where} "
        "ORDER BY date, plot_id LIMIT ?", (*params, limit))
    for r in rows:
        r["geometry"] = json.loads(r["geometry"]) if r["geometry"] else None
    return rows


def incidents(db: Database, month: str | None = None) -> list[dict[str, Any]]:
    if month is None:
        return db.dicts("SELECT * FROM field_incidents ORDER BY date DESC, incident_id")
    start, end = month_bounds(month)
    return db.dicts("SELECT * FROM field_incidents WHERE date BETWEEN ? AND ? ORDER BY date, incident_id",
                    (start, end))


def latest_findings(db: Database) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The last field-check run and its findings."""
    runs = db.dicts("SELECT run_id, engine, as_of, started_at, findings FROM field_check_runs "
                    "ORDER BY run_id DESC LIMIT 1")
    if not runs:
        return None, []
    rows = db.dicts("SELECT check_id, check_version, subject, ubigeo, period_start, period_end, observed, baseline, "
                    "strength, detail, evidence FROM field_findings WHERE run_id = ? ORDER BY check_id, subject",
                    (runs[0]["run_id"],))
    for r in rows:
        r["evidence"] = json.loads(r["evidence"])
    return runs[0], rows


def months_with_data(db: Database) -> list[str]:
    rows = db.query("SELECT DISTINCT strftime(date, '%Y-%m') AS m FROM field_plots ORDER BY m DESC")
    return [str(r[0]) for r in rows]


def as_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
