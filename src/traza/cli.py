"""The ``traza`` command line: thin over the core, the store and ingestion."""

from __future__ import annotations

import csv
import json
import sys
import time
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from traza import __version__
from traza.cli_common import EXIT_REFUSED, EXIT_UNUSABLE, DbOption, console, emit, err, open_db
from traza.core.errors import TrazaError
from traza.core.jurisdiction import jurisdiction

app = typer.Typer(
    help="traza: national registry of controlled chemicals and detection of their diversion.",
    no_args_is_help=True,
    add_completion=False,
)


@app.command()
def version() -> None:
    """Print traza's version."""
    console.print(__version__)


@app.command()
def init(database: DbOption = None, app_role: Annotated[str | None, typer.Option(
        envvar="TRAZA_APP_ROLE", help="PostgreSQL: the role the service runs as, granted only what it needs.")] = None,
         ) -> None:
    """Create the database, or upgrade its schema in place (as $TRAZA_MIGRATE_URL when set: the owner role)."""
    from traza.cli_audit import init_database

    init_database(database, app_role)


@app.command()
def load(
    paths: Annotated[list[Path], typer.Argument(
        help="CSV/XLSX files, UBL XML documents, zips of them, or folders of these, in any order.")],
    database: DbOption = None,
    rejections: Annotated[Path, typer.Option(help="Where to write refused rows as CSV.")] = Path("traza-rejections.csv"),
    submitted_by: Annotated[str | None, typer.Option("--by", help="Who sends the files (kept with each submission; default cli:<user>).")] = None,
) -> None:
    """Validate declaration files and commit what passes, in one transaction.

    Exit status: 0 everything accepted (or already loaded); 1 some rows or files were
    refused (the rest is committed; see the rejections CSV); 2 nothing could be done
    (missing file, database busy or unreachable).
    """
    from traza.cli_audit import cli_actor, record_cli
    from traza.ingest import load_paths

    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        err.print(f"[red]error:[/] no such file or folder: {', '.join(missing)}")
        raise typer.Exit(EXIT_UNUSABLE)
    with open_db(database, create=True) as db, Progress(
        TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=err, transient=True,
        disable=not err.is_terminal,
    ) as bar:
        task = bar.add_task("loading", total=1)

        def progress(what: str, step: int, steps: int) -> None:
            bar.update(task, description=what, completed=step, total=max(steps, 1))

        started = time.perf_counter()
        by = submitted_by or cli_actor()
        try:
            report = load_paths(db, paths, submitted_by=by, progress=progress)
        except TrazaError as exc:
            err.print(f"[red]error:[/] {exc}")
            raise typer.Exit(EXIT_UNUSABLE) from exc
        for f in report.files:
            if f.submission_id is not None and f.status != "already_loaded":
                record_cli(db, "declarations.load", "submission", str(f.submission_id),
                           {"file": f.path.name, "kind": f.kind, "status": f.status, "submitted_by": by,
                            "rows": f.rows_total, "accepted": f.rows_accepted, "refused": f.rows_rejected})
    _print_report(report)
    _print_ubl(report, time.perf_counter() - started)
    if report.rejections:
        _write_rejections(rejections, [(r.file, r.line, r.column, r.value, r.reason) for r in report.rejections])
        console.print(f"Refused rows written to [bold]{rejections}[/]")
        raise typer.Exit(EXIT_REFUSED)


def _print_report(report: Any) -> None:
    t = Table(title="Load summary", title_justify="left")
    for col in ("file", "kind", "submission", "status", "rows", "accepted", "already held", "refused"):
        t.add_column(col, justify="right" if col in ("submission", "rows", "accepted", "already held", "refused") else "left")
    for f in report.files:
        sub = str(f.submission_id or "") if f.status != "already_loaded" else f"(#{f.previous_submission})"
        style = {"accepted": "green", "empty": "yellow", "partial": "yellow", "rejected": "red"}.get(f.status, "dim")
        t.add_row(f.path.name, f.kind or "?", sub, f"[{style}]{f.status}[/]", str(f.rows_total),
                  str(f.rows_accepted), str(f.rows_duplicate), str(f.rows_rejected))
    console.print(t)
    if report.rejections:
        r = Table(title="Top reasons for refusal", title_justify="left")
        r.add_column("rows", justify="right")
        r.add_column("reason")
        for reason, n in report.top_reasons():
            r.add_row(str(n), reason)
        console.print(r)
        for x in report.rejections[:10]:
            where = f"{x.file}:{x.line}" if x.line is not None else x.file  # UBL: column is the XPath
            col = f" [{x.column}]" if x.column else ""
            val = f" {x.value!r}" if x.value is not None else ""
            console.print(f"  {where}{col}{val}: {x.reason}", highlight=False, markup=False)
        if len(report.rejections) > 10:
            console.print(f"  ... and {len(report.rejections) - 10} more")


