"""Registry pages: every staff reader finds operators; registrars register, suspend, revoke
or reinstate them, grant authorisations and establishments, and issue or revoke API keys.
Forms are validated by the API's own request models and saved by the same service calls."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ValidationError

from traza.api.deps import Db, State
from traza.api.routers.registry import AuthorisationIn, EstablishmentIn, OperatorIn, StatusIn
from traza.core.types import ACTIVITIES, OPERATOR_STATUSES, SECTORS
from traza.core.vocab import REGISTRARS
from traza.service import accounts, registry
from traza.web import labels
from traza.web.deps import RegistrarW, RegistryReader, Viewer, WebProblem
from traza.web.field_errors import field_error
from traza.web.problems import shown
from traza.web.render import html, redirect
from traza.web.routes._common import parse_choice, router

r = router()
Field = Annotated[str, Form(max_length=300)]
Q = Annotated[str | None, Query(max_length=100)]


def _valid(model: type[BaseModel], data: dict[str, Any], lang: str = "es") -> Any:
    """The API's validation of the same fields, as a message the registrar can act on."""
    try:
        return model(**{k: v for k, v in data.items() if v not in ("", None, [])})
    except ValidationError as exc:
        raise WebProblem("; ".join(field_error(lang, e, skip=0) for e in exc.errors())) from None


@r.get("/registry")
def registry_page(request: Request, v: RegistryReader, db: Db, status: Q = None, sector: Q = None,
                  name: Q = None, page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> Response:
    parse_choice(status, OPERATOR_STATUSES, "status")
    parse_choice(sector, SECTORS, "sector")
    rows = registry.list_operators(db, status or None, sector or None, name or None, 101, (page - 1) * 100)
    return html(request, v, "registry.html", active="registry", rows=rows[:100], more=len(rows) > 100, page=page,
                q={"status": status or "", "sector": sector or "", "name": name or ""}, sectors=SECTORS)


def _detail(request: Request, v: Viewer, db: Db, ruc: str, new_key: str | None = None) -> Response:
    rec = registry.details(db, ruc)
    if rec is None:
        raise WebProblem(f"{ruc}: not registered", status=404)
    keys = accounts.list_keys(db, ruc) if v.role in REGISTRARS else []
    return html(request, v, "registry_operator.html", active="registry", o=rec, history=registry.history(db, ruc),
                keys=keys, new_key=new_key, activities=ACTIVITIES, chemicals=labels.chemicals(v.lang))


@r.get("/registry/operators/{ruc}")
def registry_operator(request: Request, v: RegistryReader, db: Db, ruc: str) -> Response:
    return _detail(request, v, db, ruc)


@r.post("/registry/operators")
def register(request: Request, v: RegistrarW, db: Db, ruc: Field, name: Field, sector: Field,
             registered_on: Field = "", representative_id: Field = "", phone: Field = "", email: Field = "") -> Response:
    body = _valid(OperatorIn, {"ruc": ruc.strip(), "name": name.strip(), "sector": sector, "registered_on": registered_on,
                               "representative_id": representative_id.strip(), "phone": phone.strip(),
                               "email": email.strip()}, v.lang)
    with shown("operator", v.lang):
        registry.register(db, v.actor, body.model_dump(mode="json", exclude_none=True))
    return redirect(request, v, f"/registry/operators/{body.ruc}")


@r.post("/registry/operators/{ruc}/status")
def set_status(request: Request, v: RegistrarW, db: Db, state: State, ruc: str, status: Field, reason: Field = "",
               version: Field = "") -> Response:
    body = _valid(StatusIn, {"status": status, "reason": reason.strip(), "version": version.strip()}, v.lang)
    with shown("operator", v.lang):
        registry.set_status(db, v.actor, ruc, body.status, body.reason, body.version)
    state.facts.note_status(ruc, body.status)  # its keys stop (or start) working at once here
    return redirect(request, v, f"/registry/operators/{ruc}")


@r.post("/registry/operators/{ruc}/establishments")
def save_establishment(request: Request, v: RegistrarW, db: Db, ruc: str, establishment_code: Field, ubigeo: Field,
                       address: Field = "", version: Field = "") -> Response:
    body = _valid(EstablishmentIn, {"ruc": ruc, "establishment_code": establishment_code.strip(),
                                    "ubigeo": ubigeo.strip(), "address": address.strip(), "version": version.strip()}, v.lang)
    with shown("operator", v.lang):
        registry.add_establishment(db, v.actor, body.model_dump(mode="json", exclude_none=True, exclude={"version"}),
                                   body.version)
    return redirect(request, v, f"/registry/operators/{ruc}")


@r.post("/registry/operators/{ruc}/authorisations")
async def save_authorisation(request: Request, v: RegistrarW, db: Db, ruc: str) -> Response:
    form = await request.form()
    body = _valid(AuthorisationIn, {"ruc": ruc, "chemical": str(form.get("chemical") or ""),
                                    "activities": [str(a) for a in form.getlist("activities")],
                                    "annual_quota_kg": str(form.get("annual_quota_kg") or "").strip(),
                                    "valid_from": str(form.get("valid_from") or ""),
                                    "valid_to": str(form.get("valid_to") or ""),
                                    "version": str(form.get("version") or "").strip()}, v.lang)
    row = body.model_dump(mode="json", exclude={"version"})
    row["activities"] = ";".join(body.activities)
    with shown("operator", v.lang):
        registry.add_authorisation(db, v.actor, row, body.version)
    return redirect(request, v, f"/registry/operators/{ruc}")


@r.post("/registry/operators/{ruc}/keys")
def issue_key(request: Request, v: RegistrarW, db: Db, ruc: str, label: Field = "") -> Response:
    if registry.operator(db, ruc) is None:
        raise WebProblem(f"{ruc}: not registered", status=404)
    try:
        key = accounts.issue_key(db, v.actor, ruc, label.strip()[:100] or None)
    except accounts.KeyRefused as exc:
        raise WebProblem(str(exc), status=409) from exc
    # Shown once, on this response only: it is never stored in clear.
    return _detail(request, v, db, ruc, new_key=key.token)


@r.post("/registry/keys/{key_id}/revoke")
def revoke_key(request: Request, v: RegistrarW, db: Db, state: State, key_id: str) -> Response:
    with shown("key"):
        accounts.revoke_key(db, v.actor, key_id)
        rec = accounts.find_key(db, key_id)
        if rec is None:
            raise KeyError(key_id)
    state.facts.forget_key(key_id)
    return redirect(request, v, f"/registry/operators/{rec.ruc}")
