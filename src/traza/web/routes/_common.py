"""What the page modules share."""

from __future__ import annotations

from fastapi import APIRouter


def router() -> APIRouter:
    # Pages are not part of the API's schema (/v1/openapi.json).
    return APIRouter(include_in_schema=False)


def safe_next(value: str | None) -> str:
    """Where to go after logging in: a path of this site only (never //host or a scheme)."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"
