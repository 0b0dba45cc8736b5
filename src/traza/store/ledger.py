"""Read-side queries of the registry and ledger: book stock and what the database holds."""

from __future__ import annotations

from datetime import date
from typing import Any

from traza.core.types import MOVEMENT_SIGN
from traza.store.db import Database

_SIGN = "CASE type " + " ".join(f"WHEN '{t}' THEN {s}" for t, s in MOVEMENT_SIGN.items()) + " ELSE 0 END"


def balances(db: Database, ruc: str, chemical: str | None = None, at: date | None = None) -> list[dict[str, Any]]:
    """Book stock per establishment and chemical of ``ruc`` at the end of ``at`` (default:
    everything declared), with the last physical count and how far the book was from it.

    Book stock is the sum of signed flows (purchases, imports and production in; sales,
    exports, consumption, losses, thefts and destruction out). A stock count is not a flow:
    it is reported beside the book, with the book at the count's date.
    """
    params: list[Any] = [ruc]
    where = "declarant_ruc = ?"
    if chemical:
        where += " AND chemical = ?"
        params.append(chemical)
    if at:
        where += " AND date <= ?"
        params.append(at)
    sql = f"""
        WITH m AS (SELECT * FROM movements WHERE {where}),
        flows AS (
            SELECT establishment_code, chemical, sum({_SIGN} * quantity_kg) AS book_kg,
                   count(*) AS movements, max(date) AS last_movement
            FROM m GROUP BY 1, 2),
        counts AS (
            SELECT establishment_code, chemical, date AS count_date, quantity_kg AS counted_kg,
                   row_number() OVER (PARTITION BY establishment_code, chemical ORDER BY date DESC, movement_id DESC) AS rn
            FROM m WHERE type = 'stock_count'),
        last_count AS (SELECT * FROM counts WHERE rn = 1),
        book_at_count AS (
            SELECT c.establishment_code, c.chemical,
                   coalesce(sum(CASE WHEN x.date <= c.count_date THEN {_SIGN.replace('type', 'x.type')} * x.quantity_kg END), 0) AS book_at_count_kg
            FROM last_count c LEFT JOIN m x
              ON x.establishment_code = c.establishment_code AND x.chemical = c.chemical
            GROUP BY 1, 2)
        SELECT f.establishment_code, f.chemical, f.book_kg, f.movements, f.last_movement,
               lc.count_date, lc.counted_kg, b.book_at_count_kg,
               lc.counted_kg - b.book_at_count_kg AS count_difference_kg
        FROM flows f
        LEFT JOIN last_count lc USING (establishment_code, chemical)
        LEFT JOIN book_at_count b USING (establishment_code, chemical)
        ORDER BY 1, 2
    """
    return db.dicts(sql, params)


def status(db: Database) -> dict[str, Any]:
    """Counts of what the database holds."""
    one = db.scalar
    by_status: dict[str, int] = dict(db.query("SELECT status, count(*) FROM operators GROUP BY 1 ORDER BY 1"))
    return {
        "database": str(db.url),
        "schema_version": one("SELECT max(version) FROM schema_migrations"),
        "operators": one("SELECT count(*) FROM operators"),
        "operators_by_status": by_status,
        "establishments": one("SELECT count(*) FROM establishments"),
        "authorisations": one("SELECT count(*) FROM authorisations"),
        "movements": one("SELECT count(*) FROM movements"),
        "movements_period": db.query("SELECT min(date), max(date) FROM movements")[0],
        "movements_to_unregistered": one("SELECT count(*) FROM movements WHERE counterparty_registered = FALSE"),
        "submissions": one("SELECT count(*) FROM submissions"),
        "submissions_by_status": dict(db.query("SELECT status, count(*) FROM submissions GROUP BY 1 ORDER BY 1")),
        "rejections": one("SELECT count(*) FROM rejections"),
        "alerts": one("SELECT count(*) FROM alerts"),
    }
