"""A refused parameter or form field in the viewer's words, not pydantic's: ``page: debe ser
un número entero`` rather than ``page: Input should be a valid integer, unable to parse
string as an integer``. The field is named as the request names it."""

from __future__ import annotations

from typing import Any

# pydantic's error type -> (Spanish, English), with {placeholders} from its context.
_WORDS: dict[str, tuple[str, str]] = {
    "missing": ("falta: es obligatorio", "missing: it is required"),
    "int_parsing": ("debe ser un número entero", "must be a whole number"),
    "int_type": ("debe ser un número entero", "must be a whole number"),
    "float_parsing": ("debe ser un número, con punto decimal (p. ej. 1250.5)",
                      "must be a number, with a dot as decimal separator (e.g. 1250.5)"),
    "float_type": ("debe ser un número", "must be a number"),
    "greater_than_equal": ("debe ser {ge} o más", "must be {ge} or more"),
    "greater_than": ("debe ser mayor que {gt}", "must be greater than {gt}"),
    "less_than_equal": ("debe ser {le} o menos", "must be {le} or less"),
    "string_too_long": ("admite a lo sumo {max_length} caracteres", "takes at most {max_length} characters"),
    "string_too_short": ("necesita al menos {min_length} caracteres", "needs at least {min_length} characters"),
    "string_pattern_mismatch": ("no tiene la forma esperada ({pattern})", "does not have the expected form ({pattern})"),
    "literal_error": ("debe ser uno de: {expected}", "must be one of: {expected}"),
    "enum": ("debe ser uno de: {expected}", "must be one of: {expected}"),
    "date_from_datetime_parsing": ("debe ser una fecha AAAA-MM-DD", "must be a date YYYY-MM-DD"),
    "date_parsing": ("debe ser una fecha AAAA-MM-DD", "must be a date YYYY-MM-DD"),
    "bool_parsing": ("debe ser sí o no (true o false)", "must be yes or no (true or false)"),
}


def field_error(lang: str, error: Any, skip: int = 1) -> str:
    """One pydantic error as ``field: what is expected`` in ``lang`` (its own text for a type
    not listed, e.g. a validator's message). ``skip``: the parts of its location before the
    field (1 for a request's ``query``/``body``, 0 for a model's own validation)."""
    loc = [str(x) for x in error.get("loc", ())[skip:]]
    field = ".".join(loc) or ("formulario" if lang != "en" else "form")
    words = _WORDS.get(str(error.get("type")))
    if words is None:
        return f"{field}: {str(error.get('msg', '')).removeprefix('Value error, ')}"
    ctx = {k: str(v) for k, v in (error.get("ctx") or {}).items()}
    try:
        text = (words[1] if lang == "en" else words[0]).format(**ctx)
    except KeyError:
        text = str(error.get("msg"))
    return f"{field}: {text}"
