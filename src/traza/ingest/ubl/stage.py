"""Turn a batch of UBL documents into movements, inside the load's transaction.

The lines staged by ``batch.py`` meet the operator's product mappings here (in SQL, so the
mappings sent in the same call apply), and each line gets its fate:

- ``movement``: a controlled chemical, in a unit that converts to kg. It becomes a staged
  row of the movements format and goes through the same set-wise checks, idempotency and
  transaction as a CSV row; its ``declaration_id`` is the document's key plus the line
  (``<RUC>-09-<series>-<number>-<line>``), so re-sending a document adds nothing. Each
  accepted outgoing movement also records the receiver's expected incoming movement;
- ``review``: maybe a controlled chemical (uncertain description, shared tariff heading,
  or counted in pieces without a kg factor): listed in ``review_lines``;
- ``flagged``: marked 7022=1 (regulated good) but mapped to no chemical: listed in
  ``review_lines`` and refused (the operator must send a product mapping);
- ``linked``: a line of an invoice that names its remission guide: the guide carries the
  goods, so the invoice adds no movement;
- ``out``: not a controlled chemical.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from traza.core.jurisdiction import jurisdiction
from traza.core.rejection import Rejection
from traza.ingest.movement_kind import MOVEMENTS
from traza.ingest.spec import Check, KindSpec, lit
from traza.ingest.ubl.batch import UblBatch
from traza.ingest.ubl.extract import OWN_TRANSFER_MOTIVES, SALE_MOTIVES
from traza.ingest.ubl.parse import refusal
from traza.store.workbench import put_arrow, put_table

if TYPE_CHECKING:
    from traza.ingest.load import LoadRun
    from traza.ingest.sources import SourceFile

_FLAGGED = "lower(coalesce(controlled, '')) IN ('1', 'true', 'si', 's')"
_SUPPORTED = "(" + ", ".join(lit(m) for m in (*SALE_MOTIVES, *OWN_TRANSFER_MOTIVES)) + ")"
_EST = "CASE WHEN regexp_full_match({c}, '\\d{{1,4}}') THEN lpad({c}, 4, '0') ELSE {c} END"

_TAX, _PERSON = jurisdiction().tax_id.name, jurisdiction().person_id.name

# Checks a document adds to those of the movements format (the receiver's document types are
# the e-document authority's catalogue 06: 1 person, 4 foreigner card, 6 tax number, 0 other).
UBL_CHECKS = (
    Check("counterparty_ruc", "__receiver_scheme IS NOT NULL AND __receiver_scheme <> '6' AND counterparty_ruc IS NOT NULL",
          "'the receiver is identified by document type ' || __receiver_scheme || "
          + lit(f" (1 = {_PERSON}, 4 = foreigner card, 0 = other), not by {_TAX} (6): controlled chemicals are sold "
                f"and sent only to companies with a {_TAX}")),
    Check("motive", "NOT __motive_ok",
          "'remission guide motive ' || __motive || ' is neither a sale (01, 03, 14) nor a transfer between "
          "establishments of the same company (04): declare this movement in movements.csv'"),
)
UBL_MOVEMENTS: KindSpec = replace(MOVEMENTS, checks=MOVEMENTS.checks + UBL_CHECKS)

EXPECTED_COLUMNS = (
    "movement_key", "declaration_id", "receiver_ruc", "receiver_establishment", "date", "type", "chemical",
    "quantity", "unit", "quantity_kg", "counterparty_ruc", "counterparty_establishment", "document_ref",
    "document_key", "origin_ubigeo", "destination_ubigeo", "submission_id", "source_file", "recorded_at",
)
REVIEW_COLUMNS = (
    "review_key", "kind", "submission_id", "file_name", "xpath", "document_key", "line_no", "issuer_ruc",
    "item_code", "description", "quantity", "unit", "best_guess", "confidence", "method", "reason", "recorded_at",
)
DOC_TABLE_COLUMNS = ("doc_key", "doc_type", "ubl_version", "document_number", "issuer_ruc", "receiver_ruc",
                     "issue_date", "transfer_date", "motive", "origin_ubigeo", "delivery_ubigeo", "carrier_ruc",
                     "vehicle", "linked_guide", "line_count", "file_name", "file_hash", "submission_id", "recorded_at")


@dataclass
class UblOutcome:
    accepted: int
    duplicate: int
    refused_lines: int
    rejections: list[Rejection]  # the document's name as file, the XPath as column
    summary: dict[str, int]


def stage_lines(con: Any, batch: UblBatch, table: str) -> int:
    """Put the batch's lines into the workbench table ``table``."""
    put_arrow(con, table, batch.lines.table())
    return batch.lines.rows


