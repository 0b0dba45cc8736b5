"""CLI commands of the simulator (placeholder until the simulator lands)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the simulator's commands to the main CLI."""
