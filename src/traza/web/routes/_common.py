"""What the page modules share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from fastapi import APIRouter

from traza.api.deps import Db
from traza.service import accounts
from traza.web.deps import WebProblem


def router() -> APIRouter:
    # Pages are not part of the API's schema (/v1/openapi.json).
    return APIRouter(include_in_schema=False)


def safe_next(value: str | None) -> str:
    """Where to go after logging in: a path of this site only (never //host or a scheme)."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"


def parse_day(value: str | None, name: str) -> dt.date | None:
    """A date filter from the query string: empty is none; anything but YYYY-MM-DD is a 400
    naming the parameter."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise WebProblem(f"{name}: expected a date YYYY-MM-DD, got {value!r}") from None


def parse_choice(value: str | None, allowed: Collection[str], name: str) -> str | None:
    """A choice from a form or the query string: empty is none; anything not allowed is a 400
    naming the field and what it accepts."""
    if not value:
        return None
    if value not in allowed:
        raise WebProblem(f"{name}: expected one of {', '.join(allowed)}, got {value!r}")
    return value


def check_assignable(db: Db, username: str) -> None:
    if not accounts.assignable(db, username):
        raise WebProblem(f"{username}: not an active analyst or supervisor")


def parse_version(value: object, name: str = "version") -> int:
    """The version a form was drawn from (a hidden field; cases/versions.py): a 400 naming the
    field when it is missing or not a whole number."""
    text = str(value or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        raise WebProblem(f"{name}: expected the version the page was drawn from (a whole number), got {text!r}")
    return int(text)
