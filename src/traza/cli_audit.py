"""CLI of the audit log: ``traza audit verify``; what ``traza init`` does beyond migrating (the
app role's grants); and who the CLI's own changes are recorded as."""

from __future__ import annotations

import getpass
import json
import re
from typing import Annotated, Any

import typer

from traza.cli_common import EXIT_REFUSED, EXIT_UNUSABLE, DbOption, console, err, open_db
from traza.core.errors import TrazaError
from traza.core.settings import env

audit_app = typer.Typer(help="The audit log: check that no event was changed, deleted or forged.",
                        no_args_is_help=True)
_ANCHOR = re.compile(r"^(\d+):((?:k1:)?[0-9a-f]{64})$")


def cli_actor() -> str:
    """Who ran this command, as the audit log names them: ``cli:<operating-system user>``."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user name for this uid (a bare container)
        user = "unknown"
    return f"cli:{user}"


def record_cli(db: Any, action: str, subject_type: str, subject_id: str, payload: dict[str, Any]) -> int:
    """One audit event for a change the CLI made (loads and detection commit on their own; this
    records them afterwards, in its own transaction)."""
    from traza.cases.audit import record

    return record(db, cli_actor(), action, subject_type, subject_id, payload)


def init_database(database: str | None, app_role: str | None) -> None:
    """`traza init`: migrate as the owner ($TRAZA_MIGRATE_URL, else the service's URL), then
    grant the app role what the service needs, when one is named."""
    from traza.store.migrate import current_version
    from traza.store.roles import grant_app_role

    # The owner's URL when the service runs as an app role; otherwise the service's own.
    with open_db(database or env().migrate_url or None, create=True) as db:
        console.print(f"{db.url}: schema version {current_version(db)}")
        if app_role:
            try:
                tables = grant_app_role(db, app_role)
            except TrazaError as exc:
                err.print(f"[red]error:[/] {exc}")
                raise typer.Exit(EXIT_UNUSABLE) from exc
            console.print(f"app role {app_role}: reads and writes the service's tables; may only read and append "
                          f"to {', '.join(tables)}; may not create, alter or drop anything")


@audit_app.command("verify")
def verify(
    database: DbOption = None,
    anchor: Annotated[list[str] | None, typer.Option(
        help="EVENT_ID:HASH noted earlier (a head this command printed); repeatable.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Walk the audit log's hash chain. Exit status 0 when it holds, 1 when an event was changed,
    deleted or forged (the first is named), 2 when the database cannot be read."""
    from traza.store.chain import verify as walk

    anchors: dict[int, str] = {}
    for a in anchor or []:
        m = _ANCHOR.match(a.strip().lower())
        if not m:
            err.print(f"[red]error:[/] --anchor {a!r}: expected EVENT_ID:HASH (64 hex digits, after k1: when keyed)")
            raise typer.Exit(EXIT_UNUSABLE)
        anchors[int(m.group(1))] = m.group(2)
    with open_db(database) as db:
        report = walk(db, anchors)
    if as_json:
        console.print_json(json.dumps(report.as_dict()))
    elif report.ok:
        head = f"head event {report.head_event_id}, hash {report.head_hash}" if report.checked else "empty log"
        console.print(f"[green]audit log OK[/]: {report.checked:,} events checked; {head}", highlight=False)
        if report.keyed:
            console.print(f"{report.keyed:,} events sealed with the audit key"
                          + (f"; {report.unchecked:,} of them checked for their links only (set TRAZA_AUDIT_KEY "
                             "to check their contents)" if report.unchecked else ""), highlight=False)
    else:
        if report.problem:
            more = f" ({report.problems} broken events in all)" if report.problems > 1 else ""
            console.print(f"[red]audit log BROKEN[/] at event {report.broken_event_id}: {report.problem}{more}",
                          highlight=False)
        if report.anchor_problem:
            console.print(f"[red]audit log BROKEN[/]: {report.anchor_problem}", highlight=False)
        console.print(f"{report.checked:,} events checked", highlight=False)
    if not as_json:
        console.print(f"[dim]What this cannot promise ({report.dialect}): {report.as_dict()['limits']}[/]",
                      highlight=False)
    if not report.ok:
        raise typer.Exit(EXIT_REFUSED)


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")
