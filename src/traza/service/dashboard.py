"""Read-only figures for the web dashboard: open alerts by rule and severity, declared sales
per chemical and month, the riskiest operators, and sales delivered into each district."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from traza.store.db import Database


def latest_movement_date(db: Database) -> date | None:
    value = db.scalar("SELECT max(date) FROM movements")
    return value if isinstance(value, date) else None


def alerts_by_rule_severity(db: Database) -> list[dict[str, Any]]:
    """Alerts still open or awaiting approval (not shadow, not retired), per rule and severity."""
    return db.dicts(
        "SELECT a.rule, a.severity, count(*) AS n FROM alerts a JOIN alert_state s ON s.alert_id = a.alert_id "
        "WHERE s.status <> 'closed' AND NOT a.shadow AND a.retired_at IS NULL "
        "GROUP BY a.rule, a.severity ORDER BY a.rule, a.severity")


def sales_by_month(db: Database, until: date, months: int = 12) -> list[dict[str, Any]]:
    """Kilograms sold per chemical and month over the ``months`` months ending with ``until``."""
    since = date(until.year, until.month, 1) - timedelta(days=31 * (months - 1))
    since = date(since.year, since.month, 1)
    return db.dicts(
        "SELECT chemical, substr(CAST(date AS VARCHAR), 1, 7) AS month, sum(quantity_kg) AS kg FROM movements "
        "WHERE type = 'sale' AND date >= ? AND date <= ? GROUP BY 1, 2 ORDER BY 2, 1", (since, until))


def top_risk(db: Database, limit: int = 10) -> list[dict[str, Any]]:
    """The latest detection run's riskiest operators."""
    return db.dicts(
        "SELECT r.rank, r.ruc, o.name, r.score, "
        "(SELECT count(*) FROM alerts a JOIN alert_state s ON s.alert_id = a.alert_id "
        " WHERE a.ruc = r.ruc AND s.status <> 'closed' AND NOT a.shadow AND a.retired_at IS NULL) AS open_alerts "
        "FROM operator_risk r LEFT JOIN operators o ON o.ruc = r.ruc "
        "WHERE r.run_id = (SELECT max(run_id) FROM operator_risk) ORDER BY r.rank LIMIT ?", (limit,))


def sales_into_districts(db: Database, until: date, days: int = 365) -> dict[str, float]:
    """Kilograms sold with each district as destination over the ``days`` days up to ``until``."""
    rows = db.query(
        "SELECT destination_ubigeo, sum(quantity_kg) FROM movements WHERE type = 'sale' "
        "AND destination_ubigeo IS NOT NULL AND date > ? AND date <= ? GROUP BY 1",
        (until - timedelta(days=days), until))
    return {str(u): float(kg or 0) for u, kg in rows}