def load_batch(run: LoadRun, src: SourceFile, table: str, sub: int) -> UblOutcome:
    """Validate and write the batch staged in ``table`` as submission ``sub``."""
    batch = src.ubl
    assert batch is not None
    c = run.con
    _decide(c, table)
    c.execute(f"DROP TABLE IF EXISTS {table}")  # ubl_dec holds all of it now
    movement_cols = _stage_movements(c)
    mov = type(src)(src.path, src.digest, kind="movements", columns=movement_cols)
    accepted, duplicate = run.validate_and_write(mov, UBL_MOVEMENTS, "ubl_mov", sub)
    expected = _write_expected(run, sub) if accepted else 0
    c.execute(
        "INSERT INTO rej SELECT __line, 'controlled', controlled, 'the line is flagged as a regulated good (7022=1) "
        "but its item ' || coalesce(item_code, '(no seller code)') || ' maps to no catalogue chemical: send a "
        "product mapping (product_mappings.csv: ruc, item_code, chemical)' FROM ubl_dec WHERE status = 'flagged'"
    )
    review = _write_review(run, batch, sub)
    documents = _write_documents(run, batch, sub)
    refused = c.execute("SELECT __line, column_name, value, reason FROM rej ORDER BY __line, column_name").fetchall()
    rejections = list(batch.refusals)
    for line, column, value, reason in refused:
        file, xpath = batch.locate(int(line), str(column))
        rejections.append(refusal(file, xpath, value, str(reason)))
    states = dict(c.execute("SELECT status, count(*) FROM ubl_dec GROUP BY 1").fetchall())
    summary = {
        "documents": batch.documents + len({r.file for r in batch.refusals}),
        "guides": batch.counts["guides"], "invoices": batch.counts["invoices"],
        "invoices_linked": batch.counts["invoices_linked"], "documents_refused": batch.counts["documents_refused"],
        "documents_new": documents, "lines": batch.counts["lines"], "chemical_lines": int(states.get("movement", 0)),
        "movements": accepted, "expected": expected, "review": review, "flagged": int(states.get("flagged", 0)),
    }
    refused_lines = len({r[0] for r in refused})
    for name in ("ubl_dec", "ubl_mov", "ubl_rev_at", "ubl_rev", "ubl_rev_known", "ubl_rev_new", "ubl_docs",
                 "ubl_docs_known", "ubl_docs_new"):
        c.execute(f"DROP TABLE IF EXISTS {name}")
    return UblOutcome(accepted, duplicate, refused_lines, rejections, summary)


def _decide(c: Any, table: str) -> None:
    c.execute(f"""
        CREATE OR REPLACE TEMP TABLE ubl_dec AS
        SELECT *, CASE
            WHEN guide_link IS NOT NULL THEN 'linked'
            WHEN d_chemical IS NOT NULL AND (u_kind IS NOT NULL OR m_kg_per_unit IS NOT NULL OR unit IS NULL) THEN 'movement'
            WHEN d_chemical IS NOT NULL THEN 'review'
            WHEN NOT m_found AND auto_band = 'review' THEN 'review'
            WHEN NOT m_found AND {_FLAGGED} THEN 'flagged'
            ELSE 'out' END AS status
        FROM (
            SELECT l.*, pm.k IS NOT NULL AS m_found, try_cast(pm.kg_per_unit AS DOUBLE) AS m_kg_per_unit,
                CASE WHEN pm.k IS NOT NULL THEN nullif(pm.chemical, 'none')
                     WHEN l.auto_band = 'sure' THEN l.auto_chemical END AS d_chemical,
                CASE WHEN pm.k IS NOT NULL THEN 'mapping' ELSE l.auto_method END AS d_method,
                CASE WHEN pm.k IS NOT NULL THEN 1.0 ELSE l.auto_confidence END AS d_confidence,
                u.kind AS u_kind
            FROM {table} l
            LEFT JOIN known_product_mappings pm ON pm.ruc = l.issuer AND pm.item_code = upper(trim(l.item_code))
            LEFT JOIN ref_units u ON u.alias = lower(l.unit)
        )
    """)


