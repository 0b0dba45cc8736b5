"""Declarations through the API load exactly what ``traza load`` loads."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook

from tests.api.conftest import World
from tests.factories import BUYER, SELLER, movement, write_csv
from traza.ingest import load_paths
from traza.store import open_database

COLUMNS = ("declaration_id, declarant_ruc, establishment_code, date, type, chemical, quantity, unit, quantity_kg, "
           "counterparty_ruc, counterparty_registered, document_ref, destination_ubigeo")


def ledger(db: object) -> list[tuple[object, ...]]:
    return db.query(f"SELECT {COLUMNS} FROM movements ORDER BY declarant_ruc, declaration_id, date, type")  # type: ignore[attr-defined,no-any-return]


def rows() -> list[dict[str, object]]:
    return [
        movement("N-1", SELLER, "sale", 300, "kg", date="2025-03-02", counterparty_ruc=BUYER, destination_ubigeo="040101"),
        movement("N-2", SELLER, "sale", -3, "kg", date="2025-03-03", counterparty_ruc=BUYER, destination_ubigeo="040101"),
        movement("N-3", SELLER, "loss", 2, "l", date="2025-03-04"),
        movement("N-4", SELLER, "sale", 5, "kg", date="2025-03-05", counterparty_ruc=BUYER),  # no destination
    ]


def test_file_upload_equals_traza_load(world: World, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "mine.csv", rows(), "movements")
    r = world.client.post("/v1/declarations/files", headers=world.as_("seller"),
                          files={"file": ("mine.csv", path.read_bytes(), "text/csv")})
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["status"] == "partial" and out["rows_accepted"] == 2 and out["rows_rejected"] == 2
    assert {(x["line"], x["column"]) for x in out["rejections"]} == {(3, "quantity"), (5, "destination_ubigeo")}
    sub = world.client.get(f"/v1/submissions/{out['submission_id']}", headers=world.as_("seller")).json()
    assert sub["status"] == "partial" and len(sub["rejections"]) == 2
    # The same file loaded by `traza load` into a fresh database with the same registry.
    ref = open_database(f"duckdb:///{tmp_path / 'ref.duckdb'}")
    seed = sorted((tmp_path / "seed").glob("*.csv"))
    load_paths(ref, seed, submitted_by="test")
    load_paths(ref, [path], submitted_by="cli")
    with world.db() as db:
        assert ledger(db) == ledger(ref)
    ref.close()
    # Resending changes nothing.
    again = world.client.post("/v1/declarations/files", headers=world.as_("seller"),
                              files={"file": ("mine.csv", path.read_bytes(), "text/csv")}).json()
    assert again["rows_accepted"] == 0 and again["rows_duplicate"] == 2


def test_xlsx_and_json_batch(world: World, tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    good = rows()[:1] + rows()[2:3]
    cols = list(good[0].keys())
    ws.append(cols)
    for m in good:
        ws.append([m.get(c, "") for c in cols])
    wb.save(tmp_path / "m.xlsx")
    r = world.client.post("/v1/declarations/files", headers=world.as_("seller"),
                          files={"file": ("m.xlsx", (tmp_path / "m.xlsx").read_bytes(), "application/octet-stream")})
    assert r.status_code == 200 and r.json()["status"] == "accepted", r.text
    batch = {"name": "erp-2025-03", "movements": [
        {k: v for k, v in m.items() if k != "declarant_ruc" and v != ""} | {"declaration_id": f"J-{i}"}
        for i, m in enumerate(rows())]}
    out = world.client.post("/v1/declarations/batch", headers=world.as_("seller"), json=batch).json()
    assert out["file_name"] == "movements-erp-2025-03.csv" and out["rows_accepted"] == 2 and out["rows_rejected"] == 2
    again = world.client.post("/v1/declarations/batch", headers=world.as_("seller"), json=batch).json()
    assert again["rows_accepted"] == 0 and again["rows_duplicate"] == 2
    lines = [x["line"] for x in out["rejections"]]
    assert lines == [3, 5]  # line 2 is the first movement of the batch


def test_upload_limits(world: World) -> None:
    big = b"x" * (world.app.state.traza.settings.max_upload_bytes + 1)
    r = world.client.post("/v1/declarations/files", headers=world.as_("seller"), files={"file": ("m.csv", big, "text/csv")})
    assert r.status_code == 413 and r.json()["error"]["code"] == "payload_too_large"
    r = world.client.post("/v1/declarations/files", headers=world.as_("seller"),
                          files={"file": ("m.csv", b"\xff\xfe\x00bad", "text/csv")})
    assert r.status_code == 422 and "UTF-8" in r.json()["error"]["message"]


def test_quoted_commas_do_not_shift_the_ownership_rule(world: World, tmp_path: Path) -> None:
    # Ownership is a check of the one loader, over the columns it writes: a quoted comma in
    # another column cannot make it read the declarant from the wrong place.
    p = tmp_path / "q.csv"
    base = {"establishment_code": "0000", "date": "2025-02-01", "type": "consumption",
            "chemical": "sulfuric_acid", "quantity": "5", "unit": "kg"}
    with p.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["document_ref", "declaration_id", "declarant_ruc", *base])
        w.writerow(["a,b", "Q-1", SELLER, *base.values()])
        w.writerow(["c", "Q-2", BUYER, *base.values()])
    out = world.client.post("/v1/declarations/files", headers=world.as_("seller"),
                            files={"file": ("q.csv", p.read_bytes(), "text/csv")}).json()
    assert (out["status"], out["rows_accepted"], out["rows_rejected"]) == ("partial", 1, 1)
    assert [(x["line"], x["column"], x["value"]) for x in out["rejections"]] == [(3, "declarant_ruc", BUYER)]
    with world.db() as db:
        assert db.query("SELECT declarant_ruc, document_ref FROM movements WHERE declaration_id LIKE 'Q-%'") == [
            (SELLER, "a,b")]


def test_nul_in_file_cells_and_batch_fields_is_a_rejection_not_a_500(world: World) -> None:
    # PostgreSQL cannot store NUL: it was a 500 and a dropped connection (issue 16, finding 6).
    header = "declaration_id,declarant_ruc,establishment_code,date,type,chemical,quantity,unit,document_ref\n"
    body = (f"Z-1,{SELLER},0000,2025-02-01,consumption,sulfuric_acid,5,kg,a\x00b\n"
            f"Z-2,{SELLER},0000,2025-02-01,consumption,sulfuric_acid,5,kg,ok\n")
    r = world.client.post("/v1/declarations/files", headers=world.as_("seller"),
                          files={"file": ("z.csv", (header + body).encode(), "text/csv")})
    assert r.status_code == 200, r.text
    out = r.json()
    assert (out["rows_accepted"], out["rows_rejected"]) == (1, 1)
    [why] = out["rejections"]
    assert (why["line"], why["column"], why["value"]) == (2, "document_ref", "a\\x00b") and "NUL" in why["reason"]
    row = {"establishment_code": "0000", "date": "2025-02-01", "type": "consumption", "chemical": "sulfuric_acid",
           "quantity": 5, "unit": "kg"}
    # A JSON batch is refused by the request edge before the loader, naming the field's path;
    # nothing of it is stored.
    batch = {"movements": [{**row, "declaration_id": "Z-3", "document_ref": "x\u0000"}, {**row, "declaration_id": "Z-5"}]}
    r = world.client.post("/v1/declarations/batch", headers=world.as_("seller"), json=batch)
    assert r.status_code == 422, r.text
    assert r.json()["error"]["details"][0]["field"] == "body.movements[0].document_ref" and "NUL" in r.text
    r = world.client.post("/v1/declarations/batch", headers=world.as_("seller"),
                          json={"movements": [{**row, "declaration_id": "Z-5"}]})
    assert r.status_code == 200 and r.json()["rows_accepted"] == 1, r.text
    with world.db() as db:
        assert sorted(x[0] for x in db.query("SELECT declaration_id FROM movements WHERE declaration_id LIKE 'Z%'")) \
            == ["Z-2", "Z-5"]


def test_a_ple_book_is_read_under_its_own_name_and_another_rucs_is_refused(world: World, tmp_path: Path) -> None:
    from tests.ingest.test_ple import line, ple_name

    with world.db() as db:
        load_paths(db, [write_csv(tmp_path / "product_mappings.csv",
                                  [{"ruc": ruc, "item_code": "ACID", "chemical": "sulfuric_acid"} for ruc in (SELLER, BUYER)],
                                  "product_mappings")], submitted_by="test")
    mine = world.client.post("/v1/declarations/files", headers=world.as_("seller"),
                             files={"file": (ple_name(SELLER), line(cuo="API-1").encode(), "text/plain")})
    assert mine.status_code == 200, mine.text
    assert (mine.json()["status"], mine.json()["rows_accepted"]) == ("accepted", 1)
    theirs = world.client.post("/v1/declarations/files", headers=world.as_("seller"),
                               files={"file": (ple_name(BUYER), line(cuo="API-2").encode(), "text/plain")})
    assert theirs.status_code == 200, theirs.text
    out = theirs.json()
    assert out["rows_accepted"] == 0 and "not your RUC" in out["rejections"][0]["reason"]
    with world.db() as db:
        assert db.scalar("SELECT count(*) FROM movements WHERE declaration_id LIKE ?", ("API-1%",)) == 1
        assert db.scalar("SELECT count(*) FROM movements WHERE declaration_id LIKE ?", ("API-2%",)) == 0


def test_every_upload_is_in_the_audit_log_with_its_outcome(world: World, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "mine.csv", rows(), "movements")
    out = world.client.post("/v1/declarations/files", headers=world.as_("seller"),
                            files={"file": ("mine.csv", path.read_bytes(), "text/csv")}).json()
    batch = world.client.post("/v1/declarations/batch", headers=world.as_("seller"), json={"movements": [
        {"establishment_code": "0000", "date": "2025-02-01", "type": "consumption", "chemical": "sulfuric_acid",
         "quantity": 5, "unit": "kg", "declaration_id": "J-1"}]})
    assert batch.status_code == 200, batch.text
    with world.db() as db:
        events = db.query("SELECT actor, subject_id, payload FROM events WHERE action = 'declarations.load' ORDER BY event_id")
    assert [(a, s) for a, s, _ in events] == [(f"operator:{SELLER}", str(out["submission_id"])),
                                             (f"operator:{SELLER}", str(batch.json()["submission_id"]))]
    import json as _json
    first = _json.loads(events[0][2]) if isinstance(events[0][2], str) else events[0][2]
    assert (first["status"], first["accepted"], first["refused"]) == ("partial", 2, 2)
