from __future__ import annotations

import numpy as np

from traza.core.catalogue import default_catalogue
from traza.sim.registry import STYLE_GALLONS, STYLE_KG, STYLE_LITRES, STYLE_UNECE
from traza.sim.units import UNITS, VOLUME, choose_units, to_declared


def test_solids_are_never_declared_by_volume() -> None:
    rng = np.random.default_rng(0)
    n = 2000
    style = rng.integers(0, 4, n)
    unit = choose_units(style, np.full(n, np.nan), rng.uniform(1, 50000, n), rng)
    assert not VOLUME[unit].any()


def test_declared_quantity_converts_back_to_the_catalogue_kilograms() -> None:
    rng = np.random.default_rng(1)
    cat = default_catalogue()
    kerosene = cat.chemical("kerosene")
    assert kerosene is not None and kerosene.density_kg_l is not None
    n = 500
    kg = rng.uniform(10, 40000, n)
    dens = np.full(n, kerosene.density_kg_l)
    for style in (STYLE_KG, STYLE_LITRES, STYLE_GALLONS, STYLE_UNECE):
        unit, qty, declared = to_declared(choose_units(np.full(n, style), dens, kg, rng), dens, kg)
        assert (qty > 0).all()
        back = np.asarray([cat.to_kg(float(q), UNITS[u], "kerosene") for q, u in zip(qty, unit, strict=True)])
        np.testing.assert_allclose(back, declared, rtol=1e-9)
        # Rounding to the unit's decimals stays well inside a 2 % reconciliation tolerance.
        assert (np.abs(declared - kg) / kg < 0.005).all()


def test_gallon_users_write_gallons_for_liquids() -> None:
    rng = np.random.default_rng(2)
    unit = choose_units(np.full(100, STYLE_GALLONS), np.full(100, 0.8), np.full(100, 500.0), rng)
    assert {UNITS[u] for u in unit} == {"gal"}


def test_tiny_quantities_in_big_units_fall_back_to_kilograms() -> None:
    unit, qty, kg = to_declared(np.asarray([1], dtype=np.int8), np.asarray([np.nan]), np.asarray([0.2]))
    assert UNITS[int(unit[0])] == "kg" and qty[0] == 0.2 and kg[0] == 0.2
