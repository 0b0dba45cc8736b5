"""Peru's districts as SVG paths, built on the server from the GeoJSON shipped in
``data/geo`` (no tile server, no map library in the browser).

Coordinates are projected equirectangularly (longitude scaled by the cosine of Peru's middle
latitude, close enough at this size) onto a fixed viewBox and rounded to a tenth of a pixel;
points that round onto the previous one are dropped, which is all the simplification a
1,834-district map at dashboard size needs. The outlines of the special-regime zones are the
district edges that only one district of the zone has: shared edges cancel out.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from traza.core.jurisdiction import jurisdiction
from traza.core.paths import data_dir

WIDTH = 600.0
_LON0, _LON1, _LAT0, _LAT1 = -81.4, -68.6, -18.4, 0.1
_KX = math.cos(math.radians((_LAT0 + _LAT1) / 2))
_SCALE = WIDTH / ((_LON1 - _LON0) * _KX)
HEIGHT = round((_LAT1 - _LAT0) * _SCALE, 1)

Point = tuple[float, float]


@dataclass(frozen=True)
class DistrictShape:
    ubigeo: str
    name: str
    province: str
    department: str
    path: str  # the SVG path data
    rings: tuple[tuple[Point, ...], ...]


def project(lon: float, lat: float) -> Point:
    return round((lon - _LON0) * _KX * _SCALE, 1), round((_LAT1 - lat) * _SCALE, 1)


def _ring(coords: list[list[float]]) -> tuple[Point, ...]:
    out: list[Point] = []
    for lon, lat, *_ in coords:
        p = project(lon, lat)
        if not out or out[-1] != p:
            out.append(p)
    return tuple(out)


def _path(rings: tuple[tuple[Point, ...], ...]) -> str:
    parts = []
    for ring in rings:
        if len(ring) < 3:
            continue
        parts.append("M" + "L".join(f"{x:g} {y:g}" for x, y in ring) + "Z")
    return "".join(parts)


@cache
def districts(directory: Path | None = None) -> tuple[DistrictShape, ...]:
    """Every district with a geometry, in the file's order (read once per process)."""
    spec = jurisdiction().geography
    path = (directory or data_dir()) / spec.boundaries
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    out = []
    for f in features:
        geom, props = f.get("geometry"), f["properties"]
        if not geom:
            continue
        polygons = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        rings = tuple(r for poly in polygons for r in (_ring(c) for c in poly) if len(r) >= 3)
        out.append(DistrictShape(str(props[spec.boundary_code]), str(props.get("NOMBDIST") or ""),
                                 str(props.get("NOMBPROV") or ""), str(props.get("NOMBDEP") or ""),
                                 _path(rings), rings))
    return tuple(out)


def outline(shapes: list[DistrictShape]) -> str:
    """The boundary of a group of districts: the edges that only one of them has."""
    edges: Counter[tuple[Point, Point]] = Counter()
    for s in shapes:
        for ring in s.rings:
            for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
                if a != b:
                    edges[(a, b) if a < b else (b, a)] += 1
    return "".join(f"M{a[0]:g} {a[1]:g}L{b[0]:g} {b[1]:g}" for (a, b), n in edges.items() if n == 1)


@cache
def zone_outlines(zones: tuple[tuple[str, frozenset[str]], ...]) -> tuple[tuple[str, str], ...]:
    """(zone, path) for each zone given as (name, its districts' ubigeos)."""
    by_ubigeo = {d.ubigeo: d for d in districts()}
    return tuple((name, outline([by_ubigeo[u] for u in sorted(members) if u in by_ubigeo]))
                 for name, members in zones)


def classes(values: dict[str, float], n: int = 5) -> list[float]:
    """Upper bounds of ``n`` classes of the positive values (quantiles), for the legend."""
    positive = sorted(v for v in values.values() if v > 0)
    if not positive:
        return []
    bounds: list[float] = []
    for i in range(1, n + 1):
        b = positive[min(len(positive) - 1, math.ceil(i * len(positive) / n) - 1)]
        if not bounds or b > bounds[-1]:
            bounds.append(b)
    return bounds


def class_of(value: float, bounds: list[float]) -> int:
    """0 for no deliveries, else 1..len(bounds)."""
    if value <= 0:
        return 0
    for i, b in enumerate(bounds, start=1):
        if value <= b:
            return i
    return len(bounds)
