"""Rendering pages: one Jinja2 environment over the package's templates, the words of the
viewer's language, and the cookies a response must set (a new session, a chosen language)."""

from __future__ import annotations

import gzip
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from traza.api.settings import Settings
from traza.core import vocab
from traza.report.numbers import LANGS, Numbers
from traza.service.entity import district_name
from traza.web.deps import Viewer
from traza.web.i18n import translate
from traza.web.session import LANG_COOKIE, sessions_for

HERE = Path(__file__).parent
YEAR = 365 * 24 * 3600
GZIP_FROM = 32 * 1024


@pass_context
def _number(ctx: Context, value: Any, digits: int = 0) -> str:
    """A number in the page's language, as the monthly report writes it (42.200 and 217,50 in
    Spanish; 42,200 and 217.50 in English): one convention on every page and in the report."""
    if value is None:
        return "—"
    return Numbers(ctx.get("lang") if ctx.get("lang") in LANGS else "es").num(float(value), digits)


def _when(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return "—" if value is None else str(value)


def _plain(value: Any) -> str:
    """A recorded value as words, not Python's repr: lists joined, mappings as key: value,
    nothing as a dash (the audit log's details)."""
    if value is None:
        return "—"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_plain(v)}" for k, v in sorted(value.items()))
    if isinstance(value, list | tuple | set):
        return ", ".join(_plain(v) for v in value) or "—"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return str(value)


@pass_context
def _activities(ctx: Context, value: Any) -> str:
    """An authorisation's activities (``buy;sell``) in the page's language: "comprar, vender"."""
    lang = ctx.get("lang") or "es"
    return ", ".join(translate(lang, f"activity.{a.strip()}") for a in str(value or "").split(";") if a.strip()) or "—"


@cache
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["num"] = _number
    env.filters["when"] = _when
    env.filters["plain"] = _plain
    env.filters["activities"] = _activities
    env.filters["district"] = lambda ubigeo: district_name(ubigeo) or "—"  # a ubigeo by its district's name
    env.globals["vocab"] = vocab  # pages admit roles by the groups the routes use
    return env


def with_query(request: Request, **changes: Any) -> str:
    """The current URL with some query parameters replaced (None drops one)."""
    params = {k: v for k, v in request.query_params.items() if k not in changes}
    params.update({k: v for k, v in changes.items() if v is not None and v != ""})
    query = urlencode(params)
    return request.url.path + (f"?{query}" if query else "")


def finish(response: Response, request: Request, v: Viewer) -> Response:
    """Set the cookies this response owes: a session made for this request, the language."""
    settings: Settings = request.app.state.traza.settings
    if v.fresh:
        sessions_for(settings).write(response, v.session)
    if v.lang_changed:
        response.set_cookie(LANG_COOKIE, v.lang, max_age=YEAR, httponly=True, samesite="lax",
                            secure=settings.env != "development", path="/")
    return response


def html(request: Request, v: Viewer, template: str, code: int = 200, **ctx: Any) -> HTMLResponse:
    def t(key: str) -> str:
        return translate(v.lang, key)

    body = environment().get_template(template).render(request=request, v=v, t=t, lang=v.lang,
                                                       with_query=lambda **c: with_query(request, **c), **ctx)
    response = HTMLResponse(body, status_code=code)
    data = body.encode()
    # The dashboard's map is half a megabyte of SVG paths: compressed, a fifth of that. Only
    # big pages are worth the CPU (the API's responses are left alone).
    if len(data) > GZIP_FROM and "gzip" in request.headers.get("accept-encoding", ""):
        response = HTMLResponse(gzip.compress(data, compresslevel=5), status_code=code,
                                headers={"Content-Encoding": "gzip", "Vary": "Accept-Encoding"})
    finish(response, request, v)
    return response


def redirect(request: Request, v: Viewer, url: str) -> Response:
    """303 to ``url``; for an HTMX request, the same by the HX-Redirect header."""
    if request.headers.get("hx-request"):
        response: Response = Response(status_code=204, headers={"HX-Redirect": url})
    else:
        response = RedirectResponse(url, status_code=303)
    return finish(response, request, v)
