"""Explanations in Spanish and English, from a rule's templates and a finding (pure)."""

from __future__ import annotations

import string
from datetime import date
from typing import Any, NamedTuple

from traza.core.catalogue import default_catalogue
from traza.core.vocab import INFERRED_ROLES


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


# The optional columns a peer-relative rule returns after the usual ones: its peer group
# ("role|chemical", or "role|*" when the chemical's group was too small and all the role's
# operators were used), the group's size and the share of the group below the operator (0..1).
PEER_COLUMNS = ("peer_group", "peer_size", "percentile")
# Roles inferred from behaviour (the base table d_role), as a group is named in explanations.
ROLE_GROUPS = dict(zip(INFERRED_ROLES, (("importadores", "importers"), ("productores", "producers"),
                                         ("distribuidores", "distributors"), ("usuarios finales", "end users")),
                       strict=True))


class Peers(NamedTuple):
    group: str
    size: int
    percentile: float  # 0..100: the share of the group with less


def peer_group(group: str, lang: str) -> str:
    """``distributor|sulfuric_acid`` as "distribuidores de ácido sulfúrico" / "distributors of sulfuric acid"."""
    role, _, code = group.partition("|")
    es, en = ROLE_GROUPS.get(role, (role, role))
    chem = default_catalogue().chemical(code) if code and code != "*" else None
    if chem is None:
        return f"{es} (todos los insumos)" if lang == "es" else f"{en} (all chemicals)"
    return f"{es} de {chem.name_es.lower()}" if lang == "es" else f"{en} of {chem.name_en.lower()}"


# Registry states some rules write into their detail ("20... > 10... (unregistered)"): the
# detail is part of the alert's id, so it stays as written and the Spanish text says them so.
_STATES_ES = {"(unregistered)": "(no inscrito)", "(revoked)": "(revocado)", "(suspended)": "(suspendido)",
              "(active)": "(activo)"}


def _detail(text: str, lang: str) -> str:
    if lang == "es":
        for en, es in _STATES_ES.items():
            text = text.replace(en, es)
    return text


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
        "detail": _detail(str(finding.get("detail") or "-"), lang),
        "chemical": (chem.name_es if lang == "es" else chem.name_en).lower() if chem else "-",
        "observed": number(finding.get("observed"), lang, digits),
        "baseline": number(finding.get("baseline"), lang, digits),
        "strength": number(finding.get("strength"), lang, 1),
        "period": _period(finding.get("period_start"), finding.get("period_end"), lang),
        "evidence_count": len(finding.get("evidence") or []),
    }
    peers = finding.get("peers")
    if isinstance(peers, Peers):
        fields |= {"peer_group": peer_group(peers.group, lang), "peer_size": number(peers.size, lang),
                   "percentile": number(peers.percentile, lang, 1)}
    fields |= {f"p_{k}": number(v, lang, 0 if float(v).is_integer() else 2) for k, v in params.items()}
    return _Safe().format(template.strip(), **fields)
