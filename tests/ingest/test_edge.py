"""The edge of every reader (ingest/edge.py), on each backend: NUL and controls are refused
as rejections naming line and column (findings 6), identifiers read as ASCII (7), limits
refuse a file early (10), declaration ids keep to a safe charset (11)."""

from __future__ import annotations

import time
from pathlib import Path

from openpyxl import Workbook

from tests.factories import BUYER, SELLER, Dataset, movement, write_csv
from traza.ingest import load_paths
from traza.store import Database

# ingest/edge.py's limits, written out so that this file also runs (and fails) on a tree
# without them.
MAX_COLUMNS, MAX_CELL_CHARS = 100, 2_000


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "0" <= c <= "9" else c for c in text)


def arabic_indic(text: str) -> str:
    return "".join(chr(ord(c) - ord("0") + 0x0660) if "0" <= c <= "9" else c for c in text)


def _seed(db: Database, data: Dataset) -> None:
    report = load_paths(db, data.write(), submitted_by="test")
    assert report.rows_rejected == 0, report.rejections


def test_nul_and_control_characters_are_rejections_naming_line_and_column(db: Database, data: Dataset,
                                                                          tmp_path: Path) -> None:
    _seed(db, data)
    rows = [movement("N-1", SELLER, "consumption", 5, "kg", date="2025-02-01", document_ref="a\x00b"),
            movement("N\x07-2", SELLER, "consumption", 5, "kg", date="2025-02-01"),
            movement("N-3", SELLER, "consumption", 5, "kg", date="2025-02-01", document_ref="fine\nmultiline")]
    path = write_csv(tmp_path / "movements-nul.csv", rows, "movements")
    report = load_paths(db, [path], submitted_by="test")
    got = {(r.line, r.column): (r.value, r.reason) for r in report.rejections}
    assert set(got) == {(2, "document_ref"), (3, "declaration_id")}, report.rejections
    assert got[(2, "document_ref")][0] == "a\\x00b" and "NUL" in got[(2, "document_ref")][1]
    assert "control character" in got[(3, "declaration_id")][1]
    assert report.rows_accepted == 1
    stored = db.query("SELECT line, column_name, value FROM rejections WHERE file_name = 'movements-nul.csv' "
                      "ORDER BY line")
    assert stored == [(2, "document_ref", "a\\x00b"), (3, "declaration_id", "N\\x07-2")]


