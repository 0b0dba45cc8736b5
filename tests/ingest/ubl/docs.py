"""Small UBL documents for tests: a remission guide (GRE 2022 layout) and an invoice, each
with the lines a test needs. Valid for the registry of tests.factories.Dataset by default."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from tests.factories import BUYER, SELLER

SAMPLES = Path(__file__).resolve().parents[1] / "ubl_samples"
NS = ('xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" '
      'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"')


@dataclass
class Line:
    quantity: str = "1000"
    unit: str = "KGM"
    description: str = "ACIDO SULFURICO 98% CILINDRO"
    code: str | None = "AS-98"
    tariff: str | None = None  # item property 7020
    flag: str | None = None  # item property 7022
    cas: str | None = None  # StandardItemIdentification


def _item(line: Line) -> str:
    props = "".join(
        f"<cac:AdditionalItemProperty><cbc:Name>x</cbc:Name><cbc:NameCode>{nc}</cbc:NameCode>"
        f"<cbc:Value>{value}</cbc:Value></cac:AdditionalItemProperty>"
        for nc, value in (("7020", line.tariff), ("7022", line.flag)) if value is not None)
    code = f"<cac:SellersItemIdentification><cbc:ID>{line.code}</cbc:ID></cac:SellersItemIdentification>" if line.code else ""
    cas = f"<cac:StandardItemIdentification><cbc:ID>{line.cas}</cbc:ID></cac:StandardItemIdentification>" if line.cas else ""
    return f"<cac:Item><cbc:Description>{escape(line.description)}</cbc:Description>{code}{cas}{props}</cac:Item>"


def _party(tag: str, ruc: str, scheme: str = "6") -> str:
    return (f'<cac:{tag}><cac:Party><cac:PartyIdentification><cbc:ID schemeID="{scheme}">{ruc}</cbc:ID>'
            f"</cac:PartyIdentification></cac:Party></cac:{tag}>")


def guide(number: str = "T001-1", *, seller: str = SELLER, buyer: str = BUYER, day: str = "2025-01-10",
          motive: str = "01", origin: str = "150101", origin_est: str | None = "0000", delivery: str = "040101",
          delivery_est: str | None = "0000", buyer_scheme: str = "6", lines: tuple[Line, ...] = (Line(),)) -> str:
    o_est = f"<cbc:AddressTypeCode>{origin_est}</cbc:AddressTypeCode>" if origin_est else ""
    d_est = f"<cbc:AddressTypeCode>{delivery_est}</cbc:AddressTypeCode>" if delivery_est else ""
    body = "".join(
        f'<cac:DespatchLine><cbc:ID>{i}</cbc:ID><cbc:DeliveredQuantity unitCode="{ln.unit}">{ln.quantity}'
        f"</cbc:DeliveredQuantity>{_item(ln)}</cac:DespatchLine>" for i, ln in enumerate(lines, start=1))
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<DespatchAdvice xmlns="urn:oasis:names:specification:ubl:schema:xsd:'
        f'DespatchAdvice-2" {NS}><cbc:UBLVersionID>2.1</cbc:UBLVersionID><cbc:ID>{number}</cbc:ID>'
        f"<cbc:IssueDate>{day}</cbc:IssueDate><cbc:DespatchAdviceTypeCode>09</cbc:DespatchAdviceTypeCode>"
        + _party("DespatchSupplierParty", seller) + _party("DeliveryCustomerParty", buyer, buyer_scheme)
        + f"<cac:Shipment><cbc:ID>1</cbc:ID><cbc:HandlingCode>{motive}</cbc:HandlingCode><cac:ShipmentStage>"
        f"<cac:TransitPeriod><cbc:StartDate>{day}</cbc:StartDate></cac:TransitPeriod><cac:CarrierParty>"
        "<cac:PartyIdentification><cbc:ID>20100006376</cbc:ID></cac:PartyIdentification></cac:CarrierParty>"
        f"</cac:ShipmentStage><cac:Delivery><cac:DeliveryAddress><cbc:ID>{delivery}</cbc:ID>{d_est}</cac:DeliveryAddress>"
        f"<cac:Despatch><cac:DespatchAddress><cbc:ID>{origin}</cbc:ID>{o_est}</cac:DespatchAddress></cac:Despatch>"
        "</cac:Delivery><cac:TransportHandlingUnit><cac:TransportEquipment><cbc:ID>ABC-123</cbc:ID>"
        f"</cac:TransportEquipment></cac:TransportHandlingUnit></cac:Shipment>{body}</DespatchAdvice>\n"
    )


def invoice(number: str = "F001-1", *, seller: str = SELLER, buyer: str = BUYER, day: str = "2025-01-10",
            guide_ref: str | None = "T001-1", delivery: str | None = "040101",
            lines: tuple[Line, ...] = (Line(),)) -> str:
    ref = (f"<cac:DespatchDocumentReference><cbc:ID>{guide_ref}</cbc:ID><cbc:DocumentTypeCode>09</cbc:DocumentTypeCode>"
           "</cac:DespatchDocumentReference>") if guide_ref else ""
    where = (f"<cac:Delivery><cac:DeliveryLocation><cac:Address><cbc:ID>{delivery}</cbc:ID></cac:Address>"
             "</cac:DeliveryLocation></cac:Delivery>") if delivery else ""
    body = "".join(
        f'<cac:InvoiceLine><cbc:ID>{i}</cbc:ID><cbc:InvoicedQuantity unitCode="{ln.unit}">{ln.quantity}'
        f"</cbc:InvoicedQuantity>{_item(ln)}</cac:InvoiceLine>" for i, ln in enumerate(lines, start=1))
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:'
        f'Invoice-2" {NS}><cbc:UBLVersionID>2.1</cbc:UBLVersionID><cbc:ID>{number}</cbc:ID>'
        f"<cbc:IssueDate>{day}</cbc:IssueDate><cbc:InvoiceTypeCode>01</cbc:InvoiceTypeCode>{ref}"
        + _party("AccountingSupplierParty", seller) + _party("AccountingCustomerParty", buyer)
        + f"{where}{body}</Invoice>\n"
    )


def write(folder: Path, name: str, xml: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(xml, encoding="utf-8")
    return path
