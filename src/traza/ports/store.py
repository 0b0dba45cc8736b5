"""Writing manifests and port events: one transaction per file, versions never overwritten."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from traza.ports.errors import Problem
from traza.ports.model import Manifest, PortEvent
from traza.store.db import Database


@dataclass
class LoadResult:
    file: str
    manifests_new: int = 0
    manifests_unchanged: int = 0
    amendments: int = 0
    documents: int = 0
    containers: int = 0
    events_new: int = 0
    bad_check_digits: list[str] = field(default_factory=list)
    # kept, but the operator should know (a missing UNZ, a UNT count that does not match...)
    warnings: list[Problem] = field(default_factory=list)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def save_manifests(db: Database, manifests: Sequence[Manifest], file_name: str, user: str | None = None) -> LoadResult:
    """Store the manifests of one file atomically. A manifest whose content is already stored is
    skipped (re-sending changes nothing); new content for a known manifest is its next version."""
    res = LoadResult(file_name)
    now = _now()
    hashes = [m.content_hash() for m in manifests]
    known = _known_hashes(db, hashes)
    rows: dict[str, list[tuple[object, ...]]] = {t: [] for t in _COLS}
    with db.transaction():
        versions: dict[tuple[str, str], int] = {}
        for man, h in zip(manifests, hashes, strict=True):
            if h in known:
                res.manifests_unchanged += 1
                continue
            known.add(h)
            call = man.call
            if not db.scalar("SELECT count(*) FROM port_vessel_calls WHERE call_id = ?", (call.call_id,)):
                db.execute("INSERT INTO port_vessel_calls VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           (call.call_id, call.port, call.direction, call.vessel_name, call.vessel_imo,
                            call.voyage, call.carrier, call.arrival, call.departure, now))
            key = (call.call_id, man.manifest_number)
            if key not in versions:
                versions[key] = int(db.scalar(
                    "SELECT coalesce(max(version), 0) FROM port_manifests WHERE call_id = ? AND manifest_number = ?",
                    key) or 0)
            versions[key] += 1
            version = versions[key]
            res.amendments += version > 1
            res.manifests_new += 1
            mid = int(db.scalar("SELECT nextval('port_id_seq')"))
            db.execute("INSERT INTO port_manifests VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (mid, call.call_id, man.manifest_number, version, man.message_function, man.source_format,
                        man.transmitted_at, file_name, h, now, user))
            _rows(mid, man, rows, res)
        for table, cols in _COLS.items():
            db.append(table, cols, rows[table])
    return res


def _known_hashes(db: Database, hashes: list[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(hashes), 500):
        chunk = hashes[i:i + 500]
        marks = ", ".join("?" for _ in chunk)
        found |= {r[0] for r in db.query(f"SELECT content_hash FROM port_manifests WHERE content_hash IN ({marks})", chunk)}  # noqa: S608 - placeholders only
    return found


_COLS: dict[str, tuple[str, ...]] = {
    "port_documents": ("manifest_id", "bl_number", "bl_type", "master_bl", "shipper_name", "shipper_id",
                       "consignee_name", "consignee_id", "notify_name", "notify_id", "port_original_loading",
                       "port_loading", "port_transshipment", "port_discharge", "port_final_destination",
                       "packages", "gross_kg", "description", "hs_codes", "un_numbers", "source_ref"),
    "port_goods_items": ("manifest_id", "bl_number", "item_no", "container_no", "packages", "package_type",
                         "gross_kg", "description", "hs_code", "un_number", "imdg_class", "marks"),
    "port_equipment": ("manifest_id", "container_no", "check_digit_ok", "size_type", "reefer", "full_empty",
                       "vgm_kg", "tare_kg"),
    "port_seals": ("manifest_id", "container_no", "seal_number", "sealing_party"),
    "port_document_containers": ("manifest_id", "bl_number", "container_no"),
}


def _rows(mid: int, man: Manifest, rows: dict[str, list[tuple[object, ...]]], res: LoadResult) -> None:
    for d in man.documents:
        res.documents += 1
        rows["port_documents"].append((
            mid, d.bl_number, d.bl_type, d.master_bl, d.shipper_name, d.shipper_id, d.consignee_name,
            d.consignee_id, d.notify_name, d.notify_id, d.port_original_loading, d.port_loading,
            d.port_transshipment, d.port_discharge, d.port_final_destination, d.packages, d.gross_kg,
            d.joined("description", " | "), d.joined("hs_code"), d.joined("un_number"), d.source_ref))
        for g in d.goods:
            rows["port_goods_items"].append((mid, d.bl_number, g.item_no, g.container_no, g.packages, g.package_type,
                                             g.gross_kg, g.description, g.hs_code, g.un_number, g.imdg_class, g.marks))
        for c in d.containers:
            rows["port_document_containers"].append((mid, d.bl_number, c))
    for e in man.equipment:
        res.containers += 1
        if not e.check_digit_ok:
            res.bad_check_digits.append(e.container_no)
        rows["port_equipment"].append((mid, e.container_no, e.check_digit_ok, e.size_type, e.reefer, e.full_empty,
                                       e.vgm_kg, e.tare_kg))
        for s in e.seals:
            rows["port_seals"].append((mid, e.container_no, s.number, s.party))


def save_events(db: Database, events: Sequence[PortEvent], file_name: str) -> LoadResult:
    res = LoadResult(file_name)
    now = _now()
    keyed = {e.key(): e for e in events}
    with db.transaction():
        known = set()
        keys = list(keyed)
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            marks = ", ".join("?" for _ in chunk)
            known |= {r[0] for r in db.query(f"SELECT event_key FROM port_events WHERE event_key IN ({marks})", chunk)}  # noqa: S608 - placeholders only
        rows = [(k, e.call_id, e.container_no, e.event_type, e.occurred_at, e.location, e.detail, file_name, now)
                for k, e in keyed.items() if k not in known]
        db.append("port_events", ("event_key", "call_id", "container_no", "event_type", "occurred_at", "location",
                                   "detail", "file_name", "recorded_at"), rows)
        res.events_new = len(rows)
    return res