def test_a_control_character_in_the_header_refuses_the_file_naming_the_column(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "movements-h.csv"
    path.write_bytes(b"declarant_ruc,establishment\x00_code,date,type,chemical,quantity,unit\n")
    [f] = load_paths(db, [path]).files
    assert f.status == "rejected"
    [why] = f.rejections
    assert (why.line, why.column) == (1, "column 2") and "NUL" in why.reason


def test_full_width_ruc_is_the_same_operator_and_other_scripts_are_refused(db: Database, data: Dataset,
                                                                          tmp_path: Path) -> None:
    _seed(db, data)
    operators = db.query("SELECT ruc FROM operators ORDER BY ruc")
    twin = dict(data.operators[0], ruc=full_width(SELLER))  # "２０..." is SELLER, changed in nothing
    arabic = dict(data.operators[1], ruc=arabic_indic(BUYER), name="Otra")
    path = write_csv(tmp_path / "operators-fw.csv", [twin, arabic], "operators")
    [f] = load_paths(db, [path]).files
    assert (f.rows_accepted, f.rows_duplicate) == (0, 1)
    [why] = f.rejections
    assert (why.line, why.column) == (3, "ruc") and "ASCII" in why.reason
    assert db.query("SELECT ruc FROM operators ORDER BY ruc") == operators
    assert all(r[0].isascii() for r in db.query("SELECT ruc FROM operator_versions"))
    # A movement's counterparty in full-width digits is the registered buyer, stored in ASCII.
    sale = movement("FW-1", SELLER, "sale", 5, "kg", date="2025-02-01", counterparty_ruc=full_width(BUYER),
                    destination_ubigeo="040101")
    [m] = load_paths(db, [write_csv(tmp_path / "movements-fw.csv", [sale], "movements")]).files
    assert m.rows_accepted == 1, m.rejections
    assert db.query("SELECT counterparty_ruc, counterparty_registered FROM movements WHERE declaration_id = 'FW-1'") \
        == [(BUYER, True)]


def test_a_wide_file_is_refused_before_it_is_read(db: Database, tmp_path: Path) -> None:
    # 5,000 columns in 34 KB once held a worker for 55 s (DuckDB's sniffer).
    path = tmp_path / "movements-wide.csv"
    header = ["declarant_ruc", "establishment_code", "date", "type", "chemical", "quantity", "unit"]
    header += [f"c{i}" for i in range(5_000 - len(header))]
    path.write_text(",".join(header) + "\n" + ",".join("1" for _ in header) + "\n")
    started = time.perf_counter()
    [f] = load_paths(db, [path]).files
    assert time.perf_counter() - started < 10
    assert f.status == "rejected"
    [why] = f.rejections
    assert why.line == 1 and "5,000 columns" in why.reason and f"at most {MAX_COLUMNS}" in why.reason
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(header)
    wb.save(tmp_path / "movements-wide.xlsx")
    [x] = load_paths(db, [tmp_path / "movements-wide.xlsx"]).files
    assert x.status == "rejected" and f"at most {MAX_COLUMNS}" in x.rejections[0].reason


def test_cell_identifier_and_row_limits(db: Database, data: Dataset, tmp_path: Path) -> None:
    _seed(db, data)
    rows = [movement("L-1", SELLER, "consumption", 5, "kg", date="2025-02-01", document_ref="x" * (MAX_CELL_CHARS + 1)),
            movement("L-2" + "9" * 70, SELLER, "consumption", 5, "kg", date="2025-02-01"),
            movement("L-3", SELLER, "consumption", 5, "kg", date="2025-02-01")]
    [f] = load_paths(db, [write_csv(tmp_path / "movements-long.csv", rows, "movements")]).files
    assert {(r.line, r.column) for r in f.rejections} == {(2, "document_ref"), (3, "declaration_id")}
    assert all("expected at most" in r.reason for r in f.rejections) and f.rows_accepted == 1
    many = [movement(f"R-{i}", SELLER, "consumption", 1, "kg", date="2025-02-01") for i in range(6)]
    [r] = load_paths(db, [write_csv(tmp_path / "movements-many.csv", many, "movements")], max_rows=5).files
    assert r.status == "rejected" and r.rows_accepted == 0 and "at most 5 rows" in r.rejections[0].reason


def test_a_cell_beyond_the_csv_readers_own_limit_is_named_with_its_line_and_field(
        db: Database, data: Dataset, tmp_path: Path) -> None:
    """A 5 MB cell stops Python's csv module before any field check: the refusal still names
    the line, the field and its limit (found by an outside tester: it named neither)."""
    _seed(db, data)
    rows = [movement("H-1", SELLER, "consumption", 5, "kg", date="2025-02-01"),
            movement("H-2", SELLER, "consumption", 5, "kg", date="2025-02-01", document_ref="y" * 5_000_000)]
    [f] = load_paths(db, [write_csv(tmp_path / "movements-5mb.csv", rows, "movements")]).files
    assert f.status == "rejected"
    [r] = f.rejections
    assert (r.line, r.column) == (3, "document_ref") and f"expected at most {MAX_CELL_CHARS:,}" in r.reason, r


def test_declaration_ids_keep_to_a_safe_charset(db: Database, data: Dataset, tmp_path: Path) -> None:
    _seed(db, data)
    rows = [movement('=HYPERLINK("http://x","y")', SELLER, "consumption", 5, "kg", date="2025-02-01"),
            movement("+1", SELLER, "consumption", 5, "kg", date="2025-02-01"),
            movement("F001-123/2", SELLER, "consumption", 5, "kg", date="2025-02-01")]
    [f] = load_paths(db, [write_csv(tmp_path / "movements-ids.csv", rows, "movements")]).files
    assert {(r.line, r.column) for r in f.rejections} == {(2, "declaration_id"), (3, "declaration_id")}
    assert "a letter or digit" in f.rejections[0].reason
    assert db.query("SELECT declaration_id FROM movements WHERE declaration_id LIKE 'F001%'") == [("F001-123/2",)]
