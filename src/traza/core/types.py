"""Vocabularies of the public v1 file formats (docs/formats.md)."""

from __future__ import annotations

from typing import Final, Literal, get_args

SECTORS: Final = (
    "importer", "distributor", "mining", "fuel", "textile", "pharma", "food", "paint",
    "chemical_mfg", "agriculture", "water_treatment", "laboratory", "transport", "other",
)
OperatorStatus = Literal["active", "suspended", "revoked"]
OPERATOR_STATUSES: Final[tuple[str, ...]] = get_args(OperatorStatus)
Activity = Literal["import", "export", "produce", "buy", "sell", "use", "store", "transport"]
ACTIVITIES: Final[tuple[str, ...]] = get_args(Activity)

# Sign of each movement type in the book stock of the declaring establishment.
# stock_count is a physical count, not a flow: it has no sign and is compared with the book.
MOVEMENT_SIGN: Final[dict[str, int]] = {
    "purchase": 1, "import": 1, "production": 1, "transfer_in": 1,
    "sale": -1, "export": -1, "consumption": -1, "transfer_out": -1,
    "loss": -1, "theft": -1, "destruction": -1,
    "stock_count": 0,
}
MOVEMENT_TYPES: Final = tuple(MOVEMENT_SIGN)

# Fields a movement of each type must carry besides the common ones (docs/formats.md):
# a transfer between two parties names the other party; a sale also says where the goods go;
# an import says where they come from and an export where they go.
REQUIRED_BY_TYPE: Final[dict[str, tuple[str, ...]]] = {
    "sale": ("counterparty_ruc", "destination_ubigeo"),
    "purchase": ("counterparty_ruc",),
    "transfer_out": ("counterparty_ruc",),
    "transfer_in": ("counterparty_ruc",),
    "import": ("origin_country",),
    "export": ("destination_country",),
}

OPERATOR_COLUMNS: Final = ("ruc", "name", "sector", "registered_on", "status")
OPERATOR_OPTIONAL: Final = ("representative_id", "phone", "email")
ESTABLISHMENT_COLUMNS: Final = ("ruc", "establishment_code", "ubigeo", "address")
AUTHORISATION_COLUMNS: Final = ("ruc", "chemical", "activities", "annual_quota_kg", "valid_from", "valid_to")
MOVEMENT_COLUMNS: Final = ("declarant_ruc", "establishment_code", "date", "type", "chemical", "quantity", "unit")
MOVEMENT_OPTIONAL: Final = (
    "declaration_id", "counterparty_ruc", "counterparty_establishment", "document_ref",
    "destination_ubigeo", "origin_country", "destination_country", "declared_on",
)

# An operator's seller item codes mapped to catalogue chemicals, for its UBL documents.
PRODUCT_MAPPING_COLUMNS: Final = ("ruc", "item_code", "chemical")
PRODUCT_MAPPING_OPTIONAL: Final = ("kg_per_unit",)

KINDS: Final[dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "operators": (OPERATOR_COLUMNS, OPERATOR_OPTIONAL),
    "establishments": (ESTABLISHMENT_COLUMNS, ()),
    "authorisations": (AUTHORISATION_COLUMNS, ()),
    "product_mappings": (PRODUCT_MAPPING_COLUMNS, PRODUCT_MAPPING_OPTIONAL),
    "movements": (MOVEMENT_COLUMNS, MOVEMENT_OPTIONAL),
}
# Order in which the kinds of one load are applied: the registry before the ledger, product
# mappings before the UBL documents they classify (which come last, as kind "ubl").
LOAD_ORDER: Final = ("operators", "establishments", "authorisations", "product_mappings", "movements", "ubl")


def v1_kind(columns: list[str]) -> str | None:
    """The v1 kind whose required columns ``columns`` all hold (a v1 table may carry extra
    columns of any name), or None: how the other commands tell a declaration file apart."""
    have = set(columns)
    return next((kind for kind, (required, _) in KINDS.items() if set(required) <= have), None)
