"""The simulated transfers as SUNAT e-documents: a UBL 2.1 remission guide (DespatchAdvice,
GRE 2022 layout) per shipment and, for sales, an invoice that references it.

Every declared outgoing transfer that travels with a guide (a sale or a transfer between
establishments of one operator) becomes one guide whose seller side reads back as the same
movement as its row of movements.csv. Sellers name their goods in one of three ways, so
that loading exercises each way of recognising a chemical: the tariff subheading (item
property 7020), their own item code (mapped in ``product_mappings.csv``, written beside the
documents), or the description alone. Every line is flagged 7022=1 (a regulated good).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np

from traza.core.catalogue import default_catalogue
from traza.sim.build import Simulation
from traza.sim.ledger import DOC_GUIDE, T
from traza.sim.params import from_day
from traza.sim.units import UNITS

UNECE = {"kg": "KGM", "t": "TNE", "l": "LTR", "gal": "GLL", "m3": "MTQ"}
BY_TARIFF, BY_MAPPING, BY_DESCRIPTION = 0, 1, 2

_NS = ('xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" '
       'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"')
_ID6 = 'schemeID="6" schemeName="Documento de Identidad" schemeAgencyName="PE:SUNAT"'


@dataclass(frozen=True)
class Shipment:
    guide: str  # T001-00001234
    invoice: str | None  # F001-00001234 for a sale
    day: str
    seller_ruc: str
    seller_name: str
    seller_est: str
    origin: str
    buyer_ruc: str
    buyer_name: str
    buyer_est: str | None
    destination: str
    motive: str  # 01 sale, 04 transfer between own establishments
    chemical: str
    quantity: str
    unit: str  # UN/ECE
    style: int


def shipments(sim: Simulation) -> list[Shipment]:
    """One shipment per declared outgoing transfer that travels with a remission guide."""
    r, a, reg = sim.rows, sim.world.arrays(), sim.world.reg
    ubigeos, codes = sim.world.places.ubigeos, sim.world.chems.codes
    sel = np.flatnonzero(np.isin(r["type"], [T["sale"], T["transfer_out"]]) & (r["doc_kind"] == DOC_GUIDE))
    out = []
    for i in sel:
        est, cp, cp_est, doc_est = int(r["est"][i]), int(r["cp"][i]), int(r["cp_est"][i]), int(r["doc_est"][i])
        seller = int(a.est_op[est])
        number = f"{int(r['doc_num'][i]):08d}"
        series = int(a.est_code[doc_est]) + 1
        sale = int(r["type"][i]) == T["sale"]
        q = float(sim.quantity[i])
        out.append(Shipment(
            guide=f"T{series:03d}-{number}", invoice=f"F{series:03d}-{number}" if sale else None,
            day=from_day(int(r["day"][i])).isoformat(), seller_ruc=reg.ruc[seller], seller_name=reg.name[seller],
            seller_est=f"{int(a.est_code[est]):04d}", origin=ubigeos[int(a.est_ubigeo[est])],
            buyer_ruc=reg.ruc[cp], buyer_name=reg.name[cp],
            buyer_est=f"{int(a.est_code[cp_est]):04d}" if cp_est >= 0 else None,
            destination=ubigeos[int(r["dest"][i])], motive="01" if sale else "04",
            chemical=codes[int(r["chem"][i])], quantity=f"{q:.0f}" if q.is_integer() else repr(q),
            unit=UNECE.get(UNITS[int(sim.unit[i])], UNITS[int(sim.unit[i])]), style=seller % 3,
        ))
    return out


def item_code(chemical: str) -> str:
    return "IQ-" + chemical.upper().replace("_", "")[:12]


def _item(s: Shipment) -> str:
    """The cac:Item of a line, identifying the chemical the seller's way."""
    chem = default_catalogue().chemical(s.chemical)
    assert chem is not None
    if s.style == BY_MAPPING:
        desc, code = f"INSUMO {item_code(s.chemical)}", item_code(s.chemical)
    else:
        desc, code = chem.name_es.upper() + (" GRADO TECNICO" if s.style == BY_DESCRIPTION else ""), f"P{chem.cas}"
    props = [("Indicador de bien regulado por SUNAT", "7022", "1")]
    if s.style == BY_TARIFF:
        props.append(("Subpartida nacional", "7020", chem.hs[0].replace(".", "") + "0000"))
    props_xml = "".join(
        f"<cac:AdditionalItemProperty><cbc:Name>{name}</cbc:Name><cbc:NameCode listAgencyName=\"PE:SUNAT\" "
        f"listName=\"Propiedad del item\">{nc}</cbc:NameCode><cbc:Value>{value}</cbc:Value></cac:AdditionalItemProperty>"
        for name, nc, value in props)
    return (f"<cac:Item><cbc:Description>{escape(desc)}</cbc:Description><cac:SellersItemIdentification>"
            f"<cbc:ID>{escape(code)}</cbc:ID></cac:SellersItemIdentification>{props_xml}</cac:Item>")


def _party(tag: str, ruc: str, name: str) -> str:
    return (f"<cac:{tag}><cac:Party><cac:PartyIdentification><cbc:ID {_ID6}>{ruc}</cbc:ID></cac:PartyIdentification>"
            f"<cac:PartyLegalEntity><cbc:RegistrationName>{escape(name)}</cbc:RegistrationName></cac:PartyLegalEntity>"
            f"</cac:Party></cac:{tag}>")