def _stage_movements(c: Any) -> list[str]:
    """Stage the lines that are movements as text rows of the movements format."""
    day = "coalesce(transfer_date, issue_date)"
    pieces = "u_kind IS NULL AND m_kg_per_unit IS NOT NULL"
    c.execute(f"""
        CREATE OR REPLACE TEMP TABLE ubl_mov AS
        SELECT d.__line, doc_key || '-' || line_no AS declaration_id, issuer AS declarant_ruc,
            coalesce({_EST.format(c='origin_est')}, eu.code, e1.code, '0000') AS establishment_code,
            {day} AS date,
            CASE WHEN doc_root = 'guide' AND motive IN ({', '.join(lit(m) for m in OWN_TRANSFER_MOTIVES)})
                 THEN 'transfer_out' ELSE 'sale' END AS type,
            d_chemical AS chemical,
            CASE WHEN {pieces} THEN CAST(try_cast(quantity AS DOUBLE) * m_kg_per_unit AS VARCHAR) ELSE quantity END AS quantity,
            CASE WHEN {pieces} THEN 'kg' ELSE unit END AS unit,
            receiver AS counterparty_ruc, {_EST.format(c='delivery_est')} AS counterparty_establishment,
            doc_number AS document_ref, delivery AS destination_ubigeo,
            NULL::VARCHAR AS origin_country, NULL::VARCHAR AS destination_country,
            CASE WHEN issue_date > {day} THEN issue_date ELSE {day} END AS declared_on,
            'ubl' AS source, doc_key AS document, line_no AS line, item_code, description, unspsc, tariff,
            d_method AS classified_by, CAST(round(d_confidence, 3) AS VARCHAR) AS confidence,
            origin AS origin_ubigeo, carrier AS carrier_ruc, vehicle, motive,
            file AS __file, receiver_scheme AS __receiver_scheme, coalesce(motive, '') AS __motive,
            doc_root = 'invoice' OR motive IS NULL OR motive IN {_SUPPORTED} AS __motive_ok
        FROM ubl_dec d
        LEFT JOIN (SELECT ruc, ubigeo, min(establishment_code) AS code FROM known_establishments
                   GROUP BY ruc, ubigeo HAVING count(*) = 1) eu ON eu.ruc = d.issuer AND eu.ubigeo = d.origin
        LEFT JOIN (SELECT ruc, min(establishment_code) AS code FROM known_establishments
                   GROUP BY ruc HAVING count(*) = 1) e1 ON e1.ruc = d.issuer
        WHERE status = 'movement'
    """)
    return [r[0] for r in c.execute("DESCRIBE ubl_mov").fetchall() if r[0] != "__line"]


def _write_expected(run: LoadRun, sub: int) -> int:
    """The receiver's side of each movement just accepted (view ``ok``)."""
    n = int(run.con.execute("SELECT count(*) FROM ok").fetchall()[0][0])
    if n:
        select = (
            "SELECT o.idem_key, o.declaration_id, o.counterparty_ruc, o.counterparty_establishment, o.date, "
            "CASE o.type WHEN 'transfer_out' THEN 'transfer_in' ELSE 'purchase' END, o.chemical, o.quantity, o.unit, "
            "o.quantity_kg, o.declarant_ruc, o.establishment_code, o.document_ref, m.document, m.origin_ubigeo, "
            f"o.destination_ubigeo, {sub}, o.source_file, {run.now_sql} FROM ok o JOIN ubl_mov m USING (__line)"
        )
        run.target.write("expected_movements", EXPECTED_COLUMNS, select, "expected_id", "expected_movement_id_seq")
    return n


