"""``traza export ftm``: the registry and the ledger as FollowTheMoney entities for Aleph
(see traza.service.ftm)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from traza.cli_common import EXIT_UNUSABLE, DbOption, console, err, open_db

export_app = typer.Typer(help="Export data for other systems.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")


@export_app.command("ftm")
def ftm(
    out: Annotated[Path, typer.Option(help="The JSON-lines file to write (alephclient write-entities reads it).")],
    case: Annotated[int | None, typer.Option(help="One case: the operators its alerts name, their links and notes.")] = None,
    ruc: Annotated[str | None, typer.Option(help="One party and whom it traded with.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every party the registry and the ledger name.")] = False,
    database: DbOption = None,
) -> None:
    """Write FollowTheMoney entities: operators as companies (RUC in taxNumber), establishments
    as addresses, representatives as people with their directorships, chemical sales between
    parties as links (by chemical and month, with kg and documents), alerts and case notes as notes."""
    from traza.service.ftm import FtmUnavailable, Scope, write

    if sum((case is not None, ruc is not None, all_)) != 1:
        err.print("[red]error:[/] give exactly one of --case ID, --ruc RUC or --all")
        raise typer.Exit(EXIT_UNUSABLE)
    with open_db(database) as db:
        try:
            with out.open("w", encoding="utf-8") as fh:
                n = write(db, fh, Scope(case_id=case, ruc=ruc))
        except (FtmUnavailable, KeyError) as exc:
            out.unlink(missing_ok=True)
            err.print(f"[red]error:[/] {exc.args[0] if exc.args else exc}")
            raise typer.Exit(EXIT_UNUSABLE) from exc
    console.print(f"{n:,} FollowTheMoney entities written to {out}")
