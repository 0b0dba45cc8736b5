"""Ports pages: vessel calls with per-port hit rates, a call's inspection list, a container's
page (documents, seals, events, reasons) with the inspection form."""

from __future__ import annotations

import json
from typing import Annotated
from urllib.parse import quote

from fastapi import Form, Request
from fastapi.responses import Response

from traza.api.deps import Db
from traza.ports.feedback import InspectionIn, SeizureIn, record_inspection, stats
from traza.ports.model import METHODS
from traza.ports.queries import container, inspection_list, vessel_calls
from traza.ports.targeting import make_list
from traza.web.deps import AlertReader, AlertWorker, WebProblem
from traza.web.render import html, redirect
from traza.web.routes._common import router

r = router()


def call_url(call_id: str) -> str:
    return "/ports/calls/" + quote(call_id, safe="")


@r.get("/ports")
def ports_page(request: Request, v: AlertReader, db: Db) -> Response:
    return html(request, v, "ports.html", active="ports", calls=vessel_calls(db), stats=stats(db), call_url=call_url)


@r.get("/ports/calls/{call_id}")
def call_page(request: Request, v: AlertReader, db: Db, call_id: str) -> Response:
    calls = [c for c in vessel_calls(db) if c["call_id"] == call_id]
    if not calls:
        raise WebProblem(f"no vessel call {call_id}", status=404)
    return html(request, v, "port_call.html", active="ports", call=calls[0], rows=inspection_list(db, call_id),
                call_url=call_url, quote=lambda s: quote(s, safe=""))


@r.post("/ports/calls/{call_id}/list")
def make(request: Request, v: AlertWorker, db: Db, call_id: str,
         control_share: Annotated[float, Form(ge=0, le=1)] = 0.02) -> Response:
    try:
        make_list(db, call_id, control_share=control_share, actor=v.actor)
    except KeyError as exc:
        raise WebProblem(str(exc.args[0]), status=404) from exc
    return redirect(request, v, call_url(call_id))


@r.get("/ports/calls/{call_id}/containers/{container_no}")
def container_page(request: Request, v: AlertReader, db: Db, call_id: str, container_no: str) -> Response:
    found = container(db, call_id, container_no)
    if found is None:
        raise WebProblem(f"no container {container_no} in call {call_id}", status=404)
    reasons = json.loads(found["assessment"]["reasons"]) if found["assessment"] else []
    return html(request, v, "port_container.html", active="ports", call_id=call_id, c=found, reasons=reasons,
                methods=METHODS, call_url=call_url, quote=lambda s: quote(s, safe=""))


@r.post("/ports/calls/{call_id}/containers/{container_no}/inspect")
def inspect(request: Request, v: AlertWorker, db: Db, call_id: str, container_no: str,
            result: Annotated[str, Form(max_length=20)], methods: Annotated[list[str], Form()],
            seals_found: Annotated[str, Form(max_length=200)] = "", k9_alert: Annotated[str, Form(max_length=5)] = "",
            substance: Annotated[str, Form(max_length=100)] = "", net_kg: Annotated[str, Form(max_length=20)] = "",
            packages: Annotated[str, Form(max_length=20)] = "", concealment: Annotated[str, Form(max_length=200)] = "",
            markings: Annotated[str, Form(max_length=200)] = "") -> Response:
    try:
        seizure = SeizureIn(substance=substance.strip(), net_kg=float(net_kg) if net_kg.strip() else None,
                            packages=int(packages) if packages.strip() else None,
                            concealment=concealment.strip() or None, markings=markings.strip() or None) \
            if result == "seizure" else None
        body = InspectionIn(container_no=container_no, methods=methods, result=result, k9_alert=k9_alert == "on",
                            seals_found=seals_found.strip() or None, seizure=seizure)
        record_inspection(db, call_id, body, v.actor)
    except KeyError as exc:
        raise WebProblem(str(exc.args[0]), status=404) from exc
    except ValueError as exc:  # pydantic's ValidationError is one
        raise WebProblem(str(exc).splitlines()[0]) from exc
    return redirect(request, v, "/ports")
