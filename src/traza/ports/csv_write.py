"""Write manifests and port events as the documented CSV (the simulator's CSV files; tests)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from traza.ports.csv_manifest import COLUMNS, EVENT_COLUMNS
from traza.ports.model import Equipment, Manifest, PortEvent


def _v(x: object) -> str:
    if x is None:
        return ""
    if isinstance(x, bool):
        return "1" if x else "0"
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return x.isoformat() if hasattr(x, "isoformat") else str(x)


def manifest_rows(man: Manifest) -> Iterable[list[str]]:
    c = man.call
    equip = {e.container_no: e for e in man.equipment}
    for d in man.documents:
        for g in d.goods:
            e = equip.get(g.container_no or "") or Equipment("", True)
            seals = ";".join(f"{s.number}:{s.party}" if s.party else s.number for s in e.seals)
            yield [_v(x) for x in (
                c.port, c.direction, c.vessel_name, c.vessel_imo, c.voyage, c.carrier, c.arrival, c.departure,
                man.manifest_number, man.message_function, man.transmitted_at, d.bl_number, d.bl_type, d.master_bl,
                d.shipper_name, d.shipper_id, d.consignee_name, d.consignee_id, d.notify_name, d.notify_id,
                d.port_original_loading, d.port_loading, d.port_transshipment, d.port_discharge,
                d.port_final_destination, g.container_no, e.size_type if g.container_no else None,
                e.reefer if g.container_no else None, e.full_empty if g.container_no else None,
                e.vgm_kg if g.container_no else None, e.tare_kg if g.container_no else None,
                seals, g.item_no, g.packages, g.package_type, g.gross_kg, g.description, g.hs_code, g.un_number,
                g.imdg_class, g.marks)]


def write_manifests(out: TextIO, manifests: Iterable[Manifest]) -> int:
    w = csv.writer(out, lineterminator="\n")
    w.writerow(COLUMNS)
    n = 0
    for m in manifests:
        for row in manifest_rows(m):
            w.writerow(row)
            n += 1
    return n


def write_manifest_file(path: Path, manifests: Iterable[Manifest]) -> int:
    with path.open("w", encoding="utf-8", newline="") as f:
        return write_manifests(f, manifests)


def write_events(path: Path, events: Iterable[tuple[PortEvent, tuple[str, str, str, str] | None]]) -> int:
    """Events with their call's (port, vessel, voyage, direction) when known."""
    n = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(EVENT_COLUMNS)
        for e, call in events:
            port, vessel, voyage, direction = call or ("", "", "", "")
            w.writerow([e.container_no, e.event_type, e.occurred_at.isoformat(timespec="seconds"), port, vessel,
                        voyage, direction, e.location or "", e.detail or ""])
            n += 1
    return n