_UBL_SUMMARY = (("documents", "documents"), ("guides", "guides"), ("invoices", "invoices"),
                ("invoices_linked", "linked to a guide"), ("documents_refused", "refused"), ("lines", "lines"),
                ("chemical_lines", "chemical lines"), ("movements", "movements"), ("expected", "expected incoming"),
                ("review", "to review"), ("flagged", "flagged 7022, unmapped"))


def _print_ubl(report: Any, seconds: float) -> None:
    """What the UBL documents of the load held and became (`traza review` lists the doubts)."""
    batches = [f for f in report.files if f.ubl]
    if not batches:
        return
    t = Table(title="UBL documents", title_justify="left")
    t.add_column("batch")
    for _, label in _UBL_SUMMARY:
        t.add_column(label, justify="right")
    for f in batches:
        t.add_row(f.path.name, *(f"{f.ubl.get(k, 0):,}" for k, _ in _UBL_SUMMARY))
    console.print(t)
    docs = sum(f.ubl["documents"] for f in batches)
    console.print(f"{docs:,} documents in {seconds:.1f} s ({docs / max(seconds, 1e-9):,.0f} documents/s); "
                  "lines to review: `traza review`")


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _spreadsheet_safe(cell: Any) -> Any:
    """A text cell a spreadsheet will not run: OWASP's CSV-injection rule, a leading quote
    before = + - @ tab or carriage return (a refused value is the sender's text, and this
    file is opened by the registry's staff)."""
    return "'" + cell if isinstance(cell, str) and cell.startswith(_FORMULA_START) else cell


def _write_rejections(path: Path, rows: list[tuple[Any, ...]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "line", "column", "value", "reason"])
        w.writerows([_spreadsheet_safe(c) for c in row] for row in rows)


@app.command()
def rejections(
    submission: Annotated[int, typer.Option(help="Submission number (see `traza status`).")],
    database: DbOption = None,
    out: Annotated[Path | None, typer.Option(help="Write CSV here instead of the screen.")] = None,
) -> None:
    """Show the refused rows of a submission."""
    with open_db(database) as db:
        rows = db.query(
            "SELECT file_name, line, column_name, value, reason FROM rejections WHERE submission_id = ? "
            "ORDER BY line NULLS FIRST, column_name", (submission,))
    if out:
        _write_rejections(out, rows)
        console.print(f"{len(rows)} refused rows written to {out}")
        return
    w = csv.writer(sys.stdout)  # often redirected to a file a spreadsheet opens: the same quoting
    w.writerow(["file", "line", "column", "value", "reason"])
    w.writerows([_spreadsheet_safe(c) for c in row] for row in rows)


