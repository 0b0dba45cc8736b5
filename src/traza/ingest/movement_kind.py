"""Validation and loading of movements.csv: the ledger of declared operations."""

from __future__ import annotations

from traza.core.jurisdiction import jurisdiction
from traza.core.types import MOVEMENT_TYPES, REQUIRED_BY_TYPE
from traza.ingest.edge import DECLARATION_ID, DECLARATION_ID_RULE
from traza.ingest.spec import (
    Check,
    KindSpec,
    date_checks,
    first_occurrence,
    iso_date,
    lit,
    one_of,
    repeats_join,
    required,
    ruc_checks,
    sql_list,
    v,
)

# One declaration can be no larger than this: a bigger figure is a typo or a wrong unit
# (a full product tanker carries about 50,000 t).
MAX_KG = 100_000_000.0

_TYPE = f"lower({v('type')})"
_SQTY = f"try_cast({v('s.quantity')} AS DOUBLE)"
_DECL = v("declaration_id")

# Idempotency key: the declarant's own declaration_id, else the file's hash and the line.
IDEM_KEY = (
    f"CASE WHEN {v('s.declaration_id')} IS NOT NULL "
    f"THEN 'd|' || {v('s.declarant_ruc')} || '|' || {v('s.declaration_id')} "
    "ELSE 'f|' || {file_hash} || '|' || s.__line END"
)


# Ownership: on an operator's upload (``load_paths(owner=...)``) every declarant_ruc must be the
# submitter's. A check like any other, over the same staged columns that are written: a row
# of another RUC is refused as a row, naming line, column and value, and never stored (it was
# once a second reading of the file in the API, which read a BOM in the header differently).
_NOT_YOURS = f"is not your {jurisdiction().tax_id.name} ({{owner}}): an operator declares only its own movements"


def not_yours(field: str, value: str | None, owner: str) -> str:
    """Why ``value`` of ``field`` is refused on ``owner``'s upload (the words of OWNER_CHECK)."""
    return f"{field} {value} " + _NOT_YOURS.format(owner=owner)


OWNER_CHECK = Check(
    "declarant_ruc", "$owner IS NOT NULL AND declarant_ruc IS NOT NULL AND declarant_ruc <> $owner",
    "'declarant_ruc ' || declarant_ruc || ' ' || " + lit(_NOT_YOURS).replace("{owner}", "' || $owner || '"),
)


def required_by_type() -> tuple[Check, ...]:
    out: list[Check] = []
    fields = sorted({f for fs in REQUIRED_BY_TYPE.values() for f in fs})
    for field in fields:
        types = [t for t, fs in REQUIRED_BY_TYPE.items() if field in fs]
        out.append(Check(
            field,
            f"{v(field)} IS NULL AND list_contains({sql_list(types)}, {_TYPE})",
            f"'{field} is required for a ' || {_TYPE}",
        ))
    return tuple(out)


