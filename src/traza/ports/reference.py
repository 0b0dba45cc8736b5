"""Reference data the targeting rules join: controlled HS headings (from the chemical
catalogue), places (countries and ports of the indicators) and cover-load keywords. Loaded
into each engine as small tables, so a regulator changes a list, not a rule."""

from __future__ import annotations

from typing import Any

from traza.core.catalogue import default_catalogue
from traza.detect.engines import Engine

# Countries of Europe (UN/LOCODE prefixes): destinations of most cocaine seized in Peru's ports.
EUROPE = ("AL", "BE", "BG", "CY", "DE", "DK", "EE", "ES", "FI", "FR", "GB", "GR", "HR", "IE", "IT",
          "LT", "LV", "ME", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "TR")
# Frequent destinations of seized loads (docs/principles.md: Antwerp, Rotterdam, Valencia and others).
FREQUENT_DESTINATIONS = ("BEANR", "NLRTM", "ESVLC", "ESALG", "DEHAM", "BEZEE", "GRPIR", "ITGIT", "FRLEH",
                         "PTLEI", "GBFXT", "TRMER")
# Cargo first loaded in these countries, or at Arica (the 7.2 t flooring seizure), is a risk.
RISK_ORIGIN_COUNTRIES = ("CO", "EC", "BO")
RISK_ORIGIN_PORTS = ("CLARI",)
# Cover loads seen in Peruvian seizures (docs/principles.md), Spanish and English keywords.
COVER = {
    "fruit": ("FRUTA", "FRUIT", "BANAN", "PALTA", "AVOCADO", "MANGO", "UVA", "GRAPE", "ARANDANO", "BLUEBERR"),
    "coffee": ("CAFE", "COFFEE"),
    "cacao": ("CACAO", "COCOA"),
    "seafood": ("POTA", "CALAMAR", "SQUID", "PESCADO", "FISH", "LANGOSTINO", "SHRIMP", "CONGELAD", "FROZEN"),
    "timber": ("MADERA", "TIMBER", "WOOD", "PISO", "FLOORING", "TABLERO"),
    "tiles": ("MAYOLICA", "CERAMIC", "TILE", "PORCELANATO"),
    "juice": ("JUGO", "JUICE", "PULPA", "PUREE"),
    "scrap": ("CHATARRA", "SCRAP"),
}


def reference_tables() -> list[tuple[str, dict[str, list[Any]], dict[str, str]]]:
    cat = default_catalogue()
    hs_rows = [(h.replace(".", "")[:6], c.code) for c in cat.chemicals for h in c.hs]
    places = ([(c, "europe") for c in EUROPE] + [(p, "frequent_destination") for p in FREQUENT_DESTINATIONS]
              + [(c, "risk_origin_country") for c in RISK_ORIGIN_COUNTRIES]
              + [(p, "risk_origin_port") for p in RISK_ORIGIN_PORTS])
    cover = [(k, cat_) for cat_, words in COVER.items() for k in words]
    return [
        ("ref_hs", {"hs6": [h for h, _ in hs_rows], "chemical": [c for _, c in hs_rows]},
         {"hs6": "VARCHAR", "chemical": "VARCHAR"}),
        ("ref_places", {"code": [c for c, _ in places], "kind": [k for _, k in places]},
         {"code": "VARCHAR", "kind": "VARCHAR"}),
        ("ref_cover", {"keyword": [k for k, _ in cover], "category": [c for _, c in cover]},
         {"keyword": "VARCHAR", "category": "VARCHAR"}),
    ]


def load_reference(engine: Engine) -> None:
    for name, cols, types in reference_tables():
        engine.load_table(name, cols, types)
