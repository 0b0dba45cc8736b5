"""Extraction: what traza reads from each kind and generation of document, and what it
refuses as not a commercial document it reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.factories import BUYER, SELLER
from tests.ingest.ubl.docs import SAMPLES, Line, guide, invoice
from traza.core.rejection import Rejection
from traza.ingest.ubl.extract import Document, extract, normalise_number
from traza.ingest.ubl.parse import RawDocument, parse_document, read_file


def _doc(text: str, name: str = "x.xml") -> Document | Rejection:
    root = parse_document(RawDocument(name, text.encode()))
    assert not isinstance(root, Rejection), root
    return extract(root, name)


def _sample(rel: str) -> Document | Rejection:
    raw = read_file(SAMPLES / rel, rel)
    assert not isinstance(raw, Rejection)
    root = parse_document(raw)
    return root if isinstance(root, Rejection) else extract(root, rel)


def test_every_real_sample_is_read_or_refused_as_not_commercial() -> None:
    paths = sorted(SAMPLES.rglob("*.xml"))
    assert len(paths) == 31
    results = {p.name: _sample(str(p.relative_to(SAMPLES))) for p in paths}
    refused = {n: r for n, r in results.items() if isinstance(r, Rejection)}
    assert list(refused) == ["R-20000000001-09-T001-1.xml"]
    r = refused["R-20000000001-09-T001-1.xml"]
    assert r.column == "/ar:ApplicationResponse" and "not a commercial document" in r.reason
    assert "T001-1" in r.reason  # the document it answers for
    docs = [d for d in results.values() if isinstance(d, Document)]
    assert sum(d.is_guide for d in docs) == 22 and sum(not d.is_guide for d in docs) == 8


def test_2017_guide_parties_addresses_carrier_vehicle_and_lines() -> None:
    d = _sample("guias/20338570041-09-T002-172.xml")
    assert isinstance(d, Document)
    assert (d.root, d.type_code, d.version, d.number) == ("DespatchAdvice", "09", "2.1", "T002-172")
    v = d.values
    assert (v["issuer"], v["receiver"], v["motive"]) == ("20338570041", "20100919002", "08")
    assert (v["origin"], v["delivery"], v["transfer_date"], d.issue_date) == ("150110", "150114", "2017-09-01", "2017-09-08")
    assert (v["carrier"], v["vehicle"]) == ("10209865209", "PGY-0988")
    assert d.schemes["receiver"] == "6"
    assert [(ln.number, ln.quantity, ln.unit, ln.item_code) for ln in d.lines] == [
        ("1", "10", "KGM", "COD1"), ("222", "10012345", "BOL", "COD1234567891234")]
    assert d.line_xpath(d.lines[1], "cac:Item/cbc:Name") == "/DespatchAdvice/cac:DespatchLine[2]/cac:Item/cbc:Name"
    assert d.key == "20338570041-09-T002-172"


def test_2022_guide_establishments_and_item_properties() -> None:
    d = _doc(guide(lines=(Line(tariff="2807001000", flag="1", cas="7664-93-9"),)))
    assert isinstance(d, Document)
    assert (d.values["origin_est"], d.values["delivery_est"], d.values["vehicle"]) == ("0000", "0000", "ABC-123")
    assert d.paths["origin_est"] == "cac:Shipment/cac:Delivery/cac:Despatch/cac:DespatchAddress/cbc:AddressTypeCode"
    ln = d.lines[0]
    assert (ln.tariff, ln.controlled, ln.cas, ln.description) == ("2807001000", "1", "7664-93-9", "ACIDO SULFURICO 98% CILINDRO")
    assert ln.paths["controlled"] == "cac:Item/cac:AdditionalItemProperty[2]/cbc:Value"


def test_invoice_20_with_embedded_despatch_and_guide_reference() -> None:
    d = _sample("invoices/invoice-full.xml")
    assert isinstance(d, Document) and not d.is_guide
    assert (d.version, d.type_code, d.guide_refs) == ("2.0", "01", ("T001-1",))
    # The embedded despatch (a "factura guía") says where the goods left from.
    assert (d.values["issuer"], d.schemes["issuer"], d.values["origin"]) == ("20000000001", "6", "070101")
    assert (d.values["delivery"], d.values["carrier"], d.values["vehicle"]) == ("070101", "20100006376", "B9Y-778")


def test_invoice_21_reads_customer_and_delivery() -> None:
    d = _doc(invoice(guide_ref=None))
    assert isinstance(d, Document)
    assert (d.values["issuer"], d.values["receiver"], d.values["delivery"], d.guide_refs) == (SELLER, BUYER, "040101", ())


def test_boleta_to_a_person_keeps_the_identity_document_type() -> None:
    d = _sample("invoices/boleta-itinerante.xml")
    assert isinstance(d, Document)
    assert (d.type_code, d.schemes["receiver"], d.values["receiver"]) == ("03", "1", "55669988")


UBL = "urn:oasis:names:specification:ubl:schema:xsd"


@pytest.mark.parametrize(("text", "xpath", "words"), [
    (f'<CreditNote xmlns="{UBL}:CreditNote-2"/>', "/CreditNote", "credit note is not read"),
    ('<x:SummaryDocuments xmlns:x="urn:sunat:names:specification:ubl:peru:schema:xsd:SummaryDocuments-1"/>',
     "/x:SummaryDocuments", "not a UBL Invoice or DespatchAdvice"),
    ('<html><body/></html>', "/html", "not a UBL Invoice or DespatchAdvice"),
    (f'<Invoice xmlns="{UBL}:Invoice-2" xmlns:cbc="{UBL}:CommonBasicComponents-2"><cbc:UBLVersionID>1.0'
     "</cbc:UBLVersionID></Invoice>", "/Invoice/cbc:UBLVersionID", "UBL version not read"),
    (f'<Invoice xmlns="{UBL}:Invoice-2"/>', "/Invoice/cbc:ID", "has no number"),
    (guide().replace(">09<", ">31<"), "/DespatchAdvice/cbc:DespatchAdviceTypeCode", "carrier's remission guide"),
])
def test_documents_traza_does_not_read_are_refused_with_xpath(text: str, xpath: str, words: str) -> None:
    r = _doc(text, "doc.xml")
    assert isinstance(r, Rejection) and r.file == "doc.xml"
    assert r.column == xpath and words in r.reason, r


def test_document_numbers_compare_without_leading_zeros() -> None:
    assert normalise_number("T001-00000123") == normalise_number("t001-123") == "T001-123"
    assert normalise_number("ABC") == "ABC"


def test_sample_licence_travels_with_the_samples() -> None:
    assert (SAMPLES / "LICENSE-greenter").is_file() and (SAMPLES / "SOURCES.md").is_file()
    assert isinstance(SAMPLES, Path)
