"""SUNAT's PLE 12.1 TXT through `traza load`, on DuckDB and PostgreSQL: each mapped operation
type becomes its movement, every status is kept, a line traza cannot take is refused naming
its PLE field, a reload changes nothing, and a PLE purchase finds the seller through the
guide number of the seller's own declaration."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tests.factories import BUYER, SELLER, Dataset, movement, write_csv
from traza.ingest import load_paths
from traza.ingest.ple_tables import OPERATIONS, field
from traza.ingest.readers import discover
from traza.store import Database

PERIOD = "202501"


def ple_name(ruc: str = SELLER, period: str = PERIOD) -> str:
    return f"LE{ruc}{period}00120100001111.txt"


def line(cuo: str = "CUO-1", corr: str = "M0001", *, op: str = "02", qty_in: str = "1000.00", qty_out: str = "0.00",
         item: str = "ACID", unit: str = "KGM", day: str = "10/01/2025", period: str = PERIOD + "00",
         status: str = "1", est: str = "0000", series: str = "T001", number: str = "123", extra: str = "") -> str:
    fields = [period, cuo, corr, est, "9", "01", item, "", "", day, "09", series, number, op,
              f"Producto {item}", unit, qty_in, qty_out, status]
    return "|".join(fields) + "|" + extra + "\n"


def write_ple(folder: Path, lines: list[str], name: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (name or ple_name())
    path.write_text("".join(lines), encoding="utf-8")
    return path


@pytest.fixture
def registered(db: Database, data: Dataset) -> Database:
    """The operators and establishments of the dataset, and the seller's item mappings."""
    data.product_mappings = [
        {"ruc": SELLER, "item_code": "ACID", "chemical": "sulfuric_acid", "kg_per_unit": ""},
        {"ruc": SELLER, "item_code": "KERO", "chemical": "kerosene", "kg_per_unit": ""},
        {"ruc": SELLER, "item_code": "CAL-25", "chemical": "calcium_oxide", "kg_per_unit": "25"},
        {"ruc": SELLER, "item_code": "AGUA", "chemical": "none", "kg_per_unit": ""},
        {"ruc": BUYER, "item_code": "H2SO4", "chemical": "sulfuric_acid", "kg_per_unit": ""},
    ]
    report = load_paths(db, data.write("operators", "establishments", "product_mappings"))
    assert report.rows_rejected == 0
    return db


def _movements(db: Database) -> list[dict[str, object]]:
    return db.dicts("SELECT * FROM movements ORDER BY source_line")


def test_every_operation_traza_maps_becomes_its_movement(registered: Database, tmp_path: Path) -> None:
    mapped = [(code, op.entry, op.exit) for code, op in OPERATIONS.items() if op.entry or op.exit]
    lines = []
    for i, (code, entry, _) in enumerate(mapped):
        qty_in, qty_out = ("500.00", "0.00") if entry else ("0.00", "-500.00")
        lines.append(line(f"CUO-{i}", "M0001", op=code, qty_in=qty_in, qty_out=qty_out))
    f = load_paths(registered, [write_ple(tmp_path, lines)]).files[0]
    assert (f.kind, f.status, f.rows_total, f.rows_accepted, f.rows_rejected) == ("ple", "accepted", len(mapped), len(mapped), 0)
    got = _movements(registered)
    assert [m["type"] for m in got] == [entry or exit_ for _, entry, exit_ in mapped]
    for i, (m, (code, _, _)) in enumerate(zip(got, mapped, strict=True)):
        assert (m["declarant_ruc"], m["chemical"], m["quantity_kg"], str(m["date"])) == (SELLER, "sulfuric_acid", 500.0, "2025-01-10")
        assert (m["document_ref"], m["declaration_id"]) == ("T001-123", f"CUO-{i}-M0001-ACID")
        extra = json.loads(str(m["extra"]))
        assert (extra["source"], extra["ple_operation"], extra["ple_status"], extra["ple_period"]) == ("ple", code, "1", "20250100")
        if code in ("11", "21"):  # between the declarant's own warehouses
            assert m["counterparty_ruc"] == SELLER


