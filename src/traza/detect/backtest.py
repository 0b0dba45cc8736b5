"""Backtest: replay one rule at the end of each month, without look-ahead, storing nothing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from traza.detect.catalogue import default_rules
from traza.detect.engines import native_engine
from traza.detect.runner import find
from traza.store.db import Database


def month_ends(start: date, end: date) -> list[date]:
    out, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month):
        nxt = date(y + (m == 12), m % 12 + 1, 1)
        out.append(nxt - timedelta(days=1))
        y, m = nxt.year, nxt.month
    return out


def backtest(db: Database, rule_id: str, start: date, end: date) -> list[dict[str, Any]]:
    """Per month: findings at the month's end, how many were new, operators and kilograms."""
    rule = default_rules().get(rule_id)
    engine = native_engine(db)
    seen: set[str] = set()
    rows = []
    try:
        for day in month_ends(start, end):
            findings = find(engine, [rule], day)
            ids = {f.alert_id for f in findings}
            rows.append({
                "month": day.strftime("%Y-%m"), "as_of": day.isoformat(), "findings": len(findings),
                "new": len(ids - seen), "operators": len({f.ruc for f in findings}),
                # one finding per party of the same movements (seller and buyer) counts its kg once
                "kg": round(sum({tuple(f.evidence) or (f.alert_id,): f.observed or 0.0 for f in findings}.values()), 1),
            })
            seen |= ids
    finally:
        engine.close()
    return rows
