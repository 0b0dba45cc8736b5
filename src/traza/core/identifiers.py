"""Identifiers: RUC (Peru's taxpayer number), establishment codes, countries."""

from __future__ import annotations

import re
from functools import cache

import pycountry
from stdnum import exceptions as stdnum_errors
from stdnum.pe import ruc as stdnum_ruc

_ESTABLISHMENT = re.compile(r"^\d{4}$")


def ruc_problem(value: str) -> str | None:
    """Why ``value`` is not a valid RUC, or None when it is (python-stdnum's check digit)."""
    v = value.strip()
    if not v:
        return "a RUC is required"
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


def establishment_problem(value: str) -> str | None:
    if not _ESTABLISHMENT.match(value.strip()):
        return "establishment code must be 4 digits (0000 is the main establishment)"
    return None


@cache
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes."""
    return frozenset(c.alpha_2 for c in pycountry.countries)
