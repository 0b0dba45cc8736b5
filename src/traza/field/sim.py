"""``traza simulate field``: a year of field work in the real coca-valley districts, written as
the public field files, with truth for the certificate checks.

Plots are irregular quadrilaterals of 0.5-3 ha placed on a 400 m grid inside the district's
boundary (so honest plots never look like a replanted one), mostly in the districts of the
special-regime zones (``special_regime_zones.csv``). Honest certificates are presented only
in their own district, near one place, within their declared hectares, by living holders or
verified representatives; the abused ones break exactly one of those rules each, and
``truth_field.csv`` names the check that should catch each of them.
"""

from __future__ import annotations

import csv
import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from traza.core.geo import default_geography
from traza.field.geometry import GEOD, district_shapes, geodesic_ha
from traza.field.model import INCIDENT_TYPES, LAB_TYPES

ABUSES = ("certificate_other_district", "certificate_area_exceeded", "certificate_far_apart",
          "certificate_holder_unverified")
CELL_M = 400.0


@dataclass(frozen=True)
class FieldParams:
    year: int = 2025
    plots: int = 3000
    certificates: int = 120
    abused: int = 20          # certificates abused (spread over the four abuses)
    replanted: int = 8        # plots eradicated again at the same place
    seed: int = 0

    def __post_init__(self) -> None:
        if self.plots < 50 or self.certificates < 10 or not 4 <= self.abused <= self.certificates // 2:
            raise ValueError("need plots >= 50, certificates >= 10 and 4 <= abused <= certificates / 2")


@dataclass
class _World:
    rng: random.Random
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    features: list[dict[str, Any]] = field(default_factory=list)
    truth: list[dict[str, str]] = field(default_factory=list)
    used: set[tuple[str, int, int]] = field(default_factory=set)

    def add(self, kind: str, **row: Any) -> None:
        self.rows.setdefault(kind, []).append(row)


def _cell(w: _World, ubigeo: str, near: tuple[float, float] | None = None, spread_cells: int = 5) -> tuple[float, float]:
    """A free grid cell inside the district (near a point when given): its south-west corner."""
    poly = district_shapes()[ubigeo]
    minx, miny, maxx, maxy = poly.bounds
    dlat = CELL_M / 110_574
    for _ in range(10_000):
        if near is None:
            lon, lat = w.rng.uniform(minx, maxx), w.rng.uniform(miny, maxy)
        else:
            lon = near[0] + w.rng.randint(-spread_cells, spread_cells) * dlat
            lat = near[1] + w.rng.randint(-spread_cells, spread_cells) * dlat
        key = (ubigeo, round(lon / dlat), round(lat / dlat))
        if key in w.used:
            continue
        lon, lat = key[1] * dlat, key[2] * dlat
        if poly.contains(shapely.Point(lon + dlat / 2, lat + dlat / 2)) and poly.distance(
                shapely.Point(lon, lat)) == 0:
            w.used.add(key)
            return lon, lat
    raise RuntimeError(f"no free cell left in district {ubigeo}")


def _polygon(w: _World, corner: tuple[float, float], ha: float) -> BaseGeometry:
    """An irregular quadrilateral of about ``ha`` hectares inside its grid cell."""
    side = (ha * 10_000) ** 0.5
    lon, lat = GEOD.fwd(corner[0], corner[1], 45, 20)[:2]
    pts = [(lon, lat)]
    for az, dist in ((90, side * w.rng.uniform(0.95, 1.05)), (0, side), (270, side * w.rng.uniform(0.95, 1.05))):
        lon, lat = GEOD.fwd(lon, lat, az + w.rng.uniform(-4, 4), dist)[:2]
        pts.append((lon, lat))
    pts.append(pts[0])
    return shapely.Polygon(pts)


