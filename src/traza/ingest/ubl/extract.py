"""Pure functions from a parsed UBL document to a record of what traza needs from it.

Reads SUNAT's Invoice (01 factura, 03 boleta) and DespatchAdvice (09 remission guide) in
UBL 2.0 and 2.1, in both generations of the guide (2017: parties by
``CustomerAssignedAccountID``, ``OriginAddress``, ``RoadTransport``; 2022: parties by
``PartyIdentification``, ``Despatch/DespatchAddress`` with the establishment code in
``AddressTypeCode``, the vehicle in ``TransportEquipment``, item properties 7020 and 7022).

Nothing is validated here beyond what identifies a document (its kind, version and
number): field values go on, as text, to the set-wise checks of the movements format, and
each field keeps the XPath it was read from so that a refusal can point at it. XPaths use
the conventional UBL prefixes (cac, cbc, ext, sac) whatever prefixes the document uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from stdnum import casrn

from traza.core.jurisdiction import jurisdiction
from traza.core.rejection import Rejection
from traza.core.text import BadText, clean_identifier, clean_text
from traza.ingest.edge import MAX_CELL_CHARS, MAX_IDENTIFIER_CHARS
from traza.ingest.ubl.parse import refusal

CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
EXT = "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"
SAC = "urn:sunat:names:specification:ubl:peru:schema:xsd:SunatAggregateComponents-1"
NS = {"cac": CAC, "cbc": CBC, "ext": EXT, "sac": SAC}
_UBL_MAIN = "urn:oasis:names:specification:ubl:schema:xsd:"

_EDOCS = jurisdiction().e_documents

# Documents that are UBL but not what traza reads, and why (the refusal's reason).
NOT_READ = {
    "ApplicationResponse": f"not a commercial document: an ApplicationResponse is {_EDOCS.authority}'s receipt "
                           "(CDR) for another document{ref}; send the Invoice or DespatchAdvice itself",
    "SummaryDocuments": "not a commercial document: a daily summary of receipts; send the documents themselves",
    "VoidedDocuments": "not a commercial document: a communication of voided documents",
    "Retention": "not a commercial document: a tax retention receipt (comprobante de retención)",
    "Perception": "not a commercial document: a tax perception receipt (comprobante de percepción)",
    "CreditNote": "a credit note is not read by traza (it corrects an invoice's amounts); declare returned "
                  "goods as movements",
    "DebitNote": "a debit note is not read by traza (it corrects an invoice's amounts)",
}
VERSIONS = ("2.0", "2.1")
# Guide motives (SUNAT catalogue 20) that say where goods go: a sale, or a transfer between
# establishments of the same company. Other motives cannot be turned into a movement.
SALE_MOTIVES = ("01", "03", "14")
OWN_TRANSFER_MOTIVES = ("04",)

_CAS = re.compile(r"\b(\d{2,7}-\d{2}-\d)\b")


def _clark(path: str) -> str:
    """``cac:Party/cbc:ID`` in Clark notation, which lxml looks up without a prefix map."""
    return "/".join("{" + NS[p.split(":")[0]] + "}" + p.split(":")[1] if ":" in p else p for p in path.split("/"))


def _xpath(path: str) -> Any:
    # Compiled XPath runs in libxml2: several times faster than ElementPath's find(). (Typed
    # Any: what an XPath returns depends on the expression, which the stubs cannot know.)
    return etree.XPath(path, namespaces=NS, smart_strings=False)


class _Paths:
    """Candidate locations of one field, in order of preference; the first is also where a
    missing value is reported."""

    def __init__(self, *paths: str) -> None:
        self.paths = paths
        self.compiled = tuple(_xpath(p) for p in paths)


def _first_el(root: Any, where: _Paths) -> tuple[Any, str]:
    for rel, xp in zip(where.paths, where.compiled, strict=True):
        for el in xp(root):
            text = el.text
            if text is not None and text.strip():
                return el, rel
    return None, where.paths[0]


def _first(root: Any, where: _Paths) -> tuple[str | None, str]:
    el, rel = _first_el(root, where)
    return (el.text.strip() if el is not None else None), rel


_EMBEDDED = "ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/sac:AdditionalInformation/sac:SUNATEmbededDespatchAdvice"

GUIDE = {
    "issuer": _Paths("cac:DespatchSupplierParty/cac:Party/cac:PartyIdentification/cbc:ID",
                     "cac:DespatchSupplierParty/cbc:CustomerAssignedAccountID"),
    "receiver": _Paths("cac:DeliveryCustomerParty/cac:Party/cac:PartyIdentification/cbc:ID",
                       "cac:DeliveryCustomerParty/cbc:CustomerAssignedAccountID"),
    "transfer_date": _Paths("cac:Shipment/cac:ShipmentStage/cac:TransitPeriod/cbc:StartDate",
                            "cac:Shipment/cac:Delivery/cac:Despatch/cbc:ActualDespatchDate"),
    "motive": _Paths("cac:Shipment/cbc:HandlingCode"),
    "origin": _Paths("cac:Shipment/cac:Delivery/cac:Despatch/cac:DespatchAddress/cbc:ID",
                     "cac:Shipment/cac:OriginAddress/cbc:ID"),
    "origin_est": _Paths("cac:Shipment/cac:Delivery/cac:Despatch/cac:DespatchAddress/cbc:AddressTypeCode"),
    "delivery": _Paths("cac:Shipment/cac:Delivery/cac:DeliveryAddress/cbc:ID"),
    "delivery_est": _Paths("cac:Shipment/cac:Delivery/cac:DeliveryAddress/cbc:AddressTypeCode"),
    "carrier": _Paths("cac:Shipment/cac:ShipmentStage/cac:CarrierParty/cac:PartyIdentification/cbc:ID"),
    "vehicle": _Paths("cac:Shipment/cac:ShipmentStage/cac:TransportMeans/cac:RoadTransport/cbc:LicensePlateID",
                      "cac:Shipment/cac:TransportHandlingUnit/cac:TransportEquipment/cbc:ID"),
}
INVOICE = {
    "issuer": _Paths("cac:AccountingSupplierParty/cac:Party/cac:PartyIdentification/cbc:ID",
                     "cac:AccountingSupplierParty/cbc:CustomerAssignedAccountID"),
    "receiver": _Paths("cac:AccountingCustomerParty/cac:Party/cac:PartyIdentification/cbc:ID",
                       "cac:AccountingCustomerParty/cbc:CustomerAssignedAccountID"),
    "transfer_date": _Paths(f"{_EMBEDDED}/cbc:StartDate"),
    "motive": _Paths(f"{_EMBEDDED}/cbc:HandlingCode"),
    "origin": _Paths("cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cac:RegistrationAddress/cbc:ID",
                     f"{_EMBEDDED}/cac:OriginAddress/cbc:ID",
                     "cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cbc:ID"),
    "origin_est": _Paths("cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cac:RegistrationAddress/cbc:AddressTypeCode"),
    "delivery": _Paths("cac:Delivery/cac:DeliveryLocation/cac:Address/cbc:ID",
                       f"{_EMBEDDED}/cac:DeliveryAddress/cbc:ID",
                       "cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cac:RegistrationAddress/cbc:ID",
                       "cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cbc:ID"),
    "delivery_est": _Paths("cac:Delivery/cac:DeliveryLocation/cac:Address/cbc:AddressTypeCode"),
    "carrier": _Paths(f"{_EMBEDDED}/sac:SUNATCarrierParty/cbc:CustomerAssignedAccountID"),
    "vehicle": _Paths(f"{_EMBEDDED}/sac:SUNATRoadTransport/cbc:LicensePlateID"),
}
_ID, _ISSUE, _VERSION = _Paths("cbc:ID"), _Paths("cbc:IssueDate"), _Paths("cbc:UBLVersionID")
_TYPE = {"DespatchAdvice": _Paths("cbc:DespatchAdviceTypeCode"), "Invoice": _Paths("cbc:InvoiceTypeCode")}
_LINE = {"DespatchAdvice": ("cac:DespatchLine", "cbc:DeliveredQuantity"),
         "Invoice": ("cac:InvoiceLine", "cbc:InvoicedQuantity")}
_GUIDE_REFS = _xpath("cac:DespatchDocumentReference | cac:AdditionalDocumentReference")
_DESPATCH_REF = _clark("cac:DespatchDocumentReference")
_DESCRIPTION = _Paths("cac:Item/cbc:Description", "cac:Item/cbc:Name")
_SELLER_CODE = _Paths("cac:Item/cac:SellersItemIdentification/cbc:ID")
_UNSPSC = _Paths("cac:Item/cac:CommodityClassification/cbc:ItemClassificationCode")
_CAS_IDS = _Paths("cac:Item/cac:StandardItemIdentification/cbc:ID", "cac:Item/cac:AdditionalItemIdentification/cbc:ID")
_PROPERTIES = _xpath("cac:Item/cac:AdditionalItemProperty")
_PROPERTY = _xpath("string(cbc:NameCode)"), _xpath("string(cbc:Name)"), _xpath("string(cbc:Value)")
_REF = _xpath("string(cbc:ID)"), _xpath("string(cbc:DocumentTypeCode)")
_LINE_ID = _xpath("string(cbc:ID)")
_LINES = {name: (_xpath(tag), _xpath(qty)) for name, (tag, qty) in _LINE.items()}
_SCHEME_FALLBACK = {"issuer": "cbc:AdditionalAccountID", "receiver": "cbc:AdditionalAccountID"}


@dataclass(slots=True)
class Line:
    position: int  # among the document's lines, 1-based: the XPath predicate
    number: str  # the line's cbc:ID (its position when absent)
    quantity: str | None
    unit: str | None
    description: str | None
    item_code: str | None
    unspsc: str | None
    tariff: str | None  # AdditionalItemProperty 7020: tariff subheading
    controlled: str | None  # AdditionalItemProperty 7022: "bien regulado por SUNAT", 0 or 1
    cas: str | None
    paths: dict[str, str]  # what -> XPath relative to the line


@dataclass(slots=True)
class Document:
    file: str
    root: str  # DespatchAdvice or Invoice
    type_code: str  # 09, 01 or 03
    version: str
    number: str  # as written, e.g. T001-00001234
    issue_date: str | None
    values: dict[str, str | None]  # header fields (see GUIDE / INVOICE), as text
    schemes: dict[str, str | None]  # identity document type of issuer and receiver (6 = RUC)
    guide_refs: tuple[str, ...]  # remission guides an invoice points at
    lines: list[Line]
    paths: dict[str, str] = field(default_factory=dict)  # field -> XPath relative to the root

    @property
    def is_guide(self) -> bool:
        return self.root == "DespatchAdvice"

    @property
    def key(self) -> str:
        """Stable identity: issuer RUC, type, series and number (leading zeros dropped)."""
        return f"{self.values.get('issuer') or '?'}-{self.type_code}-{normalise_number(self.number)}"

    def xpath(self, rel: str) -> str:
        return f"/{self.root}/{rel}" if rel else f"/{self.root}"

    def line_xpath(self, line: Line, rel: str = "") -> str:
        tag = _LINE[self.root][0]
        return f"/{self.root}/{tag}[{line.position}]" + (f"/{rel}" if rel else "")


def normalise_number(number: str) -> str:
    """``T001-00000123`` and ``T001-123`` name the same document."""
    series, sep, num = number.strip().upper().rpartition("-")
    return f"{series}{sep}{int(num)}" if num.isdigit() else number.strip().upper()


def _local(tag: str) -> tuple[str, str]:
    return (tag[1:].split("}", 1)[0], tag.split("}", 1)[1]) if tag.startswith("{") else ("", tag)


def extract(root: etree._Element, file: str) -> Document | Rejection:
    """The document's record, or why it is not one traza reads."""
    ns, name = _local(root.tag if isinstance(root.tag, str) else "")
    shown = f"/{root.prefix}:{name}" if root.prefix else f"/{name}"
    if not ns.startswith(_UBL_MAIN) or (name not in _LINE and name not in NOT_READ):
        return refusal(file, shown, name, f"not a UBL Invoice or DespatchAdvice (root element {name!r}): "
                       f"traza reads {_EDOCS.authority} invoices and remission guides in {_EDOCS.formats}")
    if name in NOT_READ:
        ref = root.findtext(_clark("cac:DocumentResponse/cac:Response/cbc:ReferenceID"))
        return refusal(file, shown, name, NOT_READ[name].format(ref=f" {ref.strip()}" if ref else ""))
    version, _ = _first(root, _VERSION)
    if version is not None and version not in VERSIONS:
        return refusal(file, f"/{name}/cbc:UBLVersionID", version, "UBL version not read: expected 2.0 or 2.1")
    number, _ = _first(root, _ID)
    if number is None:
        return refusal(file, f"/{name}/cbc:ID", None, "the document has no number (cbc:ID, series-number such "
                       "as T001-123): it cannot be identified")
    type_code, type_path = _first(root, _TYPE[name])
    wrong_type = _check_type(name, type_code, file, f"/{name}/{type_path}")
    if wrong_type is not None:
        return wrong_type
    fields = GUIDE if name == "DespatchAdvice" else INVOICE
    values: dict[str, str | None] = {}
    schemes: dict[str, str | None] = {}
    paths = {"number": "cbc:ID", "type": type_path}
    for key, where in fields.items():
        el, paths[key] = _first_el(root, where)
        values[key] = el.text.strip() if el is not None and el.text else None
        if key in _SCHEME_FALLBACK:
            scheme = el.get("schemeID") if el is not None else None
            if scheme is None and el is not None and el.getparent() is not None:
                scheme = el.getparent().findtext(_clark(_SCHEME_FALLBACK[key]))
            schemes[key] = scheme.strip() if scheme else None
    issue, paths["issue_date"] = _first(root, _ISSUE)
    doc = Document(
        file=file, root=name, type_code=type_code or ("09" if name == "DespatchAdvice" else "01"),
        version=version or "2.1", number=number, issue_date=issue, values=values, schemes=schemes,
        guide_refs=_guide_refs(root) if name == "Invoice" else (), lines=_lines(root, name), paths=paths,
    )
    try:
        return _cleaned(doc)
    except BadText as exc:  # the field is the element's XPath
        return refusal(file, exc.field, None, exc.reason)


