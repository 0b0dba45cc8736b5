"""The edge of every reader of declarations: limits, and the one reading of each header and cell.

Every reader (DuckDB's fast CSV reader, Python's careful one, the XLSX reader, the JSON
batch written as CSV) hands its header and its records to the functions here before any
check looks at them, so what is validated is exactly what is written: a BOM, a zero-width
space or a full-width letter in a column name once let a file pass an ownership check that
read the header its own way (issue 16, finding 1).

- header names: ``core.text.header_name`` (NFKC, invisible characters removed, trimmed,
  lower case); a control character refuses the file, naming the column;
- cells: ``core.text.clean_text`` (tab and line breaks allowed in free text: an address may
  span lines); NUL and other control characters refuse the row, naming line and column
  (PostgreSQL cannot store NUL: it used to be a 500);
- identifiers (RUC, establishment codes, ubigeo, country codes, declaration ids): also ASCII
  only, so "２００..." reads as "200..." and Arabic-Indic digits are refused; one RUC can then
  never be registered twice in two scripts (finding 7);
- limits, checked before DuckDB sniffs or stages anything: a 34 KB file of 5,000 columns
  once held a worker for 55 s (finding 10).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from traza.core.text import BadText, clean_identifier, clean_text, header_name, overlong_cell

# Limits of one declaration file. The v1 formats have at most 16 columns; the rest go into
# ``extra`` as JSON, so 100 leaves room for an ERP's own columns and none for an attack.
MAX_COLUMNS = 100
MAX_HEADER_CHARS = 64  # a column name
MAX_CELL_CHARS = 2_000  # a free-text cell (an address, a document reference, an ERP note)
MAX_IDENTIFIER_CHARS = 64  # a RUC, code, ubigeo or declaration id
# Rows of one upload through the API or the portal (``traza load`` takes any size: it is run
# by the registry's own staff). The upload's byte limit (Settings.max_upload_bytes) comes
# first; this one bounds a file of very short lines.
MAX_UPLOAD_ROWS = 1_000_000

# Columns read as identifiers: ASCII only after NFKC, single line, at most MAX_IDENTIFIER_CHARS.
IDENTIFIER_COLUMNS = frozenset({
    "ruc", "declarant_ruc", "counterparty_ruc", "establishment_code", "counterparty_establishment",
    "ubigeo", "destination_ubigeo", "origin_country", "destination_country", "declaration_id",
})

# A declaration id is kept, shown and exported: letters and digits first (never = + - @, which
# a spreadsheet would run as a formula), then letters, digits and . _ - / : #.
DECLARATION_ID = r"[A-Za-z0-9][A-Za-z0-9._/:#-]{0,63}"
DECLARATION_ID_RULE = ("a declaration_id is 1 to 64 characters: a letter or digit, then letters, digits "
                       "and . _ - / : # (e.g. F001-123)")

# Control and invisible characters: shown as escapes in a refused value.
_UNSHOWN = re.compile(r"[\x00-\x1f\x7f-\x9f\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def _escape(ch: str) -> str:
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"


def shown(value: str | None, limit: int = 200) -> str | None:
    """A refused value as it can be stored and read back: control and invisible characters
    as escapes (a NUL cannot be stored in PostgreSQL, not even in the rejection naming it)."""
    if value is None:
        return None
    text = _UNSHOWN.sub(lambda m: _escape(m.group()), value)
    return text if len(text) <= limit else text[:limit] + "..."


def clean_header(raw: list[str]) -> list[str]:
    """The column names as every reader sees them; BadText names the column (1-based)."""
    if len(raw) > MAX_COLUMNS:
        raise BadText("header", f"has {len(raw):,} columns: a declaration file has at most {MAX_COLUMNS}")
    out = []
    for i, name in enumerate(raw, start=1):
        clean = header_name(name, f"column {i}")
        if len(clean) > MAX_HEADER_CHARS:
            raise BadText(f"column {i}", f"name is {len(clean):,} characters long: expected at most {MAX_HEADER_CHARS}")
        out.append(clean)
    return out


def clean_cell(column: str, value: str) -> str:
    """One cell in its one reading; BadText (naming ``column``) when it cannot be taken."""
    ident = column in IDENTIFIER_COLUMNS
    limit = MAX_IDENTIFIER_CHARS if ident else MAX_CELL_CHARS
    if value.isascii() and value.isprintable() and len(value) <= limit:
        return value  # the usual cell: nothing to normalise (and the fast path of a million rows)
    if ident:
        return clean_identifier(value, column, max_length=limit)
    return clean_text(value, column, multiline=True, max_length=limit)


def clean_record(columns: list[str], record: list[str]) -> tuple[list[str], list[BadText]]:
    """The record's cells cleaned, and what was wrong with those that could not be."""
    out: list[str] = []
    bad: list[BadText] = []
    for column, value in zip(columns, record, strict=True):
        try:
            out.append(clean_cell(column, value))
        except BadText as exc:
            bad.append(exc)
            out.append(value)
    return out, bad


def unreadable_csv(path: Path, exc: csv.Error) -> tuple[int | None, str | None, None, str]:
    """(line, column, value, reason) of a CSV the csv module could not read: where it stopped
    at its own cell limit, the line and the field, with the field's limit."""
    if "field larger than field limit" not in str(exc):
        return None, None, None, f"not a readable CSV file: {exc}"
    with path.open(encoding="utf-8", errors="replace", newline="") as f:
        header = next(csv.reader([f.readline()]), [])
        for line, text in enumerate(f, start=2):
            if len(text) > csv.field_size_limit():
                col = overlong_cell(text)
                name = header[col].strip() if col < len(header) else f"column {col + 1}"
                return line, name, None, (f"is over {csv.field_size_limit():,} characters long: expected at most "
                                          f"{MAX_IDENTIFIER_CHARS if name in IDENTIFIER_COLUMNS else MAX_CELL_CHARS:,}")
    return None, None, None, f"not a readable CSV file: {exc}"
