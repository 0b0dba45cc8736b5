"""The base tables of a detection run, built for one ``as_of`` date in every engine.

Rules read only these (and never the raw tables), so that replay is without look-ahead:
a movement is visible when it happened and was declared by ``as_of`` (``declared_on`` when
the file gave it, else the day traza received it).
"""

from __future__ import annotations

from traza.core.types import MOVEMENT_SIGN
from traza.core.vocab import DEFAULT_ROLE, INFERRED_ROLES

_IMPORTER, _PRODUCER, _DISTRIBUTOR, _ = INFERRED_ROLES

_SIGN = "CASE m.type " + " ".join(f"WHEN '{t}' THEN {s}" for t, s in MOVEMENT_SIGN.items()) + " ELSE 0 END"

# Reconciliation tolerances (issue 4): nearest date within 7 days, quantity within 2%.
RECON_DAYS = 7
RECON_QTY = 0.02
# Late filers are paired in later rounds, up to this many days apart either way: a buyer that
# declares weeks after the sale, or a seller that dates a month's sales on the day it files
# them, after its buyers declared (the held-out "late_filers" profile: 330 of 345 false alerts
# of its honest countries were unmatched_transfer while the window was [-7, +60] days).
RECON_LATE_DAYS = 60
# Pairing rounds: (stage, widest priority allowed). Each round pairs mutual best candidates
# among what earlier rounds left, so the result is one-to-one and nearly a best assignment.
ROUNDS = (("document", 0), ("date", 1), ("date", 1), ("late", 2), ("late", 2))


def _rounds() -> list[tuple[str, str]]:
    # Anti-joins are written as LEFT JOIN ... IS NULL, not NOT IN: Spark plans NOT IN over a
    # large subquery as a nested loop (it must honour NULLs), which never finishes at scale.
    out = []
    for n, (stage, prio) in enumerate(ROUNDS, start=1):
        taken = " UNION ALL ".join(f"SELECT out_id, in_id FROM d_pair{k}" for k in range(1, n)) or \
            "SELECT CAST(NULL AS BIGINT) AS out_id, CAST(NULL AS BIGINT) AS in_id"
        out.append((f"d_pair{n}", f"""
            WITH taken AS ({taken}),
            free AS (
                SELECT c.* FROM d_cand c
                LEFT JOIN taken t1 ON t1.out_id = c.out_id
                LEFT JOIN taken t2 ON t2.in_id = c.in_id
                WHERE c.prio <= {prio} AND t1.out_id IS NULL AND t2.in_id IS NULL),
            ranked AS (
                SELECT *, row_number() OVER (PARTITION BY out_id ORDER BY prio, days, rel_diff, in_id) AS ro,
                          row_number() OVER (PARTITION BY in_id ORDER BY prio, days, rel_diff, out_id) AS ri
                FROM free)
            SELECT out_id, in_id, '{stage}' AS stage, prio, days, rel_diff FROM ranked WHERE ro = 1 AND ri = 1"""))
    union = " UNION ALL ".join(f"SELECT * FROM d_pair{k}" for k in range(1, len(ROUNDS) + 1))
    out.append(("d_recon", f"SELECT out_id, in_id, stage, prio, days, rel_diff FROM ({union}) p"))
    return out


# A district where coca was eradicated or measured within this many days has "fresh coca".
FRESH_COCA_DAYS = 365


def zones_with_fresh_coca(as_of: str, days: int = FRESH_COCA_DAYS) -> tuple[str, str]:
    """``d_zones``: the special-regime districts (``ref_zones``, the decree lists) plus every
    district where field operations found coca within ``days`` before ``as_of`` (eradicated
    plots or measured fields, ``field_coca_districts``), as zone ``COCA_FIELD``. Where field
    data exist, a delivery of kerosene to a district with fresh coca weighs as one into a
    zone; with no field data the list is the static one."""
    d = f"DATE '{as_of}'"
    return ("d_zones", f"""
        SELECT ubigeo, zone FROM ref_zones
        UNION ALL
        SELECT c.ubigeo, 'COCA_FIELD' AS zone
        FROM (SELECT ubigeo FROM field_coca_districts
              WHERE date <= {d} AND date > {d} - INTERVAL {days} DAY AND hectares > 0
              GROUP BY ubigeo) c
        LEFT JOIN ref_zones z ON z.ubigeo = c.ubigeo
        WHERE z.ubigeo IS NULL""")