def simulate_field(p: FieldParams) -> _World:
    w = _World(random.Random(p.seed))
    geo = default_geography()
    shapes = district_shapes()
    zones: dict[str, list[str]] = {}
    for z in geo.zones:
        if z.ubigeo in shapes:
            zones.setdefault(z.zone, []).append(z.ubigeo)
    districts = [u for us in zones.values() for u in us]
    # Work goes where the land is: a district gets plots in proportion to its area.
    weights = [shapes[u].area for u in districts]
    axis_of = {u: zone for zone, us in zones.items() for u in us}
    w.add("goals", goal_id=f"G{p.year}", year=p.year, hectares=round(p.plots * 1.8, -2),
          seedbed_m2=round(p.plots * 5, -2), resolution=f"RM {p.year} (simulated)")
    for m in range(1, 13):
        w.add("goals", goal_id=f"G{p.year}-{m:02d}", year=p.year, month=m, hectares=round(p.plots * 1.8 / 12))
    days = [date(p.year, 1, 6) + timedelta(days=i) for i in range(350) if (date(p.year, 1, 6) + timedelta(days=i)).weekday() < 6]
    certs = _certificates(w, p, districts)
    eradicated: dict[str, float] = {}
    for n in range(p.plots):
        day = days[n * len(days) // p.plots]
        if n % 7 == 0:  # a brigade works a district for a few plots in a row
            u = w.rng.choices(districts, weights)[0]
        op = f"OP{p.year}-{day.strftime('%m%d')}-{u}"
        if not any(o["operation_id"] == op for o in w.rows.get("operations", [])[-12:]):
            w.add("operations", operation_id=op, date=day.isoformat(), axis=axis_of[u], coca_area=geo.districts[u].province,
                  ubigeo=u, brigade=f"B{districts.index(u) % 5 + 1}", eradicators=w.rng.randint(150, 250),
                  police=w.rng.randint(60, 120), modality="forced" if w.rng.random() < 0.9 else "voluntary",
                  goal_id=f"G{p.year}")
        cert = certs.honest_for(u, w.rng)
        # an honest certificate's plots lie within 2 km of its holder's field
        corner = _cell(w, u, certs.home[cert][1], 5) if cert else _cell(w, u)
        ha = _plot(w, f"PL{p.year}-{n:05d}", op, day, u, corner, w.rng.uniform(0.5, 3.0), cert)
        eradicated[u] = eradicated.get(u, 0.0) + ha
        if w.rng.random() < 0.15:
            w.add("seedbeds", seedbed_id=f"SB{p.year}-{n:05d}", operation_id=op, date=day.isoformat(), ubigeo=u,
                  area_m2=round(w.rng.uniform(20, 400)))
    certs.abuse(w, p, days)
    # Replanting: a few plots eradicated again at the same place 3-8 months later.
    plots = [f for f in w.features if f["properties"]["date"] < f"{p.year}-05-01"]
    for i, f in enumerate(w.rng.sample(plots, p.replanted)):
        props = f["properties"]
        later = date.fromisoformat(props["date"]) + timedelta(days=w.rng.randint(90, 240))
        pid = f"PL{p.year}-R{i:03d}"
        w.features.append({"type": "Feature", "geometry": f["geometry"], "properties": {
            **props, "plot_id": pid, "date": later.isoformat(), "operation_id": None, "certificate_id": None,
            "replanted": w.rng.random() < 0.5}})
        w.truth.append({"check": "plot_replanted", "subject": pid, "case": "re-eradicated at the same place"})
    # CADA measurements: the valleys hold more coca than is eradicated, except one district
    # whose eradication report is inflated.
    inflated = max(eradicated, key=lambda u: (eradicated[u], u))
    # measured against everything eradicated, the abuses and replanting included
    totals: dict[str, float] = {}
    for f in w.features:
        u = f["properties"]["ubigeo"]
        totals[u] = totals.get(u, 0.0) + geodesic_ha(shapely.geometry.shape(f["geometry"]))
    for u, ha in sorted(totals.items()):
        measured = ha * 0.6 if u == inflated else ha * w.rng.uniform(1.5, 3.0)
        w.add("measurements", measurement_id=f"M{p.year}-{u}", date=f"{p.year}-01-05", ubigeo=u,
              community=geo.districts[u].name.title(), imagery_source="SPOT-5", measured_ha=round(measured, 2))
    w.truth.append({"check": "eradication_above_measured", "subject": inflated, "case": "eradication report inflated"})
    _security(w, p, days, districts)
    return w


def _plot(w: _World, pid: str, op: str | None, day: date, u: str, corner: tuple[float, float], ha: float,
          cert: str | None) -> float:
    poly = _polygon(w, corner, ha)
    area = geodesic_ha(poly)
    w.features.append({"type": "Feature", "geometry": shapely.geometry.mapping(poly), "properties": {
        "plot_id": pid, "operation_id": op, "date": day.isoformat(), "ubigeo": u,
        "reported_ha": round(area * w.rng.uniform(0.95, 1.05), 2), "replanted": False,
        "vulnerable_zone": w.rng.choice(["native_community", "buffer_zone"]) if w.rng.random() < 0.05 else None,
        "certificate_id": cert}})
    return area


class _Certs:
    def __init__(self) -> None:
        self.home: dict[str, tuple[str, tuple[float, float], float]] = {}  # id -> district, anchor, declared
        self.left: dict[str, float] = {}
        self.by_district: dict[str, list[str]] = {}

    def honest_for(self, u: str, rng: random.Random) -> str | None:
        """An honest certificate of the district with hectares left, for about one plot in five."""
        if rng.random() > 0.2:
            return None
        for cid in self.by_district.get(u, []):
            if self.left[cid] >= 3.2:
                self.left[cid] -= 3.2
                return cid
        return None

    def abuse(self, w: _World, p: FieldParams, days: list[date]) -> None:
        ids = sorted(self.home)
        for k, cid in enumerate(ids[: p.abused]):
            how = ABUSES[k % len(ABUSES)]
            u, anchor, declared = self.home[cid]
            day = days[w.rng.randrange(len(days))]
            pid = f"PL{p.year}-X{k:03d}"
            if how == "certificate_other_district":
                other = next(x for x in self.by_district if x != u)
                _plot(w, pid, None, day, other, _cell(w, other), 1.0, cid)
            elif how == "certificate_area_exceeded":
                for j in range(3):
                    _plot(w, f"{pid}-{j}", None, day, u, _cell(w, u, anchor, 3), declared * 0.6, cid)
            elif how == "certificate_far_apart":
                _plot(w, pid, None, day, u, _cell(w, u, anchor, 3), 0.5, cid)
                far = _far_cell(w, u, anchor)
                _plot(w, f"{pid}-far", None, day, u, far, 0.5, cid)
            else:
                row = next(r for r in w.rows["certificates"] if r["certificate_id"] == cid)
                if k % 2:
                    row["holder_deceased"] = True
                else:
                    row["role"], row["representative_verified"] = "representative", False
                _plot(w, pid, None, day, u, _cell(w, u, anchor, 3), 0.5, cid)
            w.truth.append({"check": how, "subject": cid, "case": how.replace("certificate_", "")})


def _far_cell(w: _World, u: str, anchor: tuple[float, float]) -> tuple[float, float]:
    for _ in range(200):
        c = _cell(w, u)
        _, _, m = GEOD.inv(anchor[0], anchor[1], c[0], c[1])
        if m > 15_000:
            return c
    raise RuntimeError(f"district {u} has no cell 15 km from its certificate's anchor")


def _certificates(w: _World, p: FieldParams, districts: list[str]) -> _Certs:
    certs = _Certs()
    # Far-apart abuse needs a district wider than 15 km: put every certificate in the widest ones.
    wide = sorted(districts, key=lambda u: -district_shapes()[u].area)[:6]
    for i in range(p.certificates):
        u = wide[i % len(wide)]
        cid = f"ENACO-{1978 if i % 3 else 1979}-{i:05d}"
        anchor = _cell(w, u)
        w.used.discard((u, round(anchor[0] / (CELL_M / 110_574)), round(anchor[1] / (CELL_M / 110_574))))
        declared = round(w.rng.uniform(1.0, 4.0), 1) * 4
        certs.home[cid] = (u, anchor, declared)
        certs.left[cid] = declared
        certs.by_district.setdefault(u, []).append(cid)
        rep = w.rng.random() < 0.3
        w.add("certificates", certificate_id=cid, holder_name=f"Productor {i}", holder_document=f"{40000000 + i:08d}",
              role="representative" if rep else "registrant", registration_year=1978 if i % 3 else 1979,
              declared_ha=declared, declared_ubigeo=u, verified_ha=None, holder_deceased=False,
              representative_verified=rep)
    for cid in sorted(certs.home)[: p.abused]:
        certs.left[cid] = 0.0  # an abused certificate is used for its abuse only: one finding each
    return certs


def _security(w: _World, p: FieldParams, days: list[date], districts: list[str]) -> None:
    for i in range(23):
        u, day = w.rng.choice(districts), w.rng.choice(days)
        kind = w.rng.choice(INCIDENT_TYPES)
        w.add("incidents", incident_id=f"IN{p.year}-{i:03d}", date=day.isoformat(), ubigeo=u, type=kind,
              aircraft="UH-1H" if kind in ("ambush", "aircraft_damage", "rock_throwing") else None,
              aircraft_damaged=w.rng.randint(0, 2) if kind != "blockade" else 0,
              police_wounded=w.rng.randint(0, 3), police_killed=int(w.rng.random() < 0.05),
              eradicators_wounded=w.rng.randint(0, 2), eradicators_killed=0, civilians_wounded=0,
              civilians_killed=0, attackers_wounded=0, attackers_killed=0,
              eradication_halted=w.rng.random() < 0.3, description=None)
    for i in range(30):
        u, day = w.rng.choice(districts), w.rng.choice(days)
        lab = f"LB{p.year}-{i:03d}"
        w.add("labs", lab_id=lab, date=day.isoformat(), ubigeo=u, type=w.rng.choice(LAB_TYPES), destroyed=True)
        for j, (chem, unit) in enumerate((("kerosene", "gal"), ("sulfuric_acid", "kg"))[: w.rng.randint(1, 2)]):
            w.add("seizures", seizure_id=f"SZ{p.year}-{i:03d}-{j}", date=day.isoformat(), ubigeo=u, lab_id=lab,
                  substance="precursor", chemical=chem, quantity=w.rng.randint(5, 200), unit=unit, arrests=0, weapons=0)
        w.add("seizures", seizure_id=f"SZ{p.year}-{i:03d}-d", date=day.isoformat(), ubigeo=u, lab_id=lab,
              substance="base_paste", quantity=round(w.rng.uniform(1, 60), 1), unit="kg",
              arrests=w.rng.randint(0, 5), weapons=w.rng.randint(0, 3))


def write_field(w: _World, folder: Path) -> dict[str, int]:
    """The field files into ``folder/field`` (what ``traza field load`` reads) and the truth
    beside them, in ``folder/truth_field.csv``."""
    out = folder / "field"
    out.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for kind, rows in w.rows.items():
        cols: list[str] = []
        for r in rows:
            cols += [c for c in r if c not in cols]
        with (out / f"{kind}.csv").open("w", encoding="utf-8", newline="") as fh:
            wr = csv.DictWriter(fh, cols)
            wr.writeheader()
            wr.writerows({k: ("true" if v is True else "false" if v is False else v) for k, v in r.items()} for r in rows)
        counts[f"{kind}.csv"] = len(rows)
    doc = {"type": "FeatureCollection", "features": w.features}
    (out / "plots.geojson").write_text(json.dumps(doc, separators=(",", ":")), encoding="utf-8")
    counts["plots.geojson"] = len(w.features)
    with (folder / "truth_field.csv").open("w", encoding="utf-8", newline="") as fh:
        wr = csv.DictWriter(fh, ["check", "subject", "case"])
        wr.writeheader()
        wr.writerows(w.truth)
    counts["../truth_field.csv"] = len(w.truth)
    return counts
