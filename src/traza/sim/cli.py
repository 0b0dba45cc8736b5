"""CLI commands of the simulator: ``traza simulate`` and ``traza evaluate``.

Both are Typer groups whose callback does the work when no subcommand is given, so later
issues can add ``traza simulate ports`` or ``traza evaluate ports`` beside them.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

console = Console(width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True)


def register(app: typer.Typer) -> None:
    """Add the simulator's commands to the main CLI."""
    simulate_app = typer.Typer(help="Generate a synthetic national economy with planted diversion schemes.")
    simulate_app.callback(invoke_without_command=True)(simulate)
    from traza.field.cli import simulate_field

    simulate_app.command("field")(simulate_field)
    app.add_typer(simulate_app, name="simulate")
    evaluate_app = typer.Typer(help="Score the database's alerts and risk ranking against a simulation's truth.")
    evaluate_app.callback(invoke_without_command=True)(evaluate)
    app.add_typer(evaluate_app, name="evaluate")


def simulate(
    ctx: typer.Context,
    out: Annotated[Path | None, typer.Option("--out", help="Folder to write the files into.")] = None,
    operators: Annotated[int, typer.Option(help="Registered operators (about 16 movements per operator-month).")] = 1000,
    months: Annotated[int, typer.Option(help="Months simulated, ending with --end's month.")] = 36,
    seed: Annotated[int, typer.Option(help="Random seed: same parameters, same bytes.")] = 0,
    schemes: Annotated[int, typer.Option(help="Planted schemes; 12 or more plants every typology.")] = 24,
    dirty_rate: Annotated[float, typer.Option(help="Share of extra malformed movement rows (0 to 0.5).")] = 0.0,
    end: Annotated[str | None, typer.Option(help="Last simulated day, YYYY-MM-DD (default 2026-10-31).")] = None,
    ubl: Annotated[bool, typer.Option("--ubl", help="Also write the transfers as UBL remission guides and invoices "
                                      "(ubl/guias, ubl/facturas, ubl/product_mappings.csv).")] = False,
    honest: Annotated[list[str] | None, typer.Option("--honest", help="An honest-behaviour profile to add "
                                                     "(repeatable): restocking, multi_sourcing, growth, seasonal, "
                                                     "late_filers, large_miners, cooperatives.")] = None,
) -> None:
    """Write operators, establishments, authorisations and movements (v1 formats) plus
    truth.csv and truth.json into --out; with --ubl, the transfers also as SUNAT e-documents."""
    if ctx.invoked_subcommand is not None:
        return
    from traza.sim.build import simulate as run
    from traza.sim.params import DEFAULT_END, SimParams
    from traza.sim.write import write_simulation

    if out is None:
        err.print("[red]error:[/] --out is required")
        raise typer.Exit(2)
    try:
        params = SimParams(operators=operators, months=months, seed=seed, schemes=schemes,
                           dirty_rate=dirty_rate, end=date.fromisoformat(end) if end else DEFAULT_END,
                           honest=tuple(honest or ()))
    except ValueError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from exc
    started = time.perf_counter()
    with console.status("simulating..."):
        sim = run(params)
        doc = write_simulation(sim, out)
        if ubl:
            from traza.sim.ubl import write_ubl

            doc = {**doc, "files": {**doc["files"], **write_ubl(sim, out / "ubl")}}
    _print_simulation(doc, out, time.perf_counter() - started)


def _print_simulation(doc: dict[str, Any], out: Path, seconds: float) -> None:
    files = Table(title=f"Simulation written to {out}")
    files.add_column("file")
    files.add_column("rows", justify="right")
    for name, n in doc["files"].items():
        files.add_row(name, f"{n:,}")
    console.print(files)
    schemes = Table(title="Planted schemes")
    schemes.add_column("typology")
    schemes.add_column("schemes", justify="right")
    for typology, n in doc["schemes_by_typology"].items():
        schemes.add_row(typology, str(n))
    console.print(schemes)
    dirty = sum(doc["dirty_rows"].values())
    p = doc["parameters"]
    console.print(f"{p['start']} to {p['end']}, seed {p['seed']}; {doc['involved_operators']} operators involved "
                  f"in schemes; {dirty:,} malformed rows; {seconds:.1f} s")


def evaluate(
    ctx: typer.Context,
    truth: Annotated[Path | None, typer.Option("--truth", help="truth.csv written by traza simulate.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
    database: Annotated[str | None, typer.Option("--database", "-d",
                                                 help="Database URL (default: $TRAZA_DATABASE_URL).")] = None,
) -> None:
    """Per typology the share of schemes caught, the precision of alerts, and precision and
    recall of the operator risk ranking at K (the number of truly involved operators)."""
    if ctx.invoked_subcommand is not None:
        return
    from traza.sim.evaluate import score
    from traza.sim.evaluate_db import read_alerts, read_ranking, read_truth
    from traza.store import open_database

    if truth is None or not truth.is_file():
        err.print(f"[red]error:[/] {'--truth is required' if truth is None else f'no such file: {truth}'}")
        raise typer.Exit(2)
    schemes = read_truth(truth)
    try:
        with open_database(database) as db:
            alerts = read_alerts(db)
            run_id, ranking = read_ranking(db)
    except Exception as exc:  # the driver's own errors (busy, unreachable) are the user's to fix
        err.print(f"[red]error:[/] cannot read the database: {exc}")
        raise typer.Exit(2) from exc
    result = score(schemes, alerts, ranking, run_id)
    if as_json:
        sys.stdout.write(json.dumps(result.as_dict(), indent=2) + "\n")
        return
    table = Table(title="Schemes caught, by typology")
    for col, justify in (("typology", "left"), ("schemes", "right"), ("caught", "right"), ("share", "right"),
                         ("caught in shadow", "right")):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for t in result.typologies:
        table.add_row(t.typology, str(t.schemes), str(t.caught), f"{t.share:.0%}", str(t.caught_in_shadow))
    table.add_row("[b]all[/]", str(result.schemes), str(result.caught),
                  f"{result.caught / result.schemes:.0%}" if result.schemes else "0%", "")
    console.print(table)
    rules = Table(title="Alert precision")
    for col in ("rule", "alerts", "true", "precision"):
        rules.add_column(col, justify="left" if col == "rule" else "right")
    for r in result.rules:
        rules.add_row(r.rule, str(r.alerts), str(r.true_alerts), f"{r.precision:.0%}")
    rules.add_row("[b]all live alerts[/]", str(result.alerts), str(result.true_alerts), f"{result.precision:.0%}")
    console.print(rules)
    console.print(f"Operator ranking (run {result.run_id if result.run_id is not None else '-'}): top K={result.k} "
                  f"holds {result.hits} involved operators; precision@K {result.precision_at_k:.0%}, "
                  f"recall@K {result.recall_at_k:.0%}; {result.shadow_alerts} shadow alerts not counted")
