"""How each declarant writes a quantity: kilograms, tonnes, litres, gallons, cubic metres or
their UN/ECE codes, rounded the way people round. Liquids go by volume through the
catalogue's density, so the same delivery reads differently on the two sides of a sale."""

from __future__ import annotations

import numpy as np

from traza.sim.ledger import Arr
from traza.sim.registry import STYLE_GALLONS, STYLE_KG, STYLE_LITRES, STYLE_UNECE

UNITS = ("kg", "t", "l", "gal", "m3", "KGM", "TNE", "LTR", "GLL", "MTQ")
FACTOR = np.asarray([1.0, 1000.0, 1.0, 3.785411784, 1000.0] * 2)  # to kg, or to litres
VOLUME = np.asarray([False, False, True, True, True] * 2)
DECIMALS = (2, 3, 1, 2, 3)
KG, T, L, GAL, M3 = 0, 1, 2, 3, 4
UNECE = 5  # offset of the UN/ECE spelling of each unit


def choose_units(style: Arr, density: Arr, kg: Arr, rng: np.random.Generator) -> Arr:
    """Unit index per row. ``density`` is NaN for solids, which only go by mass."""
    n = len(kg)
    liquid = ~np.isnan(density)
    big = kg >= 20000
    u = rng.random(n)
    unit = np.where(big & (u < 0.3), T, KG)
    litres = kg / np.where(liquid, density, 1.0)
    vol = np.where((litres >= 10000) & (u < 0.4), M3, L)
    unit = np.where(liquid & (style == STYLE_LITRES), vol, unit)
    unit = np.where(liquid & (style == STYLE_GALLONS), GAL, unit)
    unece_liquid = np.where(u < 0.3, KG, vol)
    unit = np.where(style == STYLE_UNECE, np.where(liquid, unece_liquid, unit) + UNECE, unit)
    unit = np.where((style == STYLE_KG) | (style == STYLE_UNECE) | liquid, unit, KG)
    return unit.astype(np.int8)


def to_declared(unit: Arr, density: Arr, kg: Arr) -> tuple[Arr, Arr, Arr]:
    """The unit actually used, the quantity written in it (rounded) and the kilograms it
    stands for."""
    base = unit % UNECE
    per_unit = FACTOR[unit] * np.where(VOLUME[unit], np.nan_to_num(density, nan=1.0), 1.0)
    qty = kg / per_unit
    rounded = np.empty_like(qty)
    for b, d in enumerate(DECIMALS):
        sel = base == b
        rounded[sel] = np.round(qty[sel], d)
    # A small delivery in a big unit would round to zero: people write it in kilograms.
    zero = (rounded <= 0) & (kg > 0)
    if zero.any():
        unit = unit.copy()
        unit[zero] = KG
        rounded[zero] = np.maximum(np.round(kg[zero], 2), 0.01)
        per_unit[zero] = 1.0
    return unit, rounded, rounded * per_unit
