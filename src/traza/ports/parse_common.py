"""Small value parsers shared by the CSV and CUSCAR readers; each returns (value, problem)."""

from __future__ import annotations

import re
from datetime import date, datetime

LOCODE = re.compile(r"^[A-Z]{2}[A-Z2-9]{3}$")
HS = re.compile(r"^\d{4}\.?\d{2}")
UN_NUMBER = re.compile(r"^(UN)?\s?(\d{4})$")


def hs6(text: str | None) -> str | None:
    """The 6-digit heading of an HS code written 2914.11, 291411 or 29141100."""
    if not text:
        return None
    digits = re.sub(r"[^0-9]", "", text)
    return digits[:6] if len(digits) >= 6 else None


def locode(text: str | None) -> tuple[str | None, str | None]:
    if not text:
        return None, None
    v = text.strip().upper().replace(" ", "")
    if not LOCODE.match(v):
        return None, f"{text!r} is not a UN/LOCODE (two letters of country, three of place, e.g. PECLL)"
    return v, None


def un_number(text: str | None) -> tuple[str | None, str | None]:
    if not text:
        return None, None
    m = UN_NUMBER.match(text.strip().upper())
    if not m:
        return None, f"{text!r} is not a UN number (four digits, e.g. 1090)"
    return m.group(2), None


def number(text: str | None, what: str) -> tuple[float | None, str | None]:
    if text is None or not text.strip():
        return None, None
    try:
        v = float(text.strip())
    except ValueError:
        return None, f"{what} {text!r} is not a number"
    if v < 0 or v != v:
        return None, f"{what} {text!r} must be zero or more"
    return v, None


def day(text: str | None) -> tuple[date | None, str | None]:
    if not text or not text.strip():
        return None, None
    t = text.strip()
    for fmt in ("%Y-%m-%d", "%Y%m%d", "%y%m%d"):
        try:
            return datetime.strptime(t, fmt).date(), None
        except ValueError:
            continue
    return None, f"date {text!r}: expected YYYY-MM-DD (CSV) or CCYYMMDD (EDIFACT format 102)"


def moment(text: str | None) -> tuple[datetime | None, str | None]:
    if not text or not text.strip():
        return None, None
    t = text.strip()
    for fmt in ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y%m%d%H%M", "%Y-%m-%d", "%Y%m%d"):
        try:
            return datetime.strptime(t, fmt), None
        except ValueError:
            continue
    return None, f"date-time {text!r}: expected YYYY-MM-DDTHH:MM[:SS] (CSV) or CCYYMMDDHHMM (EDIFACT format 203)"
