"""Identifiers: RUC (Peru's taxpayer number), establishment codes, countries."""

from __future__ import annotations

import re
from functools import cache

import pycountry
from stdnum import exceptions as stdnum_errors
from stdnum.pe import ruc as stdnum_ruc

from traza.core.text import clean_identifier

_ESTABLISHMENT = re.compile(r"^[0-9]{4}$")  # \d would take any script's digits
_ASCII_DIGITS = re.compile(r"[0-9]+")


def ruc_problem(value: str) -> str | None:
    """Why ``value`` is not a valid RUC, or None when it is (python-stdnum's check digit).

    Only the ASCII digits 0-9 are a RUC: python-stdnum maps full-width and other digits to
    ASCII before it validates, so "２００..." passed while the raw string was stored, a second
    operator identical to the eye (issue 16, finding 7). Text from outside is normalised
    first (``normalise_ruc``, or the loader's edge), and what is left here is refused."""
    v = value.strip()
    if not v:
        return "a RUC is required"
    if not _ASCII_DIGITS.fullmatch(v):
        bad = next((c for c in v if not ("0" <= c <= "9")), v[0])
        return f"RUC must be 11 ASCII digits 0-9: found {bad!a} at position {v.index(bad) + 1}"
    try:
        stdnum_ruc.validate(v)
    except stdnum_errors.InvalidChecksum:
        return "RUC check digit does not match (expected 11 digits with a valid mod-11 check digit)"
    except stdnum_errors.InvalidLength:
        return f"RUC must have 11 digits, got {len(v)}"
    except stdnum_errors.InvalidFormat:
        return "RUC must be 11 digits starting with 10, 15, 16, 17 or 20"
    except stdnum_errors.ValidationError as exc:
        return f"not a valid RUC: {exc}"
    return None


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
