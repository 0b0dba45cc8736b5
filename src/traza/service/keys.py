"""Operators' API keys: ``trz_<key id>_<secret>``. Only the SHA-256 of the secret is stored."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

KEY_PREFIX = "trz"


@dataclass(frozen=True)
class NewKey:
    key_id: str
    secret_hash: str
    token: str  # shown once to the operator, never stored


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_api_key() -> NewKey:
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    return NewKey(key_id, secret_hash(secret), f"{KEY_PREFIX}_{key_id}_{secret}")


def split_api_key(token: str) -> tuple[str, str] | None:
    """``trz_<key_id>_<secret>`` into its id and secret; None when it is not of that shape."""
    parts = token.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX or len(parts[1]) != 12 or not parts[2]:
        return None
    return parts[1], parts[2]