def test_units_counts_and_items_not_controlled(registered: Database, tmp_path: Path) -> None:
    lines = [line("C1", item="KERO", unit="GLL", qty_in="100"), line("C2", item="ACID", unit="LBR", qty_in="1000"),
             line("C3", item="CAL-25", unit="NIU", qty_in="40"), line("C4", item="ACID", unit="TNE", qty_in="2.5"),
             line("C5", item="AGUA", unit="LTR", qty_in="300")]
    f = load_paths(registered, [write_ple(tmp_path, lines)]).files[0]
    assert (f.status, f.rows_total, f.rows_accepted) == ("accepted", 4, 4)  # the water is no movement
    kg = {m["declaration_id"]: m["quantity_kg"] for m in _movements(registered)}
    assert kg["C1-M0001-KERO"] == pytest.approx(100 * 3.785411784 * 0.80)
    assert kg["C2-M0001-ACID"] == pytest.approx(1000 * 0.45359237)
    assert kg["C3-M0001-CAL-25"] == pytest.approx(40 * 25)
    assert kg["C4-M0001-ACID"] == pytest.approx(2500)


def test_every_status_is_kept_in_the_period_of_its_line(registered: Database, tmp_path: Path) -> None:
    lines = [line("C1", status="1"),
             line("C2", status="8", period="20241200", day="20/12/2024"),
             line("C3", status="9", period="20241100", day="05/11/2024")]
    f = load_paths(registered, [write_ple(tmp_path, lines)]).files[0]
    assert (f.status, f.rows_accepted) == ("accepted", 3)
    got = {json.loads(str(m["extra"]))["ple_status"]: (str(m["date"]), json.loads(str(m["extra"]))["ple_period"])
           for m in _movements(registered)}
    assert got == {"1": ("2025-01-10", "20250100"), "8": ("2024-12-20", "20241200"), "9": ("2024-11-05", "20241100")}


# One malformed line each: (what, the line, the field the refusal names, words of its reason).
MALFORMED = [
    ("too few fields", "20250100|CUO|M1|0000|\n", None, "a PLE 12.1 line has 19"),
    ("bad period", line(period="2025-01"), field(1), "AAAAMM00"),
    ("period of another file", line(period="20250200"), field(1), "after the file's"),
    ("earlier period with estado 1", line(period="20241200", day="01/12/2024"), field(1), "estado 8 or 9"),
    ("bad date", line(day="2025-01-10"), field(10), "DD/MM/AAAA"),
    ("impossible date", line(day="31/02/2025"), field(10), "DD/MM/AAAA"),
    ("unknown operation type", line(op="45"), field(14), "table 12"),
    ("operation traza does not record", line(op="12"), field(14), "is not a movement traza records"),
    ("return", line(op="24"), field(14), "no return type"),
    ("sale recorded as an entry", line(op="01"), field(14), "is an exit"),
    ("unknown unit", line(unit="XYZ"), field(16), "unknown unit"),
    ("unit of the first table 6", line(unit="01"), field(16), "first table 6"),
    ("both quantities zero", line(qty_in="0.00"), field(17), "both quantities are zero"),
    ("both quantities", line(qty_out="-5.00"), field(17), "exclude each other"),
    ("non-numeric quantity", line(qty_in="1,000.00"), field(17), "not a number"),
    ("bad status", line(status="2"), field(19), "expected 1"),
    ("estado 8 in the file's own period", line(status="8"), field(19), "earlier period"),
    ("bad correlative", line(corr="X1"), field(3), "A (opening), M (month) or C"),
    ("unmapped item", line(item="SECRET"), field(7), "product_mappings.csv"),
    ("unknown establishment", line(est="0042"), field(4), "not in the registry"),
    ("counted in pieces without kg_per_unit", line(item="ACID", unit="NIU"), field(16), "kg_per_unit"),
]


