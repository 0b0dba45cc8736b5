"""A missing login sends the browser to /login; a forbidden page or a refused form answers
with a page (or, for HTMX, a fragment) that says why, in the viewer's language."""

from __future__ import annotations

import inspect
import re
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from traza.api.errors import stored_refusal
from traza.store.errors import DATA_ERRORS
from traza.web.deps import LoginNeeded, Viewer, WebForbidden, WebProblem, _lang
from traza.web.field_errors import field_error
from traza.web.i18n import translate
from traza.web.render import environment, with_query
from traza.web.session import Session


def _message(lang: str, exc: Exception) -> str:
    if isinstance(exc, WebForbidden):
        return f"{translate(lang, 'error.forbidden')} {exc.message}"
    if isinstance(exc, WebProblem):
        return translate(lang, "error.csrf") if exc.message == "csrf" else exc.message
    return str(exc)


def _page(request: Request, exc: Exception, status: int) -> Response:
    lang = _lang(request)[0]
    message = _message(lang, exc)
    if request.headers.get("hx-request"):
        # Swapped in place of the request's target: keep its id, so the next request from
        # the same control still finds where to go.
        target = re.sub(r"[^A-Za-z0-9_-]", "", request.headers.get("hx-target", ""))
        body = environment().get_template("_flash.html").render(message=message, kind="error", target=target)
        return HTMLResponse(body, status_code=status)
    # Pages for errors show no navigation: the viewer may be nobody.
    v = Viewer(Session.anonymous(), False, lang, False)
    body = environment().get_template("error.html").render(
        request=request, v=v, t=lambda k: translate(lang, k), lang=lang, message=message,
        with_query=lambda **c: with_query(request, **c))
    return HTMLResponse(body, status_code=status)


def problem_page(request: Request, message: str, status: int) -> Response:
    """The error page (or HTMX fragment) for a refusal made outside the routes (the text edge)."""
    return _page(request, WebProblem(message), status)


async def _call(handler: Any, request: Request, exc: Exception) -> Response:
    out = handler(request, exc)
    result: Response = await out if inspect.isawaitable(out) else out
    return result


def _is_page(request: Request) -> bool:
    return not request.url.path.startswith(("/v1/", "/v1"))


def install_handlers(app: FastAPI) -> None:
    """Call after the API's handlers: for pages, a bad parameter or an unknown path answers
    with a page; under /v1 the API's JSON handlers answer as before."""
    api_invalid = app.exception_handlers.get(RequestValidationError)
    api_http = app.exception_handlers.get(StarletteHTTPException)
    api_data = {kind: app.exception_handlers.get(kind) for kind in DATA_ERRORS}

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        if not _is_page(request) and api_invalid is not None:
            return await _call(api_invalid, request, exc)
        lang = _lang(request)[0]
        return _page(request, WebProblem("; ".join(field_error(lang, e) for e in exc.errors())), 400)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if not _is_page(request) and api_http is not None:
            return await _call(api_http, request, exc)
        lang = _lang(request)[0]
        message = f"{translate(lang, 'error.not_found')} {request.url.path}" if exc.status_code == 404 else str(exc.detail)
        return _page(request, WebProblem(message), exc.status_code)

    async def _data(request: Request, exc: Exception) -> Response:
        api = next((h for kind, h in api_data.items() if isinstance(exc, kind)), None)
        if not _is_page(request) and api is not None:
            return await _call(api, request, exc)
        return _page(request, WebProblem(stored_refusal(exc)), 422)

    for kind in DATA_ERRORS:
        app.add_exception_handler(kind, _data)

    @app.exception_handler(LoginNeeded)
    async def _login(request: Request, exc: LoginNeeded) -> Response:
        target = "/login?next=" + quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""), safe="")
        if request.headers.get("hx-request"):
            return Response(status_code=401, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)

    @app.exception_handler(WebForbidden)
    async def _forbidden(request: Request, exc: WebForbidden) -> Response:
        return _page(request, exc, 403)

    @app.exception_handler(WebProblem)
    async def _problem(request: Request, exc: WebProblem) -> Response:
        return _page(request, exc, exc.status)
