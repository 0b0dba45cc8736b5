"""Validation and loading of product_mappings.csv: an operator's seller item codes mapped to
catalogue chemicals, so that its UBL invoices and guides are read without guessing.

Versioned like the registry files: a mapping whose content changes gets a new version, and
the latest version of each (RUC, item code) is the one applied. ``chemical`` may be ``none``
to say that an item is not a controlled chemical (its lines then never reach the review list).
"""

from __future__ import annotations

from traza.core.jurisdiction import jurisdiction
from traza.ingest.spec import (
    Check,
    KindSpec,
    first_occurrence,
    lit,
    registered_operator_checks,
    repeats_join,
    required,
    v,
)

NOT_CONTROLLED = "none"
_ITEM = f"upper({v('s.item_code')})"

PRODUCT_MAPPINGS_HASH = "md5(concat_ws('|', s_ruc, n_item_code, n_chemical, n_kg_per_unit, {extra}))"

PRODUCT_MAPPINGS = KindSpec(
    kind="product_mappings",
    table="product_mapping_versions",
    id_column="version_id",
    id_sequence="registry_version_seq",
    enrich=f"""
        SELECT s.*, s.ruc AS s_ruc, rc.problem AS n_ruc_problem, ko.ruc IS NOT NULL AS n_operator_known,
               {_ITEM} AS n_item_code,
               CASE WHEN lower({v('s.chemical')}) = '{NOT_CONTROLLED}' THEN '{NOT_CONTROLLED}' ELSE ch.code END AS n_chemical,
               try_cast({v('s.kg_per_unit')} AS DOUBLE) AS n_kg_per_unit, rep.n_first_line
        FROM {{stage}} s
        LEFT JOIN ruc_check rc ON rc.ruc = {v('s.ruc')}
        LEFT JOIN (SELECT DISTINCT ruc FROM known_operators) ko ON ko.ruc = {v('s.ruc')}
        LEFT JOIN ref_chemicals ch ON ch.alias = lower({v('s.chemical')})
        {repeats_join(v('s.ruc') + " || '|' || " + _ITEM)}
    """,
    checks=(
        *registered_operator_checks(),
        required("item_code", "the seller's own item code, as on its invoices (SellersItemIdentification)"),
        required("chemical", "a catalogue code such as acetone, a CAS number, or none"),
        Check("chemical", f"{v('chemical')} IS NOT NULL AND n_chemical IS NULL",
              lit("unknown chemical: expected a catalogue code (e.g. sulfuric_acid), its CAS number (7664-93-9), "
                  "or none for an item that is not a controlled chemical")),
        Check("kg_per_unit", f"{v('kg_per_unit')} IS NOT NULL AND (n_kg_per_unit IS NULL OR NOT isfinite(n_kg_per_unit) "
              "OR n_kg_per_unit <= 0)",
              lit("kg_per_unit must be a number of kilograms greater than zero (dot as decimal separator), or empty")),
        first_occurrence("item_code", f"mapping for this {jurisdiction().tax_id.name} and item code"),
    ),
    columns=("ruc", "item_code", "chemical", "kg_per_unit", "extra", "row_hash", "submission_id", "source_line",
             "recorded_at", "recorded_by"),
    output=("s_ruc", "n_item_code", "n_chemical", "n_kg_per_unit", "{extra}", PRODUCT_MAPPINGS_HASH,
            "{sub}", "__line", "{now}", "{by}"),
    key="s_ruc || '|' || n_item_code",
    row_hash=PRODUCT_MAPPINGS_HASH,
    versioned=True,
)
