"""The parts of the web UI that need no server: the map's outlines and classes, and a word
for every key the templates use in both languages."""

from __future__ import annotations

import re
from pathlib import Path

from traza.web import peru_map
from traza.web.i18n import MESSAGES
from traza.web.routes._common import safe_next


def _square(x: float, y: float, ubigeo: str) -> peru_map.DistrictShape:
    ring = ((x, y), (x + 1, y), (x + 1, y + 1), (x, y + 1))
    return peru_map.DistrictShape(ubigeo, ubigeo, "", "", "", (ring,))


def test_outline_drops_the_edge_two_districts_share() -> None:
    path = peru_map.outline([_square(0, 0, "a"), _square(1, 0, "b")])
    segments = path.count("M")
    assert segments == 6  # 8 edges, the shared one counted twice and dropped
    assert "M1 0L1 1" not in path


def test_every_district_of_the_shipped_file_has_a_path() -> None:
    shapes = peru_map.districts()
    assert len(shapes) > 1800
    assert all(s.path.startswith("M") and s.path.endswith("Z") for s in shapes)
    xs = [x for s in shapes for ring in s.rings for x, _ in ring]
    assert min(xs) >= 0 and max(xs) <= peru_map.WIDTH


def test_classes_are_increasing_quantile_bounds() -> None:
    values = {str(i): float(i) for i in range(1, 101)} | {"zero": 0.0}
    bounds = peru_map.classes(values)
    assert bounds == [20.0, 40.0, 60.0, 80.0, 100.0]
    assert peru_map.class_of(0, bounds) == 0
    assert peru_map.class_of(21, bounds) == 2
    assert peru_map.class_of(1e9, bounds) == 5
    assert peru_map.classes({"a": 0.0}) == []


def test_every_word_the_templates_use_exists_in_both_languages() -> None:
    folder = Path(peru_map.__file__).parent / "templates"
    used = set()
    for template in folder.glob("*.html"):
        used |= set(re.findall(r"""t\(["']([a-z_]+\.[a-z_.]+)["']\)""", template.read_text(encoding="utf-8")))
    assert len(used) > 50
    missing = sorted(used - set(MESSAGES))
    assert not missing, missing
    assert all(es.strip() and en.strip() for es, en in MESSAGES.values())


def test_every_movement_type_has_a_name() -> None:
    from traza.core.types import MOVEMENT_TYPES

    assert all(f"type.{t}" in MESSAGES for t in MOVEMENT_TYPES)


def test_every_sector_has_a_name_in_both_languages() -> None:
    from traza.core.types import ACTIVITIES, SECTORS

    assert all(f"sector.{s}" in MESSAGES for s in SECTORS)
    assert all(f"activity.{a}" in MESSAGES for a in ACTIVITIES)
    assert MESSAGES["sector.distributor"][0] == "distribuidor"


def test_next_after_login_stays_on_this_site() -> None:
    assert safe_next("/alerts?rule=x") == "/alerts?rule=x"
    for bad in ("//evil.example", "https://evil.example/", "\\\\evil", None, ""):
        assert safe_next(bad) == "/"
