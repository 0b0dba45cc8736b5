"""The jurisdiction's political geography (Peru: the ubigeo) and the special-regime zones,
from data files.

The jurisdiction names the files and the column of the district code; Peru's are
``geo/ubigeo_distrito.csv`` and ``geo/ubigeo_provincia.csv`` (ubigeo-peru-aumentado, MIT),
whose ``inei`` column is the ubigeo traza uses everywhere. Rows that have only a RENIEC code
(``inei`` is ``NA``) are not districts of that code and are skipped. Zones come from
``special_regime_zones.csv`` (built by scripts/build_zones.py, each row with its source).
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from traza.core.errors import CatalogueError
from traza.core.jurisdiction import jurisdiction
from traza.core.paths import data_dir


@dataclass(frozen=True)
class District:
    ubigeo: str
    department: str
    province: str
    name: str
    latitude: float
    longitude: float
    # Districts created after the source's coordinates were compiled have none: they get
    # their province's capital, and this flag says so.
    approximate_location: bool = False


@dataclass(frozen=True)
class ZoneDistrict:
    zone: str
    ubigeo: str
    source: str


@dataclass(frozen=True)
class Geography:
    districts: dict[str, District]
    zones: tuple[ZoneDistrict, ...]

    def district(self, ubigeo: str) -> District | None:
        return self.districts.get(ubigeo.strip())

    def zone_of(self, ubigeo: str) -> str | None:
        """The special-regime zone of a district (a district belongs to at most one)."""
        for z in self.zones:
            if z.ubigeo == ubigeo:
                return z.zone
        return None

    def zone_names(self) -> list[str]:
        return sorted({z.zone for z in self.zones})


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        raise CatalogueError(path.name, "-", "-", "file not found")
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _float(path: Path, entry: str, field: str, value: str) -> float:
    try:
        out = float(value)
    except ValueError:
        raise CatalogueError(path.name, entry, field, f"expected a number, got {value!r}") from None
    if not math.isfinite(out):
        raise CatalogueError(path.name, entry, field, f"expected a finite number, got {value!r}")
    return out


def load_geography(directory: Path | None = None) -> Geography:
    base = directory or data_dir()
    where = jurisdiction()
    spec = where.geography
    shape = re.compile(spec.pattern)
    ppath = base / spec.provinces
    provinces: dict[str, tuple[float, float]] = {}
    for line, row in enumerate(_rows(ppath), start=2):
        entry = f"line {line}"
        provinces[row[spec.code_column][:4]] = (
            _float(ppath, entry, "latitude", row["latitude"]),
            _float(ppath, entry, "longitude", row["longitude"]),
        )
    dpath = base / spec.districts
    districts: dict[str, District] = {}
    for line, row in enumerate(_rows(dpath), start=2):
        code = (row.get(spec.code_column) or "").strip()
        if code == "NA":
            continue
        entry = f"line {line}"
        if not shape.match(code):
            raise CatalogueError(dpath.name, entry, spec.code_column, f"expected {spec.digits} digits, got {code!r}")
        if code in districts:
            raise CatalogueError(dpath.name, entry, spec.code_column, f"{code} appears twice")
        approximate = row.get("latitude") == "NA" and code[:4] in provinces
        if approximate:
            lat, lon = provinces[code[:4]]
        else:
            lat = _float(dpath, entry, "latitude", row.get("latitude", ""))
            lon = _float(dpath, entry, "longitude", row.get("longitude", ""))
        if not spec.contains(lat, lon):
            raise CatalogueError(dpath.name, entry, "latitude/longitude", f"({lat}, {lon}) is outside {where.name}")
        districts[code] = District(
            code, row["departamento"], row["provincia"], row["distrito"], lat, lon, approximate
        )
    zpath = base / "special_regime_zones.csv"
    zones: list[ZoneDistrict] = []
    for line, row in enumerate(_rows(zpath), start=2):
        code = (row.get("ubigeo") or "").strip()
        entry = f"line {line}"
        if code not in districts:
            raise CatalogueError(zpath.name, entry, "ubigeo", f"{code!r} is not a known district")
        if not (row.get("zone") or "").strip():
            raise CatalogueError(zpath.name, entry, "zone", "a zone name is required")
        if not (row.get("source") or "").strip():
            raise CatalogueError(zpath.name, entry, "source", "every zone district needs its source")
        zones.append(ZoneDistrict(row["zone"].strip(), code, row["source"].strip()))
    return Geography(districts, tuple(zones))


@cache
def default_geography() -> Geography:
    return load_geography()
