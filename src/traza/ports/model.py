"""The manifest as traza understands it, whatever format it came in (CSV or CUSCAR): a pure
value the parsers build and ``store`` writes in one transaction."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime

from stdnum import iso6346
from stdnum.exceptions import ValidationError

from traza.core.rejection import Rejection

DIRECTIONS = ("import", "export", "transit")
FUNCTIONS = ("original", "replacement", "change")
SEALING_PARTIES = ("CA", "CU", "SH", "TO", "AC", "CB")
METHODS = ("k9", "scanner", "physical", "diver")
EVENT_TYPES = ("gate_in", "scan", "door_opened", "moved", "loaded", "discharged", "gate_out")
PORTS = {"PECLL": "Callao", "PEPAI": "Paita", "PECHM": "Chimbote", "PEMRI": "Matarani"}


def container_check(number: str) -> tuple[str, bool]:
    """(compact number, whether its ISO 6346 check digit is right). Never raises: a bad check
    digit is a fact about the manifest worth keeping (and flagging), not a reason to refuse it."""
    compact = iso6346.compact(number or "")
    try:
        iso6346.validate(compact)
    except (ValidationError, ValueError):  # stdnum's pattern lets non-ASCII letters reach its alphabet
        return compact, False
    return compact, True


def norm(text: str | None) -> str:
    """Upper case, single spaces: how names and markings are compared with the watch list."""
    return " ".join((text or "").upper().split())


@dataclass
class Seal:
    number: str
    party: str | None = None


@dataclass
class Equipment:
    container_no: str
    check_digit_ok: bool
    size_type: str | None = None
    reefer: bool = False
    full_empty: str | None = None
    vgm_kg: float | None = None
    tare_kg: float | None = None
    seals: list[Seal] = field(default_factory=list)


@dataclass
class GoodsItem:
    item_no: int
    container_no: str | None = None
    packages: int | None = None
    package_type: str | None = None
    gross_kg: float | None = None
    description: str | None = None
    hs_code: str | None = None
    un_number: str | None = None
    imdg_class: str | None = None
    marks: str | None = None


@dataclass
class Document:
    bl_number: str
    source_ref: str
    bl_type: str = "master"
    master_bl: str | None = None
    shipper_name: str | None = None
    shipper_id: str | None = None
    consignee_name: str | None = None
    consignee_id: str | None = None
    notify_name: str | None = None
    notify_id: str | None = None
    port_original_loading: str | None = None
    port_loading: str | None = None
    port_transshipment: str | None = None
    port_discharge: str | None = None
    port_final_destination: str | None = None
    goods: list[GoodsItem] = field(default_factory=list)
    containers: list[str] = field(default_factory=list)

    @property
    def packages(self) -> int | None:
        vals = [g.packages for g in self.goods if g.packages is not None]
        return sum(vals) if vals else None

    @property
    def gross_kg(self) -> float | None:
        vals = [g.gross_kg for g in self.goods if g.gross_kg is not None]
        return sum(vals) if vals else None

    def joined(self, attr: str, sep: str = ",") -> str | None:
        vals = sorted({str(getattr(g, attr)) for g in self.goods if getattr(g, attr)})
        return sep.join(vals) or None


@dataclass
class VesselCall:
    port: str
    direction: str
    vessel_name: str
    voyage: str
    vessel_imo: str | None = None
    carrier: str | None = None
    arrival: date | None = None
    departure: date | None = None

    @property
    def call_id(self) -> str:
        return "|".join((self.port, norm(self.vessel_name), norm(self.voyage), self.direction))


@dataclass
class Manifest:
    call: VesselCall
    manifest_number: str
    message_function: str
    source_format: str
    file_name: str
    transmitted_at: datetime | None = None
    documents: list[Document] = field(default_factory=list)
    equipment: list[Equipment] = field(default_factory=list)
    # what the reader noticed but kept (not content: content_hash leaves it out)
    warnings: list[Rejection] = field(default_factory=list)

    def content_hash(self) -> str:
        """Identity of the content (not of the file name or format): the same manifest sent
        twice, in either format, is the same version (the rule is ``store.IDENTITY_SQL``)."""
        from traza.ports.store import content_hashes

        return content_hashes([self])[0]


@dataclass
class PortEvent:
    container_no: str
    event_type: str
    occurred_at: datetime
    call_id: str | None = None
    location: str | None = None
    detail: str | None = None

    def key(self) -> str:
        # The same text and digest as the set-wise loader's SQL, so both paths agree on identity.
        raw = "|".join((self.container_no, self.event_type, str(self.occurred_at), self.call_id or "",
                        self.location or "", self.detail or ""))
        return hashlib.md5(raw.encode()).hexdigest()  # noqa: S324 - an identifier, not security
