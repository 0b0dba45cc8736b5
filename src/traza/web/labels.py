"""Names shown for codes: chemicals and rules in the viewer's language."""

from __future__ import annotations

from functools import cache

from traza.core.catalogue import default_catalogue
from traza.detect.catalogue import default_rules


@cache
def chemicals(lang: str) -> dict[str, str]:
    return {c.code: (c.name_en if lang == "en" else c.name_es) for c in default_catalogue().chemicals}


@cache
def rules(lang: str) -> dict[str, str]:
    return {r.id: (r.title.en if lang == "en" else r.title.es) for r in default_rules().rules}
