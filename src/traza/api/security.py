"""Passwords (argon2id), staff tokens (HMAC-signed, short-lived) and operators' API keys."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from traza.service.keys import NewKey, new_api_key, secret_hash, split_api_key

__all__ = ["NewKey", "Passwords", "issue_token", "new_api_key", "read_token", "secret_hash", "split_api_key"]

class Passwords:
    def __init__(self, time_cost: int, memory_kib: int) -> None:
        self._ph = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)
        # Verifying against this when the user does not exist keeps the timing the same.
        self._dummy = self._ph.hash(secrets.token_urlsafe(16))

    def hash(self, password: str) -> str:
        return self._ph.hash(password)

    def verify(self, stored: str | None, password: str) -> bool:
        try:
            return self._ph.verify(stored or self._dummy, password) and stored is not None
        except (VerificationError, InvalidHashError):
            return False


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def issue_token(secret: str, username: str, session_id: str, minutes: int) -> tuple[str, datetime]:
    """A bearer token naming the user and the server-side session it belongs to
    (:mod:`traza.service.sessions`): logging out, or a changed password, role or deactivation,
    ends that session and with it the token, long before it expires."""
    expires = datetime.now(UTC) + timedelta(minutes=minutes)
    body = _b64(json.dumps({"u": username, "s": session_id, "e": int(expires.timestamp())}).encode())
    sig = _b64(hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest())
    return f"{body}.{sig}", expires


def read_token(secret: str, token: str) -> tuple[str, str] | None:
    """(username, session id) of a well-signed, unexpired token; None otherwise. Whether its
    session is still open is the database's to say."""
    try:
        body, sig = token.split(".", 1)
        want = _b64(hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest())
        if not hmac.compare_digest(want, sig):
            return None
        data = json.loads(_unb64(body))
        if int(data["e"]) < datetime.now(UTC).timestamp():
            return None
        return str(data["u"]), str(data["s"])
    except (ValueError, KeyError, TypeError):
        return None
