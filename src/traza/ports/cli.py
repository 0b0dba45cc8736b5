"""CLI of the ports module: ``traza ports load|calls|list|stats|inspect-simulated`` and ``traza simulate ports`` /
``traza evaluate ports`` (added to the simulator's groups)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from traza.cli_common import EXIT_REFUSED, EXIT_UNUSABLE, DbOption, console, emit, err, open_db

FmtOption = Annotated[str, typer.Option("--format", help="table, csv or json")]


def load(
    files: Annotated[list[Path], typer.Argument(help="CSV manifests, CSV port events or CUSCAR interchanges.")],
    database: DbOption = None,
) -> None:
    """Load manifests and port events. Each file is loaded whole or refused whole (every
    problem named: file, message or line, segment or column, reason); re-sending changes
    nothing; an amendment becomes a new version of its manifest."""
    from traza.ports.errors import PortDataRefused
    from traza.ports.load import load_file

    refused = 0
    paths = _files(files)
    with open_db(database, create=True) as db:
        for path in paths:
            try:
                r = load_file(db, path)
            except PortDataRefused as exc:
                refused += 1
                err.print(f"[red]refused[/] {path.name}:")
                for p in exc.problems:
                    err.print(f"  {p}")
                continue
            bad = f", {len(r.bad_check_digits)} container numbers with a wrong check digit" if r.bad_check_digits else ""
            console.print(f"{path.name}: {r.manifests_new} manifests new ({r.amendments} amendments), "
                          f"{r.manifests_unchanged} unchanged, {r.documents} documents, {r.containers} containers, "
                          f"{r.events_new} events{bad}")
            for w in r.warnings:
                err.print(f"[yellow]warning[/] {w}")
    if refused:
        raise typer.Exit(EXIT_REFUSED)


def _files(given: list[Path]) -> list[Path]:
    """The files named, and those of a named folder (manifests before events); a path that
    is not there, or a folder with nothing to load, ends the command with exit 2 (nothing done)."""
    from traza.core.suffixes import PORTS
    from traza.ports.load import kind_of

    out: list[Path] = []
    for p in given:
        if p.is_dir():
            found = [f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in PORTS]
            if not found:
                err.print(f"[red]error:[/] the folder {p} holds no manifest or port events file "
                          f"({', '.join(PORTS)})")
                raise typer.Exit(EXIT_UNUSABLE)
            kinds = {f: kind_of(f) for f in found}  # each file's head read once
            # A folder may hold the declarations beside the manifests (a simulation's output):
            # those are traza load's, said and passed over rather than refused one by one.
            for f, kind in kinds.items():
                if kind.startswith("declarations:"):
                    err.print(f"[dim]skipped[/] {f.name}: {kind.split(':')[1]}, a declaration file (`traza load` loads it)")
            # Manifests first, then their events (an event names a container a manifest brings).
            out += sorted((f for f, kind in kinds.items() if not kind.startswith("declarations:")),
                          key=lambda f: (kinds[f] == "events", str(f)))
        elif not p.is_file():
            err.print(f"[red]error:[/] {p}: no such file: expected a cargo manifest (CSV or CUSCAR) "
                      "or a port events CSV")
            raise typer.Exit(EXIT_UNUSABLE)
        else:
            out.append(p)
    return out


def calls(database: DbOption = None, port: Annotated[str | None, typer.Option(help="UN/LOCODE, e.g. PECLL")] = None,
          fmt: FmtOption = "table") -> None:
    """Vessel calls with their manifests and containers."""
    from traza.ports.queries import vessel_calls

    with open_db(database) as db:
        emit(vessel_calls(db, port), fmt, "Vessel calls")


def inspection_list(
    call_id: Annotated[str, typer.Argument(help="The vessel call (see `traza ports calls`).")],
    database: DbOption = None,
    control_share: Annotated[float, typer.Option(help="Random-control share (0 to 1).")] = 0.02,
    targeted_share: Annotated[float, typer.Option(help="Share of the call marked for targeted inspection.")] = 0.02,
    seed: Annotated[int | None, typer.Option(help="Seed of the random draw (default: derived, recorded).")] = None,
    engine: Annotated[str | None, typer.Option(help="duckdb, postgres or spark")] = None,
    limit: Annotated[int, typer.Option(help="Rows shown (0: all).")] = 30,
    fmt: FmtOption = "table",
) -> None:
    """Rank the call's containers (score, reasons, methods), draw the random control with a
    recorded seed, and record the assessment."""
    from traza.ports.targeting import make_list

    with open_db(database) as db:
        try:
            lst = make_list(db, call_id, control_share=control_share, targeted_share=targeted_share, seed=seed,
                            engine=engine)
        except (KeyError, ValueError) as exc:
            err.print(f"[red]error:[/] {exc}")
            raise typer.Exit(EXIT_UNUSABLE) from exc
    rows = [{"rank": e.rank, "container_no": e.container_no, "score": e.score, "selected_by": e.selected_by,
             "methods": ",".join(e.methods), "reasons": "; ".join(str(r["es"]) for r in e.reasons)}
            for e in lst.entries if e.selected_by != "none" or e.score > 0]
    if fmt == "table":
        console.print(f"draw {lst.draw_id}: seed {lst.seed}, control share {lst.control_share}")
    emit(rows[:limit] if limit else rows, fmt, f"Inspection list {call_id}")


def stats(database: DbOption = None, fmt: FmtOption = "table") -> None:
    """Inspections, hits, precision per port and per rule; lift of targeted over random control."""
    from traza.ports.feedback import stats as compute

    with open_db(database) as db:
        s = compute(db)
    emit(s["ports"], fmt, "Per port")
    emit(s["rules"], fmt, "Per rule")


def simulate_ports(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the files into.")],
    seed: Annotated[int, typer.Option(help="Random seed: same parameters, same files.")] = 0,
    containers: Annotated[int, typer.Option(help="Container records in the year, both ports.")] = 20000,
    year: Annotated[int, typer.Option(help="Simulated year.")] = 2025,
) -> None:
    """A year of manifests for Callao (CSV) and Paita (CUSCAR), port events, the chemical
    importers' registry, planted contaminated containers and diverted chemical shipments, and
    truth.csv / truth.json."""
    from traza.ports.sim import SimPortParams
    from traza.ports.sim import simulate_ports as run
    from traza.ports.sim_write import write_port_sim

    started = time.perf_counter()
    doc = write_port_sim(run(SimPortParams(seed=seed, containers=containers, year=year)), out)
    console.print(f"{doc['containers']:,} containers, {doc['planted']} planted, written to {out} "
                  f"in {time.perf_counter() - started:.1f} s")


def evaluate_ports(
    folder: Annotated[Path, typer.Argument(help="A folder written by `traza simulate ports`.")],
    database: Annotated[str | None, typer.Option("--db", help="Database URL (default: a fresh DuckDB file in the folder).")] = None,
    engine: Annotated[str | None, typer.Option(help="duckdb, postgres or spark")] = None,
    fmt: FmtOption = "table",
) -> None:
    """Load the simulation, score every container, and report the share of planted containers
    caught and the precision when inspecting 1%, 2% and 5%."""
    from traza.ports.evaluate import evaluate, load_sim
    from traza.store import open_database

    if not (folder / "truth.csv").is_file():
        err.print(f"[red]error:[/] {folder} has no truth.csv (write it with `traza simulate ports`)")
        raise typer.Exit(EXIT_UNUSABLE)
    url = database or f"duckdb:///{folder / 'evaluate.duckdb'}"
    if database is None:
        (folder / "evaluate.duckdb").unlink(missing_ok=True)
    db = open_database(url)
    try:
        load_sim(db, folder)
        result = evaluate(db, folder, engine)
    finally:
        db.close()
    if fmt == "json":
        console.print_json(json.dumps(result))
        return
    rows: list[dict[str, Any]] = [
        {"inspected": f"{r['inspected_share']:.0%}", "containers": r["inspected"], "caught": r["caught"],
         "recall": r["recall"], "precision": r["precision"], **{f"recall_{k}": v for k, v in r["recall_by_kind"].items()}}
        for r in result["rates"]]
    emit(rows, fmt, f"{result['containers']:,} containers, {result['planted']} planted")
    if fmt == "table":
        console.print(f"contaminated containers caught inspecting 2%: {result.get('contaminated_caught_at_2pct')}")


def inspect_simulated(
    folder: Annotated[Path, typer.Argument(help="A folder written by `traza simulate ports`, already loaded.")],
    database: DbOption = None,
    control_share: Annotated[float, typer.Option(help="Random-control share (0 to 1).")] = 0.02,
    targeted_share: Annotated[float, typer.Option(help="Share of each call marked for targeted inspection.")] = 0.02,
    engine: Annotated[str | None, typer.Option(help="duckdb, postgres or spark")] = None,
) -> None:
    """For a demo or a drill: make every call's inspection list (scored once, seeded draw), then
    record the inspection of each container it selects (targeted or random control) on the
    call's day, with the result the simulation's truth.csv gives: a contaminated container is a
    seizure of cocaine (kilograms drawn from the container's id), a diverted chemical shipment an
    irregularity, any other container clean. Records as the inspectors would, through the same
    function as the web form and the API."""
    import random
    from datetime import datetime
    from datetime import time as day_time

    from traza.ports.evaluate import truth
    from traza.ports.feedback import InspectionIn, SeizureIn, record_inspection
    from traza.ports.runner import run
    from traza.ports.targeting import make_list

    if not (folder / "truth.csv").is_file():
        err.print(f"[red]error:[/] {folder} has no truth.csv (write it with `traza simulate ports`)")
        raise typer.Exit(EXIT_UNUSABLE)
    planted = truth(folder)
    counts = {"calls": 0, "clean": 0, "seizure": 0, "irregularity": 0}
    with open_db(database) as db:
        calls = db.query("SELECT call_id, coalesce(arrival, departure, CAST(recorded_at AS DATE)) FROM port_vessel_calls "
                         "ORDER BY 2, 1")
        if not calls:
            err.print("[red]error:[/] no vessel calls loaded (load the folder with `traza ports load` first)")
            raise typer.Exit(EXIT_UNUSABLE)
        scored = run(db, engine or db.dialect)
        for call_id, day in calls:
            try:
                lst = make_list(db, call_id, control_share=control_share, targeted_share=targeted_share,
                                engine=engine, scored=scored)
            except KeyError:
                continue  # a call with no containers on its manifests: nothing to inspect
            counts["calls"] += 1
            for k, e in enumerate(x for x in lst.entries if x.selected_by in ("targeted", "random")):
                kind = planted.get((call_id, e.container_no), {}).get("kind")
                result = {"contaminated": "seizure", "chemical": "irregularity"}.get(kind or "", "clean")
                kg = round(random.Random(f"{call_id}|{e.container_no}").uniform(20, 400), 1)
                record_inspection(db, call_id, InspectionIn(
                    container_no=e.container_no, methods=list(e.methods) or ["physical"], result=result,
                    inspected_at=datetime.combine(day, day_time(8)).replace(minute=k % 60),
                    seizure=SeizureIn(substance="cocaine_hcl", net_kg=kg) if result == "seizure" else None),
                    "simulation")
                counts[result] += 1
    console.print(f"{counts['calls']} inspection lists; inspections recorded: {counts['clean']} clean, "
                  f"{counts['seizure']} with a seizure, {counts['irregularity']} irregularities")


def register(app: typer.Typer) -> None:
    ports = typer.Typer(help="Ports: manifests, container targeting, inspections and seizures.")
    ports.command("load")(load)
    ports.command("calls")(calls)
    ports.command("list")(inspection_list)
    ports.command("stats")(stats)
    ports.command("inspect-simulated")(inspect_simulated)
    app.add_typer(ports, name="ports")
    # `traza simulate ports` and `traza evaluate ports` join the simulator's groups.
    for group in app.registered_groups:
        if group.name == "simulate" and group.typer_instance is not None:
            group.typer_instance.command("ports")(simulate_ports)
        if group.name == "evaluate" and group.typer_instance is not None:
            group.typer_instance.command("ports")(evaluate_ports)
