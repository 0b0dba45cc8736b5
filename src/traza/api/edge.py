"""The text edge: every query parameter, path parameter, header, form field and JSON string of
every request (API and web) is read once, through :func:`traza.core.text.clean_text`, before
any route sees it.

A pure-ASGI middleware, so no route can forget it and no route can read the text another way:

- query strings and ``application/x-www-form-urlencoded`` bodies are parsed (UTF-8, strictly),
  each name and value cleaned, and the request is handed on with the cleaned text;
- JSON bodies are parsed and every key and string cleaned, recursively, naming the JSON path
  of the field (``body.movements[3].document_ref``);
- path parameters are cleaned (the route table names them) and the path rewritten;
- header values are refused when they hold a control character (they are opaque tokens:
  a key, a cookie, a language; nothing to normalise).

Cleaning means NFKC, invisible characters removed, NUL and other control characters refused;
fields named like identifiers (RUC, ubigeo, codes) must also be ASCII and at most
``MAX_IDENTIFIER`` characters. A refusal is a 422 naming the field and what was expected: the
API's error shape under /v1, the normal error page elsewhere. Multipart bodies (uploads) pass
untouched: their files belong to the loader, which reads them through the same functions.

Limits (documented in docs/reliability.md): a query string of at most ``MAX_QUERY_BYTES``
bytes (else 414), any one text value of at most ``MAX_TEXT`` characters, JSON nested at most
``MAX_DEPTH`` levels.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from traza.api.errors import ErrorDetail, error_response
from traza.core.text import BadText, clean_identifier, clean_text

MAX_QUERY_BYTES = 8192
MAX_TEXT = 10_000
MAX_IDENTIFIER = 64
MAX_DEPTH = 32

# Free text a person writes (a note on a case, the reason for a change): line breaks are kept.
MULTILINE = frozenset({"note", "notes", "text", "description", "reason", "comment", "detail", "body"})
# Identifier-shaped names: ASCII only after NFKC (Arabic-Indic or Devanagari digits would make
# a second RUC that looks like the first), trimmed, at most MAX_IDENTIFIER characters.
_IDENTIFIER = re.compile(r"^(ruc|ubigeo|cas|code|key_id|container|container_no|container_number)$|_(ruc|ubigeo|code|cas)$")
# Headers may hold a tab (RFC 9110 allows it); nothing else below U+0020, nor DEL.
_HEADER_CONTROL = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")


# The routes that take files (multipart/form-data); their files are read by the loader's edge.
UPLOAD_PATHS = ("/v1/declarations/files", "/portal/upload")


class Refused(Exception):
    def __init__(self, field: str, reason: str, status: int = 422) -> None:
        super().__init__(f"{field}: {reason}")
        self.field, self.reason, self.status = field, reason, status

    def within(self, prefix: str) -> Refused:
        """The same refusal, one level further out in a JSON document."""
        return Refused(prefix + self.field, self.reason, self.status)


@lru_cache(maxsize=1024)
def is_identifier(name: str) -> bool:
    return bool(_IDENTIFIER.search(name.lower()))


def clean_value(value: str, name: str, field: str) -> str:
    """One text value, by the rules its name calls for; ``field`` is how a refusal names it."""
    try:
        if is_identifier(name):
            return clean_identifier(value, field, max_length=MAX_IDENTIFIER)
        return clean_text(value, field, multiline=name.lower() in MULTILINE, max_length=MAX_TEXT)
    except BadText as exc:
        raise Refused(exc.field, exc.reason) from None


def _key(key: str) -> str:
    return f".{key}" if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key) else f"[{json.dumps(key)}]"


def clean_json(value: Any, name: str = "", depth: int = 0) -> Any:
    """Every key and string of a parsed JSON document cleaned; numbers, booleans, null kept.
    A refusal names the field by its JSON path below ``body`` (built only then: a sale check
    pays for no string it does not need)."""
    if depth > MAX_DEPTH:
        raise Refused("", f"is nested more than {MAX_DEPTH} levels deep: expected a flatter document")
    if isinstance(value, str):
        return clean_value(value, name, "")
    if isinstance(value, list):
        out_list = []
        for i, v in enumerate(value):
            try:
                out_list.append(clean_json(v, name, depth + 1))
            except Refused as exc:
                raise exc.within(f"[{i}]") from None
        return out_list
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            try:
                key = clean_value(k, "", "")
            except Refused as exc:
                raise exc.within(_key(k)) from None
            try:
                out[key] = clean_json(v, key, depth + 1)
            except Refused as exc:
                raise exc.within(_key(key)) from None
        return out
    return value


def _pairs(raw: bytes, where: str) -> list[tuple[str, str]]:
    try:
        text = raw.decode("ascii")  # percent-encoded on the wire; anything else is not a query
        pairs = parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise Refused(where, "is not UTF-8 text (percent-encoded): expected UTF-8") from None
    out = []
    for name, value in pairs:
        key = clean_value(name, "", f"{where}[{name!r}]")
        out.append((key, clean_value(value, key, f"{where}.{key}")))
    return out


def _encode(pairs: list[tuple[str, str]]) -> bytes:
    return urlencode(pairs, quote_via=quote).encode("ascii")


class RouteParams:
    """Where the path parameters of a request lie, by matching its path against the route
    table (read once, from the app the request came to)."""

    def __init__(self) -> None:
        self._table: list[tuple[re.Pattern[str], list[str]]] | None = None
        self._seen: dict[str, list[tuple[int, int, str]]] = {}

    @staticmethod
    def _paths(routes: list[Any], prefix: str = "") -> Iterator[str]:
        for route in routes:
            if hasattr(route, "original_router"):
                yield from RouteParams._paths(route.original_router.routes, prefix + route.include_context.prefix)
            elif isinstance(getattr(route, "path", None), str) and "{" in route.path:
                yield prefix + route.path

    def _build(self, app: Any) -> list[tuple[re.Pattern[str], list[str]]]:
        if self._table is None:
            table = []
            for template in self._paths(list(getattr(app, "routes", []))):
                names = re.findall(r"{([^}:]+)(?::[^}]*)?}", template)
                parts = re.split(r"{[^}]+}", template)
                rx = "".join(re.escape(p) + ("([^/]+)" if i < len(names) else "") for i, p in enumerate(parts))
                table.append((re.compile(f"^{rx}$"), names))
            self._table = table
        return self._table

    def spans(self, app: Any, path: str) -> list[tuple[int, int, str]]:
        """(start, end, name) of each parameter of the first route whose template fits."""
        found = self._seen.get(path)
        if found is None:
            found = []
            for rx, names in self._build(app):
                m = rx.match(path)
                if m:
                    found = [(*m.span(i + 1), name) for i, name in enumerate(names)]
                    break
            if len(self._seen) > 4096:  # paths with ids in them are many: keep the recent ones
                self._seen.clear()
            self._seen[path] = found
        return found


class TextEdge:
    def __init__(self, app: ASGIApp, page: Callable[[Request, str, int], Response] | None = None) -> None:
        self.app, self.page, self.routes = app, page, RouteParams()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            self._headers(scope)
            scope = self._path(self._query(scope))
            scope, receive = await self._body(scope, receive)
        except Refused as exc:
            await self._refuse(scope, exc)(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _refuse(self, scope: Scope, exc: Refused) -> Response:
        if self.page is not None and not scope.get("path", "").startswith("/v1"):
            return self.page(Request(scope), f"{exc.field}: {exc.reason}", exc.status)
        code = {414: "uri_too_long", 415: "unsupported_media_type"}.get(exc.status, "invalid")
        return error_response(exc.status, code, f"the request is not valid: {exc.field}: {exc.reason}",
                              [ErrorDetail(field=exc.field, problem=exc.reason)])

    @staticmethod
    def _headers(scope: Scope) -> None:
        for name, value in scope.get("headers", []):
            bad = _HEADER_CONTROL.search(value)
            if bad:
                raise Refused(f"header.{name.decode('latin-1')}",
                              f"contains a control character (U+{bad.group()[0]:04X}) at position "
                              f"{bad.start() + 1}: expected printable text")

    @staticmethod
    def _query(scope: Scope) -> Scope:
        raw: bytes = scope.get("query_string", b"")
        if not raw:
            return scope
        if len(raw) > MAX_QUERY_BYTES:
            raise Refused("query", f"is {len(raw):,} bytes long: expected at most {MAX_QUERY_BYTES:,}", 414)
        cleaned = _encode(_pairs(raw, "query"))
        return scope if cleaned == raw else {**scope, "query_string": cleaned}

    def _path(self, scope: Scope) -> Scope:
        path: str = scope.get("path", "")
        spans = self.routes.spans(scope.get("app"), path)
        if spans:
            out, last = [], 0
            for start, end, name in spans:
                out += [path[last:start], clean_value(path[start:end], name, f"path.{name}")]
                last = end
            cleaned = "".join([*out, path[last:]])
        else:
            cleaned = "/".join(clean_value(s, "", "path") for s in path.split("/"))
        if cleaned == path:
            return scope
        return {**scope, "path": cleaned, "raw_path": quote(cleaned).encode("ascii")}

    async def _body(self, scope: Scope, receive: Receive) -> tuple[Scope, Receive]:
        if scope["method"] in ("GET", "HEAD", "OPTIONS"):
            return scope, receive
        types = [value.decode("latin-1").split(";")[0].strip().lower()
                 for name, value in scope.get("headers", []) if name == b"content-type"]
        # Two Content-Type headers: the edge and the framework could read the body as two
        # different things (one passes it on uncleaned, the other parses it as JSON).
        if len(types) > 1:
            raise Refused("header.content-type", f"is sent {len(types)} times: expected one", 400)
        ctype = types[0] if types else ""
        # Multipart bodies are files, read by the loader's own edge; nowhere else may text
        # arrive that way and skip this one.
        if ctype.startswith("multipart/") and scope.get("path") not in UPLOAD_PATHS:
            raise Refused("header.content-type", f"{ctype} is taken only by the file uploads "
                          f"({', '.join(UPLOAD_PATHS)}): send application/json or a urlencoded form", 415)
        form = ctype == "application/x-www-form-urlencoded"
        # FastAPI reads a body with no content type as JSON, so the edge does too.
        if not (form or ctype in ("", "application/json") or ctype.endswith("+json")):
            return scope, receive
        chunks, more = [], True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":  # the body limit answered, or the client left
                return scope, _replay([message])
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        cleaned = body
        if form and body:
            cleaned = _encode(_pairs(body, "form"))
        elif body and not form:
            try:
                document = json.loads(body)
            except RecursionError:
                raise Refused("body", f"is nested too deeply: expected at most {MAX_DEPTH} levels") from None
            except ValueError:
                pass  # not JSON: FastAPI answers with its own 422 naming the position
            else:
                try:
                    out = clean_json(document)
                except Refused as exc:
                    raise exc.within("body") from None
                if out != document:  # else hand on the bytes as they came
                    cleaned = json.dumps(out, ensure_ascii=False).encode("utf-8")
        if cleaned != body:
            headers = [(n, v) for n, v in scope["headers"] if n != b"content-length"]
            scope = {**scope, "headers": [*headers, (b"content-length", str(len(cleaned)).encode())]}
        return scope, _replay([{"type": "http.request", "body": cleaned, "more_body": False}], receive)


def _replay(messages: list[Message], then: Receive | None = None) -> Receive:
    queue = list(messages)

    async def receive() -> Message:
        if queue:
            return queue.pop(0)
        if then is not None:
            return await then()  # after the body: a disconnect, when the client goes
        return {"type": "http.disconnect"}

    return receive
