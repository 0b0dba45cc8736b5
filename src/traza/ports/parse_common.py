"""Small value parsers shared by the CSV and CUSCAR readers; each returns (value, problem)."""

from __future__ import annotations

import re
from datetime import date, datetime

from traza.core.text import clean_identifier, clean_text
from traza.ports.errors import PortDataRefused, at_line

LOCODE = re.compile(r"^[A-Z]{2}[A-Z2-9]{3}$")
HS = re.compile(r"^\d{4}\.?\d{2}")
UN_NUMBER = re.compile(r"^(UN)?\s?(\d{4})$")


def hs6(text: str | None) -> str | None:
    """The 6-digit heading of an HS code written 2914.11, 291411 or 29141100."""
    if not text:
        return None
    digits = re.sub(r"[^0-9]", "", text)
    return digits[:6] if len(digits) >= 6 else None


def locode(text: str | None) -> tuple[str | None, str | None]:
    if not text:
        return None, None
    v = text.strip().upper().replace(" ", "")
    if not LOCODE.match(v):
        return None, f"{text!r} is not a UN/LOCODE (two letters of country, three of place, e.g. PECLL)"
    return v, None


def un_number(text: str | None) -> tuple[str | None, str | None]:
    if not text:
        return None, None
    m = UN_NUMBER.match(text.strip().upper())
    if not m:
        return None, f"{text!r} is not a UN number (four digits, e.g. 1090)"
    return m.group(2), None


def number(text: str | None, what: str) -> tuple[float | None, str | None]:
    if text is None or not text.strip():
        return None, None
    try:
        v = float(text.strip())
    except ValueError:
        return None, f"{what} {text!r} is not a number"
    if v < 0 or v != v:
        return None, f"{what} {text!r} must be zero or more"
    return v, None


def day(text: str | None) -> tuple[date | None, str | None]:
    if not text or not text.strip():
        return None, None
    t = text.strip()
    for fmt in ("%Y-%m-%d", "%Y%m%d", "%y%m%d"):
        try:
            return datetime.strptime(t, fmt).date(), None
        except ValueError:
            continue
    return None, f"date {text!r}: expected YYYY-MM-DD (CSV) or CCYYMMDD (EDIFACT format 102)"


def moment(text: str | None) -> tuple[datetime | None, str | None]:
    if not text or not text.strip():
        return None, None
    t = text.strip()
    for fmt in ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y%m%d%H%M", "%Y-%m-%d", "%Y%m%d"):
        try:
            return datetime.strptime(t, fmt), None
        except ValueError:
            continue
    return None, f"date-time {text!r}: expected YYYY-MM-DDTHH:MM[:SS] (CSV) or CCYYMMDDHHMM (EDIFACT format 203)"


# Longest value each field may hold: the UN/EDIFACT data element's size where there is one
# (1004 document number an..35, 8260 equipment id an..17, 8028 voyage an..17, 1154 reference
# an..35), so a CSV manifest and a CUSCAR message are held to the same sizes. Anything not
# named here is text of at most TEXT_LIMIT (a 2 MB "manifest number" is not a manifest number).
LIMITS = {
    "manifest_number": 35, "bl_number": 35, "master_bl": 35, "container_no": 17, "voyage": 17,
    "vessel_imo": 35, "carrier": 35, "shipper_id": 35, "consignee_id": 35, "notify_id": 35,
    "port": 16, "size_type": 10, "full_empty": 10, "package_type": 17, "un_number": 8, "imdg_class": 7,
    "hs_code": 18, "item_no": 18, "packages": 18, "gross_kg": 18, "vgm_kg": 18, "tare_kg": 18,
    "direction": 16, "message_function": 16, "bl_type": 16, "reefer": 8, "event_type": 16,
    "arrival": 20, "departure": 20, "transmitted_at": 20, "occurred_at": 20,
    "vessel_name": 70, "shipper_name": 350, "consignee_name": 350, "notify_name": 350,
    "seals": 350, "seal_number": 35, "reference": 35, "party_id": 35, "message_ref": 14, "date": 35,
    "measure": 18, "qualifier": 3, "marks": 512, "description": 2560, "location": 70, "detail": 512,
}
for _p in ("port_original_loading", "port_loading", "port_transshipment", "port_discharge", "port_final_destination"):
    LIMITS[_p] = 16
