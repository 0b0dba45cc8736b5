"""Peru's districts and the special-regime zones."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from traza.core.errors import CatalogueError
from traza.core.geo import default_geography, load_geography
from traza.core.paths import PACKAGE_DATA


def test_districts_are_inei_codes() -> None:
    geo = default_geography()
    assert len(geo.districts) == 1892  # every row with an INEI code (one row has only RENIEC's)
    lima = geo.district("150101")
    assert lima is not None and (lima.department, lima.name) == ("LIMA", "LIMA")
    assert -13 < lima.latitude < -11
    new = geo.district("050515")  # Patibamba, created after the coordinates were compiled
    assert new is not None and new.approximate_location


def test_zones_cover_the_three_valleys() -> None:
    geo = default_geography()
    assert set(geo.zone_names()) == {"ALTO_HUALLAGA", "VRAEM", "LA_CONVENCION_LARES"}
    assert geo.zone_of("100601") == "ALTO_HUALLAGA"  # Rupa-Rupa, Leoncio Prado (Tingo Maria)
    assert geo.zone_of("080910") == "VRAEM"  # Pichari
    assert geo.zone_of("150101") is None
    assert all(z.source for z in geo.zones)


def _copy(tmp_path: Path) -> Path:
    dst = tmp_path / "data"
    shutil.copytree(PACKAGE_DATA, dst, ignore=shutil.ignore_patterns("*.geojson"))
    return dst


def test_zone_with_unknown_district_names_line(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    path = d / "special_regime_zones.csv"
    lines = path.read_text().splitlines()
    lines[3] = lines[3].replace(lines[3].split(",")[1], "999999", 1)
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(CatalogueError) as exc:
        load_geography(d)
    assert (exc.value.file, exc.value.entry, exc.value.field) == ("special_regime_zones.csv", "line 4", "ubigeo")


def test_district_with_bad_coordinates(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    path = d / "geo" / "ubigeo_distrito.csv"
    text = path.read_text().replace("-6.22944444444445,-77.8727777777777", "46.2,6.1", 1)
    path.write_text(text)
    with pytest.raises(CatalogueError, match="outside Peru"):
        load_geography(d)
