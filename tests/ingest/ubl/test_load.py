"""UBL documents through `traza load`, on DuckDB and PostgreSQL: movements, expected
incoming movements, links, product mappings, the review list, refusals, idempotency."""

from __future__ import annotations

import json
import zipfile
from collections import Counter
from pathlib import Path

from typer.testing import CliRunner

from tests.factories import BUYER, SELLER, Dataset, movement, write_csv
from tests.ingest.ubl.docs import Line, guide, invoice, write
from traza.cli import app
from traza.ingest import load_paths
from traza.store import Database

KEY = f"{SELLER}-09-T001-1"
TABLES = ("movements", "expected_movements", "review_lines", "ubl_documents", "rejections")


def _counts(db: Database) -> dict[str, int]:
    return {t: int(db.scalar(f"SELECT count(*) FROM {t}")) for t in TABLES}


def test_guide_yields_the_sale_and_the_receivers_expected_purchase(registered: Database, docs: Path,
                                                                   data: Dataset) -> None:
    db = registered
    write(docs, "g.xml", guide(lines=(Line(tariff="2807001000", flag="1"),)))
    f = load_paths(db, [docs]).files[0]
    assert (f.kind, f.status, f.rows_accepted, f.rows_rejected) == ("ubl", "accepted", 1, 0)
    assert f.ubl is not None and (f.ubl["guides"], f.ubl["movements"], f.ubl["expected"]) == (1, 1, 1)
    m = db.dicts("SELECT * FROM movements")[0]
    assert (m["declaration_id"], m["declarant_ruc"], m["establishment_code"], m["type"], m["chemical"]) == (
        f"{KEY}-1", SELLER, "0000", "sale", "sulfuric_acid")
    assert (m["quantity_kg"], m["counterparty_ruc"], m["counterparty_establishment"], m["destination_ubigeo"],
            m["document_ref"], m["source_file"]) == (1000.0, BUYER, "0000", "040101", "T001-1", "g.xml")
    extra = json.loads(m["extra"])
    assert (extra["source"], extra["classified_by"], extra["origin_ubigeo"], extra["vehicle"], extra["carrier_ruc"]) == (
        "ubl", "tariff", "150101", "ABC-123", "20100006376")
    e = db.dicts("SELECT * FROM expected_movements")[0]
    assert (e["receiver_ruc"], e["receiver_establishment"], e["type"], e["chemical"], e["quantity_kg"]) == (
        BUYER, "0000", "purchase", "sulfuric_acid", 1000.0)
    assert (e["counterparty_ruc"], e["document_key"], e["movement_key"]) == (SELLER, KEY, m["idem_key"])
    # Not the receiver's declaration: reconciliation sees it open until the buyer declares.
    assert db.scalar("SELECT count(*) FROM expected_movements_open") == 1
    data.movements = [movement("B-9", BUYER, "purchase", 1000, "kg", counterparty_ruc=SELLER, document_ref="T001-1")]
    load_paths(db, data.write("movements"))
    assert db.scalar("SELECT count(*) FROM expected_movements_open") == 0


def test_own_transfer_guide_is_transfer_out_and_expected_transfer_in(registered: Database, docs: Path) -> None:
    write(docs, "g.xml", guide(motive="04", buyer=SELLER, delivery="070101", delivery_est="0001"))
    load_paths(registered, [docs])
    assert registered.query("SELECT type, counterparty_ruc, counterparty_establishment FROM movements") == [
        ("transfer_out", SELLER, "0001")]
    assert registered.query("SELECT type, receiver_establishment FROM expected_movements") == [("transfer_in", "0001")]


def test_invoice_linked_to_its_guide_is_not_counted_twice(registered: Database, docs: Path, tmp_path: Path) -> None:
    db = registered
    write(docs, "g.xml", guide())
    write(docs, "f.xml", invoice(guide_ref="T001-00000001"))  # the same guide, zero-padded
    f = load_paths(db, [docs]).files[0]
    assert f.ubl is not None and (f.ubl["invoices_linked"], f.ubl["movements"]) == (1, 1)
    assert db.scalar("SELECT count(*) FROM movements") == 1
    assert db.query("SELECT linked_guide FROM ubl_documents WHERE doc_type = '01'") == [(KEY,)]
    # The invoice again, alone, in another batch: still linked, still nothing new.
    write(tmp_path / "later", "f2.xml", invoice(guide_ref="T001-1", number="F001-2"))
    load_paths(db, [tmp_path / "later"])
    assert db.scalar("SELECT count(*) FROM movements") == 1
    # An invoice that names no guide is the sale itself.
    write(tmp_path / "alone", "f3.xml", invoice(guide_ref=None, number="F001-3"))
    load_paths(db, [tmp_path / "alone"])
    assert db.query("SELECT declaration_id, type, destination_ubigeo FROM movements WHERE declaration_id LIKE '%-01-%'") == [
        (f"{SELLER}-01-F001-3-1", "sale", "040101")]


