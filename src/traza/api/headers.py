"""Security headers on every response (OWASP ASVS V14.4): a strict Content-Security-Policy,
no MIME sniffing, no framing, no referrer leaks, and HSTS outside development.

The policy allows only the app's own scripts and styles: pages must load their (vendored) JS
and CSS from files, never inline. The one exception is the interactive docs page: Swagger UI
(vendored, served from /static) is started by an inline script and sets inline styles, so that
page alone allows inline code, still from this origin only."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'")
HSTS = "max-age=31536000; includeSubDomains"


class SecurityHeaders:
    def __init__(self, app: ASGIApp, hsts: bool, docs_path: str | None = "/v1/docs") -> None:
        self.app, self.hsts, self.docs_path = app, hsts, docs_path

    def headers(self, path: str) -> list[tuple[bytes, bytes]]:
        csp = DOCS_CSP if self.docs_path and path == self.docs_path else CSP
        out = [(b"content-security-policy", csp.encode()), (b"x-content-type-options", b"nosniff"),
               (b"x-frame-options", b"DENY"), (b"referrer-policy", b"no-referrer"),
               (b"cross-origin-opener-policy", b"same-origin")]
        if self.hsts:
            out.append((b"strict-transport-security", HSTS.encode()))
        return out

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = self.headers(scope.get("path", ""))

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                # A page that sets its own (a nonce'd CSP, say) keeps it.
                own = {bytes(n).lower() for n, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *[(n, v) for n, v in extra if n not in own]]
            await send(message)

        await self.app(scope, receive, sending)