def _address(tag: str, ubigeo: str, ruc: str, est: str | None) -> str:
    code = f'<cbc:AddressTypeCode listID="{ruc}" listName="Establecimientos anexos">{est}</cbc:AddressTypeCode>' if est else ""
    return f'<cac:{tag}><cbc:ID schemeName="Ubigeos" schemeAgencyName="PE:INEI">{ubigeo}</cbc:ID>{code}</cac:{tag}>'


def guide_xml(s: Shipment) -> str:
    plate = f"A{int(s.seller_ruc[-6:]) % 100:02d}-{int(s.seller_ruc[2:10]) % 1000:03d}"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<DespatchAdvice xmlns="urn:oasis:names:specification:ubl:schema:xsd:DespatchAdvice-2" {_NS}>'
        "<cbc:UBLVersionID>2.1</cbc:UBLVersionID><cbc:CustomizationID>2.0</cbc:CustomizationID>"
        f"<cbc:ID>{s.guide}</cbc:ID><cbc:IssueDate>{s.day}</cbc:IssueDate><cbc:IssueTime>08:00:00</cbc:IssueTime>"
        "<cbc:DespatchAdviceTypeCode>09</cbc:DespatchAdviceTypeCode>"
        + _party("DespatchSupplierParty", s.seller_ruc, s.seller_name)
        + _party("DeliveryCustomerParty", s.buyer_ruc, s.buyer_name)
        + f"<cac:Shipment><cbc:ID>SUNAT_Envio</cbc:ID><cbc:HandlingCode>{s.motive}</cbc:HandlingCode>"
        "<cac:ShipmentStage><cbc:TransportModeCode>02</cbc:TransportModeCode>"
        f"<cac:TransitPeriod><cbc:StartDate>{s.day}</cbc:StartDate></cac:TransitPeriod></cac:ShipmentStage>"
        "<cac:Delivery>" + _address("DeliveryAddress", s.destination, s.buyer_ruc, s.buyer_est)
        + "<cac:Despatch>" + _address("DespatchAddress", s.origin, s.seller_ruc, s.seller_est) + "</cac:Despatch>"
        f"</cac:Delivery><cac:TransportHandlingUnit><cac:TransportEquipment><cbc:ID>{plate}</cbc:ID>"
        "</cac:TransportEquipment></cac:TransportHandlingUnit></cac:Shipment>"
        f'<cac:DespatchLine><cbc:ID>1</cbc:ID><cbc:DeliveredQuantity unitCode="{s.unit}">{s.quantity}'
        f"</cbc:DeliveredQuantity>{_item(s)}</cac:DespatchLine></DespatchAdvice>\n"
    )


def invoice_xml(s: Shipment) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" {_NS}>'
        "<cbc:UBLVersionID>2.1</cbc:UBLVersionID><cbc:CustomizationID>2.0</cbc:CustomizationID>"
        f"<cbc:ID>{s.invoice}</cbc:ID><cbc:IssueDate>{s.day}</cbc:IssueDate><cbc:InvoiceTypeCode>01</cbc:InvoiceTypeCode>"
        "<cbc:DocumentCurrencyCode>PEN</cbc:DocumentCurrencyCode>"
        f"<cac:DespatchDocumentReference><cbc:ID>{s.guide}</cbc:ID><cbc:DocumentTypeCode>09</cbc:DocumentTypeCode>"
        "</cac:DespatchDocumentReference>"
        + _party("AccountingSupplierParty", s.seller_ruc, s.seller_name)
        + _party("AccountingCustomerParty", s.buyer_ruc, s.buyer_name)
        + f'<cac:InvoiceLine><cbc:ID>1</cbc:ID><cbc:InvoicedQuantity unitCode="{s.unit}">{s.quantity}'
        f"</cbc:InvoicedQuantity>{_item(s)}</cac:InvoiceLine></Invoice>\n"
    )


def write_ubl(sim: Simulation, out: Path) -> dict[str, int]:
    """Write ``guias/``, ``facturas/`` and ``product_mappings.csv`` into ``out``."""
    guides, invoices = out / "guias", out / "facturas"
    guides.mkdir(parents=True, exist_ok=True)
    invoices.mkdir(parents=True, exist_ok=True)
    items = shipments(sim)
    mappings: set[tuple[str, str, str]] = set()
    n_inv = 0
    for s in items:
        (guides / f"{s.seller_ruc}-09-{s.guide}.xml").write_text(guide_xml(s), encoding="utf-8")
        if s.invoice:
            (invoices / f"{s.seller_ruc}-01-{s.invoice}.xml").write_text(invoice_xml(s), encoding="utf-8")
            n_inv += 1
        if s.style == BY_MAPPING:
            mappings.add((s.seller_ruc, item_code(s.chemical), s.chemical))
    with (out / "product_mappings.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(("ruc", "item_code", "chemical"))
        w.writerows(sorted(mappings))
    return {"ubl/guias": len(items), "ubl/facturas": n_inv, "ubl/product_mappings.csv": len(mappings)}