def _candidates(days: int, qty: float, late: int) -> str:
    """Candidate pairs, as two joins. Two busy partners trade the same chemical hundreds of
    times, and joining every sale of theirs with every purchase grows with the square of that;
    so dated candidates join on a time bucket of ``span`` days as well: an outgoing side is
    copied to each bucket its window [-late, +late] touches (at most three), an incoming side
    sits in one, and each pair meets exactly once."""
    span = late + 2
    keys = "i.ruc = o.counterparty_ruc AND i.counterparty_ruc = o.ruc AND i.chemical = o.chemical"
    gap = "date_diff('day', o.date, i.date)"
    cols = f"o.movement_id AS out_id, i.movement_id AS in_id, {{prio}} AS prio, abs({gap}) AS days, " \
        "abs(i.quantity_kg - o.quantity_kg) / o.quantity_kg AS rel_diff"
    day_n = "date_diff('day', DATE '2000-01-01', date)"
    return f"""
            SELECT {cols.format(prio=0)}
            FROM d_out o JOIN d_in i ON {keys} AND i.document_ref = o.document_ref
            UNION ALL
            SELECT {cols.format(prio=f"CASE WHEN abs({gap}) <= {days} THEN 1 ELSE 2 END")}
            FROM (SELECT x.*, x.lo + k.off AS bucket
                  FROM (SELECT *, CAST(floor(({day_n} - {late}) / {span}.0) AS BIGINT) AS lo,
                               CAST(floor(({day_n} + {late}) / {span}.0) AS BIGINT) AS hi FROM d_out) x
                  CROSS JOIN (VALUES (0), (1), (2)) AS k(off)
                  WHERE x.lo + k.off <= x.hi) o
            JOIN (SELECT *, CAST(floor({day_n} / {span}.0) AS BIGINT) AS bucket FROM d_in) i
              ON {keys} AND i.bucket = o.bucket
            WHERE {gap} BETWEEN -{late} AND {late}
              AND abs(i.quantity_kg - o.quantity_kg) <= {qty} * o.quantity_kg
              AND (i.document_ref IS NULL OR o.document_ref IS NULL OR i.document_ref <> o.document_ref)"""


