"""Plot geometry: parse polygons (GeoJSON, WKT or GPS points), check them, measure them on the
ellipsoid. Areas are geodesic (pyproj ``Geod`` on WGS84), never planar degrees, so a plot in
Puno and one in Tumbes are measured alike (Peru spans UTM zones 17S-19S).

Every function returns a reason instead of raising on bad input: the loader turns it into a
refusal naming the file, line or feature and the field.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from typing import Any

import shapely
import shapely.ops
from pyproj import Geod
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from traza.core.jurisdiction import jurisdiction
from traza.core.paths import data_dir

GEOD = Geod(ellps="WGS84")
KM_PER_DEGREE = 111.32


@dataclass(frozen=True)
class Parsed:
    geometry: BaseGeometry | None  # a Polygon or MultiPolygon; None for a single GPS point
    latitude: float
    longitude: float
    area_ha: float | None  # geodesic; None for a single point


def geodesic_ha(geom: BaseGeometry) -> float:
    """Area on the WGS84 ellipsoid in hectares (orientation does not matter)."""
    area, _ = GEOD.geometry_area_perimeter(geom)
    return abs(area) / 10_000


def _finite(*xs: float) -> bool:
    return all(isinstance(x, int | float) and math.isfinite(x) for x in xs)


def _check(geom: BaseGeometry) -> str | None:
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        return f"expected a Polygon or MultiPolygon, got {geom.geom_type}"
    if geom.is_empty:
        return "the polygon is empty"
    coords = shapely.get_coordinates(geom)
    if not _finite(*coords.ravel().tolist()):
        return "coordinates must be finite numbers"
    if not geom.is_valid:
        return f"invalid polygon (self-intersecting or malformed): {explain_validity(geom)}"
    return outside_country(*geom.bounds[:2]) or outside_country(*geom.bounds[2:])


def outside_country(lon: float, lat: float) -> str | None:
    """Why (lon, lat) cannot be in the jurisdiction (outside its box), or None."""
    if not _finite(lon, lat):
        return "coordinates must be finite numbers"
    where = jurisdiction()
    if not where.geography.contains(lat, lon):
        return f"({lat:.5f}, {lon:.5f}) (lat, lon) is outside {where.name}; coordinates are EPSG:4326 longitude, latitude"
    return None


def _done(geom: BaseGeometry) -> Parsed | str:
    problem = _check(geom)
    if problem:
        return problem
    c = geom.representative_point() if not geom.centroid.within(geom) else geom.centroid
    return Parsed(geom, float(c.y), float(c.x), geodesic_ha(geom))


def from_geojson(obj: Any) -> Parsed | str:
    """A GeoJSON geometry object (a dict)."""
    if not isinstance(obj, dict) or "type" not in obj:
        return "expected a GeoJSON geometry object with a type"
    if obj.get("type") == "Point":
        c = obj.get("coordinates")
        if not (isinstance(c, list) and len(c) >= 2 and _finite(c[0], c[1])):
            return "a Point needs [longitude, latitude]"
        return outside_country(float(c[0]), float(c[1])) or Parsed(None, float(c[1]), float(c[0]), None)
    try:
        geom = shape(obj)
    except Exception as exc:  # shapely raises several types for malformed input
        return f"malformed geometry: {exc}"
    return _done(geom)


def from_wkt(text: str) -> Parsed | str:
    try:
        geom = shapely.from_wkt(text)
    except Exception as exc:
        return f"not valid WKT: {str(exc).splitlines()[0]}"
    return _done(geom)


def from_gps_points(text: str) -> Parsed | str:
    """A perimeter walked with a GPS: ``lon lat; lon lat; ...`` (at least 3 distinct points;
    the ring is closed if the last point does not repeat the first)."""
    pts: list[tuple[float, float]] = []
    for i, part in enumerate(p for p in text.split(";") if p.strip()):
        bits = part.replace(",", " ").split()
        try:
            lon, lat = float(bits[0]), float(bits[1])
        except (ValueError, IndexError):
            return f"point {i + 1} {part.strip()!r}: expected 'longitude latitude'"
        if len(bits) != 2:
            return f"point {i + 1} {part.strip()!r}: expected 'longitude latitude'"
        pts.append((lon, lat))
    if len(set(pts)) < 3:
        return "a perimeter needs at least 3 distinct GPS points"
    if pts[0] != pts[-1]:
        pts.append(pts[0])
    return _done(shapely.Polygon(pts))


def to_geojson(geom: BaseGeometry | None) -> str | None:
    return None if geom is None else json.dumps(shapely.geometry.mapping(geom), separators=(",", ":"))


@cache
def district_shapes() -> dict[str, BaseGeometry]:
    """District polygons by district code (the jurisdiction's shipped, simplified boundaries)."""
    spec = jurisdiction().geography
    path = data_dir() / spec.boundaries
    data = json.loads(path.read_text(encoding="utf-8"))
    out: dict[str, BaseGeometry] = {}
    for f in data["features"]:
        if not f.get("geometry"):  # a few districts ship without a boundary
            continue
        geom = shape(f["geometry"])
        out[str(f["properties"][spec.boundary_code])] = geom if geom.is_valid else geom.buffer(0)
    return out


def outside_district(ubigeo: str, lon: float, lat: float, margin_km: float) -> str | None:
    """A reason if the point lies farther than ``margin_km`` from the district; None when it
    is inside or the district has no shipped boundary (nothing to compare with)."""
    poly = district_shapes().get(ubigeo)
    if poly is None:
        return None
    pt = Point(lon, lat)
    if poly.contains(pt):
        return None
    near = shapely.ops.nearest_points(poly, pt)[0]
    _, _, metres = GEOD.inv(lon, lat, near.x, near.y)
    if metres / 1000 <= margin_km:
        return None
    return f"({lat:.5f}, {lon:.5f}) lies {metres / 1000:.1f} km outside district {ubigeo}"


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    _, _, metres = GEOD.inv(lon1, lat1, lon2, lat2)
    return float(metres) / 1000


def square(lon: float, lat: float, side_m: float) -> BaseGeometry:
    """A square of ``side_m`` metres whose south-west corner is at (lon, lat), built on the
    ellipsoid (for tests and the simulator)."""
    lon_e, lat_e, _ = GEOD.fwd(lon, lat, 90, side_m)
    lon_ne, lat_ne, _ = GEOD.fwd(lon_e, lat_e, 0, side_m)
    lon_n, lat_n, _ = GEOD.fwd(lon, lat, 0, side_m)
    return shapely.Polygon([(lon, lat), (lon_e, lat_e), (lon_ne, lat_ne), (lon_n, lat_n), (lon, lat)])
