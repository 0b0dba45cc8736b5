"""Operators' declarations through the API: a v1 file (CSV or XLSX), UBL e-documents (an XML
invoice or remission guide, or a zip of them), SUNAT's PLE 12.1 book (TXT) or a JSON batch, loaded by the same code as
``traza load``. An operator declares only its own movements, and that is a rule of the one
loader (``load_paths(owner=...)``), applied to the columns it parses and writes: a row naming
another declarant is refused as a row (line, declarant_ruc, value, "your RUC ..."), a UBL
document issued by another RUC on its own (file, XPath of the issuer, reason); the rest
loads. There is no second reading of an upload here."""

from __future__ import annotations

import io
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from traza.cases.audit import record
from traza.ingest import load_paths
from traza.ingest.edge import MAX_UPLOAD_ROWS
from traza.ingest.load import FileResult, LoadReport
from traza.ingest.ple import ple_name
from traza.service.loader import load_rows
from traza.store.db import Database


class Unreadable(Exception):
    """The upload cannot be read as any declaration file."""


def submitter(ruc: str) -> str:
    return f"operator:{ruc}"


def safe_name(filename: str | None, default: str) -> str:
    """The client's file name as it is stored and shown: its last path part, NFKC, every
    character but letters, digits, dot, dash and underscore made ``_``, at most 80."""
    raw = unicodedata.normalize("NFKC", filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem = re.sub(r"[^A-Za-z0-9._-]", "_", Path(raw).stem).strip("._")[:80]
    return stem or default


def _as_movements(stem: str) -> str:
    """A stored name that reads as a movements file (an operator declares movements only),
    without saying so twice."""
    return stem if stem.lower().startswith("movements") else f"movements-{stem}"


def _ubl_suffix(filename: str, content: bytes) -> str | None:
    """``.xml`` or ``.zip`` when the upload holds UBL documents, else None (a v1 file)."""
    name = filename.lower()
    if name.endswith((".xml", ".zip")):
        return name[-4:]
    if name.endswith((".csv", ".xlsx")):
        return None
    if content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<":
        return ".xml"
    if content[:4] == b"PK\x03\x04":
        try:
            names = zipfile.ZipFile(io.BytesIO(content)).namelist()
        except zipfile.BadZipFile:
            return None  # the workbook reader says what is wrong with it
        return None if "[Content_Types].xml" in names else ".zip"  # every workbook has that part
    return None


def _audited(db: Database, ruc: str) -> Callable[[LoadReport], None]:
    """The audit event of each submission an upload makes, in the load's own transaction (as
    ``traza load`` records its loads): who sent which file, and what became of it."""
    def record_each(report: LoadReport) -> None:
        for f in report.files:
            if f.submission_id is not None and f.status != "already_loaded":
                record(db, submitter(ruc), "declarations.load", "submission", str(f.submission_id),
                       {"file": f.path.name, "kind": f.kind, "status": f.status, "rows": f.rows_total,
                        "accepted": f.rows_accepted, "refused": f.rows_rejected})
    return record_each


def submit_file(db: Database, ruc: str, filename: str, content: bytes) -> FileResult:
    stem = safe_name(filename, "upload")
    ubl = _ubl_suffix(filename, content)
    # SUNAT's PLE 12.1 book keeps its name (the declarant's RUC and the period are in it); the
    # loader's ownership rule then refuses the lines of a book in another RUC's name.
    ple = ".txt" if filename.lower().endswith(".txt") and ple_name(f"{stem}.txt") else None
    with tempfile.TemporaryDirectory(prefix="traza-api-") as tmp:
        if ubl is not None or ple is not None:
            path = Path(tmp) / f"{stem}{ubl or ple}"
            path.write_bytes(content)
            return load_paths(db, [path], submitted_by=submitter(ruc), owner=ruc, max_rows=MAX_UPLOAD_ROWS,
                              name=path.name, inside=_audited(db, ruc)).files[0]
        xlsx = content[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx")
        # The stored name keeps the client's (for its rejections) but always reads as movements.
        path = Path(tmp) / f"{_as_movements(stem)}{'.xlsx' if xlsx else '.csv'}"
        path.write_bytes(content)
        result = load_paths(db, [path], submitted_by=submitter(ruc), owner=ruc, max_rows=MAX_UPLOAD_ROWS,
                            inside=_audited(db, ruc)).files[0]
    if result.status == "rejected" and result.rows_total == 0 and all(r.line is None for r in result.rejections):
        # Not a table at all (not UTF-8, not a workbook, too many rows): the loader's own
        # reason, as a 4xx; its refused submission stays on record.
        raise Unreadable("; ".join(r.reason for r in result.rejections) or "the file cannot be read")
    return result


def submit_batch(db: Database, ruc: str, movements: list[dict[str, Any]], name: str | None) -> FileResult:
    """A JSON batch: a row without declarant_ruc is the key's operator's; a row naming another
    is refused by the loader's ownership rule like a file's."""
    rows = [{**m, "declarant_ruc": m.get("declarant_ruc") or ruc} for m in movements]
    stem = safe_name(name, "batch")
    return load_rows(db, "movements", rows, submitter(ruc), name=f"{_as_movements(stem)}.csv", owner=ruc,
                     inside=_audited(db, ruc))


def submissions(db: Database, ruc: str, limit: int, offset: int) -> list[dict[str, Any]]:
    return db.dicts("SELECT submission_id, kind, file_name, received_at, rows_total, rows_accepted, rows_duplicate, "
                    "rows_rejected, status FROM submissions WHERE submitted_by = ? "
                    "ORDER BY submission_id DESC LIMIT ? OFFSET ?", (submitter(ruc), limit, offset))


def submission(db: Database, ruc: str | None, submission_id: int) -> dict[str, Any] | None:
    """One submission with its rejections; ``ruc`` limits it to that operator's own."""
    sql = ("SELECT submission_id, kind, file_name, received_at, submitted_by, rows_total, rows_accepted, "
           "rows_duplicate, rows_rejected, status FROM submissions WHERE submission_id = ?")
    params: list[Any] = [submission_id]
    if ruc is not None:
        sql += " AND submitted_by = ?"
        params.append(submitter(ruc))
    rows = db.dicts(sql, params)
    if not rows:
        return None
    sub = rows[0]
    sub["rejections"] = db.dicts("SELECT line, column_name AS column, value, reason, "
                                 "CASE WHEN line IS NULL AND substr(column_name, 1, 1) = '/' THEN file_name END AS file FROM rejections "
                                 "WHERE submission_id = ? ORDER BY line NULLS FIRST, column_name", (submission_id,))
    return sub


def movements(db: Database, ruc: str, chemical: str | None, type_: str | None, since: Any, until: Any,
              limit: int, offset: int) -> list[dict[str, Any]]:
    where, params = ["declarant_ruc = ?"], [ruc]
    for column, op, value in (("chemical", "=", chemical), ("type", "=", type_), ("date", ">=", since), ("date", "<=", until)):
        if value is not None:
            where.append(f"{column} {op} ?")
            params.append(value)
    return db.dicts(
        "SELECT movement_id, declaration_id, establishment_code, date, type, chemical, quantity, unit, quantity_kg, "
        "counterparty_ruc, counterparty_establishment, counterparty_registered, document_ref, destination_ubigeo, "
        "origin_country, destination_country, submission_id, declared_at FROM movements WHERE "
        + " AND ".join(where) + " ORDER BY date DESC, movement_id DESC LIMIT ? OFFSET ?", [*params, limit, offset])
