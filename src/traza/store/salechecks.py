"""Sale checks: the bulk reads behind the sale check's in-memory facts, and batched writes."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from traza.store.db import Database

CHECK_COLUMNS = ("check_id", "checked_at", "key_id", "seller_ruc", "seller_establishment", "buyer_ruc",
                 "buyer_establishment", "destination_ubigeo", "zone", "chemical", "quantity", "unit",
                 "quantity_kg", "decision", "reasons", "quota_remaining_kg")

# What changes the facts: a new submission (registry or ledger), a finished detection run,
# any audit event (keys, alert outcomes, registry changes made here).
WATERMARK_SQL = ("SELECT (SELECT max(submission_id) FROM submissions), (SELECT max(run_id) FROM detection_runs), "
                 "(SELECT count(finished_at) FROM detection_runs), (SELECT max(event_id) FROM events)")


def watermark(db: Database) -> tuple[Any, ...]:
    return tuple(db.query(WATERMARK_SQL)[0])


def registry(db: Database) -> tuple[list[Any], list[Any], list[Any]]:
    return (db.query("SELECT ruc, status FROM operators"),
            db.query("SELECT ruc, chemical, activities, annual_quota_kg, valid_from, valid_to FROM authorisations"),
            db.query("SELECT ruc, establishment_code, ubigeo FROM establishments"))


def acquired(db: Database, start: date, end: date) -> list[Any]:
    """Per buyer and chemical, what it acquired in [start, end): the larger of its own
    declarations (purchases, imports, production) and its sellers' declared sales to it plus
    its own imports and production, so a buyer that files late is not under-counted."""
    return db.query(
        "SELECT ruc, chemical, greatest(sum(own_kg), sum(told_kg)) FROM ("
        " SELECT declarant_ruc AS ruc, chemical, quantity_kg AS own_kg,"
        "  CASE WHEN type = 'purchase' THEN 0 ELSE quantity_kg END AS told_kg"
        " FROM movements WHERE date >= ? AND date < ? AND type IN ('purchase', 'import', 'production')"
        " UNION ALL"
        " SELECT counterparty_ruc, chemical, 0, quantity_kg FROM movements"
        " WHERE date >= ? AND date < ? AND type = 'sale' AND counterparty_ruc IS NOT NULL) x "
        "GROUP BY ruc, chemical", (start, end, start, end))


def delivered(db: Database, start: date, end: date) -> list[Any]:
    """Declared sales per buyer, chemical and destination district in [start, end)."""
    return db.query(
        "SELECT counterparty_ruc, chemical, destination_ubigeo, sum(quantity_kg) FROM movements "
        "WHERE date >= ? AND date < ? AND type = 'sale' AND counterparty_ruc IS NOT NULL "
        "AND destination_ubigeo IS NOT NULL GROUP BY 1, 2, 3", (start, end))


def alerts(db: Database) -> list[Any]:
    """Live alerts per operator: severity, status, outcome and when it was closed."""
    return db.query("SELECT a.ruc, a.severity, s.status, s.outcome, s.closed_at FROM alerts a "
                    "JOIN alert_state s ON s.alert_id = a.alert_id WHERE NOT a.shadow")


def operator_status(db: Database, ruc: str) -> str | None:
    rows = db.query("SELECT status FROM operators WHERE ruc = ?", (ruc,))
    return str(rows[0][0]) if rows else None


def keys(db: Database) -> list[Any]:
    return db.query("SELECT k.key_id, k.secret_hash, k.ruc FROM api_keys k "
                    "LEFT JOIN api_key_revocations r ON r.key_id = k.key_id WHERE r.key_id IS NULL")


class CheckWriter:
    """The sale-check writer's own session: commits one batch of rows per :meth:`write`.

    On PostgreSQL it is an asynchronous connection of its own, so the batch is written from
    the server's event loop (a writer thread would wait for the interpreter lock behind a busy
    loop, which halved throughput when measured). DuckDB has no asynchronous driver: its
    batches run in a thread over a connection taken for the writer."""

    def __init__(self, db: Database | None, aconn: Any = None) -> None:
        self._db, self._aconn = db, aconn

    async def write(self, rows: Sequence[Sequence[Any]]) -> None:
        if self._aconn is not None:
            sql, params = _insert_checks(rows)
            await self._aconn.execute(sql, params)
        else:
            assert self._db is not None
            await asyncio.to_thread(append_checks, self._db, rows)

    async def close(self) -> None:
        aconn, self._aconn, db, self._db = self._aconn, None, self._db, None
        with contextlib.suppress(Exception):
            if aconn is not None:
                await aconn.close()
            if db is not None:
                db.close()


async def open_writer(take: Callable[[], Database], give: Callable[[Database], None],
                      wait_for_disk: bool) -> CheckWriter:
    """A writer for group commits; ``take``/``give`` lend a connection of the service's pool.

    With ``wait_for_disk`` False a PostgreSQL commit returns once the server holds it, before
    its log reaches the disk: no crash of traza loses it, a crash of the PostgreSQL server or
    of the machine may lose the last ~0.6 s (three ``wal_writer_delay``) of checks. True (the
    default) waits for the flush, which group commit pays once per batch."""
    db = take()
    if db.dialect != "postgres":
        return CheckWriter(db)
    import psycopg

    target = db.url.target
    give(db)
    aconn = await psycopg.AsyncConnection.connect(target, autocommit=True)
    try:
        await aconn.execute(f"SET synchronous_commit TO {'on' if wait_for_disk else 'off'}")
    except BaseException:
        await aconn.close()
        raise
    return CheckWriter(None, aconn)


def _insert_checks(rows: Sequence[Sequence[Any]]) -> tuple[str, list[Any]]:
    """One multi-row INSERT for PostgreSQL (psycopg placeholders): one round trip, its own
    transaction on an autocommit connection. Written for the driver directly: the
    transpiler would cost more than the insert."""
    one = "(" + ", ".join(["%s"] * len(CHECK_COLUMNS)) + ")"
    sql = f"INSERT INTO sale_checks ({', '.join(CHECK_COLUMNS)}) VALUES " + ", ".join([one] * len(rows))
    return sql, [v for r in rows for v in r]


def append_checks(db: Database, rows: Sequence[Sequence[Any]]) -> None:
    """Append checks in bulk, committed when this returns."""
    db.append("sale_checks", CHECK_COLUMNS, rows)


def list_checks(db: Database, seller: str | None, buyer: str | None, decision: str | None,
                limit: int, offset: int) -> list[dict[str, Any]]:
    where, params = [], []
    for column, value in (("c.seller_ruc", seller), ("c.buyer_ruc", buyer), ("c.decision", decision)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    return db.dicts(
        "SELECT c.check_id, c.checked_at, c.seller_ruc, c.seller_establishment, c.buyer_ruc, c.buyer_establishment, "
        "c.destination_ubigeo, c.zone, c.chemical, c.quantity, c.unit, c.quantity_kg, c.decision, c.reasons, "
        "c.quota_remaining_kg, f.sale_movement_id, f.sale_date FROM sale_checks c "
        "JOIN sale_check_followups f ON f.check_id = c.check_id"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY c.checked_at DESC, c.check_id LIMIT ? OFFSET ?", [*params, limit, offset])
