"""The web service: operators declare and ask before they sell; staff work alerts into cases."""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    # Imported on first use: the CLI registers `traza serve` without paying for FastAPI at
    # every command's start-up.
    if name == "create_app":
        from traza.api.app import create_app

        return create_app
    raise AttributeError(name)
