"""The browser session: one signed cookie (itsdangerous) holding the session's CSRF token and,
once logged in, the id of a session kept on the server (:mod:`traza.service.sessions`). Who is
logged in is read from the database on every request, never from the cookie, so logging out,
a changed account or a revoked key ends the session even for a copy of the cookie saved
before. Nothing secret is in it (no password, no API key).

Every visitor gets a session, even before logging in, so the login form carries a CSRF token
too. The cookie is HttpOnly and SameSite=Lax, and Secure unless TRAZA_ENV=development.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.responses import Response

from traza.api.settings import Settings

COOKIE = "traza_session"
LANG_COOKIE = "traza_lang"


@dataclass(frozen=True)
class Session:
    csrf: str
    sid: str | None = None  # the server-side session's id; None before logging in
    # Filled in from the server-side session on each request, never read from the cookie:
    kind: str | None = None  # 'staff' or 'operator'
    who: str | None = None  # username, or the operator's RUC
    version: str | None = None  # the account's version (staff), or the API key's id (operator)

    @staticmethod
    def anonymous() -> Session:
        return Session(csrf=secrets.token_urlsafe(24))

    def logged_in(self, sid: str) -> Session:
        # A fresh CSRF token at login: one seen before logging in is worth nothing after.
        return Session(csrf=secrets.token_urlsafe(24), sid=sid)

    def as_(self, kind: str, who: str, version: str) -> Session:
        return replace(self, kind=kind, who=who, version=version)


class Sessions:
    """Signs and reads session cookies with the service's secret key."""

    def __init__(self, secret: str, max_age_minutes: int, secure: bool) -> None:
        self._s = URLSafeTimedSerializer(secret, salt="traza-web-session")
        self.max_age = max_age_minutes * 60
        self.secure = secure

    def read(self, raw: str | None) -> Session | None:
        if not raw:
            return None
        try:
            data: Any = self._s.loads(raw, max_age=self.max_age)
        except BadSignature:  # also an expired one (SignatureExpired is a subclass)
            return None
        if not isinstance(data, dict) or not isinstance(data.get("c"), str):
            return None
        sid = data.get("s")
        return Session(csrf=data["c"], sid=sid if isinstance(sid, str) else None)

    def write(self, response: Response, session: Session) -> None:
        value = self._s.dumps({"c": session.csrf, "s": session.sid})
        response.set_cookie(COOKIE, value, max_age=self.max_age, httponly=True, samesite="lax",
                            secure=self.secure, path="/")

    def clear(self, response: Response) -> None:
        response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax", secure=self.secure)


@cache
def _sessions(secret: str, minutes: int, secure: bool) -> Sessions:
    return Sessions(secret, minutes, secure)


def sessions_for(settings: Settings) -> Sessions:
    return _sessions(settings.secret_key.get_secret_value(), settings.token_minutes, settings.env != "development")
