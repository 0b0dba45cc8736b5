"""One JSON shape for every error: ``{"error": {"code", "message", "details"}}``.

Services raise :class:`ApiError` subclasses, which carry their HTTP status; FastAPI's own
validation errors, unknown routes and unexpected exceptions are turned into the same shape,
so a client needs one parser and a person always gets a sentence saying what to do.
"""

from __future__ import annotations

import logging
import re
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from traza.core.errors import TrazaError
from traza.store.db import DatabaseBusy
from traza.store.errors import DATA_ERRORS

log = logging.getLogger("traza.api")


class ErrorDetail(BaseModel):
    field: str | None = None
    problem: str


class ErrorBody(BaseModel):
    code: str
    message: str
    details: list[ErrorDetail] = []


class ErrorOut(BaseModel):
    error: ErrorBody


class ApiError(Exception):
    status = 500
    code = "internal"

    def __init__(self, message: str, *, details: list[ErrorDetail] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message, self.details, self.headers = message, details or [], headers


class BadRequest(ApiError):
    status, code = 400, "bad_request"


class Unauthorized(ApiError):
    status, code = 401, "unauthenticated"


class Forbidden(ApiError):
    status, code = 403, "forbidden"


class NotFound(ApiError):
    status, code = 404, "not_found"


class Conflict(ApiError):
    status, code = 409, "conflict"


class PayloadTooLarge(ApiError):
    status, code = 413, "payload_too_large"


class Invalid(ApiError):
    status, code = 422, "invalid"


class RateLimited(ApiError):
    status, code = 429, "rate_limited"


class Unavailable(ApiError):
    status, code = 503, "unavailable"


# Documented on every route, so clients (and schemathesis) know the shape of each failure.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": text}
    for status, text in (
        (400, "The request cannot be understood"),
        (401, "No valid credentials"),
        (403, "The credentials do not allow this"),
        (404, "No such resource, or not yours"),
        (405, "Method not allowed"),
        (409, "Conflicts with the current state"),
        (413, "The body is larger than allowed"),
        (414, "The query string is longer than allowed"),
        (415, "A multipart body sent to a route that takes no file"),
        (422, "The request is not valid; details say which field and why"),
        (429, "Too many requests; retry after the number of seconds in Retry-After"),
        (503, "The database is busy or unavailable; retry later"),
    )
}


def error_response(status: int, code: str, message: str, details: list[ErrorDetail] | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    body = ErrorOut(error=ErrorBody(code=code, message=message, details=details or []))
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def _field(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or str(loc[0] if loc else "request")


def invalid_request(errors: Any) -> Invalid:
    """pydantic's or FastAPI's validation errors as one Invalid with a detail per field."""
    details = [ErrorDetail(field=_field(tuple(e.get("loc", ()))), problem=str(e.get("msg", "invalid")))
               for e in errors]
    summary = "; ".join(f"{d.field}: {d.problem}" for d in details[:3])
    return Invalid(f"the request is not valid: {summary}", details=details)


def _allowed(request: Request) -> str:
    """Every method the schema documents for the request's path (Starlette names only those
    of the first route that matched the path)."""
    table = getattr(request.app.state, "traza_allow", None)
    if table is None:
        table = [(re.compile("^" + re.sub(r"\\{[^}]+\\}", "[^/]+", path) + "$"), {m.upper() for m in ops})
                 for path, ops in request.app.openapi()["paths"].items()]
        request.app.state.traza_allow = table
    methods: set[str] = set()
    for rx, ms in table:
        if rx.match(request.url.path):
            methods |= ms
    return ", ".join(sorted(methods))


def stored_refusal(exc: Exception) -> str:
    """What can be said of a value the database refused (or the driver could not encode: a
    lone surrogate): its error, never the value."""
    if isinstance(exc, UnicodeEncodeError):
        return (f"a value in the request is not Unicode text (U+{ord(exc.object[exc.start]):04X} at position "
                f"{exc.start + 1}): expected printable UTF-8 text")
    diag = getattr(exc, "diag", None)
    column = getattr(diag, "column_name", None) if diag is not None else None
    reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    where = f"field {column}" if column else "a value in the request"
    reason = reason.removeprefix("Conversion Error: ")
    return (f"{where} cannot be stored: {reason}; expected printable UTF-8 text without NUL "
            "characters and numbers within range")


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api(_: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.details, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        e = invalid_request(exc.errors())
        return error_response(e.status, e.code, e.message, e.details)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        headers = getattr(exc, "headers", None)
        message = {404: "no such endpoint: the API is described at /v1/openapi.json"}.get(exc.status_code, str(exc.detail))
        if exc.status_code == 405:
            allow = _allowed(request)
            headers = {"Allow": allow}
            message = f"this endpoint accepts {allow}, not {request.method}"
        return error_response(exc.status_code, code, message, headers=headers)

    @app.exception_handler(DatabaseBusy)
    async def _busy(_: Request, exc: DatabaseBusy) -> JSONResponse:
        return error_response(503, "unavailable", str(exc), headers={"Retry-After": "5"})

    async def _data(_: Request, exc: Exception) -> JSONResponse:
        # The last line of defence behind the text edge: the database refused a value (a NUL,
        # an encoding it cannot hold, a number out of range). The pool closes the connection
        # the error came on (Pool.connection), so the next request gets a healthy one.
        return error_response(422, "invalid", stored_refusal(exc))

    for kind in DATA_ERRORS:
        app.add_exception_handler(kind, _data)

    @app.exception_handler(TrazaError)
    async def _traza(_: Request, exc: TrazaError) -> JSONResponse:
        return error_response(422, "invalid", str(exc))

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        ref = uuid.uuid4().hex[:12]
        # The log gets the traceback, the client a reference to quote; never the request body
        # (it may hold a password or a key).
        log.error("unexpected error %s: %s", ref, type(exc).__name__, exc_info=exc)
        return error_response(500, "internal", f"an unexpected error occurred; quote reference {ref} "
                               "to the registry's support")
