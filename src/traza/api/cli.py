"""``traza serve`` and the bootstrap commands: the first admin and an operator's first key."""

from __future__ import annotations

import getpass
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from traza.cli_common import EXIT_UNUSABLE, DbOption, console, err, open_db
from traza.core.jurisdiction import jurisdiction
from traza.core.settings import env

if TYPE_CHECKING:
    from traza.api.security import Passwords


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.command("staff-add")(staff_add)
    app.command("key-issue")(key_issue)
    app.command("demo-accounts")(demo_accounts)


def serve(
    database: DbOption = None,
    host: Annotated[str | None, typer.Option(help="Address to listen on (default $TRAZA_HOST or 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default $TRAZA_PORT or 8000).")] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes (PostgreSQL only; DuckDB serves with one).")] = None,
) -> None:
    """Serve the API (uvicorn). DuckDB allows one process, so it gets one worker; PostgreSQL
    server mode runs as many as asked (default $TRAZA_WORKERS or 1)."""
    import uvicorn

    from traza.api.settings import Settings
    from traza.store.url import parse_url

    if database:
        os.environ["TRAZA_DATABASE_URL"] = database
    try:
        settings = Settings()
    except ValueError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(EXIT_UNUSABLE) from exc
    n = workers or settings.workers
    if parse_url(settings.database_url).one_process and n > 1:
        err.print("[yellow]note:[/] DuckDB allows one process: serving with one worker (use PostgreSQL for more)")
        n = 1
    with open_db(settings.database_url, create=True):
        pass  # apply migrations once, before the workers race to
    # The client address counts failed logins: take X-Forwarded-For only from the proxies
    # named (uvicorn's default trusts 127.0.0.1, so any local client could name itself anew).
    proxies = settings.trusted_proxies
    console.print(f"traza: http://{host or settings.host}:{port or settings.port}/ (Ctrl+C to stop)")
    uvicorn.run("traza.api.asgi:app", host=host or settings.host, port=port or settings.port, workers=n,
                log_level="warning", access_log=False, loop="auto", http="auto",
                proxy_headers=bool(proxies), forwarded_allow_ips=proxies or None)


def staff_add(
    username: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[str, typer.Option(help="registrar, analyst, supervisor, auditor or admin.")] = "admin",
    full_name: Annotated[str | None, typer.Option(help="The person's name.")] = None,
    database: DbOption = None,
) -> None:
    """Create a staff account (the first admin, typically). The password is read from
    $TRAZA_NEW_PASSWORD or asked for; it is never printed or logged."""
    from traza.core.vocab import ROLES
    from traza.service import accounts

    if role not in ROLES:
        err.print(f"[red]error:[/] role must be one of {', '.join(ROLES)}")
        raise typer.Exit(EXIT_UNUSABLE)
    password = env().new_password or getpass.getpass("password: ")
    if len(password) < 12:
        err.print("[red]error:[/] the password needs at least 12 characters")
        raise typer.Exit(EXIT_UNUSABLE)
    with open_db(database, create=True) as db:
        if accounts.get_user(db, username) is not None:
            err.print(f"[red]error:[/] {username} already exists")
            raise typer.Exit(EXIT_UNUSABLE)
        accounts.save_user(db, "cli", username, full_name, role, _passwords().hash(password), True,
                           "user.create", ["role", "password"])
    console.print(f"created {role} {username}")


def _passwords() -> Passwords:
    from traza.api.security import Passwords
    from traza.api.settings import Settings

    s = Settings.model_construct(**Settings().model_dump()) if "TRAZA_ENV" in os.environ else None
    return Passwords(*((s.argon2_time_cost, s.argon2_memory_kib) if s else (3, 65536)))


def demo_accounts(
    out: Annotated[Path, typer.Option(help="Where the logins are written (readable by you only).")] = Path("demo/accounts.txt"),
    database: DbOption = None,
) -> None:
    """On a fresh demo database (TRAZA_ENV=development): one staff account per role with a
    random password, and an API key for the operator with most declarations; the logins are
    printed and written to OUT. Refused elsewhere: live accounts come from `traza staff-add`."""
    from traza.service.demo import NotADemo, create_demo_logins

    development = env().env == "development"
    # Outside development the service refuses before hashing; the hashing settings (which
    # there would ask for a secret key) are read only for a demo's.
    hash_password = _passwords().hash if development else str
    with open_db(database) as db:
        try:
            logins = create_demo_logins(db, hash_password, development=development)
        except NotADemo as exc:
            err.print(f"[red]error:[/] {exc}")
            raise typer.Exit(EXIT_UNUSABLE) from exc
    lines = ["Logins of this demo (made by `traza demo-accounts`; passwords are new each run):"]
    lines += [f"  {x.role:<10} user {x.username:<16} password {x.secret}" if x.role != "operator" else
              f"  {x.role:<10} RUC  {x.username:<16} API key  {x.secret}" for x in logins]
    text = "\n".join(lines) + "\n"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.touch(mode=0o600)
    out.chmod(0o600)
    out.write_text(text, encoding="utf-8")
    console.print(text, end="", markup=False, highlight=False)


def key_issue(
    ruc: Annotated[str, typer.Argument(help=f"The operator's {jurisdiction().tax_id.name}.")],
    label: Annotated[str | None, typer.Option(help="What the key is for.")] = None,
    database: DbOption = None,
) -> None:
    """Issue an API key to a registered operator and print it (shown once)."""
    from traza.service import accounts, registry

    with open_db(database) as db:
        if registry.operator(db, ruc) is None:
            err.print(f"[red]error:[/] {ruc} is not registered")
            raise typer.Exit(EXIT_UNUSABLE)
        try:
            key = accounts.issue_key(db, "cli", ruc, label)
        except accounts.KeyRefused as exc:
            err.print(f"[red]error:[/] {exc}")
            raise typer.Exit(EXIT_UNUSABLE) from exc
    console.print(key.token)
