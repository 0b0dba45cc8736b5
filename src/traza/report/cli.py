"""``traza report monthly``: the monthly program report as HTML, PDF or Markdown."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from traza.cli_common import EXIT_UNUSABLE, DbOption, console, err, open_db
from traza.core.settings import env

report_app = typer.Typer(help="Reports generated from the data.", no_args_is_help=True)


@report_app.command()
def monthly(
    month: Annotated[str, typer.Option(help="The month to report, YYYY-MM.")],
    lang: Annotated[str, typer.Option(help="es (default) or en.")] = "es",
    fmt: Annotated[str, typer.Option("--format", help="html, pdf or md.")] = "html",
    out: Annotated[Path | None, typer.Option(help="Write here (default: standard output; a PDF needs --out).")] = None,
    base_url: Annotated[str | None, typer.Option(
        help="Web UI address the figures link to (default: $TRAZA_WEB_URL or http://127.0.0.1:8000).")] = None,
    as_of: Annotated[str | None, typer.Option(
        help="Last day with data, YYYY-MM-DD, within the month (the year to date and last year's stretch stop at "
             "the same day).")] = None,
    seedbed_m2: Annotated[float, typer.Option(
        help="m2 of seedbed per hectare planted, to state seedbeds as hectares if planted.")] = 15.0,
    database: DbOption = None,
) -> None:
    """The monthly program report: every figure with its query and a link to its records."""
    from traza.report import build_report
    from traza.report.context import month_start
    from traza.report.numbers import LANGS
    from traza.report.render import FORMATS, pictures_of, to_html, to_markdown, to_pdf

    problems = []
    if lang not in LANGS:
        problems.append(f"--lang must be one of {', '.join(LANGS)}, not {lang!r}")
    if fmt not in FORMATS:
        problems.append(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if fmt == "pdf" and out is None:
        problems.append("--format pdf needs --out FILE")
    if seedbed_m2 <= 0:
        problems.append(f"--seedbed-m2 must be above 0, not {seedbed_m2}")
    try:
        first = month_start(month)
    except ValueError as exc:
        problems.append(str(exc))
    until = None
    if as_of:
        try:
            until = date.fromisoformat(as_of)
        except ValueError:
            problems.append(f"--as-of {as_of!r}: expected a date, YYYY-MM-DD")
    if problems:
        for p in problems:
            err.print(f"[red]error:[/] {p}")
        raise typer.Exit(EXIT_UNUSABLE)
    url = base_url if base_url is not None else env().web_url
    with open_db(database) as db:
        try:
            report = build_report(db, first, lang, base_url=url, seedbed_m2_per_ha=seedbed_m2, until=until)
        except ValueError as exc:
            err.print(f"[red]error:[/] {exc}")
            raise typer.Exit(EXIT_UNUSABLE) from exc
    if fmt == "pdf":
        assert out is not None
        out.write_bytes(to_pdf(report))
    elif fmt == "md" and out is not None:  # the charts and maps go in a folder beside the file
        folder = out.with_name(out.stem + "-figures")
        folder.mkdir(parents=True, exist_ok=True)
        for name, svg in pictures_of(report).items():
            (folder / name).write_text(svg, encoding="utf-8")
        out.write_text(to_markdown(report, folder.name), encoding="utf-8")
    else:
        text = to_html(report) if fmt == "html" else to_markdown(report)
        if out is None:
            sys.stdout.write(text)
            return
        out.write_text(text, encoding="utf-8")
    console.print(f"{report.title}: {len(report.sections)} sections written to {out}")


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")
