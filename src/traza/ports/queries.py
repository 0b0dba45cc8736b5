"""Read-side queries shared by the CLI, the API and the web pages."""

from __future__ import annotations

import json
from typing import Any

from traza.store.db import Database


def vessel_calls(db: Database, port: str | None = None) -> list[dict[str, Any]]:
    where, params = ("WHERE c.port = ?", [port]) if port else ("", [])
    sql = (
        "SELECT c.call_id, c.port, c.direction, c.vessel_name, c.voyage, c.arrival, c.departure, "
        "count(DISTINCT m.manifest_id) AS manifest_versions, "
        "(SELECT count(DISTINCT e.container_no) FROM port_equipment e JOIN port_manifests_current mc "
        " ON mc.manifest_id = e.manifest_id WHERE mc.call_id = c.call_id) AS containers "
        "FROM port_vessel_calls c LEFT JOIN port_manifests m ON m.call_id = c.call_id WHERE_CLAUSE"
        " GROUP BY c.call_id, c.port, c.direction, c.vessel_name, c.voyage, c.arrival, c.departure "
        "ORDER BY coalesce(c.departure, c.arrival), c.call_id")
    return db.dicts(sql.replace("WHERE_CLAUSE", where), params)


def inspection_list(db: Database, call_id: str) -> list[dict[str, Any]]:
    """The call's latest recorded inspection list by rank, its reasons and methods as lists
    (empty when none was made)."""
    rows = db.dicts(
        "SELECT container_no, score, rank, selected_by, methods, reasons FROM port_risk_assessments "
        "WHERE assessment_id = (SELECT max(assessment_id) FROM port_risk_assessments WHERE call_id = ?) "
        "ORDER BY rank", (call_id,))
    for x in rows:
        x["methods"] = [m for m in str(x["methods"]).split(",") if m]
        x["reasons"] = json.loads(x["reasons"])
    return rows


def container(db: Database, call_id: str, container_no: str) -> dict[str, Any] | None:
    eq = db.dicts(
        "SELECT e.*, m.version FROM port_equipment e JOIN port_manifests_current m ON m.manifest_id = e.manifest_id "
        "WHERE m.call_id = ? AND e.container_no = ?", (call_id, container_no))
    if not eq:
        return None
    mids = tuple({int(r["manifest_id"]) for r in eq})
    marks = ", ".join("?" for _ in mids)
    docs = db.dicts(
        f"SELECT d.* FROM port_documents d JOIN port_document_containers l ON l.manifest_id = d.manifest_id "  # noqa: S608
        f"AND l.bl_number = d.bl_number WHERE l.container_no = ? AND d.manifest_id IN ({marks})", (container_no, *mids))
    seals = db.dicts(f"SELECT seal_number, sealing_party FROM port_seals WHERE container_no = ? AND manifest_id IN ({marks})",  # noqa: S608
                     (container_no, *mids))
    events = db.dicts("SELECT event_type, occurred_at, location, detail FROM port_events WHERE container_no = ? "
                      "ORDER BY occurred_at", (container_no,))
    assess = db.dicts("SELECT score, rank, selected_by, reasons, methods FROM port_risk_assessments "
                      "WHERE call_id = ? AND container_no = ? ORDER BY assessment_id DESC LIMIT 1", (call_id, container_no))
    insp = db.dicts("SELECT * FROM port_inspections WHERE call_id = ? AND container_no = ? ORDER BY inspection_id",
                    (call_id, container_no))
    return {"equipment": eq[0], "documents": docs, "seals": seals, "events": events,
            "assessment": assess[0] if assess else None, "inspections": insp}
