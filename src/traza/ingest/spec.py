"""The shape of a file kind's validation: enrich the staged text rows, then checks.

Checks are SQL predicates over the enriched table ``enr`` (the raw text columns as sent,
plus normalised ``n_*`` columns computed by the kind). Each failing check becomes one
rejection naming the line, the column, the value and what was expected; a row with any
rejection is not loaded. Everything runs set-wise in DuckDB, so a million rows validate in
about the time it takes to read them.
"""

from __future__ import annotations

from dataclasses import dataclass

from traza.core.jurisdiction import jurisdiction


@dataclass(frozen=True)
class Check:
    column: str  # the column the rejection names
    bad: str  # SQL predicate over ``enr``: true when the row fails
    reason: str  # SQL text expression: what was wrong and what was expected


@dataclass(frozen=True)
class KindSpec:
    kind: str
    table: str  # the target table
    id_column: str  # filled from id_sequence
    id_sequence: str | None
    enrich: str  # SELECT over the staged table ``{stage}`` producing ``enr``
    checks: tuple[Check, ...]
    # Columns of ``table`` written for accepted rows and the expression of each over the
    # enrichment; ``{extra}`` is the JSON of columns beyond the format, ``{sub}`` the
    # submission id, ``{file}`` the file name, ``{now}`` the load's time, ``{by}`` who sent it.
    columns: tuple[str, ...]
    output: tuple[str, ...]
    # Expression identifying a record across loads: registry records get a new version
    # only when their content (row_hash) changed; ledger rows are never written twice.
    key: str
    # Hash of a record's content. Registry kinds compute it over the enrichment and store it
    # (``row_hash`` is among their output columns); the ledger computes it over the output
    # columns, only for rows whose key is already stored.
    row_hash: str
    # Registry records get a new version when their content changes; a ledger row whose
    # key exists with other content is refused (declarations are never edited in place).
    versioned: bool


def fill(sql: str, **parts: str) -> str:
    """Put the load's own fragments into ``{name}`` slots (not str.format: SQL regexes use
    braces too)."""
    for name, text in parts.items():
        sql = sql.replace("{" + name + "}", text)
    return sql


def v(col: str) -> str:
    """A staged column: its text is already trimmed, and NULL when blank (see sources.stage)."""
    return col


def lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def sql_list(values: tuple[str, ...] | list[str]) -> str:
    return "[" + ", ".join(lit(x) for x in values) + "]"


def iso_date(col: str) -> str:
    """A strictly ISO 8601 (YYYY-MM-DD) date, else NULL."""
    return (
        f"CASE WHEN regexp_full_match({v(col)}, '\\d{{4}}-\\d{{2}}-\\d{{2}}') "
        f"THEN try_strptime({v(col)}, '%Y-%m-%d')::DATE END"
    )


def date_checks(col: str, normalised: str, *, required: bool = True) -> tuple[Check, ...]:
    present = f"{v(col)} IS NOT NULL"
    out = [
        Check(col, f"{present} AND {normalised} IS NULL",
              f"'not a valid date ' || {lit('(expected YYYY-MM-DD, e.g. 2025-03-31)')}"),
        Check(col, f"{normalised} > $today",
              "'date is in the future (after ' || strftime($today, '%Y-%m-%d') || ')'"),
        Check(col, f"{normalised} < DATE '1990-01-01'",
              lit("date before 1990: check the year")),
    ]
    if required:
        out.insert(0, Check(col, f"NOT ({present})", lit(f"{col} is required (YYYY-MM-DD)")))
    return tuple(out)


def ruc_checks(col: str, problem_col: str, *, required: bool = True) -> tuple[Check, ...]:
    out = [Check(col, f"{problem_col} IS NOT NULL", problem_col)]
    if required:
        out.insert(0, Check(col, f"{v(col)} IS NULL", lit(f"{col} is required ({jurisdiction().tax_id.short})")))
    return tuple(out)


def registered_operator_checks() -> tuple[Check, ...]:
    """A valid ``ruc`` that names an operator in the registry (or arriving in the same load);
    needs ``n_ruc_problem`` and ``n_operator_known`` in the enrichment."""
    return (
        *ruc_checks("ruc", "n_ruc_problem"),
        Check("ruc", "n_ruc_problem IS NULL AND ruc IS NOT NULL AND NOT n_operator_known",
              "'operator ' || ruc || ' is not in the registry: send it in operators.csv first or in the same load'"),
    )


def required(col: str, what: str) -> Check:
    return Check(col, f"{v(col)} IS NULL", lit(f"{col} is required ({what})"))


def one_of(col: str, values: tuple[str, ...]) -> Check:
    return Check(
        col,
        f"{v(col)} IS NOT NULL AND NOT list_contains({sql_list(values)}, lower({v(col)}))",
        lit(f"unknown {col}: expected one of " + ", ".join(values)),
    )


def repeats_join(key: str) -> str:
    """A join that gives ``n_first_line``: the first line of a key repeated in the file (NULL
    for keys that appear once, or that miss a part: those are refused for the missing part).
    ``key`` is one text expression over the staged table aliased ``s``."""
    return (
        f"LEFT JOIN (SELECT {key} AS dk, min(__line) AS n_first_line FROM {{stage}} s "
        f"WHERE ({key}) IS NOT NULL GROUP BY 1 HAVING count(*) > 1) rep ON rep.dk = {key}"
    )


def first_occurrence(col: str, what: str) -> Check:
    """Reject a record repeated within the same file, pointing at its first line (needs
    ``repeats_join`` in the enrichment)."""
    return Check(
        col,
        "n_first_line IS NOT NULL AND __line > n_first_line",
        f"'{what} repeated in this file (first at line ' || n_first_line || ')'",
    )
