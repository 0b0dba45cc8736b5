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


def open_db(url: str | None, *, create: bool = False) -> Any:
    """Open the database or exit with status 2 and a message a person can act on. Only the
    commands that put data in (``create``) make a new embedded file; the others refuse a path
    where there is none."""
    from traza.store import open_database

    try:
        return open_database(url, create=create)
    except (TrazaError, ValueError) as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(EXIT_UNUSABLE) from exc
    except Exception as exc:  # a driver's own error (server down, bad credentials...)
        err.print(f"[red]error:[/] cannot open the database: {exc}")
        raise typer.Exit(EXIT_UNUSABLE) from exc


def emit(rows: list[dict[str, Any]], fmt: str, title: str, columns: tuple[str, ...] | None = None) -> None:
    """Rows as a table on screen, or as CSV or JSON on standard output. ``columns`` picks and
    orders the table's columns (and names the CSV header when there are no rows)."""
    import csv
    import json

    from rich.table import Table

    if fmt == "json":
        sys.stdout.write(json.dumps(rows, default=str, ensure_ascii=False, indent=2) + "\n")
    elif fmt == "csv":
        fields = list(rows[0]) if rows else list(columns or ())
        w = csv.DictWriter(sys.stdout, fieldnames=fields, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    elif fmt == "table":
        if not rows:
            console.print(f"{title}: none")
            return
        cols = columns or tuple(rows[0])
        t = Table(title=title, title_justify="left", show_lines=columns is not None)
        for c in cols:
            t.add_column(c, overflow="fold", justify="right" if c.endswith(("_kg", "movements")) else "left")
        for r in rows:
            # kilograms read best with thousands separators; other values as they are
            t.add_row(*(f"{r[c]:,.1f}" if isinstance(r.get(c), float) and c.endswith("_kg")
                        else "" if r.get(c) is None else str(r[c]) for c in cols))
        console.print(t)
    else:
        err.print(f"[red]error:[/] --format must be table, csv or json, not {fmt!r}")
        raise typer.Exit(EXIT_UNUSABLE)