def test_resending_documents_changes_nothing(registered: Database, docs: Path, tmp_path: Path) -> None:
    db = registered
    write(docs, "g.xml", guide(lines=(Line(), Line(description="ACETOMA", code="X1"))))
    load_paths(db, [docs])
    before = _counts(db)
    assert before["movements"] == 1 and before["review_lines"] == 1
    again = load_paths(db, [docs]).files[0]
    assert again.status == "already_loaded"
    archive = tmp_path / "same.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(docs / "g.xml", "renamed.xml")
    z = load_paths(db, [archive]).files[0]
    assert (z.status, z.rows_accepted, z.rows_duplicate) == ("accepted", 0, 1)
    assert _counts(db) == before


def test_product_mappings_classify_and_convert_pieces(registered: Database, docs: Path, data: Dataset) -> None:
    db = registered
    data.product_mappings = [
        {"ruc": SELLER, "item_code": "bolsa-25", "chemical": "calcium_oxide", "kg_per_unit": "25"},
        {"ruc": SELLER, "item_code": "AGUA-1", "chemical": "none"},
    ]
    mappings = write_csv(data.folder / "product_mappings.csv", data.product_mappings, "product_mappings")
    write(docs, "g.xml", guide(lines=(
        Line(quantity="40", unit="NIU", description="INSUMO X", code="BOLSA-25"),
        Line(description="CAL VIVA", code="AGUA-1"),  # the seller says: not a controlled chemical
        Line(quantity="10", unit="NIU", description="CAL VIVA EN BOLSAS", code="CV"),  # pieces, no factor
    )))
    report = load_paths(db, [docs, mappings])  # any order: mappings apply first
    assert [f.kind for f in report.files] == ["product_mappings", "ubl"]
    assert [(*r[:4], json.loads(r[4])["classified_by"]) for r in db.query(
        "SELECT chemical, quantity, unit, quantity_kg, extra FROM movements")] == [
        ("calcium_oxide", 1000.0, "kg", 1000.0, "mapping")]
    assert db.query("SELECT kind, line_no, best_guess FROM review_lines") == [("counted_in_pieces", "3", "calcium_oxide")]


def test_flagged_line_that_maps_to_nothing_is_reported(registered: Database, docs: Path) -> None:
    write(docs, "g.xml", guide(lines=(Line(description="PRODUCTO ESPECIAL", code="PE-1", flag="1"),)))
    f = load_paths(registered, [docs]).files[0]
    assert f.status == "partial"  # the document is recorded; its flagged line is not
    [r] = f.rejections
    assert (r.file, r.line, r.column, r.value) == (
        "g.xml", None, "/DespatchAdvice/cac:DespatchLine[1]/cac:Item/cac:AdditionalItemProperty[1]/cbc:Value", "1")
    assert "7022=1" in r.reason and "product mapping" in r.reason
    assert registered.query("SELECT kind, item_code, xpath FROM review_lines") == [("flagged_unmapped", "PE-1", r.column)]
    stored = registered.query("SELECT file_name, line, column_name FROM rejections")
    assert stored == [("g.xml", None, r.column)]


def test_uncertain_lines_go_to_review_and_a_mapping_settles_them(registered: Database, db_url: str, docs: Path,
                                                               data: Dataset) -> None:
    db = registered
    write(docs, "g.xml", guide(lines=(Line(description="ACETOMA", code="AC-1"),)))
    f = load_paths(db, [docs]).files[0]
    assert (f.status, f.rows_accepted) == ("accepted", 0)  # nothing refused: a doubt, not an error
    result = CliRunner().invoke(app, ["review", "-d", db_url, "--format", "json"])
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.output)
    assert (row["kind"], row["best_guess"], row["item_code"]) == ("uncertain", "acetone", "AC-1")
    assert row["xpath"] == "/DespatchAdvice/cac:DespatchLine[1]/cac:Item/cbc:Description"
    data.product_mappings = [{"ruc": SELLER, "item_code": "AC-1", "chemical": "acetone"}]
    load_paths(db, [write_csv(data.folder / "product_mappings.csv", data.product_mappings, "product_mappings")])
    assert db.scalar("SELECT count(*) FROM review_lines_open") == 0
    write(docs, "g2.xml", guide(lines=(Line(description="ACETOMA", code="AC-1"),)).replace("2025-01-10", "2025-01-11"))
    load_paths(db, [docs / "g2.xml"])
    assert db.scalar("SELECT chemical FROM movements") == "acetone"


