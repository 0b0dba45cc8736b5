"""Build src/traza/data/special_regime_zones.csv from the district table.

Run by hand when the zone definition changes; the output is committed. The selection
follows docs/principles.md ("Coca geography", provinces commonly counted in the UNODC 2005 valleys).
It is a starting point to verify against the official decrees (the VRAEM ambito of
DS 040-2016-PCM and its updates; SUNAT's special-regime lists under DL 1126).
"""

from __future__ import annotations

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "src" / "traza" / "data"
SRC = "docs/principles.md coca geography (UNODC Peru Coca Survey 2005 valleys); verify against official decree"

# (zone, department, province, districts or None for the whole province)
SELECTION: list[tuple[str, str, str, list[str] | None]] = [
    ("ALTO_HUALLAGA", "HUANUCO", "LEONCIO PRADO", None),
    ("ALTO_HUALLAGA", "HUANUCO", "HUAMALIES", ["MONZON", "JIRCAN"]),
    ("ALTO_HUALLAGA", "HUANUCO", "MARAÑON", None),
    ("ALTO_HUALLAGA", "SAN MARTIN", "TOCACHE", None),
    ("ALTO_HUALLAGA", "SAN MARTIN", "MARISCAL CACERES", None),
    ("ALTO_HUALLAGA", "UCAYALI", "PADRE ABAD", None),
    ("VRAEM", "AYACUCHO", "LA MAR", None),
    ("VRAEM", "AYACUCHO", "HUANTA", None),
    ("VRAEM", "CUSCO", "LA CONVENCION", ["QUIMBIRI", "PICHARI", "VILLA KINTIARINA", "VILLA VIRGEN", "CIELO PUNCO", "MANITEA", "UNION ASHÁNINKA"]),
    ("VRAEM", "JUNIN", "SATIPO", ["PANGOA", "MAZAMARI", "RIO TAMBO", "VIZCATAN DEL ENE"]),
    ("VRAEM", "HUANCAVELICA", "TAYACAJA", ["HUACHOCOLPA", "TINTAY PUNCU", "ROBLE", "SANTIAGO DE TUCUMA", "QUICHUAS", "ANDAYMARCA", "SURCUBAMBA", "COLCABAMBA"]),
    ("VRAEM", "APURIMAC", "ANDAHUAYLAS", ["ANDARAPA", "KAQUIABAMBA", "PACOBAMBA", "HUANCARAMA"]),
    ("VRAEM", "APURIMAC", "CHINCHEROS", ["ONGOY", "OCOBAMBA", "HUACCANA", "LOS CHANKAS", "EL PORVENIR", "ROCCHACC"]),
    ("LA_CONVENCION_LARES", "CUSCO", "LA CONVENCION", ["SANTA ANA", "ECHARATE", "HUAYOPATA", "MARANURA", "OCOBAMBA", "QUELLOUNO", "SANTA TERESA", "VILCABAMBA", "INKAWASI", "MEGANTONI", "KUMPIRUSHIATO"]),
    ("LA_CONVENCION_LARES", "CUSCO", "CALCA", ["LARES", "YANATILE"]),
]


def main() -> None:
    with open(DATA / "geo" / "ubigeo_distrito.csv", encoding="utf-8") as fh:
        districts = list(csv.DictReader(fh))
    out: list[dict[str, str]] = []
    for zone, dep, prov, names in SELECTION:
        rows = [d for d in districts if d["departamento"] == dep and d["provincia"] == prov]
        if names is not None:
            found = {d["distrito"] for d in rows}
            missing = set(names) - found
            if missing:
                raise SystemExit(f"{zone}: {prov}: unknown districts {sorted(missing)}")
            rows = [d for d in rows if d["distrito"] in names]
        if not rows:
            raise SystemExit(f"{zone}: no districts for {dep}/{prov}")
        for d in rows:
            out.append({"zone": zone, "ubigeo": d["inei"], "department": dep, "province": prov,
                        "district": d["distrito"], "source": SRC})
    with open(DATA / "special_regime_zones.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(out[0]))
        w.writeheader()
        w.writerows(out)
    print(f"{len(out)} districts written")


if __name__ == "__main__":
    main()