ENRICH = f"""
    SELECT s.*,
        rd.problem AS n_declarant_problem, rc.problem AS n_counterparty_problem,
        ke.ruc IS NOT NULL AS n_establishment_known,
        kc.ruc IS NOT NULL AS n_counterparty_registered,
        {iso_date('s.date')} AS n_date, lower({v('s.type')}) AS n_type,
        ch.code AS n_chemical, ch.density AS n_density, ch.state AS n_state,
        u.code AS n_unit, u.kind AS n_unit_kind, u.factor AS n_factor,
        {_SQTY} AS n_quantity,
        {_SQTY} * u.factor * CASE WHEN u.kind = 'volume' THEN ch.density ELSE 1 END AS n_quantity_kg,
        ub.ubigeo IS NOT NULL AS n_ubigeo_known,
        {iso_date('s.declared_on')} AS n_declared_on,
        upper({v('s.origin_country')}) AS n_origin, upper({v('s.destination_country')}) AS n_destination,
        {IDEM_KEY} AS n_key, rep.n_first_line
    FROM {{stage}} s
    LEFT JOIN ruc_check rd ON rd.ruc = {v('s.declarant_ruc')}
    LEFT JOIN ruc_check rc ON rc.ruc = {v('s.counterparty_ruc')}
    LEFT JOIN known_establishments ke
        ON ke.ruc = {v('s.declarant_ruc')} AND ke.establishment_code = {v('s.establishment_code')}
    LEFT JOIN (SELECT DISTINCT ruc FROM known_operators) kc ON kc.ruc = {v('s.counterparty_ruc')}
    LEFT JOIN ref_chemicals ch ON ch.alias = lower({v('s.chemical')})
    LEFT JOIN ref_units u ON u.alias = lower({v('s.unit')})
    LEFT JOIN ref_ubigeo ub ON ub.ubigeo = {v('s.destination_ubigeo')}
    {repeats_join(v('s.declarant_ruc') + " || '|' || " + v('s.declaration_id'))}
"""

# The example row of the downloadable templates (service/templates.py) carries this id, so that
# a template sent back unchanged records nothing.
EXAMPLE_ID = "EJEMPLO-1"

CHECKS: tuple[Check, ...] = (
    *ruc_checks("declarant_ruc", "n_declarant_problem"),
    OWNER_CHECK,
    Check("declaration_id", f"upper({_DECL}) = {lit(EXAMPLE_ID)}",
          lit("this is the template's example row: replace it with your own movements")),
    Check("declaration_id", f"{_DECL} IS NOT NULL AND NOT regexp_full_match({_DECL}, {lit(DECLARATION_ID)})",
          lit(DECLARATION_ID_RULE)),
    required("establishment_code", "4 digits, 0000 for the main establishment"),
    Check("establishment_code",
          # A missing declarant is refused by its own check; without this guard the reason below
          # was NULL and the load crashed (found by tests/reliability/test_hostile.py).
          # Not on a row an operator's upload refuses as another's: whether that firm's
          # establishment is registered is not the uploader's to learn.
          f"n_declarant_problem IS NULL AND {v('declarant_ruc')} IS NOT NULL AND {v('establishment_code')} IS NOT NULL "
          f"AND ($owner IS NULL OR {v('declarant_ruc')} = $owner) AND NOT n_establishment_known",
          f"'establishment ' || {v('declarant_ruc')} || '-' || {v('establishment_code')} || "
          "' is not in the registry: send it in establishments.csv first or in the same load'"),
    *date_checks("date", "n_date"),
    required("type", "one of " + ", ".join(MOVEMENT_TYPES)),
    one_of("type", MOVEMENT_TYPES),
    required("chemical", "a catalogue code such as kerosene, or a CAS number"),
    Check("chemical", f"{v('chemical')} IS NOT NULL AND n_chemical IS NULL",
          lit("unknown chemical: expected a catalogue code (e.g. sulfuric_acid) or its CAS number (7664-93-9); `traza catalogue` lists them")),
    required("quantity", "a number"),
    Check("quantity", f"{v('quantity')} IS NOT NULL AND n_quantity IS NULL",
          lit("not a number: expected digits with a dot as decimal separator (e.g. 1250.5)")),
    Check("quantity", "n_quantity IS NOT NULL AND NOT isfinite(n_quantity)", lit("quantity must be a finite number")),
    Check("quantity", "isfinite(n_quantity) AND n_quantity <= 0 AND n_type IS DISTINCT FROM 'stock_count'",
          lit("quantity must be greater than zero")),
    Check("quantity", "n_quantity < 0 AND n_type = 'stock_count'", lit("a stock count must be zero or more")),
    Check("quantity", f"isfinite(n_quantity_kg) AND n_quantity_kg > {MAX_KG}",
          lit("quantity over 100,000 t in one declaration: check the quantity and the unit")),
    required("unit", "kg, t, l, gal, m3 or KGM, TNE, LTR, GLL, MTQ"),
    Check("unit", f"{v('unit')} IS NOT NULL AND n_unit IS NULL",
          lit("unknown unit: expected kg, t, l, gal, m3 or the UN/ECE codes KGM, TNE, LTR, GLL, MTQ")),
    Check("unit", "n_unit_kind = 'volume' AND n_chemical IS NOT NULL AND n_density IS NULL",
          "n_chemical || ' is a ' || n_state || ': declare it by mass (kg or t), not by volume'"),
    *required_by_type(),
    *ruc_checks("counterparty_ruc", "n_counterparty_problem", required=False),
    Check("counterparty_establishment",
          f"{v('counterparty_establishment')} IS NOT NULL AND NOT regexp_full_match({v('counterparty_establishment')}, '\\d{{4}}')",
          lit("establishment code must be 4 digits (0000 is the main establishment)")),
    Check("destination_ubigeo", f"{v('destination_ubigeo')} IS NOT NULL AND NOT n_ubigeo_known",
          lit(jurisdiction().geography.unknown)),
    Check("origin_country", "n_origin IS NOT NULL AND n_origin NOT IN (SELECT code FROM ref_countries)",
          lit("unknown country: expected an ISO 3166 alpha-2 code (e.g. CN, US, DE)")),
    Check("destination_country", "n_destination IS NOT NULL AND n_destination NOT IN (SELECT code FROM ref_countries)",
          lit("unknown country: expected an ISO 3166 alpha-2 code (e.g. CN, US, DE)")),
    Check("declared_on", "declared_on IS NOT NULL AND n_declared_on IS NULL",
          lit("not a valid date (expected YYYY-MM-DD, or empty: the day traza receives it)")),
    Check("declared_on", "n_declared_on > $today", lit("declared_on is in the future")),
    Check("declared_on", "n_declared_on < n_date", lit("declared_on is before the operation's date")),
    first_occurrence("declaration_id", "declaration_id"),
)

