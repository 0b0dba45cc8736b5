"""Operators' declarations through the API: a v1 file (CSV or XLSX), UBL e-documents (an XML
invoice or remission guide, or a zip of them) or a JSON batch, loaded by the same code as
``traza load``. An operator declares only its own movements: a file that names another
declarant is refused whole before anything is loaded; a UBL document issued by another
RUC is refused on its own (file, XPath of the issuer, reason)."""

from __future__ import annotations

import csv
import io
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from traza.ingest import load_paths
from traza.ingest.load import FileResult
from traza.service.loader import load_rows
from traza.store.db import Database


class ForeignRows(Exception):
    """The file declares movements of another operator."""

    def __init__(self, lines: list[int]) -> None:
        self.lines = lines
        shown = ", ".join(str(n) for n in lines[:10]) + (" ..." if len(lines) > 10 else "")
        super().__init__(f"declarant_ruc on line(s) {shown} is not your RUC: an API key declares only "
                         "its own operator's movements")


class Unreadable(Exception):
    pass


def submitter(ruc: str) -> str:
    return f"operator:{ruc}"


def _cell(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return "" if v is None else str(v).strip()


def _rows(content: bytes, xlsx: bool) -> list[list[str]]:
    if xlsx:
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            sheet = wb.worksheets[0]
            return [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        except Exception as exc:  # openpyxl raises many kinds for a broken workbook
            raise Unreadable(f"the workbook cannot be read ({type(exc).__name__}): send a valid .xlsx file") from exc
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Unreadable(f"the file is not UTF-8 text (byte {exc.start}): save it as UTF-8 CSV") from exc
    try:
        return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as exc:
        raise Unreadable(f"the CSV file cannot be read: {exc}") from exc


def foreign_lines(content: bytes, xlsx: bool, ruc: str) -> list[int]:
    """Lines (1 = header) whose declarant_ruc is another operator's."""
    rows = _rows(content, xlsx)
    if not rows:
        return []
    header = [h.strip().lower().lstrip("\ufeff") for h in rows[0]]
    if "declarant_ruc" not in header:
        return []  # the loader refuses the file for its missing column
    i = header.index("declarant_ruc")
    return [n for n, row in enumerate(rows[1:], start=2) if i < len(row) and row[i] and row[i] != ruc]


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


def submit_file(db: Database, ruc: str, filename: str, content: bytes) -> FileResult:
    stem = re.sub(r"[^A-Za-z0-9._-]", "_", Path(filename or "upload").stem)[:80]
    ubl = _ubl_suffix(filename, content)
    if ubl is not None:
        with tempfile.TemporaryDirectory(prefix="traza-api-") as tmp:
            path = Path(tmp) / f"{stem}{ubl}"
            path.write_bytes(content)
            return load_paths(db, [path], submitted_by=submitter(ruc), ubl_issuer=ruc).files[0]
    xlsx = content[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx")
    lines = foreign_lines(content, xlsx, ruc)
    if lines:
        raise ForeignRows(lines)
    # The stored name keeps the client's (for its rejections) but always reads as movements.
    with tempfile.TemporaryDirectory(prefix="traza-api-") as tmp:
        path = Path(tmp) / f"movements-{stem}{'.xlsx' if xlsx else '.csv'}"
        path.write_bytes(content)
        return load_paths(db, [path], submitted_by=submitter(ruc)).files[0]


def submit_batch(db: Database, ruc: str, movements: list[dict[str, Any]], name: str | None) -> FileResult:
    lines = [n for n, m in enumerate(movements, start=2) if m.get("declarant_ruc") not in (None, "", ruc)]
    if lines:
        raise ForeignRows(lines)
    rows = [{**m, "declarant_ruc": ruc} for m in movements]
    stem = re.sub(r"[^A-Za-z0-9._-]", "_", name or "batch")[:80]
    return load_rows(db, "movements", rows, submitter(ruc), name=f"movements-{stem}.csv")


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
