"""CLI commands of detection: detect, alerts, risk, rules."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from traza.cli_common import EXIT_UNUSABLE, DbOption, console, emit, err, open_db
from traza.core.errors import TrazaError

rules_app = typer.Typer(help="The rule catalogue: list, show, backtest.", no_args_is_help=True)

ALERT_COLUMNS = ("alert_id", "rule", "severity", "score", "ruc", "chemical", "period_start", "period_end", "explanation")
RISK_COLUMNS = ("rank", "ruc", "name", "score", "top_rules")


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        err.print(f"[red]error:[/] {option} {value!r} is not a date (YYYY-MM-DD)")
        raise typer.Exit(EXIT_UNUSABLE) from exc


def detect(
    database: DbOption = None,
    engine: Annotated[str, typer.Option(help="duckdb, postgres or spark")] = "",
    as_of: Annotated[str | None, typer.Option("--as-of", help="Use only data declared up to this day.")] = None,
    rule: Annotated[list[str] | None, typer.Option(help="Run only these rules (repeatable).")] = None,
) -> None:
    """Run the rules and store alerts and operator risk."""
    from traza.cli_audit import record_cli
    from traza.detect.runner import detect as run_detect

    with open_db(database) as db:
        name = engine or db.dialect
        with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=err,
                      transient=True, disable=not err.is_terminal) as bar:
            task = bar.add_task("detecting", total=1)

            def progress(what: str, step: int, steps: int) -> None:
                bar.update(task, description=what, completed=step, total=steps)

            try:
                report = run_detect(db, name, _date(as_of, "--as-of"), only=rule, progress=progress)
            except (ValueError, KeyError, TrazaError) as exc:
                err.print(f"[red]error:[/] {exc}")
                raise typer.Exit(EXIT_UNUSABLE) from exc
        record_cli(db, "detection.run", "detection_run", str(report.run_id),
                   {"engine": report.engine, "as_of": report.as_of, "rules": sorted(rule or []),
                    "findings": len(report.findings), "alerts_new": report.alerts_new})
    t = Table(title=f"Detection run {report.run_id} ({report.engine}, as of {report.as_of})", title_justify="left")
    t.add_column("rule")
    t.add_column("findings", justify="right")
    for r, n in sorted(report.per_rule.items(), key=lambda kv: -kv[1]):
        t.add_row(r, str(n))
    console.print(t)
    console.print(f"{len(report.findings)} findings, {report.alerts_new} new alerts")


def alerts(
    database: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json")] = "table",
    top: Annotated[int, typer.Option(help="At most this many, highest score first.")] = 50,
    rule: Annotated[str | None, typer.Option(help="Only this rule.")] = None,
    ruc: Annotated[str | None, typer.Option(help="Only this operator.")] = None,
    lang: Annotated[str, typer.Option(help="es or en")] = "es",
    shadow: Annotated[bool, typer.Option(help="Show shadow-mode alerts instead of live ones.")] = False,
) -> None:
    """Alerts, highest score first, each explained."""
    where: list[str] = ["shadow = ?"]
    params: list[Any] = [shadow]
    if rule:
        where.append("rule = ?")
        params.append(rule)
    if ruc:
        where.append("ruc = ?")
        params.append(ruc)
    explanation = "explanation_es" if lang == "es" else "explanation_en"
    with open_db(database) as db:
        rows = db.dicts(
            f"SELECT alert_id, rule, severity, score, ruc, chemical, period_start, period_end, "
            f"{explanation} AS explanation, observed, baseline, detail, evidence, first_detected_at, detected_at "
            f"FROM alerts WHERE {' AND '.join(where)} ORDER BY score DESC, period_end DESC, alert_id LIMIT ?",
            [*params, top])
    emit(rows, fmt, "Alerts", ALERT_COLUMNS)


def risk(
    database: DbOption = None,
    top: Annotated[int, typer.Option(help="How many operators.")] = 20,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json")] = "table",
) -> None:
    """Operators ranked by risk (latest detection run), with what makes up each score."""
    with open_db(database) as db:
        rows = db.dicts(
            "SELECT r.rank, r.ruc, o.name, r.score, r.breakdown FROM operator_risk r "
            "LEFT JOIN operators o ON o.ruc = r.ruc "
            "WHERE r.run_id = (SELECT max(run_id) FROM operator_risk) ORDER BY r.rank LIMIT ?", (top,))
    for r in rows:
        parts = json.loads(r.pop("breakdown") or "{}")
        ranked = sorted(parts.items(), key=lambda kv: -kv[1]["contribution"])
        r["top_rules"] = "; ".join(f"{k} {v['contribution']:.2f} ({int(v['alerts'])})" for k, v in ranked[:3])
        r["breakdown"] = parts
    emit(rows, fmt, "Operators by risk", RISK_COLUMNS)


@rules_app.command("list")
def rules_list(database: DbOption = None) -> None:
    """Every rule with its version, severity and mode; with --database, the mode it runs in
    there (a supervisor's switch overrides the file) and its measured precision: useful or
    confirmed outcomes among the alerts analysts closed."""
    from traza.detect.catalogue import default_rules

    t = Table(title="Rules", title_justify="left")
    for c in ("id", "version", "severity", "weight", "mode", "alerts", "closed", "precision", "title"):
        t.add_column(c)
    rows: list[tuple[Any, bool, dict[str, Any]]] = [(r, r.shadow, {}) for r in default_rules().rules]
    if database is not None:
        from traza.cases.alerts import rule_performance
        from traza.service.rules import catalogue

        with open_db(database) as db:
            perf = {p["rule"]: p for p in rule_performance(db, date(2000, 1, 1), date.today())}
            rows = [(m.rule, m.shadow, perf.get(m.rule.id, {})) for m in catalogue(db)]
    for r, shadow, p in rows:
        precision = p.get("precision")
        t.add_row(r.id, str(r.version), r.severity, f"{r.weight:.2f}", "shadow" if shadow else "live",
                  str(p.get("hits", "-")), str(p.get("closed", "-")),
                  "-" if precision is None else f"{100 * precision:.0f}%", r.title.en)
    console.print(t)


@rules_app.command("show")
def rules_show(rule_id: str, lang: Annotated[str, typer.Option(help="es or en")] = "es") -> None:
    """A rule's rationale, parameters and SQL."""
    from traza.detect.catalogue import default_rules

    try:
        r = default_rules().get(rule_id)
    except KeyError as exc:
        err.print(f"[red]error:[/] {exc.args[0]}")
        raise typer.Exit(EXIT_UNUSABLE) from exc
    text = r.title.es if lang == "es" else r.title.en
    console.print(f"[bold]{r.id}[/] v{r.version} ({r.severity}{', shadow' if r.shadow else ''}): {text}")
    console.print(r.rationale.es if lang == "es" else r.rationale.en)
    for k, p in r.params.items():
        console.print(f"  {k} = {p.default:g}: {p.doc.es if lang == 'es' else p.doc.en}")
    console.print(r.sql, markup=False, highlight=False)


@rules_app.command("backtest")
def rules_backtest(
    rule_id: str,
    date_from: Annotated[str, typer.Option("--from", help="First month (YYYY-MM-DD).")],
    date_to: Annotated[str, typer.Option("--to", help="Last month (YYYY-MM-DD).")],
    database: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json")] = "table",
) -> None:
    """Hits per month of one rule over history, replayed without look-ahead (nothing stored)."""
    from traza.detect.backtest import backtest

    start, end = _date(date_from, "--from"), _date(date_to, "--to")
    assert start is not None and end is not None
    with open_db(database) as db:
        try:
            rows = backtest(db, rule_id, start, end)
        except KeyError as exc:
            err.print(f"[red]error:[/] {exc.args[0]}")
            raise typer.Exit(EXIT_UNUSABLE) from exc
    emit(rows, fmt, f"Backtest of {rule_id}", ("month", "as_of", "findings", "new", "operators", "kg"))


def register(app: typer.Typer) -> None:
    app.command()(detect)
    app.command()(alerts)
    app.command()(risk)
    app.add_typer(rules_app, name="rules")
