"""CLI commands of UBL e-documents: ``traza review``, the lines traza could not classify."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from traza.cli_common import EXIT_UNUSABLE, DbOption, console, emit, err, open_db
from traza.core.jurisdiction import jurisdiction

REVIEW_COLUMNS = ("review_id", "kind", "file_name", "xpath", "issuer_ruc", "item_code", "description", "quantity",
                  "unit", "best_guess", "confidence", "reason")
KINDS = ("uncertain", "counted_in_pieces", "flagged_unmapped")


def review(
    database: DbOption = None,
    submission: Annotated[int | None, typer.Option(help="Only the lines of this submission.")] = None,
    ruc: Annotated[str | None, typer.Option(help=f"Only the lines of documents this {jurisdiction().tax_id.name} issued.")] = None,
    kind: Annotated[str | None, typer.Option(help="uncertain, counted_in_pieces or flagged_unmapped.")] = None,
    settled: Annotated[bool, typer.Option("--all", help="Include lines a product mapping has settled since.")] = False,
    limit: Annotated[int, typer.Option(help="At most this many lines (0: all).")] = 100,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json")] = "table",
) -> None:
    """UBL lines that may be controlled chemicals but could not be decided: uncertain
    description matches, chemicals counted in pieces without a kg factor, and lines flagged
    as regulated goods (7022=1) that map to no chemical. Most confident first. A product
    mapping of the item (product_mappings.csv) settles a line; re-send the document to
    record its movement."""
    if kind is not None and kind not in KINDS:
        err.print(f"[red]error:[/] --kind must be one of {', '.join(KINDS)}, not {kind!r}")
        raise typer.Exit(EXIT_UNUSABLE)
    if fmt not in ("table", "csv", "json"):
        err.print(f"[red]error:[/] --format must be table, csv or json, not {fmt!r}")
        raise typer.Exit(EXIT_UNUSABLE)
    where, params = ["true"], []
    for column, value in (("submission_id", submission), ("issuer_ruc", ruc), ("kind", kind)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    source = "review_lines" if settled else "review_lines_open"
    sql = (f"SELECT {', '.join(REVIEW_COLUMNS)} FROM {source} WHERE {' AND '.join(where)} "  # noqa: S608 - fixed names
           "ORDER BY confidence DESC NULLS LAST, review_id" + (f" LIMIT {int(limit)}" if limit > 0 else ""))
    with open_db(database) as db:
        rows = db.dicts(sql, params)
    _emit(rows, fmt)


def _emit(rows: list[dict[str, Any]], fmt: str) -> None:
    if fmt != "table":
        emit(rows, fmt, "UBL lines to review", REVIEW_COLUMNS)
        return
    if not rows:
        console.print("Nothing to review.")
        return
    t = Table(title="UBL lines to review", title_justify="left")
    for c in ("#", "kind", "document", "item", "description", "quantity", "best guess", "confidence", "reason"):
        t.add_column(c, justify="right" if c in ("#", "quantity", "confidence") else "left")
    for r in rows:
        conf = f"{r['confidence']:.0%}" if r["confidence"] is not None else ""
        t.add_row(str(r["review_id"]), r["kind"], f"{r['file_name']}\n{r['xpath']}", r["item_code"] or "",
                  (r["description"] or "")[:60], f"{r['quantity'] or ''} {r['unit'] or ''}", r["best_guess"] or "",
                  conf, r["reason"])
    console.print(t)


def register(app: typer.Typer) -> None:
    app.command()(review)
