"""The sale check's fast path: ``POST /v1/checks/sale`` answered in plain ASGI.

A check is asked before every sale at thousands of counters; FastAPI's per-request machinery
(dependency solving, response validation) would cost more than the check itself. This
middleware answers that one route with the same model (``SaleCheckIn``), the same key
verification, the same :func:`traza.service.checkanswer.answer` and the same error shape as
the documented route; every other request goes on to FastAPI. The answer is sent only once the
check's record is committed: the request awaits the group commit without holding the loop.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError
from starlette.types import ASGIApp, Receive, Scope, Send

from traza.api.errors import ApiError, ErrorBody, ErrorOut, Forbidden, Unauthorized, invalid_request
from traza.api.routers.checks import SaleCheckIn, api_error, ask_of
from traza.api.state import AppState
from traza.service.checkanswer import Answer, CheckRefused, deliver
from traza.service.checks import InactiveOperator

PATH = "/v1/checks/sale"


class SaleCheckFastPath:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != PATH or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        state: AppState = scope["app"].state.traza
        chunks = []
        more = True
        while more:
            message = await receive()  # the body limit is enforced by BodyLimit, outside
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        headers = dict(scope["headers"])
        status, extra = 200, {}
        try:
            try:
                pending = self._check(state, headers, b"".join(chunks))
                payload: Any = await deliver(state.recorder, pending)
            except CheckRefused as refused:
                raise api_error(refused) from refused
        except ApiError as exc:
            status, extra = exc.status, exc.headers or {}
            payload = ErrorOut(error=ErrorBody(code=exc.code, message=exc.message, details=exc.details)).model_dump()
        body = json.dumps(payload, separators=(",", ":")).encode()
        raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        raw += [(k.lower().encode(), v.encode()) for k, v in extra.items()]
        await send({"type": "http.response.start", "status": status, "headers": raw})
        await send({"type": "http.response.body", "body": body})

    @staticmethod
    def _check(state: AppState, headers: dict[bytes, bytes], body: bytes) -> Answer:
        key = headers.get(b"x-api-key", b"").decode("latin-1")
        if not key:
            if headers.get(b"authorization"):
                raise Unauthorized("this endpoint is for operators: send an API key in X-API-Key "
                                   "(a staff token cannot use it)")
            raise Unauthorized("send your API key in the X-API-Key header")
        try:
            op = state.facts.verify_key(key)
        except InactiveOperator as exc:
            raise Forbidden(str(exc)) from exc
        if op is None:
            raise Unauthorized("the API key is not valid or was revoked: ask the registry for a new one")
        try:
            request = SaleCheckIn.model_validate_json(body or b"null")
        except ValidationError as exc:
            errors = [{**e, "loc": ("body", *e.get("loc", ()))} for e in exc.errors()]
            raise invalid_request(errors) from exc
        return state.sale_check(op, ask_of(request))
