"""CLI of field operations: ``traza field load|tally|check`` and ``traza simulate field``."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from traza.cli_common import EXIT_REFUSED, EXIT_UNUSABLE, DbOption, console, emit, err, open_db
from traza.field.model import SEEDBED_M2_PER_HA

field_app = typer.Typer(help="Field operations: eradication, coca plots, ENACO certificates, incidents, labs.",
                        no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(field_app, name="field")


@field_app.command("load")
def load(
    paths: Annotated[list[Path], typer.Argument(help="Field files (CSV, GeoJSON) or folders of them.")],
    database: DbOption = None,
    submitted_by: Annotated[str | None, typer.Option("--by", help="Who sends the files.")] = None,
) -> None:
    """Validate field files and commit what passes, in one transaction.

    Exit status: 0 all accepted (or already loaded); 1 some rows refused (the rest is
    committed); 2 nothing could be done."""
    from traza.cli import _print_report
    from traza.field.load import load_field

    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        err.print(f"[red]error:[/] no such file or folder: {', '.join(missing)}")
        raise typer.Exit(EXIT_UNUSABLE)
    with open_db(database, create=True) as db:
        report = load_field(db, list(paths), submitted_by=submitted_by)
    _print_report(report)
    if report.rejections:
        raise typer.Exit(EXIT_REFUSED)


def _row(label: str, f: Any) -> list[str]:
    return [label, f"{f.hectares:,.2f}", str(f.plots), "-" if f.avg_plot_ha is None else f"{f.avg_plot_ha:.2f}",
            f"{f.seedbed_m2:,.0f}", f"{f.ha_if_planted:,.0f}", str(f.days_worked),
            "-" if f.ha_per_day is None else f"{f.ha_per_day:.1f}"]


@field_app.command("tally")
def tally(
    month: Annotated[str, typer.Option(help="The month, YYYY-MM.")],
    through: Annotated[str | None, typer.Option(help="Count up to this day of the month (YYYY-MM-DD).")] = None,
    m2_per_ha: Annotated[float, typer.Option(help="m2 of seedbed per hectare if planted.")] = SEEDBED_M2_PER_HA,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
    database: DbOption = None,
) -> None:
    """Eradication tallies of a month and the year to date, by axis, department and district,
    against goals; incidents, labs and seizures."""
    from traza.field.tally import tally_month

    try:
        with open_db(database) as db:
            t = tally_month(db, month, date.fromisoformat(through) if through else None, m2_per_ha)
    except ValueError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(EXIT_UNUSABLE) from exc
    if fmt != "table":
        rows = [{"scope": s, "key": k, **{x: getattr(f, x) for x in ("hectares", "plots", "avg_plot_ha", "seedbed_m2",
                 "ha_if_planted", "days_worked", "ha_per_day")}, "plot_ids": ";".join(f.plot_ids)}
                for s, k, f in [("month", "all", t.month), ("year_to_date", "all", t.year_to_date)]
                + [(f"{name}_{w}", key, pair[i]) for name, groups in (("axis", t.by_axis), ("department", t.by_department),
                   ("district", t.by_district)) for key, pair in groups.items() for i, w in enumerate(("month", "ytd"))]]
        emit(rows, fmt, "tally")
        return
    table = Table(title=f"Erradicación {t.month_start:%Y-%m} (al {t.through})", title_justify="left")
    for c in ("", "ha", "parcelas", "ha/parcela", "almácigos m2", "ha si se sembraran", "días", "ha/día"):
        table.add_column(c, justify="left" if not c else "right")
    table.add_row(*_row("mes", t.month))
    table.add_row(*_row("año a la fecha", t.year_to_date))
    for name, groups in (("eje", t.by_axis), ("departamento", t.by_department)):
        for key, (m, y) in groups.items():
            table.add_row(*_row(f"{name} {key} (mes)", m))
            table.add_row(*_row(f"{name} {key} (año)", y))
    console.print(table)
    for label, g in (("meta anual", t.yearly_goal), ("meta del mes", t.monthly_goal)):
        if g is not None:
            console.print(f"{label} {g.goal_id}: {g.hectares or 0:,.0f} ha, avance {g.achieved_pct or 0:.1f}%")
    s = t.security_month
    console.print(f"incidentes del mes: {s.incidents} {s.by_type}; aeronaves dañadas {s.aircraft_damaged}; "
                  f"heridos/muertos {s.casualties}")
    console.print(f"laboratorios: {s.labs} ({s.labs_destroyed} destruidos); detenidos {s.arrests}; armas {s.weapons}; "
                  f"incautado kg {s.seizures_kg}")


@field_app.command("check")
def check(
    engine: Annotated[str, typer.Option(help="duckdb, postgres or spark.")] = "duckdb",
    as_of: Annotated[str | None, typer.Option("--as-of", help="Run as of this day (YYYY-MM-DD).")] = None,
    lang: Annotated[str, typer.Option(help="es or en.")] = "es",
    database: DbOption = None,
) -> None:
    """Run the field checks (ENACO certificates, replanting, eradication against measurement,
    lab chemicals traced to the ledger) and store their findings."""
    from traza.field.checks import run_checks

    with open_db(database) as db:
        run_id, findings = run_checks(db, engine, date.fromisoformat(as_of) if as_of else None)
    emit([{"check": f.check.id, "subject": f.subject, "explanation": f.explain(lang),
           "evidence": len(f.evidence)} for f in findings], "table", f"field checks, run {run_id}")


def simulate_field(
    out: Annotated[Path, typer.Option("--out", help="Folder to write field/ and truth_field.csv into.")],
    year: Annotated[int, typer.Option(help="The year simulated.")] = 2025,
    plots: Annotated[int, typer.Option(help="Plots eradicated in the year.")] = 3000,
    certificates: Annotated[int, typer.Option(help="ENACO certificates.")] = 120,
    abused: Annotated[int, typer.Option(help="Certificates abused (truth_field.csv).")] = 20,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
) -> None:
    """Write a year of field operations in the coca-valley districts, with truth for the checks."""
    from traza.field.sim import FieldParams, write_field
    from traza.field.sim import simulate_field as run

    try:
        params = FieldParams(year=year, plots=plots, certificates=certificates, abused=abused, seed=seed)
    except ValueError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(EXIT_UNUSABLE) from exc
    counts = write_field(run(params), out)
    emit([{"file": k, "rows": v} for k, v in counts.items()], "table", f"field simulation written to {out}")
