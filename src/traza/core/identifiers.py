"""Identifiers: the tax number (Peru's RUC, as the jurisdiction defines it), establishment
codes, countries."""

from __future__ import annotations

import re
from functools import cache

import pycountry

from traza.core.jurisdiction import jurisdiction
from traza.core.text import clean_identifier

_ESTABLISHMENT = re.compile(r"^[0-9]{4}$")  # \d would take any script's digits


def ruc_problem(value: str) -> str | None:
    """Why ``value`` is not a valid tax number of the jurisdiction (Peru: the RUC, python-stdnum's
    check digit), or None when it is. Text from outside is normalised first (``normalise_ruc``,
    or the loader's edge): only ASCII digits are left to validate here."""
    return jurisdiction().tax_id.problem(value)


def normalise_ruc(value: str, field: str = "ruc") -> str:
    """A RUC from outside in its one reading (NFKC: full-width digits become ASCII); BadText
    naming ``field`` when it holds characters that are not ASCII after that (other scripts'
    digits, controls). Validate the result with ``ruc_problem``."""
    return clean_identifier(value, field, max_length=64)


def establishment_problem(value: str) -> str | None:
    if not _ESTABLISHMENT.match(value.strip()):
        return "establishment code must be 4 digits (0000 is the main establishment)"
    return None


@cache
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes."""
    return frozenset(c.alpha_2 for c in pycountry.countries)
