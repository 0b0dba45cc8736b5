"""Inspection results and what they teach: per rule and per port, inspections, hits, precision,
and the lift of targeted over random-control inspections. A seizure puts its parties, route and
markings on the watch list the rules read."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from traza.ports.model import METHODS, norm
from traza.store.db import Database

RESULTS = ("clean", "seizure", "irregularity")


class SeizureIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    substance: str = Field(min_length=1)
    packages: int | None = Field(default=None, ge=0)
    net_kg: float | None = Field(default=None, ge=0)
    concealment: str | None = None
    markings: str | None = None


class InspectionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    container_no: str = Field(min_length=4)
    methods: list[str] = Field(min_length=1)
    agencies: str | None = None
    seals_found: str | None = None
    k9_alert: bool | None = None
    result: str = Field(pattern="^(clean|seizure|irregularity)$")
    notes: str | None = None
    inspected_at: datetime | None = None
    seizure: SeizureIn | None = None

    def problems(self) -> list[str]:
        out = [f"method {m!r}: expected one of {', '.join(METHODS)}" for m in self.methods if m not in METHODS]
        if self.result == "seizure" and self.seizure is None:
            out.append("a result of 'seizure' needs the seizure's details")
        if self.seizure is not None and self.result != "seizure":
            out.append("seizure details given but the result is not 'seizure'")
        return out


@dataclass
class Recorded:
    inspection_id: int
    seizure_id: int | None
    watch_entries: int


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def record_inspection(db: Database, call_id: str, body: InspectionIn, user: str | None = None) -> Recorded:
    problems = body.problems()
    if problems:
        raise ValueError("; ".join(problems))
    manifested = [r[0] for r in db.query(
        "SELECT s.seal_number FROM port_seals s JOIN port_manifests_current m ON m.manifest_id = s.manifest_id "
        "WHERE m.call_id = ? AND s.container_no = ? ORDER BY 1", (call_id, body.container_no))]
    if not db.scalar("SELECT count(*) FROM port_equipment e JOIN port_manifests_current m ON m.manifest_id = e.manifest_id "
                     "WHERE m.call_id = ? AND e.container_no = ?", (call_id, body.container_no)):
        raise KeyError(f"container {body.container_no} is not on a manifest of call {call_id}")
    # How it was selected: the latest inspection list of the call says (random control first).
    sel = db.query("SELECT selected_by FROM port_risk_assessments WHERE call_id = ? AND container_no = ? "
                   "ORDER BY assessment_id DESC LIMIT 1", (call_id, body.container_no))
    selected_by = sel[0][0] if sel and sel[0][0] != "none" else "other"
    now = _now()
    with db.transaction():
        iid = int(db.scalar("SELECT nextval('port_id_seq')"))
        db.execute("INSERT INTO port_inspections VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   (iid, call_id, body.container_no, selected_by, ",".join(body.methods), body.agencies,
                    body.seals_found, ",".join(manifested), body.k9_alert, body.result, body.notes,
                    body.inspected_at or now, user, now))
        sid = None
        entries = 0
        if body.seizure is not None:
            s = body.seizure
            sid = int(db.scalar("SELECT nextval('port_id_seq')"))
            db.execute("INSERT INTO port_seizures VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       (sid, iid, s.substance, s.packages, s.net_kg, s.concealment, s.markings, now))
            entries = _watch(db, call_id, body.container_no, sid, s.markings, now)
        if user is not None:
            from traza.cases.audit import record as audit

            audit(db, user, "ports.inspection", "container", body.container_no,
                  {"call_id": call_id, "inspection_id": iid, "result": body.result, "seizure_id": sid})
    return Recorded(iid, sid, entries)


def _watch(db: Database, call_id: str, container: str, sid: int, markings: str | None, now: datetime) -> int:
    docs = db.dicts(
        "SELECT d.shipper_name, d.shipper_id, d.consignee_name, d.consignee_id, d.notify_name, d.notify_id, "
        "c.port, coalesce(d.port_final_destination, d.port_discharge) AS dest "
        "FROM port_documents d JOIN port_manifests_current m ON m.manifest_id = d.manifest_id "
        "JOIN port_document_containers l ON l.manifest_id = d.manifest_id AND l.bl_number = d.bl_number "
        "JOIN port_vessel_calls c ON c.call_id = m.call_id WHERE m.call_id = ? AND l.container_no = ?",
        (call_id, container))
    values: set[tuple[str, str]] = set()
    for d in docs:
        for k in ("shipper_name", "consignee_name", "notify_name"):
            if d[k] and "ORDER" not in norm(d[k]) and "ORDEN" not in norm(d[k]):
                values.add(("party", norm(d[k])))
        for k in ("shipper_id", "consignee_id", "notify_id"):
            if d[k]:
                values.add(("party", str(d[k]).strip()))
        if d["dest"]:
            values.add(("route", f"{d['port']}>{d['dest']}"))
    if markings and len(norm(markings)) >= 4:
        values.add(("marking", norm(markings)))
    known = {(r[0], r[1]) for r in db.query("SELECT kind, value FROM port_watchlist")}
    n = 0
    for kind, value in sorted(values - known):
        db.execute("INSERT INTO port_watchlist VALUES (nextval('port_id_seq'), ?, ?, ?, ?, ?)",
                   (kind, value, sid, f"seizure {sid}", now))
        n += 1
    return n


def stats(db: Database) -> dict[str, Any]:
    """Per port and per rule: inspections, hits (seizures), precision; and per port the lift of
    targeted over random-control inspections (hit rate targeted / hit rate random)."""
    rows = db.dicts(
        "SELECT i.inspection_id, i.call_id, i.container_no, i.selected_by, i.result, c.port, "
        "(SELECT a.reasons FROM port_risk_assessments a WHERE a.call_id = i.call_id AND a.container_no = i.container_no "
        " ORDER BY a.assessment_id DESC LIMIT 1) AS reasons "
        "FROM port_inspections i JOIN port_vessel_calls c ON c.call_id = i.call_id")
    ports: dict[str, dict[str, Any]] = {}
    rules: dict[str, dict[str, Any]] = {}
    for r in rows:
        hit = r["result"] == "seizure"
        p = ports.setdefault(r["port"], {"port": r["port"], "inspections": 0, "hits": 0, "targeted": 0,
                                         "targeted_hits": 0, "random": 0, "random_hits": 0})
        p["inspections"] += 1
        p["hits"] += hit
        if r["selected_by"] in ("targeted", "random"):
            p[r["selected_by"]] += 1
            p[f"{r['selected_by']}_hits"] += hit
        for reason in json.loads(r["reasons"] or "[]"):
            q = rules.setdefault(reason["rule"], {"rule": reason["rule"], "inspections": 0, "hits": 0})
            q["inspections"] += 1
            q["hits"] += hit
    for p in ports.values():
        p["precision"] = _rate(p["hits"], p["inspections"])
        t, rnd = _rate(p["targeted_hits"], p["targeted"]), _rate(p["random_hits"], p["random"])
        p["hit_rate_targeted"], p["hit_rate_random"] = t, rnd
        p["lift"] = round(t / rnd, 2) if t is not None and rnd else None
    for q in rules.values():
        q["precision"] = _rate(q["hits"], q["inspections"])
    return {"ports": sorted(ports.values(), key=lambda x: x["port"]),
            "rules": sorted(rules.values(), key=lambda x: x["rule"])}


def _rate(hits: int, n: int) -> float | None:
    return round(hits / n, 4) if n else None