def _write_review(run: LoadRun, batch: UblBatch, sub: int) -> int:
    c = run.con
    rows = c.execute("SELECT __line, status, coalesce(d_chemical, auto_chemical) FROM ubl_dec "
                     "WHERE status IN ('review', 'flagged')").fetchall()
    if not rows:
        return 0
    # Where the doubt sits: the classified field, or the 7022 flag of a flagged line.
    put_table(c, "ubl_rev_at", {
        "__line": [r[0] for r in rows],
        "xpath": [batch.locate(int(r[0]), "controlled" if r[1] == "flagged" else "chemical")[1] for r in rows],
    }, types={"__line": "BIGINT", "xpath": "VARCHAR"})
    c.execute(f"""
        CREATE OR REPLACE TEMP TABLE ubl_rev AS
        SELECT doc_key || '|' || line_no AS review_key,
            CASE WHEN status = 'flagged' THEN 'flagged_unmapped'
                 WHEN d_chemical IS NOT NULL THEN 'counted_in_pieces' ELSE 'uncertain' END AS kind,
            {sub} AS submission_id, file AS file_name, a.xpath, doc_key AS document_key, line_no, issuer AS issuer_ruc,
            item_code, description, quantity, unit, coalesce(d_chemical, auto_chemical) AS best_guess,
            CASE WHEN d_chemical IS NOT NULL THEN d_confidence ELSE auto_confidence END AS confidence,
            d_method AS method,
            CASE WHEN status = 'flagged' THEN 'flagged as a regulated good (7022=1) but maps to no catalogue chemical'
                      || CASE WHEN auto_chemical IS NOT NULL THEN '; best guess from the ' || auto_evidence ELSE '' END
                 WHEN d_chemical IS NOT NULL THEN 'quantity counted in ' || unit || ' (pieces or packages) cannot be '
                      || 'converted to kg: the product mapping of item ' || coalesce(item_code, '?')
                      || ' needs kg_per_unit'
                 ELSE auto_evidence END AS reason,
            {run.now_sql} AS recorded_at
        FROM ubl_dec d JOIN ubl_rev_at a USING (__line)
    """)
    run.target.known_values("ubl_rev_known", "review_lines", "review_key", "SELECT review_key AS k FROM ubl_rev")
    fresh = "SELECT * FROM ubl_rev WHERE review_key NOT IN (SELECT k FROM ubl_rev_known) QUALIFY row_number() OVER (PARTITION BY review_key) = 1"
    c.execute(f"CREATE OR REPLACE TEMP TABLE ubl_rev_new AS {fresh}")
    n = int(c.execute("SELECT count(*) FROM ubl_rev_new").fetchall()[0][0])
    if n:
        run.target.write("review_lines", REVIEW_COLUMNS, f"SELECT {', '.join(REVIEW_COLUMNS)} FROM ubl_rev_new",
                         "review_id", "review_line_id_seq")
    return n


def _write_documents(run: LoadRun, batch: UblBatch, sub: int) -> int:
    c = run.con
    if not batch.documents:
        return 0
    put_arrow(c, "ubl_docs", batch.docs.table())
    run.target.known_values("ubl_docs_known", "ubl_documents", "file_hash", "SELECT file_hash AS k FROM ubl_docs")
    c.execute(f"CREATE OR REPLACE TEMP TABLE ubl_docs_new AS SELECT *, {sub} AS submission_id, {run.now_sql} AS "
              "recorded_at FROM ubl_docs WHERE file_hash NOT IN (SELECT k FROM ubl_docs_known)")
    n = int(c.execute("SELECT count(*) FROM ubl_docs_new").fetchall()[0][0])
    if n:
        run.target.write("ubl_documents", DOC_TABLE_COLUMNS, f"SELECT {', '.join(DOC_TABLE_COLUMNS)} FROM ubl_docs_new",
                         None, None)
    return n