# Header fields that are identifiers (RUCs, ubigeos, establishment codes): ASCII only.
_IDENT_VALUES = ("issuer", "receiver", "origin", "delivery", "origin_est", "delivery_est", "carrier")
_LINE_TEXT = ("quantity", "unit", "description", "item_code", "unspsc", "tariff", "controlled", "cas")


def _cleaned(doc: Document) -> Document:
    """The document's text in the one reading every reader of traza gives it (see
    ``ingest.edge``): the issuer compared with the uploading operator, and what is stored,
    are the same string. BadText names the element's XPath."""
    def text(value: str | None, where: str, ident: bool = False) -> str | None:
        if value is None:
            return None
        if ident:
            return clean_identifier(value, where, max_length=MAX_IDENTIFIER_CHARS)
        return clean_text(value, where, multiline=True, max_length=MAX_CELL_CHARS).strip()

    def number(value: str, where: str) -> str:
        # Never the raw text back: a number of invisible characters only is no number.
        cleaned = text(value, where, ident=True)
        if not cleaned:
            raise BadText(where, "is empty once invisible characters are removed: expected a number")
        return cleaned

    doc.number = number(doc.number, doc.xpath("cbc:ID"))
    doc.issue_date = text(doc.issue_date, doc.xpath(doc.paths.get("issue_date", "cbc:IssueDate")))
    for key, value in doc.values.items():
        doc.values[key] = text(value, doc.xpath(doc.paths.get(key, "")), ident=key in _IDENT_VALUES)
    for line in doc.lines:
        line.number = number(line.number, doc.line_xpath(line, "cbc:ID"))
        for attr in _LINE_TEXT:
            where = doc.line_xpath(line, line.paths.get(attr, ""))
            setattr(line, attr, text(getattr(line, attr), where, ident=attr in ("cas", "tariff")))
    return doc


