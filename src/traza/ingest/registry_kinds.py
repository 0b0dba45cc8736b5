"""Validation and loading of the registry files: operators, establishments, authorisations."""

from __future__ import annotations

from traza.core.jurisdiction import jurisdiction
from traza.core.types import ACTIVITIES, OPERATOR_STATUSES, SECTORS
from traza.ingest.spec import (
    Check,
    KindSpec,
    date_checks,
    first_occurrence,
    iso_date,
    lit,
    one_of,
    registered_operator_checks,
    repeats_join,
    required,
    ruc_checks,
    sql_list,
    v,
)

_EMAIL = r"[^@\s]+@[^@\s]+\.[^@\s]+"
_PHONE = r"\+?[0-9 ()\-]{6,20}"
_TAX, _GEO = jurisdiction().tax_id.name, jurisdiction().geography
_AUDIT = ("row_hash", "submission_id", "source_line", "recorded_at", "recorded_by")
_AUDIT_OUT = ("{sub}", "__line", "{now}", "{by}")

OPERATORS_HASH = (
    f"md5(concat_ws('|', s_ruc, {v('name')}, lower({v('sector')}), n_registered_on, "
    f"lower({v('status')}), {v('representative_id')}, {v('phone')}, lower({v('email')}), {{extra}}))"
)

OPERATORS = KindSpec(
    kind="operators",
    table="operator_versions",
    id_column="version_id",
    id_sequence="registry_version_seq",
    enrich=f"""
        SELECT s.*, s.ruc AS s_ruc, rc.problem AS n_ruc_problem, {iso_date('registered_on')} AS n_registered_on,
               rep.n_first_line
        FROM {{stage}} s LEFT JOIN ruc_check rc ON rc.ruc = {v('s.ruc')}
        {repeats_join(v('s.ruc'))}
    """,
    checks=(
        *ruc_checks("ruc", "n_ruc_problem"),
        required("name", "the operator's legal name"),
        required("sector", "one of " + ", ".join(SECTORS)),
        one_of("sector", SECTORS),
        *date_checks("registered_on", "n_registered_on"),
        required("status", "active, suspended or revoked"),
        one_of("status", OPERATOR_STATUSES),
        Check("email", f"{v('email')} IS NOT NULL AND NOT regexp_full_match({v('email')}, '{_EMAIL}')",
              lit("not an e-mail address (expected name@domain.tld)")),
        Check("phone", f"{v('phone')} IS NOT NULL AND NOT regexp_full_match({v('phone')}, '{_PHONE}')",
              lit("not a phone number (expected 6 to 20 digits, optionally +, spaces, dashes)")),
        first_occurrence("ruc", _TAX),
    ),
    columns=("ruc", "name", "sector", "registered_on", "status", "representative_id", "phone",
             "email", "extra", *_AUDIT),
    output=("s_ruc", "name", "lower(sector)", "n_registered_on", "lower(status)", "representative_id",
            "phone", "lower(email)", "{extra}", OPERATORS_HASH, *_AUDIT_OUT),
    key="s_ruc",
    row_hash=OPERATORS_HASH,
    versioned=True,
)


ESTABLISHMENTS_HASH = (
    f"md5(concat_ws('|', s_ruc, {v('establishment_code')}, {v('ubigeo')}, {v('address')}, {{extra}}))"
)

ESTABLISHMENTS = KindSpec(
    kind="establishments",
    table="establishment_versions",
    id_column="version_id",
    id_sequence="registry_version_seq",
    enrich=f"""
        SELECT s.*, s.ruc AS s_ruc, rc.problem AS n_ruc_problem, ko.ruc IS NOT NULL AS n_operator_known,
               ub.ubigeo IS NOT NULL AS n_ubigeo_known, rep.n_first_line
        FROM {{stage}} s
        LEFT JOIN ruc_check rc ON rc.ruc = {v('s.ruc')}
        LEFT JOIN (SELECT DISTINCT ruc FROM known_operators) ko ON ko.ruc = {v('s.ruc')}
        LEFT JOIN ref_ubigeo ub ON ub.ubigeo = {v('s.ubigeo')}
        {repeats_join(v('s.ruc') + " || '-' || " + v('s.establishment_code'))}
    """,
    checks=(
        *registered_operator_checks(),
        required("establishment_code", "4 digits, 0000 for the main establishment"),
        Check("establishment_code",
              f"{v('establishment_code')} IS NOT NULL AND NOT regexp_full_match({v('establishment_code')}, '\\d{{4}}')",
              lit("establishment code must be 4 digits (0000 is the main establishment)")),
        required("ubigeo", f"the district's {_GEO.digits}-digit {_GEO.authority} {_GEO.code}"),
        Check("ubigeo", f"{v('ubigeo')} IS NOT NULL AND NOT n_ubigeo_known",
              lit(_GEO.unknown)),
        first_occurrence("establishment_code", "establishment"),
    ),
    columns=("ruc", "establishment_code", "ubigeo", "address", "extra", *_AUDIT),
    output=("s_ruc", "establishment_code", "ubigeo", "address", "{extra}", ESTABLISHMENTS_HASH, *_AUDIT_OUT),
    key="s_ruc || '-' || establishment_code",
    row_hash=ESTABLISHMENTS_HASH,
    versioned=True,
)


