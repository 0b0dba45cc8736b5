"""What the page modules share."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter

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