# Content of a stored movement, compared only when its key arrives again (so no hash is
# computed or stored for the millions of rows that never collide). Over output columns.
CONTENT = (
    "declarant_ruc", "establishment_code", "date", "type", "chemical", "quantity", "unit",
    "counterparty_ruc", "counterparty_establishment", "document_ref", "destination_ubigeo",
    "origin_country", "destination_country", "extra",
)
CONTENT_HASH = "md5(concat_ws('|', " + ", ".join(f"coalesce(CAST({c} AS VARCHAR), '')" for c in CONTENT) + "))"

MOVEMENTS = KindSpec(
    kind="movements",
    table="movements",
    id_column="movement_id",
    id_sequence=None,  # numbered max + row_number on DuckDB (one writer), by sequence on PostgreSQL
    enrich=ENRICH,
    checks=CHECKS,
    columns=(
        "idem_key", "declaration_id", "declarant_ruc", "establishment_code", "date", "type",
        "chemical", "quantity", "unit", "quantity_kg", "counterparty_ruc",
        "counterparty_establishment", "counterparty_registered", "document_ref",
        "destination_ubigeo", "origin_country", "destination_country", "declared_on", "extra",
        "submission_id", "source_file", "source_line", "declared_at",
    ),
    output=(
        "n_key", "declaration_id", "declarant_ruc", "establishment_code", "n_date", "n_type",
        "n_chemical", "n_quantity", "n_unit", "n_quantity_kg", "counterparty_ruc",
        "counterparty_establishment",
        "CASE WHEN counterparty_ruc IS NULL THEN NULL ELSE n_counterparty_registered END",
        "document_ref", "destination_ubigeo", "n_origin", "n_destination", "n_declared_on", "{extra}",
        "{sub}", "{file}", "__line", "{now}",
    ),
    key="n_key",
    row_hash=CONTENT_HASH,
    versioned=False,
)