_ACTS = (
    f"list_sort(list_distinct(list_filter(list_transform(string_split(coalesce({v('activities')}, ''), ';'), "
    "lambda x: lower(trim(x))), lambda x: x <> '')))"
)

AUTHORISATIONS_HASH = (
    "md5(concat_ws('|', s_ruc, n_chemical, array_to_string(n_activities, ';'), n_quota, "
    "n_valid_from, n_valid_to, {extra}))"
)

AUTHORISATIONS = KindSpec(
    kind="authorisations",
    table="authorisation_versions",
    id_column="version_id",
    id_sequence="registry_version_seq",
    enrich=f"""
        SELECT s.*, s.ruc AS s_ruc, rc.problem AS n_ruc_problem, ko.ruc IS NOT NULL AS n_operator_known,
               ch.code AS n_chemical, {_ACTS} AS n_activities,
               try_cast({v('annual_quota_kg')} AS DOUBLE) AS n_quota,
               {iso_date('valid_from')} AS n_valid_from, {iso_date('valid_to')} AS n_valid_to,
               rep.n_first_line
        FROM {{stage}} s
        LEFT JOIN ruc_check rc ON rc.ruc = {v('s.ruc')}
        LEFT JOIN (SELECT DISTINCT ruc FROM known_operators) ko ON ko.ruc = {v('s.ruc')}
        LEFT JOIN ref_chemicals ch ON ch.alias = lower({v('s.chemical')})
        {repeats_join(v('s.ruc') + " || '-' || lower(" + v('s.chemical') + ") || '-' || " + v('s.valid_from'))}
    """,
    checks=(
        *registered_operator_checks(),
        required("chemical", "a catalogue code such as acetone, or a CAS number"),
        Check("chemical", f"{v('chemical')} IS NOT NULL AND n_chemical IS NULL",
              lit("unknown chemical: expected a catalogue code (e.g. sulfuric_acid) or its CAS number (7664-93-9); `traza catalogue` lists them")),
        Check("activities", "len(n_activities) = 0",
              lit("activities is required: a semicolon list of " + ";".join(ACTIVITIES))),
        Check("activities", f"len(list_filter(n_activities, lambda x: NOT list_contains({sql_list(ACTIVITIES)}, x))) > 0",
              f"'unknown activity ' || list_filter(n_activities, lambda x: NOT list_contains({sql_list(ACTIVITIES)}, x))[1] || ': expected {', '.join(ACTIVITIES)}'"),
        Check("annual_quota_kg", f"{v('annual_quota_kg')} IS NOT NULL AND (n_quota IS NULL OR NOT isfinite(n_quota) OR n_quota < 0)",
              lit("annual_quota_kg must be a number of kilograms, zero or more (dot as decimal separator), or empty for no quota")),
        *date_checks("valid_from", "n_valid_from"),
        Check("valid_to", f"{v('valid_to')} IS NOT NULL AND n_valid_to IS NULL",
              lit("not a valid date (expected YYYY-MM-DD, or empty for no end)")),
        Check("valid_to", "n_valid_to < n_valid_from", lit("valid_to is before valid_from")),
        first_occurrence("chemical", f"authorisation for this {_TAX}, chemical and valid_from"),
    ),
    columns=("ruc", "chemical", "activities", "annual_quota_kg", "valid_from", "valid_to", "extra", *_AUDIT),
    output=("s_ruc", "n_chemical", "array_to_string(n_activities, ';')", "n_quota", "n_valid_from",
            "n_valid_to", "{extra}", AUTHORISATIONS_HASH, *_AUDIT_OUT),
    key="s_ruc || '-' || n_chemical || '-' || strftime(n_valid_from, '%Y-%m-%d')",
    row_hash=AUTHORISATIONS_HASH,
    versioned=True,
)