TEXT_LIMIT = 512
# Free text (names, descriptions, marks, places): any script; every other field is an
# identifier, a code, a number or a date, ASCII only (Arabic-Indic digits pass float() and
# strptime(), and a container number in another script would be a second container).
TEXT_FIELDS = frozenset({"vessel_name", "shipper_name", "consignee_name", "notify_name", "description", "marks",
                         "location", "detail"})


def limit(field: str) -> int:
    return LIMITS.get(field, TEXT_LIMIT)


def clean_cell(value: str, field: str, where: str | None = None) -> str:
    """A manifest value in its one reading (``core.text``), held to its field's limit; raises
    BadText naming ``where`` (the field, or the segment element) when it cannot be taken."""
    name = where or field
    if field in TEXT_FIELDS:
        return clean_text(value, name, max_length=limit(field))
    return clean_identifier(value, name, max_length=limit(field))


def decode_utf8(data: bytes, file_name: str) -> str:
    """The file's text, or a refusal naming the first byte that is not UTF-8 (offset, line and
    column) and what was expected."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise PortDataRefused([at_line(file_name, line, "encoding",
                                       f"{bad_byte(data, exc.start)}: expected UTF-8 text "
                                       "(save the file as UTF-8)")]) from exc
    return text.removeprefix("\ufeff")


def bad_byte(data: bytes, offset: int) -> str:
    line_start = data.rfind(b"\n", 0, offset) + 1
    return f"byte 0x{data[offset]:02X} at offset {offset} (column {offset - line_start + 1}) is not UTF-8"


# The CUSCAR components traza reads as identifiers, codes, numbers or dates, by (segment tag,
# element, component): ASCII only, held to the field's limit. Every other component is text
# (names, free text, place names): cleaned and held to its limit, any script.
_EDI_IDS = {
    ("UNH", 0, 0): "message_ref", ("UNT", 0, 0): "measure", ("UNT", 1, 0): "message_ref",
    ("BGM", 1, 0): "manifest_number", ("BGM", 2, 0): "message_function", ("DTM", 0, 0): "qualifier",
    ("DTM", 0, 1): "date", ("TDT", 1, 0): "voyage", ("TDT", 4, 0): "carrier", ("TDT", 7, 0): "vessel_imo",
    ("LOC", 0, 0): "qualifier", ("LOC", 1, 0): "port", ("EQD", 0, 0): "qualifier", ("EQD", 1, 0): "container_no",
    ("EQD", 2, 0): "size_type", ("EQD", 5, 0): "full_empty", ("MEA", 0, 0): "qualifier", ("MEA", 1, 0): "qualifier",
    ("MEA", 2, 1): "measure", ("SEL", 0, 0): "seal_number", ("SEL", 1, 0): "qualifier", ("CNI", 0, 0): "item_no",
    ("CNI", 1, 0): "bl_number", ("RFF", 0, 0): "qualifier", ("RFF", 0, 1): "reference", ("NAD", 0, 0): "qualifier",
    ("NAD", 1, 0): "party_id", ("GID", 0, 0): "item_no", ("GID", 1, 0): "packages", ("GID", 1, 1): "package_type",
    ("FTX", 0, 0): "qualifier", ("SGP", 0, 0): "container_no", ("DGS", 1, 0): "imdg_class",
    ("DGS", 2, 0): "un_number", ("CST", 1, 0): "hs_code",
}
_EDI_TEXT = {("TDT", 7, 3): "vessel_name", ("NAD", 2, -1): "shipper_name", ("NAD", 3, -1): "shipper_name",
             ("FTX", 3, -1): "description", ("PCI", 1, -1): "marks"}


def clean_component(tag: str, segment: int, element: int, component: int, value: str) -> str:
    """A CUSCAR component in its one reading; BadText names the segment (tag and position),
    the element and component, and the field it holds."""
    ident = _EDI_IDS.get((tag, element, component))
    field = ident or _EDI_TEXT.get((tag, element, component)) or _EDI_TEXT.get((tag, element, -1)) or "text"
    where = f"{tag} (segment {segment + 1}) element {element + 1}.{component + 1} ({field.replace('_', ' ')})"
    if ident:
        return clean_identifier(value, where, max_length=limit(field))
    return clean_text(value, where, max_length=limit(field))