@pytest.mark.parametrize(("what", "text", "column", "words"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_a_malformed_line_is_refused_naming_its_field(registered: Database, tmp_path: Path, what: str, text: str,
                                                      column: str | None, words: str) -> None:
    path = write_ple(tmp_path, [line("GOOD"), text])
    f = load_paths(registered, [path]).files[0]
    assert (f.status, f.rows_accepted, f.rows_rejected) == ("partial", 1, 1), f.rejections
    [r] = f.rejections
    assert (r.file, r.line, r.column) == (path.name, 2, column) and words in r.reason, r
    assert registered.scalar("SELECT count(*) FROM rejections WHERE line = 2 AND reason LIKE ?", (f"%{words}%",)) == 1


def test_a_correction_of_a_line_held_with_other_content_is_refused(registered: Database, tmp_path: Path) -> None:
    december = write_ple(tmp_path / "dec", [line("C1", qty_in="100", period="20241200", day="02/12/2024")],
                         name=ple_name(period="202412"))
    assert load_paths(registered, [december]).files[0].status == "accepted"
    fix = line("C1", qty_in="120", period="20241200", day="02/12/2024", status="9")
    f = load_paths(registered, [write_ple(tmp_path, [fix])]).files[0]
    [r] = f.rejections
    assert (f.status, r.column) == ("rejected", f"{field(2)} / {field(3)}") and "never edited" in r.reason
    assert registered.scalar("SELECT sum(quantity_kg) FROM movements") == 100


def test_an_ansi_file_is_read(registered: Database, tmp_path: Path) -> None:
    path = tmp_path / ple_name()
    path.write_bytes(line("C1").replace("Producto ACID", "ÁCIDO SULFÚRICO").encode("cp1252"))
    f = load_paths(registered, [path]).files[0]
    assert (f.status, f.rows_accepted) == ("accepted", 1)
    assert json.loads(str(_movements(registered)[0]["extra"]))["description"] == "ÁCIDO SULFÚRICO"


def test_opening_balances_are_read_and_not_recorded(registered: Database, tmp_path: Path) -> None:
    # Every monthly book opens with its balances (operation 16, zero included): not movements,
    # and not refusals either; a malformed one is still refused.
    path = write_ple(tmp_path, [line("CUO-0", "A0001", op="16", qty_in="500.00"),
                                line("CUO-Z", "A0002", op="16", qty_in="0.00"),
                                line("CUO-1", "M0001")])
    [f] = load_paths(registered, [path]).files
    assert (f.status, f.rows_total, f.rows_accepted, f.rejections) == ("accepted", 1, 1, [])
    bad = write_ple(tmp_path / "again", [line("CUO-0", "A0001", op="16", day="2025-01-01")])
    [g] = load_paths(registered, [bad]).files
    assert g.status == "rejected" and g.rejections[0].column == field(10)


def test_reloading_changes_nothing(registered: Database, tmp_path: Path) -> None:
    path = write_ple(tmp_path, [line("C1"), line("C2", op="01", qty_in="0.00", qty_out="-10.00")])
    assert load_paths(registered, [path]).files[0].status == "accepted"
    before = registered.dicts("SELECT * FROM movements ORDER BY movement_id")
    again = load_paths(registered, [path]).files[0]
    assert again.status == "already_loaded"
    # The same lines in a file sent again with one more line: only the new one is added.
    grown = write_ple(tmp_path / "again", [line("C1"), line("C2", op="01", qty_in="0.00", qty_out="-10.00"), line("C3")])
    f = load_paths(registered, [grown]).files[0]
    assert (f.status, f.rows_accepted, f.rows_duplicate) == ("accepted", 1, 2)
    after = registered.dicts("SELECT * FROM movements ORDER BY movement_id")
    assert after[:2] == before and len(after) == 3


def test_a_ple_purchase_finds_the_seller_through_the_guide(registered: Database, data: Dataset, tmp_path: Path) -> None:
    sales = [movement("S-9", SELLER, "sale", 800, "kg", date="2025-01-09", counterparty_ruc=BUYER,
                      document_ref="T001-123", destination_ubigeo="040101"),
             movement("S-10", SELLER, "sale", 70, "kg", date="2025-01-09", counterparty_ruc=BUYER,
                      document_ref="T001-00000456", destination_ubigeo="040101")]
    write_csv(tmp_path / "movements.csv", sales, "movements")
    buyer = write_ple(tmp_path, [line("B1", item="H2SO4", qty_in="800", number="00000123"),
                                 line("B2", item="H2SO4", qty_in="5", number="999"),
                                 line("B3", item="H2SO4", qty_in="70", number="456")], name=ple_name(BUYER))
    report = load_paths(registered, [buyer, tmp_path / "movements.csv"])
    assert report.rows_rejected == 0
    got = {m["declaration_id"]: m for m in registered.dicts("SELECT * FROM movements WHERE declarant_ruc = ?", (BUYER,))}
    assert got["B1-M0001-H2SO4"]["counterparty_ruc"] == SELLER
    assert got["B1-M0001-H2SO4"]["document_ref"] == "T001-00000123"
    assert got["B2-M0001-H2SO4"]["counterparty_ruc"] is None  # no declaration of that guide names the buyer
    assert got["B3-M0001-H2SO4"]["counterparty_ruc"] == SELLER  # the seller wrote the zeros


def test_a_file_without_lines_is_an_empty_submission(registered: Database, tmp_path: Path) -> None:
    """Indicator I = 0: a lawful "no operations this period"."""
    path = write_ple(tmp_path, [], name=f"LE{SELLER}{PERIOD}00120100001011.txt")
    f = load_paths(registered, [path]).files[0]
    assert (f.kind, f.status, f.rows_total) == ("ple", "empty", 0)
    # The same bytes are every period's empty book: each is a declaration of its own.
    assert load_paths(registered, [path]).files[0].status == "empty"


def test_a_file_claimed_by_its_content_needs_the_ruc_in_its_name(registered: Database, tmp_path: Path) -> None:
    path = write_ple(tmp_path, [line("C1")], name="inventario.txt")
    f = load_paths(registered, [path]).files[0]
    assert (f.kind, f.status) == ("ple", "rejected")
    [r] = f.rejections
    assert r.column == "file name" and "LE + RUC" in r.reason
    assert registered.scalar("SELECT count(*) FROM movements") == 0


def test_another_ple_book_is_refused_naming_it(registered: Database, tmp_path: Path) -> None:
    path = write_ple(tmp_path, [line("C1")], name=f"LE{SELLER}{PERIOD}00140100001111.txt")
    [r] = load_paths(registered, [path]).files[0].rejections
    assert r.column == "file name" and "PLE book 140100, not 12.1" in r.reason


def test_a_folder_gives_its_ple_files_and_no_other_txt(tmp_path: Path) -> None:
    ple = write_ple(tmp_path, [line("C1")])
    (tmp_path / "notes.txt").write_text("hello\n", encoding="utf-8")
    assert discover([tmp_path]) == [ple]


@pytest.mark.parametrize("buyer_sends_ple", [True, False])
def test_the_sellers_delivery_is_matched_by_the_buyers_ple(registered: Database, tmp_path: Path,
                                                           buyer_sends_ple: bool) -> None:
    """Detection pairs the two sides (unmatched_transfer): the PLE purchase now names the seller."""
    from tests.detect.cases import run

    sale = movement("S-9", SELLER, "sale", 800, "kg", date="2025-01-09", counterparty_ruc=BUYER,
                    document_ref="T001-123", destination_ubigeo="040101")
    files = [write_csv(tmp_path / "movements.csv", [sale], "movements")]
    if buyer_sends_ple:
        files.append(write_ple(tmp_path, [line("B1", item="H2SO4", qty_in="800", number="123")], name=ple_name(BUYER)))
    assert load_paths(registered, files).rows_rejected == 0
    # As of today: a movement counts from when traza received it (a PLE line has no declared_on).
    findings = run(registered, "unmatched_transfer", date.today().isoformat())
    assert [(f.ruc, f.detail) for f in findings] == ([] if buyer_sends_ple else [(BUYER, SELLER)])
