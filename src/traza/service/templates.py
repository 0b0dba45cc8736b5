"""Downloadable templates of the movements file an operator uploads: its columns, in the
order docs/formats.md gives them, and one example row in the operator's own name, as CSV or
XLSX. The example row carries ``EXAMPLE_ID``: a template sent back unchanged records nothing,
its row refused saying to replace it."""

from __future__ import annotations

import csv
import io
from datetime import date

from traza.core.types import KINDS
from traza.ingest.movement_kind import EXAMPLE_ID

FORMATS = ("csv", "xlsx")


def movement_template(ruc: str, today: date) -> tuple[list[str], list[str]]:
    """(columns, example row): a sale, with every column a sale needs."""
    required, optional = KINDS["movements"]
    columns = ["declaration_id", *required, *(c for c in optional if c != "declaration_id")]
    example = {"declaration_id": EXAMPLE_ID, "declarant_ruc": ruc, "establishment_code": "0000",
               "date": today.isoformat(), "type": "sale", "chemical": "sulfuric_acid", "quantity": "1250.5",
               "unit": "kg", "counterparty_ruc": "20000000028", "counterparty_establishment": "0000",
               "document_ref": "T001-00012345", "destination_ubigeo": "150103"}
    return columns, [example.get(c, "") for c in columns]


def render(ruc: str, fmt: str, today: date) -> bytes:
    columns, example = movement_template(ruc, today)
    if fmt == "csv":
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerows([columns, example])
        return out.getvalue().encode("utf-8")
    if fmt != "xlsx":
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "movements"
    ws.append(columns)
    # Every cell as text: a spreadsheet must not turn 0000 into 0 or a RUC into 2.0E10.
    ws.append(example)
    for row in ws.iter_rows():
        for cell in row:
            cell.number_format = "@"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
