"""Explanations in Spanish and English, from a rule's templates and a finding (pure)."""

from __future__ import annotations

import string
from datetime import date
from typing import Any

from traza.core.catalogue import default_catalogue


def number(value: float | None, lang: str, decimals: int = 0) -> str:
    """1,305.5 in English, 1.305,5 in Spanish."""
    if value is None:
        return "-"
    text = f"{value:,.{decimals}f}"
    if lang == "es":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def _period(start: date | None, end: date | None, lang: str) -> str:
    if start is None:
        return "-"
    if end is None or end == start:
        return start.isoformat()
    return f"{start.isoformat()} {'a' if lang == 'es' else 'to'} {end.isoformat()}"


class _Safe(string.Formatter):
    """A template names a field the finding lacks: show it as '-' rather than fail a run."""

    def get_value(self, key: Any, args: Any, kwargs: Any) -> Any:
        return kwargs.get(key, "-") if isinstance(key, str) else super().get_value(key, args, kwargs)


def explain(template: str, lang: str, finding: dict[str, Any], params: dict[str, float], digits: int = 0) -> str:
    """Fill a rule's explanation; ``digits`` are the decimals of the observed and baseline figures
    (kilograms read whole; field checks' hectares want two)."""
    chem = default_catalogue().chemical(finding.get("chemical") or "")
    fields: dict[str, Any] = {
        "ruc": finding.get("ruc"),
        "detail": finding.get("detail") or "-",
        "chemical": (chem.name_es if lang == "es" else chem.name_en).lower() if chem else "-",
        "observed": number(finding.get("observed"), lang, digits),
        "baseline": number(finding.get("baseline"), lang, digits),
        "strength": number(finding.get("strength"), lang, 1),
        "period": _period(finding.get("period_start"), finding.get("period_end"), lang),
        "evidence_count": len(finding.get("evidence") or []),
    }
    fields |= {f"p_{k}": number(v, lang, 0 if float(v).is_integer() else 2) for k, v in params.items()}
    return _Safe().format(template.strip(), **fields)
