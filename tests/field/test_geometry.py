"""Geodesic areas against known polygons, and the geometry refusals."""

from __future__ import annotations

import pytest
import shapely

from traza.field.geometry import (
    distance_km,
    from_geojson,
    from_gps_points,
    from_wkt,
    geodesic_ha,
    outside_district,
    square,
)


@pytest.mark.parametrize("lonlat", [(-76.0, -9.3), (-73.9, -12.6), (-81.2, -4.0), (-69.2, -17.9)])
def test_square_of_100_m_is_one_hectare(lonlat: tuple[float, float]) -> None:
    assert geodesic_ha(square(*lonlat, 100)) == pytest.approx(1.0, rel=0.005)


def test_known_areas() -> None:
    assert geodesic_ha(square(-75.0, -10.0, 1000)) == pytest.approx(100.0, rel=0.005)
    # One degree square at the equator: 12,308 km2 on WGS84 (published geodesic figure).
    box = shapely.box(-76.0, -1.0, -75.0, 0.0)
    assert geodesic_ha(box) / 100 == pytest.approx(12_308, rel=0.002)
    # A planar computation in degrees would be meaningless; orientation does not matter either.
    assert geodesic_ha(shapely.Polygon(list(box.exterior.coords)[::-1])) == pytest.approx(geodesic_ha(box))


def test_gps_points_close_the_ring_and_measure() -> None:
    sq = square(-76.0, -9.3, 100)
    pts = "; ".join(f"{x} {y}" for x, y in list(sq.exterior.coords)[:-1])
    parsed = from_gps_points(pts)
    assert not isinstance(parsed, str) and parsed.area_ha == pytest.approx(1.0, rel=0.005)
    assert "at least 3" in str(from_gps_points("-76 -9; -76.001 -9"))
    assert "longitude latitude" in str(from_gps_points("-76 -9; north"))


def test_refusals() -> None:
    assert "self-intersecting" in str(from_wkt("POLYGON((-76 -9, -75.99 -9.01, -75.99 -9, -76 -9.01, -76 -9))"))
    assert "outside Peru" in str(from_wkt("POLYGON((2 48, 2.01 48, 2.01 48.01, 2 48))"))
    assert "not valid WKT" in str(from_wkt("POLYGON((1 2"))
    assert "Polygon" in str(from_wkt("LINESTRING(-76 -9, -75 -9)"))
    assert "geometry object" in str(from_geojson([1, 2]))
    assert "outside Peru" in str(from_geojson({"type": "Point", "coordinates": [10, 10]}))


def test_outside_district() -> None:
    assert outside_district("100601", -76.0, -9.3, 2.0) is None  # Tingo Maria, Rupa-Rupa
    far = outside_district("100601", -73.9, -12.6, 2.0)
    assert far is not None and "outside district 100601" in far
    assert 300 < distance_km(-9.3, -76.0, -12.6, -73.9) < 500
