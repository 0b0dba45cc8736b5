"""Read-only views of one operator for the web pages: movements by id, monthly flows of a
chemical, book stock over time, counterparties and the flows between them, quota used."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from traza.core.types import MOVEMENT_SIGN
from traza.store.db import Database

_MOVEMENT_COLUMNS = ("movement_id, declaration_id, declarant_ruc, establishment_code, date, type, chemical, quantity, "
                     "unit, quantity_kg, counterparty_ruc, counterparty_registered, document_ref, destination_ubigeo, "
                     "submission_id, source_file, source_line")
_INFLOW = tuple(t for t, s in MOVEMENT_SIGN.items() if s > 0)


def movements_by_id(db: Database, ids: list[int]) -> list[dict[str, Any]]:
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    return db.dicts(f"SELECT {_MOVEMENT_COLUMNS} FROM movements WHERE movement_id IN ({marks}) "
                    "ORDER BY date, movement_id", ids)


def month_starts(end: date, months: int) -> list[str]:
    """``months`` months up to the month of ``end``, as 'YYYY-MM'."""
    y, m = end.year, end.month
    out = []
    for _ in range(months):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


def monthly_flows(db: Database, ruc: str, chemical: str, end: date, months: int = 12) -> list[tuple[str, float, float]]:
    """(month, kg in, kg out) for the operator and chemical over the months up to ``end``."""
    labels = month_starts(end, months)
    since = date.fromisoformat(labels[0] + "-01")
    marks = ", ".join("?" for _ in _INFLOW)
    rows = db.query(
        "SELECT substr(CAST(date AS VARCHAR), 1, 7) AS month, "
        f"sum(CASE WHEN type IN ({marks}) THEN quantity_kg ELSE 0 END), "
        f"sum(CASE WHEN type IN ({marks}) THEN 0 ELSE quantity_kg END) "
        "FROM movements WHERE declarant_ruc = ? AND chemical = ? AND date >= ? AND date <= ? GROUP BY 1",
        [*_INFLOW, *_INFLOW, ruc, chemical, since, end])
    got = {str(m): (float(i or 0), float(o or 0)) for m, i, o in rows}
    return [(m, round(got.get(m, (0.0, 0.0))[0]), round(got.get(m, (0.0, 0.0))[1])) for m in labels]


def stock_by_month(db: Database, ruc: str) -> tuple[list[str], dict[str, list[float]]]:
    """Book stock per chemical at the end of each month in which the operator declared
    anything: the opening stock count (a count on the chemical's first day, before any
    movement could be booked) plus the running sum of signed kilograms since. Later counts
    are not added: they are what the book is compared with (``traza balance``)."""
    rows = db.query("SELECT chemical, substr(CAST(date AS VARCHAR), 1, 7) AS month, type, sum(quantity_kg) "
                    "FROM movements WHERE declarant_ruc = ? GROUP BY 1, 2, 3", (ruc,))
    opening: dict[str, float] = dict(db.query(
        "SELECT chemical, sum(quantity_kg) FROM movements m WHERE declarant_ruc = ? AND type = 'stock_count' "
        "AND date = (SELECT min(date) FROM movements f WHERE f.declarant_ruc = m.declarant_ruc "
        "AND f.chemical = m.chemical) GROUP BY 1", (ruc,)))
    delta: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    months = sorted({str(r[1]) for r in rows})
    for chem, month, type_, kg in rows:
        delta[str(chem)][str(month)] += MOVEMENT_SIGN.get(str(type_), 0) * float(kg or 0)
    out: dict[str, list[float]] = {}
    for chem, per in sorted(delta.items()):
        level = float(opening.get(chem) or 0.0)
        series: list[float] = []
        for m in months:
            level += per.get(m, 0.0)
            series.append(float(round(level)))
        out[chem] = series
    return months, out


def counterparties(db: Database, ruc: str, since: date) -> list[dict[str, Any]]:
    """Flows between the operator and each counterparty since a day, both directions, as
    either side declared them (sales and transfers out are flows from the declarant)."""
    return db.dicts(
        "SELECT CASE WHEN m.declarant_ruc = ? THEN m.counterparty_ruc ELSE m.declarant_ruc END AS other, "
        "CASE WHEN (m.declarant_ruc = ?) = (m.type IN ('sale', 'transfer_out', 'export')) THEN 'out' ELSE 'in' END AS direction, "
        "m.chemical, sum(m.quantity_kg) AS kg, count(*) AS n, max(o.name) AS name, "
        "bool_or(o.ruc IS NOT NULL) AS registered, max(o.status) AS status "
        "FROM movements m LEFT JOIN operators o ON o.ruc = CASE WHEN m.declarant_ruc = ? THEN m.counterparty_ruc ELSE m.declarant_ruc END "
        "WHERE (m.declarant_ruc = ? OR m.counterparty_ruc = ?) AND m.counterparty_ruc IS NOT NULL AND m.date >= ? "
        "AND m.type IN ('sale', 'purchase', 'transfer_in', 'transfer_out') "
        "GROUP BY 1, 2, 3 ORDER BY kg DESC", (ruc, ruc, ruc, ruc, ruc, since))


def quota_used(db: Database, ruc: str, year: int) -> dict[str, float]:
    """Kilograms acquired (purchases, imports, transfers in) per chemical in a calendar year."""
    rows = db.query("SELECT chemical, sum(quantity_kg) FROM movements WHERE declarant_ruc = ? "
                    "AND type IN ('purchase', 'import', 'transfer_in') AND date >= ? AND date < ? GROUP BY 1",
                    (ruc, date(year, 1, 1), date(year + 1, 1, 1)))
    return {str(c): float(kg or 0) for c, kg in rows}


def ledger(db: Database, ruc: str, chemical: str | None, type_: str | None, since: date | None,
           until: date | None, limit: int, offset: int) -> list[dict[str, Any]]:
    where: list[str] = ["declarant_ruc = ?"]
    params: list[Any] = [ruc]
    for column, op, value in (("chemical", "=", chemical), ("type", "=", type_), ("date", ">=", since),
                              ("date", "<=", until)):
        if value is not None:
            where.append(f"{column} {op} ?")
            params.append(value)
    return db.dicts(f"SELECT {_MOVEMENT_COLUMNS} FROM movements WHERE " + " AND ".join(where)
                    + " ORDER BY date DESC, movement_id DESC LIMIT ? OFFSET ?", [*params, limit, offset])


def year_window(end: date) -> date:
    return end - timedelta(days=365)


def flows_among(db: Database, rucs: list[str], since: date) -> list[dict[str, Any]]:
    """Sales between any two of ``rucs`` since a day, as the sellers declared them."""
    if len(rucs) < 2:
        return []
    marks = ", ".join("?" for _ in rucs)
    return db.dicts(f"SELECT declarant_ruc AS seller, counterparty_ruc AS buyer, sum(quantity_kg) AS kg "
                    f"FROM movements WHERE type = 'sale' AND date >= ? AND declarant_ruc IN ({marks}) "
                    f"AND counterparty_ruc IN ({marks}) GROUP BY 1, 2", [since, *rucs, *rucs])


def risk(db: Database, ruc: str) -> dict[str, Any] | None:
    """The operator's score, rank and breakdown (per rule) in the latest detection run."""
    rows = db.dicts("SELECT score, rank, breakdown, computed_at FROM operator_risk WHERE ruc = ? "
                    "AND run_id = (SELECT max(run_id) FROM operator_risk)", (ruc,))
    if not rows:
        return None
    out = rows[0]
    try:
        out["breakdown"] = json.loads(out["breakdown"] or "{}")
    except ValueError:
        out["breakdown"] = {}
    return out


def operator_cases(db: Database, ruc: str) -> list[dict[str, Any]]:
    """Cases holding at least one of the operator's alerts."""
    return db.dicts("SELECT * FROM case_state WHERE case_id IN (SELECT ca.case_id FROM case_alerts ca "
                    "JOIN alerts a ON a.alert_id = ca.alert_id WHERE a.ruc = ?) ORDER BY case_id DESC", (ruc,))


def alerts_by_id(db: Database, ids: list[str]) -> list[dict[str, Any]]:
    """Alerts with their status and operator's name, by operator."""
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    return db.dicts("SELECT a.alert_id, a.rule, a.severity, a.ruc, o.name, a.chemical, s.status, s.outcome "
                    "FROM alerts a JOIN alert_state s ON s.alert_id = a.alert_id LEFT JOIN operators o ON o.ruc = a.ruc "
                    f"WHERE a.alert_id IN ({marks}) ORDER BY a.ruc, a.alert_id", ids)
