"""What the CLI modules share: consoles, the database option, exit statuses."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from rich.console import Console

from traza.core.errors import TrazaError

# Piped output (scripts, CI logs) gets a wide page instead of Rich's 80 columns.
console = Console(width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True)

# Exit status of commands (docs/formats.md): scripts can tell these apart.
EXIT_OK, EXIT_REFUSED, EXIT_UNUSABLE = 0, 1, 2

DbOption = Annotated[
    str | None,
    typer.Option("--database", "-d", help="Database URL (default: $TRAZA_DATABASE_URL or duckdb:///traza.duckdb)."),
]


def open_db(url: str | None) -> Any:
    """Open the database or exit with status 2 and a message a person can act on."""
    from traza.store import open_database

    try:
        return open_database(url)
    except (TrazaError, ValueError) as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(EXIT_UNUSABLE) from exc
    except Exception as exc:  # a driver's own error (server down, bad credentials...)
        err.print(f"[red]error:[/] cannot open the database: {exc}")
        raise typer.Exit(EXIT_UNUSABLE) from exc
