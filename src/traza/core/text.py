"""Text as it arrives from outside, made one reading.

Every header name, cell, form field, query parameter and JSON string that enters traza goes
through ``clean_text`` once, at the edge, before anything looks at it: two readers of one
upload must never disagree about what it says (a BOM or a zero-width space inside a column
name once let a file pass the ownership check and be written into another firm's ledger).

- Unicode NFKC, so full-width letters and digits read as their ASCII forms
  ("２０１" is "201") and ligatures as their letters;
- the byte-order mark and the invisible characters (zero-width space, joiners, word joiner,
  soft hyphen...) removed: they change a string's identity without changing how it looks;
- NUL and every other control character refused, naming the field: PostgreSQL cannot store
  NUL, and control characters have no business in a registry's text (tab, line feed and
  carriage return are allowed only where ``multiline`` says so);
- identifiers (RUC, ubigeo, CAS numbers, container numbers, codes) ASCII only after NFKC:
  digits of other scripts (Arabic-Indic, Devanagari...) survive NFKC and would make a second
  identifier that looks like the first;
- a digit written styled (superscript ², subscript, circled ①, mathematical 𝟏) refused in an
  identifier or a number: NFKC would read "1²5" as 125, a quantity nobody typed (full-width
  digits, what a Japanese or Chinese keyboard types, still read as their ASCII forms).
"""

from __future__ import annotations

import re
import unicodedata

# Invisible format characters that change identity, not appearance (and the BOM).
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060\u00ad\u180e\u200e\u200f\u202a\u202b"
                                    "\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_NON_ASCII = re.compile(r"[^\x20-\x7e]")
# Half of a UTF-16 pair on its own (JSON's "\ud800"): not a character, and no UTF-8 encoder
# (the database's, the response's) can write it.
_SURROGATE = re.compile("[\ud800-\udfff]")


_NUMBER_LIKE = re.compile(r"[\d\s.,+\-eE]+")
_FULL_WIDTH_DIGITS = range(0xFF10, 0xFF1A)


def _styled_digit(value: str) -> tuple[int, str] | None:
    """(position, character) of the first digit written styled: NFKC makes it an ASCII digit,
    but it is neither one nor a full-width one."""
    for i, ch in enumerate(value):
        if ch.isascii() or ord(ch) in _FULL_WIDTH_DIGITS:
            continue
        plain = unicodedata.normalize("NFKC", ch)
        if len(plain) == 1 and plain.isascii() and plain.isdigit():
            return i, ch
    return None


class BadText(ValueError):
    """A text value that cannot be taken: ``field`` names where, ``reason`` says why and
    what was expected."""

    def __init__(self, field: str, reason: str) -> None:
        self.field, self.reason = field, reason
        super().__init__(f"{field}: {reason}")


def _describe(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f" {name}" if name else "")


def clean_text(value: str, field: str, *, multiline: bool = False, max_length: int | None = None) -> str:
    """``value`` in its one reading (NFKC, invisible characters removed), or BadText naming
    ``field`` when it holds a control character or is longer than ``max_length``."""
    if value.isascii() and value.isprintable():
        # Printable ASCII is its own reading (NFKC leaves it, nothing invisible or control in
        # it): most text, and every sale check, skips the work below.
        if max_length is not None and len(value) > max_length:
            raise BadText(field, f"is {len(value):,} characters long: expected at most {max_length:,}")
        return value
    text = unicodedata.normalize("NFKC", value).translate(_INVISIBLE)
    bad = (_CONTROL if multiline else _CONTROL_LINE).search(text)
    if bad:
        what = "NUL" if bad.group() == "\x00" else _describe(bad.group())
        raise BadText(field, f"contains a control character ({what}) at position {bad.start() + 1}: "
                             "expected printable text")
    lone = _SURROGATE.search(text)
    if lone:
        raise BadText(field, f"contains a lone surrogate (U+{ord(lone.group()):04X}) at position {lone.start() + 1}: "
                             "expected Unicode text")
    if max_length is not None and len(text) > max_length:
        raise BadText(field, f"is {len(text):,} characters long: expected at most {max_length:,}")
    if _NUMBER_LIKE.fullmatch(text):
        _refuse_styled(value, field)
    return text


def _refuse_styled(value: str, field: str) -> None:
    styled = _styled_digit(value)
    if styled:
        i, ch = styled
        raise BadText(field, f"contains {_describe(ch)} at position {i + 1}: a digit written styled (superscript, "
                             "subscript, circled...) reads as another number; expected plain digits")


def clean_identifier(value: str, field: str, *, max_length: int = 64) -> str:
    """An identifier (RUC, ubigeo, CAS, container number, code): ``clean_text``, trimmed,
    then ASCII only."""
    text = clean_text(value, field, max_length=max_length).strip()
    _refuse_styled(value, field)
    bad = _NON_ASCII.search(text)
    if bad:
        raise BadText(field, f"contains {_describe(bad.group())} at position {bad.start() + 1}: "
                             "expected ASCII letters and digits only")
    return text


def header_name(value: str, field: str = "header") -> str:
    """A column name as every reader of a file must see it: cleaned, trimmed, lower case."""
    return clean_text(value, field).strip().lower()


def overlong_cell(text: str) -> int:
    """The position (from 0) of the first cell of a CSV line longer than the csv module's own
    limit: where it stops, before any field check runs, so that a refusal can still name the field."""
    import csv

    col, start, quoted = 0, 0, False
    for i, ch in enumerate(text):
        if ch == '"':
            quoted = not quoted
        elif ch == "," and not quoted:
            col, start = col + 1, i + 1
        elif i - start > csv.field_size_limit():
            break
    return col