def base_tables(as_of: str, days: int = RECON_DAYS, qty: float = RECON_QTY,
                late: int = RECON_LATE_DAYS) -> list[tuple[str, str]]:
    """(name, DuckDB SQL) in dependency order. ``ref_zones`` and ``ref_chemicals`` are loaded
    from the catalogue by the runner before these."""
    d = f"DATE '{as_of}'"
    return [
        zones_with_fresh_coca(as_of),
        ("d_ops", "SELECT ruc, name, sector, registered_on, status, representative_id, phone, email FROM operators"),
        ("d_est", "SELECT ruc, establishment_code, ubigeo FROM establishments"),
        ("d_auth", f"""
            SELECT ruc, chemical, activities, annual_quota_kg, valid_from, valid_to
            FROM authorisations WHERE valid_from <= {d}"""),
        ("d_mov", f"""
            SELECT m.movement_id, m.declarant_ruc AS ruc, m.establishment_code, m.date,
                   CAST(date_trunc('month', m.date) AS DATE) AS month, m.type, m.chemical,
                   m.quantity_kg, {_SIGN} AS sign, m.counterparty_ruc, m.counterparty_establishment,
                   m.counterparty_registered, m.document_ref, m.destination_ubigeo,
                   z.zone AS destination_zone
            FROM movements m LEFT JOIN d_zones z ON z.ubigeo = m.destination_ubigeo
            WHERE m.date <= {d} AND coalesce(m.declared_on, CAST(m.declared_at AS DATE)) <= {d}"""),
        # Outgoing and incoming sides of transfers between two parties.
        ("d_out", "SELECT * FROM d_mov WHERE type IN ('sale', 'transfer_out') AND counterparty_ruc IS NOT NULL"),
        ("d_in", "SELECT * FROM d_mov WHERE type IN ('purchase', 'transfer_in') AND counterparty_ruc IS NOT NULL"),
        # Candidate pairs: the same document (priority 0), else a near quantity and a date
        # within the tolerance (1) or, for late filers, within the late window (2).
        ("d_cand", _candidates(days, qty, late)),
        *_rounds(),
        # Holdings (an establishment's stock of one chemical), numbered: the running book
        # sorts ten million rows by holding, and sorting on one integer rather than three
        # strings (and carrying no strings) takes a third less time and memory.
        ("d_holdings", """
            SELECT ruc, establishment_code, chemical,
                   row_number() OVER (ORDER BY ruc, establishment_code, chemical) AS hid
            FROM (SELECT DISTINCT ruc, establishment_code, chemical FROM d_mov) h"""),
        # The running book of every holding: the last stock count plus the signed flows since
        # it (a count closes its day, after that day's movements). Rows before the first count
        # have no known book (seg = 0). Rules join d_holdings for the RUC, site and chemical.
        ("d_book", """
            WITH ev AS (
                SELECT h.hid, m.date, m.month, m.movement_id, m.quantity_kg,
                       CASE WHEN m.type = 'stock_count' THEN 0 ELSE m.sign * m.quantity_kg END AS flow,
                       CASE WHEN m.type = 'stock_count' THEN 0 ELSE m.quantity_kg END AS moved,
                       CASE WHEN m.type = 'stock_count' THEN 1 ELSE 0 END AS is_count
                FROM d_mov m JOIN d_holdings h ON h.ruc = m.ruc AND h.establishment_code = m.establishment_code
                 AND h.chemical = m.chemical),
            run AS (
                -- one sort: the count number and the running flow share their window; the
                -- book is then the count plus the flow since it, joined from the few counts
                SELECT *, sum(is_count) OVER (PARTITION BY hid ORDER BY date, is_count, movement_id
                                              ROWS UNBOUNDED PRECEDING) AS seg,
                          sum(flow) OVER (PARTITION BY hid ORDER BY date, is_count, movement_id
                                          ROWS UNBOUNDED PRECEDING) AS cum,
                          -- the month's last row carries its closing book (read without another sort)
                          CASE WHEN lead(month) OVER (PARTITION BY hid ORDER BY date, is_count, movement_id) = month
                               THEN 0 ELSE 1 END AS month_last
                FROM ev),
            counts AS (SELECT hid, seg, quantity_kg - cum AS base_kg FROM run WHERE is_count = 1)
            SELECT r.hid, r.date, r.month, r.movement_id, r.quantity_kg, r.flow, r.moved, r.is_count, r.seg,
                   r.month_last, c.base_kg + r.cum AS book
            FROM run r LEFT JOIN counts c ON c.hid = r.hid AND c.seg = r.seg"""),
        # The role each operator plays in each chemical, inferred from what it did in the last
        # year rather than from its declared sector: rules compare an operator with peers of
        # the same role (an importer restocks a distributor, who then sells on to end users).
        ("d_role", f"""
            SELECT ruc, chemical, acquired_kg, out_kg, buyers,
                   CASE WHEN made_kg > 0.5 * acquired_kg THEN '{_PRODUCER}'
                        WHEN imported_kg > 0.5 * acquired_kg THEN '{_IMPORTER}'
                        WHEN out_kg >= 0.5 * acquired_kg THEN '{_DISTRIBUTOR}'
                        ELSE '{DEFAULT_ROLE}' END AS role
            FROM (SELECT ruc, chemical,
                         sum(CASE WHEN type IN ('purchase', 'transfer_in', 'import', 'production')
                                  THEN quantity_kg ELSE 0 END) AS acquired_kg,
                         sum(CASE WHEN type = 'import' THEN quantity_kg ELSE 0 END) AS imported_kg,
                         sum(CASE WHEN type = 'production' THEN quantity_kg ELSE 0 END) AS made_kg,
                         sum(CASE WHEN type IN ('sale', 'transfer_out', 'export') THEN quantity_kg ELSE 0 END) AS out_kg,
                         count(DISTINCT CASE WHEN type IN ('sale', 'transfer_out') THEN counterparty_ruc END) AS buyers
                  FROM d_mov WHERE type <> 'stock_count' AND date > {d} - INTERVAL 365 DAY
                  GROUP BY ruc, chemical) f"""),
        # Monthly flows per operator and chemical.
        ("d_monthly", """
            SELECT ruc, chemical, month,
                   sum(CASE WHEN type IN ('purchase', 'import', 'transfer_in') THEN quantity_kg ELSE 0 END) AS in_kg,
                   sum(CASE WHEN type IN ('sale', 'export', 'transfer_out') THEN quantity_kg ELSE 0 END) AS out_kg,
                   sum(CASE WHEN type = 'consumption' THEN quantity_kg ELSE 0 END) AS used_kg,
                   sum(CASE WHEN type IN ('loss', 'theft') THEN quantity_kg ELSE 0 END) AS lost_kg,
                   count(*) AS movements
            FROM d_mov WHERE type <> 'stock_count' GROUP BY ruc, chemical, month"""),
    ]
