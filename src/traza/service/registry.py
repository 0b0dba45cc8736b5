"""Registry changes by registrars: register, suspend, revoke, reinstate, establishments and
authorisations. Each change is a new version appended by the loader (the same validation as
``traza load``) and an audit event; nothing is edited in place."""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import Any

from traza.cases.audit import record
from traza.ingest.load import FileResult
from traza.service.loader import load_rows
from traza.store.db import Database


class RegistryRefused(Exception):
    def __init__(self, result: FileResult) -> None:
        self.result = result
        reasons = "; ".join(f"{r.column or 'row'}: {r.reason}" for r in result.rejections[:3])
        super().__init__(f"the registry refused the change: {reasons or result.status}")


class AlreadyRegistered(Exception):
    pass


def _apply(db: Database, actor: str, kind: str, row: dict[str, Any], action: str, subject: str) -> dict[str, Any]:
    # A fresh reference per request keeps two identical changes (suspend, reinstate, suspend)
    # from looking like a resent file; it is kept with the version (column extra).
    ref = uuid.uuid4().hex
    result = load_rows(db, kind, [{**row, "api_request": ref}], submitted_by=actor)
    if result.status not in ("accepted", "already_loaded") or result.rows_rejected:
        raise RegistryRefused(result)
    with db.transaction():
        event_id = record(db, actor, action, "operator", subject,
                          {"kind": kind, "row": row, "submission_id": result.submission_id, "request": ref})
    return {"submission_id": result.submission_id, "event_id": event_id, "request": ref}


def operator(db: Database, ruc: str) -> dict[str, Any] | None:
    rows = db.dicts("SELECT ruc, name, sector, registered_on, status, representative_id, phone, email, extra, "
                    "version_id, recorded_at, recorded_by FROM operators WHERE ruc = ?", (ruc,))
    return rows[0] if rows else None


def _extra(rec: dict[str, Any]) -> dict[str, Any]:
    try:
        extra = json.loads(rec.get("extra") or "{}")
    except ValueError:
        return {}
    extra.pop("api_request", None)
    return {k: v for k, v in extra.items() if isinstance(k, str)}


def register(db: Database, actor: str, data: dict[str, Any]) -> dict[str, Any]:
    if operator(db, data["ruc"]) is not None:
        raise AlreadyRegistered(data["ruc"])
    row = {**data, "registered_on": data.get("registered_on") or date.today().isoformat(),
           "status": data.get("status") or "active"}
    return _apply(db, actor, "operators", row, "registry.operator.register", data["ruc"])


def set_status(db: Database, actor: str, ruc: str, status: str, reason: str | None) -> dict[str, Any]:
    rec = operator(db, ruc)
    if rec is None:
        raise KeyError(ruc)
    row = {k: rec[k] for k in ("ruc", "name", "sector", "registered_on", "status", "representative_id", "phone", "email")}
    row.update(_extra(rec))
    row["status"] = status
    out = _apply(db, actor, "operators", row, f"registry.operator.{status}", ruc)
    if reason:
        with db.transaction():
            record(db, actor, "registry.operator.status_reason", "operator", ruc, {"status": status, "reason": reason})
    return out


def add_establishment(db: Database, actor: str, data: dict[str, Any]) -> dict[str, Any]:
    if operator(db, data["ruc"]) is None:
        raise KeyError(data["ruc"])
    return _apply(db, actor, "establishments", data, "registry.establishment.save", data["ruc"])


def add_authorisation(db: Database, actor: str, data: dict[str, Any]) -> dict[str, Any]:
    if operator(db, data["ruc"]) is None:
        raise KeyError(data["ruc"])
    return _apply(db, actor, "authorisations", data, "registry.authorisation.save", data["ruc"])


def list_operators(db: Database, status: str | None, sector: str | None, name: str | None,
                   limit: int, offset: int) -> list[dict[str, Any]]:
    where, params = [], []
    if status:
        where.append("status = ?")
        params.append(status)
    if sector:
        where.append("sector = ?")
        params.append(sector)
    if name:
        where.append("lower(name) LIKE ?")
        params.append("%" + name.lower().replace("%", "").replace("_", "") + "%")
    sql = ("SELECT ruc, name, sector, registered_on, status FROM operators"
           + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY ruc LIMIT ? OFFSET ?")
    return db.dicts(sql, [*params, limit, offset])


def details(db: Database, ruc: str) -> dict[str, Any] | None:
    rec = operator(db, ruc)
    if rec is None:
        return None
    rec.pop("extra", None)
    rec["establishments"] = db.dicts("SELECT establishment_code, ubigeo, address FROM establishments WHERE ruc = ? "
                                     "ORDER BY establishment_code", (ruc,))
    rec["authorisations"] = db.dicts("SELECT chemical, activities, annual_quota_kg, valid_from, valid_to "
                                     "FROM authorisations WHERE ruc = ? ORDER BY chemical, valid_from", (ruc,))
    return rec


def history(db: Database, ruc: str) -> list[dict[str, Any]]:
    """Every version of the operator, its establishments and authorisations, oldest first."""
    return db.dicts(
        "SELECT * FROM ("
        "SELECT version_id, 'operator' AS record, ruc AS key, status AS summary, recorded_at, recorded_by, submission_id "
        "FROM operator_versions WHERE ruc = ? UNION ALL "
        "SELECT version_id, 'establishment', establishment_code, ubigeo, recorded_at, recorded_by, submission_id "
        "FROM establishment_versions WHERE ruc = ? UNION ALL "
        "SELECT version_id, 'authorisation', chemical || ' from ' || CAST(valid_from AS VARCHAR), activities, "
        "recorded_at, recorded_by, submission_id FROM authorisation_versions WHERE ruc = ?) h "
        "ORDER BY version_id", (ruc, ruc, ruc))
