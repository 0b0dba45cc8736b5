"""The browser session: one signed cookie (itsdangerous) holding who is logged in and the
session's CSRF token. Nothing secret is in it (no password, no API key), only identifiers
checked again against the database on every request.

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
    kind: str | None = None  # 'staff' or 'operator'; None before logging in
    who: str | None = None  # username, or the operator's RUC
    version: str | None = None  # the account's version (staff), or the API key's id (operator)

    @staticmethod
    def anonymous() -> Session:
        return Session(csrf=secrets.token_urlsafe(24))

    def logged_in(self, kind: str, who: str, version: str) -> Session:
        # A fresh CSRF token at login: one seen before logging in is worth nothing after.
        return replace(self, kind=kind, who=who, version=version, csrf=secrets.token_urlsafe(24))


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
        return Session(csrf=data["c"], kind=data.get("k"), who=data.get("w"), version=data.get("v"))

    def write(self, response: Response, session: Session) -> None:
        value = self._s.dumps({"c": session.csrf, "k": session.kind, "w": session.who, "v": session.version})
        response.set_cookie(COOKIE, value, max_age=self.max_age, httponly=True, samesite="lax",
                            secure=self.secure, path="/")

    def clear(self, response: Response) -> None:
        response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax", secure=self.secure)


@cache
def _sessions(secret: str, minutes: int, secure: bool) -> Sessions:
    return Sessions(secret, minutes, secure)


def sessions_for(settings: Settings) -> Sessions:
    return _sessions(settings.secret_key.get_secret_value(), settings.token_minutes, settings.env != "development")
