"""The operators' portal: upload declarations (CSV, XLSX or UBL, through the same code as the
API), read each refused row with its reason, and check a sale before making it."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import File, Form, Request, UploadFile
from fastapi.responses import Response
from pydantic import ValidationError

from traza.api.deps import Db, State
from traza.api.routers.checks import SaleCheckIn, ask_of
from traza.service import declarations, templates
from traza.service.checkanswer import CheckRefused, deliver_now
from traza.service.checks import Principal
from traza.web import labels
from traza.web.deps import OperatorR, OperatorW, WebProblem
from traza.web.i18n import translate
from traza.web.problems import shown
from traza.web.render import html, redirect
from traza.web.routes._common import router

r = router()
Field = Annotated[str, Form(max_length=200)]


@r.get("/portal")
def portal(request: Request, v: OperatorR, db: Db) -> Response:
    subs = declarations.submissions(db, str(v.name), 50, 0)
    return html(request, v, "portal.html", active="portal", submissions=subs)


def _template(v: OperatorR, fmt: str, media: str) -> Response:
    """The movements file to fill in, with an example row in the operator's name."""
    return Response(templates.render(str(v.name), fmt, dt.date.today()), media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="movements-{v.name}.{fmt}"'})


@r.get("/portal/template.csv")
def template_csv(v: OperatorR) -> Response:
    return _template(v, "csv", "text/csv; charset=utf-8")


@r.get("/portal/template.xlsx")
def template_xlsx(v: OperatorR) -> Response:
    return _template(v, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@r.post("/portal/upload")
def upload(request: Request, v: OperatorW, db: Db, file: Annotated[UploadFile, File()]) -> Response:
    content = file.file.read()
    if not content:
        raise WebProblem("the file is empty")
    with shown("file"):
        result = declarations.submit_file(db, str(v.name), file.filename or "upload.csv", content)
    if result.status == "already_loaded" and result.previous_submission is not None:
        # The same file of this operator again: its earlier submission, which it changed nothing of.
        return redirect(request, v, f"/portal/submissions/{result.previous_submission}?again=1")
    if result.submission_id is None:
        raise WebProblem(f"{file.filename}: {t_status(v.lang, result.status)}")
    return redirect(request, v, f"/portal/submissions/{result.submission_id}")


def t_status(lang: str, status: str) -> str:
    return translate(lang, f"sub.{status}")


@r.get("/portal/submissions/{submission_id}")
def submission(request: Request, v: OperatorR, db: Db, submission_id: int, again: str | None = None) -> Response:
    sub = declarations.submission(db, str(v.name), submission_id)
    if sub is None:
        raise WebProblem(f"{translate(v.lang, 'portal.no_submission')} {submission_id}", status=404)
    return html(request, v, "submission.html", active="portal", sub=sub, again=bool(again))


@r.get("/portal/check")
def check_form(request: Request, v: OperatorR) -> Response:
    return html(request, v, "check.html", active="check", form={}, result=None, error=None,
                chemicals=labels.chemicals(v.lang))


def _blank(value: str) -> str | None:
    return value.strip() or None


@r.post("/portal/check")
def check(request: Request, v: OperatorW, state: State, buyer_ruc: Field, chemical: Field, quantity: Field,
          unit: Field, buyer_establishment: Field = "", destination_ubigeo: Field = "",
          seller_establishment: Field = "") -> Response:
    """The API's sale check itself (same decision, same record, same rate limit per operator,
    the same need-to-know answer), answered once its record is committed."""
    form: dict[str, Any] = {"buyer_ruc": buyer_ruc.strip(), "chemical": chemical.strip(), "quantity": quantity.strip(),
                            "unit": unit.strip(), "buyer_establishment": _blank(buyer_establishment),
                            "destination_ubigeo": _blank(destination_ubigeo),
                            "seller_establishment": _blank(seller_establishment)}
    result, error = None, None
    try:
        body = SaleCheckIn(seller_ruc=str(v.name), **form)
        op = Principal(str(v.name), str(v.session.version))
        result = deliver_now(state.recorder, state.sale_check(op, ask_of(body)))
    except ValidationError as exc:
        error = "; ".join(f"{'.'.join(str(x) for x in e['loc']) or 'form'}: {e['msg']}" for e in exc.errors())
    except CheckRefused as exc:
        error = exc.message
    return html(request, v, "check.html", active="check", form=form, result=result, error=error,
                chemicals=labels.chemicals(v.lang), code=200 if result else 400)