def test_refusals_name_the_file_the_xpath_and_the_reason(registered: Database, docs: Path) -> None:
    write(docs, "ubigeo.xml", guide("T001-2", delivery="999999"))
    write(docs, "dni.xml", guide("T001-3", buyer="07654321", buyer_scheme="1"))
    write(docs, "qty.xml", guide("T001-4", lines=(Line(quantity="mucho"),)))
    write(docs, "motive.xml", guide("T001-5", motive="13"))
    f = load_paths(registered, [docs]).files[0]
    got = {(r.file, r.column): r for r in f.rejections}
    ship = "/DespatchAdvice/cac:Shipment"
    assert "unknown ubigeo" in got[("docs/ubigeo.xml", f"{ship}/cac:Delivery/cac:DeliveryAddress/cbc:ID")].reason
    dni = got[("docs/dni.xml", "/DespatchAdvice/cac:DeliveryCustomerParty/cac:Party/cac:PartyIdentification/cbc:ID")]
    assert "not by RUC" in dni.reason or "RUC" in dni.reason
    assert "not a number" in got[("docs/qty.xml", "/DespatchAdvice/cac:DespatchLine[1]/cbc:DeliveredQuantity")].reason
    assert "motive 13" in got[("docs/motive.xml", f"{ship}/cbc:HandlingCode")].reason
    assert all(r.line is None and r.column.startswith("/") for r in f.rejections)
    assert registered.scalar("SELECT count(*) FROM movements") == 0


def test_real_samples_load_without_a_crash(db: Database, tmp_path: Path) -> None:
    from tests.ingest.ubl.docs import SAMPLES

    f = load_paths(db, [SAMPLES]).files[0]
    assert f.kind == "ubl" and f.ubl is not None
    assert (f.ubl["documents"], f.ubl["guides"], f.ubl["invoices"], f.ubl["documents_refused"]) == (31, 22, 8, 1)
    cdr = [r for r in f.rejections if r.file.endswith("R-20000000001-09-T001-1.xml")]
    assert [(r.column, "not a commercial document" in r.reason) for r in cdr] == [("/ar:ApplicationResponse", True)]
    # The acetone lines of an unregistered issuer are refused; nothing is recorded for it.
    assert db.scalar("SELECT count(*) FROM movements") == 0
    assert db.scalar("SELECT count(*) FROM ubl_documents") == 30
    assert all(r.file and r.column and r.column.startswith("/") and r.reason for r in f.rejections)


def test_real_samples_create_movements_when_a_mapping_says_so(db: Database, data: Dataset, tmp_path: Path) -> None:
    from tests.ingest.ubl.docs import SAMPLES

    issuer = "20338570041"
    data.operators = [{"ruc": issuer, "name": "Peru Quimicos SAC", "sector": "distributor",
                       "registered_on": "2010-01-01", "status": "active"}]
    data.establishments = [{"ruc": issuer, "establishment_code": "0000", "ubigeo": "150110", "address": "Conchan"}]
    data.product_mappings = [{"ruc": issuer, "item_code": "0000006532", "chemical": "sodium_hypochlorite",
                              "kg_per_unit": "20"}]
    files = [*data.write("operators", "establishments", "product_mappings"), SAMPLES / "guias"]
    load_paths(db, files)
    by = Counter(json.loads(e)["classified_by"] for (e,) in db.query("SELECT extra FROM movements"))
    assert by == {"mapping": 7, "description": 3}  # water drums as mapped; acetone by its name
    assert db.scalar("SELECT sum(quantity_kg) FROM movements WHERE chemical = 'sodium_hypochlorite'") == 140.0


def test_cli_load_of_a_zip_shows_the_ubl_summary(registered: Database, db_url: str, docs: Path, tmp_path: Path) -> None:
    archive = tmp_path / "lote.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("g.xml", guide())
        z.writestr("f.xml", invoice())
    result = CliRunner().invoke(app, ["load", str(archive), "-d", db_url])
    assert result.exit_code == 0, result.output
    assert "UBL documents" in result.output and "documents/s" in result.output
    assert registered.scalar("SELECT source_file FROM movements") == "lote.zip:g.xml"
