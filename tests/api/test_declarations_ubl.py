"""UBL e-documents uploaded by an operator: its own invoices and remission guides load as
with `traza load`; documents another RUC issued are refused one by one."""

from __future__ import annotations

import io
import zipfile

from tests.api.conftest import World
from tests.factories import BUYER, SELLER
from tests.ingest.ubl.docs import guide, invoice


def test_own_guide_uploads_as_xml(world: World) -> None:
    r = world.client.post("/v1/declarations/files", headers=world.as_("seller"),
                          files={"file": ("T001-1.xml", guide().encode(), "application/xml")})
    assert r.status_code == 200, r.text
    out = r.json()
    assert (out["kind"], out["status"], out["rows_accepted"]) == ("ubl", "accepted", 1)
    with world.db() as db:
        assert db.query("SELECT declarant_ruc, type, document_ref FROM movements WHERE declaration_id = ?",
                        (f"{SELLER}-09-T001-1-1",)) == [(SELLER, "sale", "T001-1")]
        assert db.scalar("SELECT count(*) FROM expected_movements") == 1


def test_zip_upload_refuses_documents_of_another_issuer(world: World) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mine.xml", invoice(guide_ref=None))
        z.writestr("theirs.xml", guide("T009-1", seller=BUYER, buyer=SELLER, origin="040101", delivery="150101"))
    r = world.client.post("/v1/declarations/files", headers=world.as_("seller"),
                          files={"file": ("lote", buf.getvalue(), "application/zip")})  # told apart from XLSX
    assert r.status_code == 200, r.text
    out = r.json()
    assert (out["kind"], out["status"], out["rows_accepted"]) == ("ubl", "partial", 1)
    [refused] = out["rejections"]
    assert refused["file"] == "lote.zip:theirs.xml" and refused["line"] is None
    assert refused["column"] == "/DespatchAdvice/cac:DespatchSupplierParty/cac:Party/cac:PartyIdentification/cbc:ID"
    assert refused["value"] == BUYER and f"is not your RUC ({SELLER})" in refused["reason"]
    stored = world.client.get(f"/v1/submissions/{out['submission_id']}", headers=world.as_("seller")).json()
    assert [x["file"] for x in stored["rejections"]] == ["lote.zip:theirs.xml"]
