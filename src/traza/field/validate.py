"""Check one field item against its kind and turn it into the row to store, or say why not.

Each check adds a problem naming the field and what was expected; every problem of the item
is reported, not only the first. Pure: the reference data arrive in ``Context``.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from traza.core.catalogue import Catalogue
from traza.core.identifiers import ruc_problem
from traza.core.jurisdiction import jurisdiction
from traza.core.rejection import Rejection, unnamed
from traza.field import geometry as g
from traza.field.model import (
    AREA_TOLERANCE,
    CASUALTY_COLUMNS,
    DISTRICT_MARGIN_KM,
    INCIDENT_TYPES,
    LAB_TYPES,
    MODALITIES,
    ROLES,
    SUBSTANCES,
    VULNERABLE_ZONES,
)
from traza.field.parse import Item

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,63}$")
_TRUE, _FALSE = {"true", "1", "yes", "si", "sí", "y", "s"}, {"false", "0", "no", "n"}


@dataclass(frozen=True)
class Context:
    ubigeos: frozenset[str]
    catalogue: Catalogue
    area_tolerance: float = AREA_TOLERANCE
    district_margin_km: float = DISTRICT_MARGIN_KM
    today: date = field(default_factory=date.today)


class _Row:
    """Collects typed values and problems for one item."""

    def __init__(self, item: Item, ctx: Context) -> None:
        self.item, self.ctx = item, ctx
        self.out: dict[str, Any] = {}
        self.problems: list[Rejection] = []

    def bad(self, name: str, reason: str, value: str | None = None) -> None:
        v = self.item.fields.get(name) if value is None else value
        self.problems.append(unnamed(self.item.line, self.item.column(name), v, reason))

    def raw(self, name: str, required: bool = False) -> str | None:
        v = self.item.fields.get(name)
        if v is None and required:
            self.bad(name, f"{name} is required")
        return v

    def _typed(self, name: str, required: bool, conv: Callable[[str], Any], expected: str) -> Any:
        v = self.raw(name, required)
        if v is None:
            self.out[name] = None
            return None
        try:
            if not v.isascii():  # float() and int() take Arabic-Indic and other scripts' digits
                raise ValueError(v)
            out = conv(v)
        except (ValueError, OverflowError):
            self.bad(name, f"expected {expected}, got {v!r}")
            out = None
        self.out[name] = out
        return out

    def text(self, name: str, required: bool = False) -> str | None:
        v = self.raw(name, required)
        self.out[name] = v
        return v

    def ident(self, name: str, required: bool = False) -> str | None:
        return self._typed(name, required, _ident, "an id of letters, digits and _.:/- (at most 64)")  # type: ignore[no-any-return]

    def day(self, name: str, required: bool = False) -> date | None:
        d: date | None = self._typed(name, required, date.fromisoformat, "a date YYYY-MM-DD")
        if d is not None and d > self.ctx.today:
            self.bad(name, f"the date {d} is in the future")
        return d

    def number(self, name: str, required: bool = False, positive: bool = False) -> float | None:
        x: float | None = self._typed(name, required, _float, "a finite number (decimal point '.')")
        if x is not None and (x < 0 or (positive and x == 0)):
            self.bad(name, f"expected a {'positive' if positive else 'non-negative'} number, got {x:g}")
            self.out[name] = None
            return None
        return x

    def signed(self, name: str) -> float | None:
        x: float | None = self._typed(name, False, _float, "a finite number (decimal degrees, '.')")
        return x

    def count(self, name: str, required: bool = False) -> int:
        n: int | None = self._typed(name, required, _count, "a whole number 0 or more")
        self.out[name] = n or 0
        return n or 0

    def flag(self, name: str, default: bool = False) -> bool:
        b: bool | None = self._typed(name, False, _bool, "true or false (also si/no, 1/0)")
        self.out[name] = default if b is None else b
        return bool(self.out[name])

    def choice(self, name: str, options: tuple[str, ...], required: bool = False) -> str | None:
        v = self.raw(name, required)
        if v is not None and v.lower() not in options:
            self.bad(name, f"expected one of {', '.join(options)}, got {v!r}")
            v = None
        self.out[name] = None if v is None else v.lower()
        return self.out[name]  # type: ignore[no-any-return]

    def ubigeo(self, name: str = "ubigeo", required: bool = True) -> str | None:
        v = self.raw(name, required)
        if v is not None and v not in self.ctx.ubigeos:
            geo = jurisdiction().geography
            self.bad(name, f"unknown {geo.code} {v!r}: expected an {geo.authority} district code of {geo.digits} digits")
            v = None
        self.out[name] = v
        return v

    def year(self, name: str, required: bool = False) -> int | None:
        y: int | None = self._typed(name, required, _count, "a year such as 2005")
        if y is not None and not 1950 <= y <= self.ctx.today.year + 1:
            self.bad(name, f"expected a year between 1950 and {self.ctx.today.year + 1}, got {y}")
            self.out[name] = None
            return None
        return y


def _ident(v: str) -> str:
    if not _ID.match(v):
        raise ValueError(v)
    return v


def _float(v: str) -> float:
    x = float(v)
    if not math.isfinite(x):
        raise ValueError(v)
    return x


def _count(v: str) -> int:
    x = float(v)
    if not math.isfinite(x) or x != int(x) or x < 0:
        raise ValueError(v)
    return int(x)


def _bool(v: str) -> bool:
    s = v.strip().lower()
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise ValueError(v)


def row_hash(values: dict[str, Any]) -> str:
    """The content of a record: re-sending the same content is a duplicate, not a new fact."""
    text = json.dumps(values, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def validate(item: Item, ctx: Context) -> tuple[dict[str, Any] | None, list[Rejection]]:
    """The row to store (table columns, without the loader's bookkeeping), or the problems."""
    r = _Row(item, ctx)
    _CHECKS[item.kind.name](r)
    known = set(item.kind.columns) | {"wkt", "gps_points"}
    extras = {k: v for k, v in item.fields.items() if k not in known and v is not None}
    if r.problems:
        return None, r.problems
    out = {k: v for k, v in r.out.items() if k not in ("wkt", "gps_points")}
    out["row_hash"] = row_hash(out)
    out["extra"] = json.dumps(extras, sort_keys=True, ensure_ascii=False) if extras else None
    return out, []


def _goals(r: _Row) -> None:
    r.ident("goal_id", True)
    r.year("year", True)
    m: int | None = r._typed("month", False, _count, "a month 1-12")
    if m is not None and not 1 <= m <= 12:
        r.bad("month", f"expected a month 1-12, got {m}")
    r.text("axis")
    r.ubigeo(required=False)
    r.number("hectares")
    r.number("seedbed_m2")
    r.text("resolution")
    if r.out.get("hectares") is None and r.out.get("seedbed_m2") is None and not r.problems:
        r.bad("hectares", "a goal needs hectares or seedbed_m2")


def _operations(r: _Row) -> None:
    r.ident("operation_id", True)
    r.day("date", True)
    r.text("axis", True)
    r.text("coca_area")
    r.ubigeo()
    r.text("brigade")
    r.count("eradicators")
    r.count("police")
    r.choice("modality", MODALITIES, True)
    r.ident("goal_id")


def _place(r: _Row, parsed: g.Parsed | str, source: str) -> g.Parsed | None:
    if isinstance(parsed, str):
        r.bad(source, parsed, r.item.fields.get(source) if source != "geometry" else None)
        return None
    u = r.out.get("ubigeo")
    if u is not None:
        far = g.outside_district(u, parsed.longitude, parsed.latitude, r.ctx.district_margin_km)
        if far:
            r.bad(source, far + " (the ubigeo given)", r.item.fields.get(source) if source != "geometry" else None)
            return None
    r.out["latitude"], r.out["longitude"] = parsed.latitude, parsed.longitude
    r.out["geometry"] = g.to_geojson(parsed.geometry)
    return parsed


def _locate(r: _Row) -> tuple[g.Parsed | str | None, str]:
    """The item's geometry from whichever form it came in (None when it has none)."""
    f = r.item.fields
    if r.item.geometry is not None:
        return g.from_geojson(r.item.geometry), "geometry"
    if r.item.feature is not None:
        return "a feature needs a geometry", "geometry"
    if f.get("wkt"):
        return g.from_wkt(f["wkt"] or ""), "wkt"
    if f.get("gps_points"):
        return g.from_gps_points(f["gps_points"] or ""), "gps_points"
    lat, lon = r.signed("latitude"), r.signed("longitude")
    if lat is None or lon is None:
        return None, "latitude"
    return g.outside_country(lon, lat) or g.Parsed(None, lat, lon, None), "latitude"


def _plots(r: _Row) -> None:
    r.ident("plot_id", True)
    r.ident("operation_id")
    r.day("date", True)
    r.ubigeo()
    reported = r.number("reported_ha", positive=True)
    r.flag("replanted")
    r.choice("vulnerable_zone", VULNERABLE_ZONES)
    r.ident("certificate_id")
    found, source = _locate(r)
    if found is None:
        r.bad("wkt", "a plot needs a polygon (GeoJSON geometry, wkt or gps_points) or a GPS point "
                     "(latitude, longitude) with reported_ha")
        return
    parsed = _place(r, found, source)
    if parsed is None:
        return
    if parsed.area_ha is None:
        if reported is None:
            r.bad("reported_ha", "a plot known by one GPS point needs reported_ha (its area cannot be computed)")
            return
        r.out["area_ha"], r.out["area_method"] = reported, "reported"
        return
    r.out["area_ha"], r.out["area_method"] = round(parsed.area_ha, 4), "geodesic"
    if reported is not None and abs(parsed.area_ha - reported) > r.ctx.area_tolerance * reported:
        r.bad("reported_ha", f"the polygon measures {parsed.area_ha:.3f} ha, the report says {reported:g} ha "
                             f"(more than {r.ctx.area_tolerance:.0%} apart)")


def _seedbeds(r: _Row) -> None:
    r.ident("seedbed_id", True)
    r.ident("operation_id")
    r.day("date", True)
    r.ubigeo()
    m2 = r.number("area_m2", positive=True, required=r.item.geometry is None)
    has_place = r.item.geometry is not None or r.item.fields.get("latitude") or r.item.fields.get("longitude")
    r.out.setdefault("latitude", None)
    r.out.setdefault("longitude", None)
    r.out["geometry"] = None
    if not has_place:
        return
    found, source = _locate(r)
    if found is None:
        r.bad("latitude", "a seedbed located by GPS needs both latitude and longitude")
        return
    parsed = _place(r, found, source)
    if parsed is not None and m2 is None and r.out.get("area_m2") is None:
        if parsed.area_ha is None:
            r.bad("area_m2", "area_m2 is required (a point has no area)")
        else:
            r.out["area_m2"] = round(parsed.area_ha * 10_000, 2)


def _measurements(r: _Row) -> None:
    r.ident("measurement_id", True)
    r.day("date", True)
    r.ubigeo()
    r.text("community")
    r.text("imagery_source")
    r.number("measured_ha", True)


def _certificates(r: _Row) -> None:
    r.ident("certificate_id", True)
    r.text("holder_name", True)
    r.text("holder_document", True)
    r.choice("role", ROLES, True)
    r.year("registration_year", True)
    r.number("declared_ha", True)
    r.ubigeo("declared_ubigeo")
    r.number("verified_ha")
    r.flag("holder_deceased")
    r.flag("representative_verified")


def _incidents(r: _Row) -> None:
    r.ident("incident_id", True)
    r.day("date", True)
    r.ubigeo()
    r.ident("operation_id")
    r.choice("type", INCIDENT_TYPES, True)
    r.text("aircraft")
    r.count("aircraft_damaged")
    for c in CASUALTY_COLUMNS:
        r.count(c)
    r.flag("eradication_halted")
    r.text("description")


def _labs(r: _Row) -> None:
    r.ident("lab_id", True)
    r.day("date", True)
    r.ubigeo()
    r.choice("type", LAB_TYPES, True)
    r.flag("destroyed", default=True)
    lat, lon = r.signed("latitude"), r.signed("longitude")
    if (lat is None) != (lon is None):
        r.bad("latitude", "give both latitude and longitude, or neither")
    elif lat is not None and lon is not None:
        problem = g.outside_country(lon, lat)
        if problem:
            r.bad("latitude", problem)


def _seizures(r: _Row) -> None:
    r.ident("seizure_id", True)
    r.day("date", True)
    r.ubigeo()
    r.ident("lab_id")
    substance = r.choice("substance", SUBSTANCES, True)
    qty = r.number("quantity", True, positive=True)
    unit = r.text("unit", True)
    r.text("lot_ref")
    seller = r.text("seller_ruc")
    problem = ruc_problem(seller) if seller is not None else None
    if problem:
        r.bad("seller_ruc", f"not a valid {jurisdiction().tax_id.name}: {problem}")
    r.count("arrests")
    r.count("weapons")
    chem_raw = r.raw("chemical", required=substance == "precursor")
    chem = r.ctx.catalogue.chemical(chem_raw) if chem_raw else None
    if chem_raw and chem is None:
        r.bad("chemical", f"unknown chemical {chem_raw!r}: expected a catalogue code or CAS number")
    r.out["chemical"] = chem.code if chem else None
    r.out["quantity_kg"] = None
    if qty is None or unit is None:
        return
    u = r.ctx.catalogue.unit(unit)
    if u is None:
        r.bad("unit", f"unknown unit {unit!r}: expected kg, t, l, gal or m3")
        return
    r.out["unit"] = u.code
    if u.kind == "mass":
        r.out["quantity_kg"] = qty * u.factor
    elif chem is not None:
        try:
            r.out["quantity_kg"] = r.ctx.catalogue.to_kg(qty, u.code, chem.code)
        except ValueError as exc:
            r.bad("unit", str(exc))


_CHECKS: dict[str, Callable[[_Row], None]] = {
    "goals": _goals, "operations": _operations, "plots": _plots, "seedbeds": _seedbeds,
    "measurements": _measurements, "certificates": _certificates, "incidents": _incidents,
    "labs": _labs, "seizures": _seizures,
}
