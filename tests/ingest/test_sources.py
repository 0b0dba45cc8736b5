"""Reading files: CSV quirks, broken files and XLSX, on each backend."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from tests.factories import Dataset
from traza.ingest import load_paths
from traza.store import Database


def _load_registry(db: Database, data: Dataset) -> None:
    assert load_paths(db, data.write("operators", "establishments")).rows_rejected == 0


def test_record_with_wrong_field_count_names_its_line(db: Database, data: Dataset) -> None:
    _load_registry(db, data)
    path = data.write("movements")[0]
    lines = path.read_text().splitlines()
    lines.insert(2, lines[1] + ",surplus")
    path.write_text("\n".join(lines) + "\n")
    width = len(lines[0].split(","))
    report = load_paths(db, [path])
    assert [(r.line, r.reason) for r in report.rejections] == [(3, f"record has {width + 1} fields, the header has {width}")]
    assert report.rows_accepted == 4


def test_quoted_line_breaks_keep_true_line_numbers(db: Database, data: Dataset) -> None:
    _load_registry(db, data)
    data.movements[0]["document_ref"] = "first line\nsecond line"
    data.movements[3]["quantity"] = "-1"
    report = load_paths(db, data.write("movements"))
    # the record of movement 0 spans lines 2-3, so movement 3 starts on line 6
    assert [(r.line, r.column) for r in report.rejections] == [(6, "quantity")]
    assert db.scalar("SELECT document_ref FROM movements WHERE declaration_id = 'S-1'") == "first line\nsecond line"


def test_blank_lines_and_spaces_are_tolerated(db: Database, data: Dataset) -> None:
    _load_registry(db, data)
    path = data.write("movements")[0]
    text = path.read_text().replace(",sale,", ", sale ,")
    path.write_text(text.replace("\n", "\n\n", 2))
    report = load_paths(db, [path])
    assert report.rows_rejected == 0 and report.rows_accepted == 4


def test_not_utf8_is_refused_whole(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "operators.csv"
    path.write_bytes("ruc,name,sector,registered_on,status\n20000000011,Qu\u00edmica,other,2020-01-01,active\n".encode("latin-1"))
    report = load_paths(db, [path])
    assert report.files[0].status == "rejected"
    assert "not UTF-8" in report.rejections[0].reason
    assert db.scalar("SELECT status FROM submissions") == "rejected"


def test_missing_required_column_is_named(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "movements.csv"
    path.write_text("declarant_ruc,establishment_code,date,type,chemical,quantity\n20000000011,0000,2025-01-01,loss,acetone,5\n")
    report = load_paths(db, [path])
    assert report.files[0].status == "rejected"
    assert [(r.line, r.column) for r in report.rejections] == [(1, "unit")]
    assert "missing required column unit" in report.rejections[0].reason


def test_unknown_file_is_refused_with_what_is_expected(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "prices.csv"
    path.write_text("product,price\nx,1\n")
    report = load_paths(db, [path])
    assert report.files[0].kind is None
    assert "cannot tell what this file holds" in report.rejections[0].reason


def test_empty_file_is_refused(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "operators.csv"
    path.write_text("")
    report = load_paths(db, [path])
    assert report.files[0].status == "rejected"
    assert "empty" in report.rejections[0].reason


def test_repeated_header_column_is_refused(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "operators.csv"
    path.write_text("ruc,name,name,sector,registered_on,status\n")
    report = load_paths(db, [path])
    assert "repeated columns ['name']" in report.rejections[0].reason


def test_header_only_file_is_kept_as_empty_not_accepted(db: Database, tmp_path: Path) -> None:
    # A header alone is a lawful "nothing this period", but "accepted" told a sender whose
    # export lost its rows that all was well: it has a status of its own, and sent again
    # (next month's "nothing") it is another declaration, not "already loaded".
    path = tmp_path / "operators.csv"
    path.write_text("ruc,name,sector,registered_on,status\n")
    first = load_paths(db, [path]).files[0]
    assert (first.status, first.rows_total, first.rejections) == ("empty", 0, [])
    assert db.scalar("SELECT status FROM submissions WHERE submission_id = ?", (first.submission_id,)) == "empty"
    again = load_paths(db, [path]).files[0]
    assert again.status == "empty" and again.submission_id not in (None, first.submission_id)


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_xlsx_equivalents_load_with_row_numbers(db: Database, data: Dataset, tmp_path: Path) -> None:
    import datetime as dt

    from tests.factories import BUYER, SELLER

    _load_registry(db, data)
    path = _xlsx(tmp_path / "movimientos.xlsx", [
        ["declaration_id", "declarant_ruc", "establishment_code", "date", "type", "chemical", "quantity", "unit",
         "counterparty_ruc", "destination_ubigeo"],
        ["X-1", SELLER, "0000", dt.date(2025, 2, 1), "sale", "sulfuric_acid", 150.5, "kg", BUYER, "040101"],
        ["X-2", SELLER, "0000", dt.datetime(2025, 2, 2), "consumption", "sulfuric_acid", 10, "kg", None, None],
        ["X-3", SELLER, "0000", "2025-02-03", "consumption", "sulfuric_acid", -3, "kg", None, None],
    ])
    report = load_paths(db, [path])
    assert report.files[0].kind == "movements"
    assert [(r.line, r.column) for r in report.rejections] == [(4, "quantity")]
    got = db.query("SELECT declaration_id, date, quantity FROM movements ORDER BY declaration_id")
    assert [(g[0], str(g[1]), g[2]) for g in got] == [("X-1", "2025-02-01", 150.5), ("X-2", "2025-02-02", 10.0)]


def test_broken_xlsx_is_refused(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "operators.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    report = load_paths(db, [path])
    assert report.files[0].status == "rejected"
    assert "not a readable XLSX" in report.rejections[0].reason


def test_an_unclosed_quote_is_named_with_the_lines_it_swallowed(db: Database, tmp_path: Path) -> None:
    # The field count is only a symptom: the sender is told which quote to close, and that
    # the lines after it were not read (nothing of them is silently lost).
    path = tmp_path / "movements.csv"
    head = "declaration_id,declarant_ruc,establishment_code,date,type,chemical,quantity,unit\n"
    good = "D{n},20100066603,0000,2025-01-10,sale,sulfuric_acid,100,kg\n"
    path.write_text(head + 'D1,20100066603,0000,2025-01-10,sale,sulfuric_acid,"100,kg\n'
                    + good.format(n=2) + good.format(n=3))
    report = load_paths(db, [path])
    (r,) = report.rejections
    assert (r.line, r.column) == (2, "quantity")
    assert "a quote opened in quantity is not closed" in r.reason
    assert "over lines 3-4" in r.reason
    assert report.rows_accepted == 0
