"""The catalogue as data: the shipped files load, broken files name file, entry and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from traza.core.catalogue import default_catalogue, load_catalogue
from traza.core.errors import CatalogueError
from traza.core.paths import PACKAGE_DATA


def test_shipped_catalogue_covers_the_domain_table() -> None:
    cat = default_catalogue()
    codes = {c.code for c in cat.chemicals}
    assert {"kerosene", "sulfuric_acid", "potassium_permanganate", "acetone", "calcium_oxide", "hydrochloric_acid"} <= codes
    assert len(cat.chemicals) >= 31
    assert cat.chemical("7722-64-7").code == "potassium_permanganate"  # type: ignore[union-attr]
    assert cat.chemical("ACETONE").un_table == "II"  # type: ignore[union-attr]
    assert cat.chemical("acetic_anhydride").un_table == "I"  # type: ignore[union-attr]
    assert all(c.source for c in cat.chemicals)


@pytest.mark.parametrize(
    ("qty", "unit", "chem", "kg"),
    [(1, "kg", "acetone", 1.0), (2, "TNE", "acetone", 2000.0), (10, "l", "acetone", 7.9),
     (1, "GLL", "kerosene", 3.785411784 * 0.80), (1, "m3", "sulfuric_acid", 1840.0), (5, "KGM", "calcium_oxide", 5.0)],
)
def test_units_convert_to_kg(qty: float, unit: str, chem: str, kg: float) -> None:
    assert default_catalogue().to_kg(qty, unit, chem) == pytest.approx(kg)


def test_solids_cannot_be_converted_from_volume() -> None:
    with pytest.raises(ValueError, match="declare it by mass"):
        default_catalogue().to_kg(1, "l", "potassium_permanganate")


def _copy(tmp_path: Path) -> Path:
    dst = tmp_path / "data"
    shutil.copytree(PACKAGE_DATA, dst, ignore=shutil.ignore_patterns("*.geojson"))
    return dst


@pytest.mark.parametrize(
    ("old", "new", "entry", "field"),
    [
        ("cas: 67-64-1", "cas: 67-64-2", "acetone", "cas"),
        ('hs: ["2914.11"]', 'hs: ["29141"]', "acetone", "hs"),
        ("state: liquid, density_kg_l: 0.79", "state: liquid", "acetone", "-"),
        ("density_kg_l: 0.79", "density_kg_l: 79", "acetone", "density_kg_l"),
        ("un_table: II, single_purchase", "un_table: III, single_purchase", "acetone", "un_table"),
        ("{code: acetone, name_es: Acetona,", "{code: acetone, name_es: Acetona, colour: red,", "acetone", "colour"),
    ],
)
def test_broken_chemical_names_file_entry_field(tmp_path: Path, old: str, new: str, entry: str, field: str) -> None:
    d = _copy(tmp_path)
    path = d / "chemicals.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(CatalogueError) as exc:
        load_catalogue(d)
    assert (exc.value.file, exc.value.entry, exc.value.field) == ("chemicals.yaml", entry, field)
    assert str(exc.value).startswith(f"chemicals.yaml: entry {entry}: field")


def test_duplicate_code_is_refused(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    path = d / "chemicals.yaml"
    path.write_text(path.read_text().replace("{code: ethyl_acetate,", "{code: acetone,"))
    with pytest.raises(CatalogueError, match="already used by entry acetone"):
        load_catalogue(d)


def test_broken_units_file(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    path = d / "units.yaml"
    path.write_text(path.read_text().replace("factor: 1000.0, aliases: [TNE", "factor: -1, aliases: [TNE"))
    with pytest.raises(CatalogueError) as exc:
        load_catalogue(d)
    assert (exc.value.file, exc.value.entry, exc.value.field) == ("units.yaml", "t", "factor")


def test_not_yaml(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    (d / "units.yaml").write_text("units: [unclosed")
    with pytest.raises(CatalogueError, match="units.yaml: entry -"):
        load_catalogue(d)
