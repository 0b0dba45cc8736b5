"""The operations map: plot polygons over the boundaries of their districts, drawn on the
server as SVG (no tiles, no map library in the browser). The view fits the districts the
plots lie in; plots are drawn to scale and, because a 2 ha plot is a pixel at district scale,
also marked by a dot at their centre."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from traza.field.geometry import district_shapes

WIDTH = 640.0


@dataclass(frozen=True)
class Shape:
    key: str
    label: str
    path: str
    x: float
    y: float


@dataclass(frozen=True)
class FieldMap:
    width: float
    height: float
    districts: tuple[Shape, ...]
    plots: tuple[Shape, ...]


def _rings(geom: BaseGeometry) -> list[list[tuple[float, float]]]:
    polys = list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom]
    return [list(p.exterior.coords) for p in polys if p.geom_type == "Polygon"]


def build(plots: list[dict[str, Any]], names: dict[str, str]) -> FieldMap | None:
    """The map of ``plots`` (rows with ``plot_id``, ``ubigeo``, ``geometry`` as GeoJSON or
    None, ``latitude``, ``longitude``); None when there is nothing to draw."""
    shapes = district_shapes()
    ubigeos = sorted({str(p["ubigeo"]) for p in plots if str(p["ubigeo"]) in shapes})
    if not ubigeos:
        return None
    bounds = [shapes[u].bounds for u in ubigeos]
    lon0, lat0 = min(b[0] for b in bounds), min(b[1] for b in bounds)
    lon1, lat1 = max(b[2] for b in bounds), max(b[3] for b in bounds)
    kx = math.cos(math.radians((lat0 + lat1) / 2))
    scale = WIDTH / max((lon1 - lon0) * kx, 1e-9)
    height = round(max((lat1 - lat0) * scale, 1.0), 1)

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return round((lon - lon0) * kx * scale, 2), round((lat1 - lat) * scale, 2)

    def path(geom: BaseGeometry) -> str:
        parts = []
        for ring in _rings(geom):
            pts = [xy(x, y) for x, y, *_ in ring]
            parts.append("M" + "L".join(f"{x:g} {y:g}" for x, y in pts) + "Z")
        return "".join(parts)

    districts = []
    for u in ubigeos:
        c = shapes[u].representative_point()
        districts.append(Shape(u, names.get(u, u), path(shapes[u]), *xy(c.x, c.y)))
    drawn = []
    for p in plots:
        geom = shape(p["geometry"]) if p.get("geometry") else None
        drawn.append(Shape(str(p["plot_id"]), f"{p['plot_id']} · {float(p['area_ha']):.2f} ha",
                           path(geom) if geom is not None else "", *xy(float(p["longitude"]), float(p["latitude"]))))
    return FieldMap(WIDTH, height, tuple(districts), tuple(drawn))