@app.command()
def status(database: DbOption = None, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """What the database holds."""
    from traza.store.ledger import status as db_status

    with open_db(database) as db:
        info = db_status(db)
        recent = db.dicts(
            "SELECT submission_id, kind, file_name, received_at, rows_total, rows_accepted, rows_duplicate, "
            "rows_rejected, status FROM submissions ORDER BY submission_id DESC LIMIT 10")
    if as_json:
        console.print_json(json.dumps({**info, "recent_submissions": recent}, default=str))
        return
    t = Table(title=f"traza database {info['database']}", title_justify="left", show_header=False)
    t.add_column("what")
    t.add_column("value", justify="right")
    period = info["movements_period"]
    for label, value in (
        ("schema version", info["schema_version"]),
        ("operators", f"{info['operators']:,} " + str(info["operators_by_status"] or "")),
        ("establishments", f"{info['establishments']:,}"),
        ("authorisations", f"{info['authorisations']:,}"),
        ("movements", f"{info['movements']:,}" + (f" ({period[0]} to {period[1]})" if period[0] else "")),
        ("  to unregistered counterparties", f"{info['movements_to_unregistered']:,}"),
        ("submissions", f"{info['submissions']:,} " + str(info["submissions_by_status"] or "")),
        ("refused rows", f"{info['rejections']:,}"),
        ("alerts", f"{info['alerts']:,}"),
    ):
        t.add_row(label, str(value))
    console.print(t)
    if recent:
        s = Table(title="Recent submissions", title_justify="left")
        for col in ("#", "kind", "file", "received", "rows", "accepted", "held", "refused", "status"):
            s.add_column(col)
        for r in recent:
            s.add_row(*(str(r[k]) for k in ("submission_id", "kind", "file_name", "received_at", "rows_total",
                                           "rows_accepted", "rows_duplicate", "rows_rejected", "status")))
        console.print(s)


@app.command()
def balance(
    ruc: Annotated[str, typer.Option(help=f"The operator's {jurisdiction().tax_id.name}.")],
    chemical: Annotated[str | None, typer.Option(help="A catalogue code or CAS number.")] = None,
    at: Annotated[str | None, typer.Option(help="Book stock at the end of this day (YYYY-MM-DD).")] = None,
    database: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json")] = "table",
) -> None:
    """Book stock per establishment and chemical, with the last physical count beside it."""
    from traza.core.catalogue import default_catalogue
    from traza.store.ledger import balances

    code = None
    if chemical:
        c = default_catalogue().chemical(chemical)
        if c is None:
            err.print(f"[red]error:[/] unknown chemical {chemical!r}: `traza catalogue` lists the codes")
            raise typer.Exit(EXIT_UNUSABLE)
        code = c.code
    try:
        day = date.fromisoformat(at) if at else None
    except ValueError as exc:
        err.print(f"[red]error:[/] --at {at!r} is not a date (YYYY-MM-DD)")
        raise typer.Exit(EXIT_UNUSABLE) from exc
    with open_db(database) as db:
        rows = balances(db, ruc, code, day)
    emit(rows, fmt, f"Book stock of {ruc}" + (f" at {day}" if day else ""))


@app.command()
def catalogue(what: Annotated[str, typer.Argument(help="chemicals, units or zones")] = "chemicals") -> None:
    """List the controlled chemicals, the units or the special-regime zones."""
    from traza.core.catalogue import default_catalogue
    from traza.core.geo import default_geography

    cat = default_catalogue()
    if what == "chemicals":
        rows: list[dict[str, Any]] = [
            {"code": c.code, "nombre": c.name_es, "name": c.name_en, "cas": c.cas, "hs": " ".join(c.hs),
             "state": c.state, "density_kg_l": c.density_kg_l, "un_table": c.un_table or "", "scope": c.controlled_scope}
            for c in cat.chemicals]
    elif what == "units":
        rows = [{"code": u.code, "unece": u.unece, "kind": u.kind, "factor": u.factor, "aliases": ", ".join(u.aliases)}
                for u in cat.units]
    elif what == "zones":
        geo = default_geography()
        rows = [{"zone": z.zone, "ubigeo": z.ubigeo, "district": geo.districts[z.ubigeo].name,
                 "province": geo.districts[z.ubigeo].province, "source": z.source} for z in geo.zones]
    else:
        err.print(f"[red]error:[/] expected chemicals, units or zones, not {what!r}")
        raise typer.Exit(EXIT_UNUSABLE)
    emit(rows, "table", what)


def _register_modules() -> None:
    from traza.api.cli import register as register_api
    from traza.cli_audit import register as register_audit
    from traza.cli_backup import register as register_backup
    from traza.cli_detect import register as register_detect
    from traza.cli_export import register as register_export
    from traza.cli_ubl import register as register_ubl
    from traza.field.cli import register as register_field
    from traza.ports.cli import register as register_ports
    from traza.report.cli import register as register_report
    from traza.sim.cli import register as register_sim

    register_detect(app)
    register_sim(app)
    register_api(app)
    register_ubl(app)
    register_field(app)
    register_ports(app)
    register_report(app)
    register_backup(app)
    register_audit(app)
    register_export(app)


_register_modules()


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover - `python -m traza.cli`
    main()
