"""The thin reader: alerts and the latest ranking from a real (DuckDB) database."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from traza.sim.evaluate_db import read_alerts, read_ranking
from traza.store import open_database


def test_reads_alerts_and_the_latest_ranking(tmp_path: Path) -> None:
    with open_database(f"duckdb:///{tmp_path / 'e.duckdb'}") as db:
        assert read_alerts(db) == [] and read_ranking(db) == (None, [])
        now = datetime(2026, 11, 1)
        db.executemany(
            "INSERT INTO alerts (alert_id, rule, rule_version, severity, score, ruc, chemical, period_start, "
            "period_end, shadow, run_id, first_detected_at, detected_at) "
            "VALUES (?, ?, 1, 'high', 1.0, ?, 'kerosene', ?, ?, ?, 1, ?, ?)",
            [("a1", "r1", "20000000001", "2025-01-01", "2025-01-31", False, now, now),
             ("a2", "r2", "20000000002", None, None, True, now, now)])
        db.executemany("INSERT INTO operator_risk VALUES (?, ?, ?, ?, NULL, ?)",
                       [(1, "20000000009", 5.0, 1, now), (2, "20000000002", 3.0, 2, now),
                        (2, "20000000001", 4.0, 1, now)])
        alerts = read_alerts(db)
        run, ranking = read_ranking(db)
    assert [(a.alert_id, a.shadow, a.period_start) for a in alerts] == [
        ("a1", False, datetime(2025, 1, 1).date()), ("a2", True, None)]
    assert run == 2 and [(e.ruc, e.rank) for e in ranking] == [("20000000001", 1), ("20000000002", 2)]
