"""A missing login sends the browser to /login; a forbidden page or a refused form answers
with a page (or, for HTMX, a fragment) that says why, in the viewer's language."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from traza.web.deps import LoginNeeded, Viewer, WebForbidden, WebProblem, _lang
from traza.web.i18n import translate
from traza.web.render import environment
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
        body = environment().get_template("_flash.html").render(message=message, kind="error")
        return HTMLResponse(body, status_code=status)
    # Pages for errors show no navigation: the viewer may be nobody.
    v = Viewer(Session.anonymous(), False, lang, False)
    body = environment().get_template("error.html").render(
        request=request, v=v, t=lambda k: translate(lang, k), lang=lang, message=message,
        with_query=lambda **_: request.url.path)
    return HTMLResponse(body, status_code=status)


def install_handlers(app: FastAPI) -> None:
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