def _check_type(name: str, code: str | None, file: str, xpath: str) -> Rejection | None:
    if name == "DespatchAdvice" and code not in (None, "09"):
        why = ("a carrier's remission guide (31) repeats the shipper's guide (09), which is the one traza reads"
               if code == "31" else "expected 09, the shipper's remission guide")
        return refusal(file, xpath, code, f"remission guide type {code} not read: {why}")
    if name == "Invoice" and code not in (None, "01", "03"):
        return refusal(file, xpath, code, f"invoice type {code} not read: expected 01 (factura) or 03 (boleta)")
    return None


def _guide_refs(root: etree._Element) -> tuple[str, ...]:
    refs: list[str] = []
    for el in _GUIDE_REFS(root):
        number, code = (str(x(el)).strip() for x in _REF)
        # A DespatchDocumentReference is a guide unless its type says otherwise; another
        # reference only when its type is 09 (the shipper's remission guide).
        if number and (code == "09" or (code == "" and el.tag == _DESPATCH_REF)):
            refs.append(number)
    return tuple(refs)


def _lines(root: etree._Element, name: str) -> list[Line]:
    qty_tag = _LINE[name][1]
    lines, quantity = _LINES[name]
    out: list[Line] = []
    for pos, el in enumerate(lines(root), start=1):
        paths = {"quantity": qty_tag}
        qty = next(iter(quantity(el)), None)
        number = str(_LINE_ID(el)).strip() or str(pos)
        description, paths["description"] = _first(el, _DESCRIPTION)
        code, paths["item_code"] = _first(el, _SELLER_CODE)
        unspsc, _ = _first(el, _UNSPSC)
        tariff: str | None = None
        controlled: str | None = None
        cas: str | None = None
        for i, prop in enumerate(_PROPERTIES(el), start=1):
            code_of, label, text = (str(x(prop)).strip() for x in _PROPERTY)
            label, value = label.lower(), text or None
            at = f"cac:Item/cac:AdditionalItemProperty[{i}]/cbc:Value"
            if code_of == "7020" or (not code_of and "arancel" in label):
                tariff, paths["tariff"] = value, at
            elif code_of == "7022" or (not code_of and "regulado" in label):
                controlled, paths["controlled"] = value, at
            elif value and cas is None and _is_cas(value):
                cas, paths["cas"] = value, at
        if cas is None:
            ident, rel = _first(el, _CAS_IDS)
            if ident and _is_cas(ident):
                cas, paths["cas"] = ident, rel
        if cas is None and description:
            found = next((m for m in _CAS.findall(description) if casrn.is_valid(m)), None)
            if found:
                cas, paths["cas"] = found, paths["description"]
        out.append(Line(
            position=pos, number=number,
            quantity=qty.text.strip() if qty is not None and qty.text else None,
            unit=(qty.get("unitCode") or "").strip() or None if qty is not None else None,
            description=description, item_code=code, unspsc=unspsc, tariff=tariff, controlled=controlled,
            cas=cas, paths=paths,
        ))
    return out


def _is_cas(value: str) -> bool:
    return bool(_CAS.fullmatch(value)) and bool(casrn.is_valid(value))
