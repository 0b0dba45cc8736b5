"""Registry changes by registrars: register, suspend, revoke, reinstate, establishments and
authorisations. Each change is a new version appended by the loader (the same validation as
``traza load``) and an audit event; nothing is edited in place."""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import Any

from traza.cases.audit import record
from traza.cases.versions import Current, Stale, claim
from traza.ingest.load import DONE, FileResult, LoadReport
from traza.service.loader import load_rows
from traza.store.db import Database
from traza.store.errors import lost_race


class RegistryRefused(Exception):
    def __init__(self, result: FileResult) -> None:
        self.result = result
        reasons = "; ".join(f"{r.column or 'row'}: {r.reason}" for r in result.rejections[:3])
        super().__init__(f"the registry refused the change: {reasons or result.status}")


class AlreadyRegistered(Exception):
    pass


# An operator's registry file (its own record, establishments and authorisations) has one
# version: the latest version_id among them (cases/versions.py). Every registrar change names it.
_VERSIONS = ("SELECT version_id, recorded_by, recorded_at, submission_id FROM operator_versions WHERE ruc = ? "
             "UNION ALL SELECT version_id, recorded_by, recorded_at, submission_id FROM establishment_versions "
             "WHERE ruc = ? UNION ALL SELECT version_id, recorded_by, recorded_at, submission_id "
             "FROM authorisation_versions WHERE ruc = ?")


def current(db: Database, ruc: str, without_submission: int | None = None) -> Current:
    """The operator file's version, status, and who changed it last and when; with
    ``without_submission``, as it stood before that submission's rows."""
    rows = db.query(f"SELECT version_id, recorded_by, recorded_at FROM ({_VERSIONS}) v "
                    "WHERE submission_id IS DISTINCT FROM ? ORDER BY version_id DESC LIMIT 1",
                    (ruc, ruc, ruc, without_submission))
    # From the versions, not the operators view: inside a change's load the view already
    # shows the change itself.
    status = db.scalar("SELECT status FROM operator_versions WHERE ruc = ? AND submission_id IS DISTINCT FROM ? "
                       "ORDER BY version_id DESC LIMIT 1", (ruc, without_submission))
    if not rows:
        return Current(0, status, None, None)
    by = rows[0][1]
    return Current(int(rows[0][0]), status, str(by) if by is not None else None, rows[0][2])


def _apply(db: Database, actor: str, kind: str, row: dict[str, Any], action: str, subject: str,
           version: int, notes: tuple[tuple[str, dict[str, Any]], ...] = ()) -> dict[str, Any]:
    """Load the change (the same validation as ``traza load``) and, in the load's own
    transaction, check that the operator's file is still at ``version``, claim the step from
    it and append the audit event (and ``notes``: further events of the same change). Of
    simultaneous changes made against one version exactly one commits; the others get Stale.
    A refused row commits as a rejected submission (as a refused file does), with no event."""
    # A fresh reference per request keeps two identical changes (suspend, reinstate, suspend)
    # from looking like a resent file; it is kept with the version (column extra).
    ref = uuid.uuid4().hex
    out: dict[str, Any] = {}

    def inside(report: LoadReport) -> None:
        result = report.files[0]
        if result.status not in (*DONE, "already_loaded") or result.rows_rejected:
            return
        before = current(db, subject, without_submission=result.submission_id)
        if before.version != version:
            raise Stale("operator", subject, version, before)
        after = current(db, subject).version
        if after != before.version:
            claim(db, "operator", subject, before.version, after, actor)
        out["event_id"] = record(db, actor, action, "operator", subject,
                                 {"kind": kind, "row": row, "submission_id": result.submission_id,
                                  "request": ref, "version": after})
        for note_action, payload in notes:
            record(db, actor, note_action, "operator", subject, payload)
        out["version"] = after

    try:
        result = load_rows(db, kind, [{**row, "api_request": ref}], submitted_by=actor, inside=inside)
    except Stale:
        raise
    except Exception as exc:
        if not lost_race(exc):
            raise
        raise Stale("operator", subject, version, current(db, subject)) from exc
    if result.status not in (*DONE, "already_loaded") or result.rows_rejected:
        raise RegistryRefused(result)
    return {"submission_id": result.submission_id, "request": ref, **out}


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
    """A new operator: made against version 0, so two registrations of one RUC at once cannot
    both commit."""
    if operator(db, data["ruc"]) is not None:
        raise AlreadyRegistered(data["ruc"])
    row = {**data, "registered_on": data.get("registered_on") or date.today().isoformat(),
           "status": data.get("status") or "active"}
    return _apply(db, actor, "operators", row, "registry.operator.register", data["ruc"], 0)


def set_status(db: Database, actor: str, ruc: str, status: str, reason: str | None, version: int) -> dict[str, Any]:
    """Suspend, revoke or reinstate, against the operator file's ``version``; the reason is
    an event of the same transaction."""
    rec = operator(db, ruc)
    if rec is None:
        raise KeyError(ruc)
    row = {k: rec[k] for k in ("ruc", "name", "sector", "registered_on", "status", "representative_id", "phone", "email")}
    row.update(_extra(rec))
    row["status"] = status
    notes = ((("registry.operator.status_reason", {"status": status, "reason": reason}),) if reason else ())
    return _apply(db, actor, "operators", row, f"registry.operator.{status}", ruc, version, notes)


def add_establishment(db: Database, actor: str, data: dict[str, Any], version: int) -> dict[str, Any]:
    if operator(db, data["ruc"]) is None:
        raise KeyError(data["ruc"])
    return _apply(db, actor, "establishments", data, "registry.establishment.save", data["ruc"], version)


def add_authorisation(db: Database, actor: str, data: dict[str, Any], version: int) -> dict[str, Any]:
    if operator(db, data["ruc"]) is None:
        raise KeyError(data["ruc"])
    return _apply(db, actor, "authorisations", data, "registry.authorisation.save", data["ruc"], version)


def list_operators(db: Database, status: str | None, sector: str | None, name: str | None,
                   limit: int, offset: int) -> list[dict[str, Any]]:
    where, params = [], []
    if status:
        where.append("status = ?")
        params.append(status)
    if sector:
        where.append("sector = ?")
        params.append(sector)
    if name:  # a part of the name, or of the RUC (digits are what a registrar types first)
        where.append("(lower(name) LIKE ? OR ruc LIKE ?)")
        like = "%" + name.strip().lower().replace("%", "").replace("_", "") + "%"
        params += [like, like]
    sql = ("SELECT ruc, name, sector, registered_on, status FROM operators"
           + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY ruc LIMIT ? OFFSET ?")
    return db.dicts(sql, [*params, limit, offset])


def details(db: Database, ruc: str) -> dict[str, Any] | None:
    rec = operator(db, ruc)
    if rec is None:
        return None
    rec.pop("extra", None)
    rec["version"] = current(db, ruc).version
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
