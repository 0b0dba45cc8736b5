"""The v1 files obey every rule the loader applies (checked here independently of it)."""

from __future__ import annotations

import math
import re
from collections import Counter
from datetime import date

from stdnum.pe import ruc as stdnum_ruc

from tests.sim.conftest import Written
from traza.core.catalogue import default_catalogue
from traza.core.geo import default_geography
from traza.core.identifiers import country_codes
from traza.core.types import (
    ACTIVITIES,
    MOVEMENT_TYPES,
    OPERATOR_STATUSES,
    REQUIRED_BY_TYPE,
    SECTORS,
)
from traza.sim.write import MOVEMENT_HEADER

ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TODAY = date(2026, 11, 26)


def _date(value: str) -> date:
    assert ISO.match(value), value
    d = date.fromisoformat(value)
    assert date(1990, 1, 1) <= d, value
    return d


def test_operators_and_establishments(small: Written) -> None:
    ops = small.rows("operators.csv")
    assert len({o["ruc"] for o in ops}) == len(ops)
    for o in ops:
        assert stdnum_ruc.is_valid(o["ruc"]) and o["ruc"][:2] in ("10", "20")
        assert o["sector"] in SECTORS and o["status"] in OPERATOR_STATUSES and o["name"]
        assert _date(o["registered_on"]) <= TODAY
    rucs = {o["ruc"] for o in ops}
    geo = default_geography()
    ests = small.rows("establishments.csv")
    assert len({(e["ruc"], e["establishment_code"]) for e in ests}) == len(ests)
    for e in ests:
        assert e["ruc"] in rucs and re.fullmatch(r"\d{4}", e["establishment_code"])
        assert geo.district(e["ubigeo"]) is not None
    assert {e["ruc"] for e in ests if e["establishment_code"] == "0000"} == rucs


def test_authorisations(small: Written) -> None:
    rucs = {o["ruc"] for o in small.rows("operators.csv")}
    cat = default_catalogue()
    auths = small.rows("authorisations.csv")
    assert len({(a["ruc"], a["chemical"], a["valid_from"]) for a in auths}) == len(auths)
    for a in auths:
        assert a["ruc"] in rucs and cat.chemical(a["chemical"]) is not None
        assert set(a["activities"].split(";")) <= set(ACTIVITIES)
        assert float(a["annual_quota_kg"]) > 0
        assert _date(a["valid_from"]) <= _date(a["valid_to"])


def test_movements(small: Written) -> None:
    cat, geo, countries = default_catalogue(), default_geography(), country_codes()
    ests = {(e["ruc"], e["establishment_code"]) for e in small.rows("establishments.csv")}
    with (small.folder / "movements.csv").open() as fh:
        assert fh.readline().strip().split(",") == list(MOVEMENT_HEADER)
    rows = small.rows("movements.csv")
    assert len({r["declaration_id"] for r in rows}) == len(rows)
    units = Counter()
    for r in rows:
        assert (r["declarant_ruc"], r["establishment_code"]) in ests
        assert _date(r["date"]) <= TODAY and r["type"] in MOVEMENT_TYPES
        chem = cat.chemical(r["chemical"])
        assert chem is not None, r
        q = float(r["quantity"])
        assert math.isfinite(q) and (q > 0 or (q == 0 and r["type"] == "stock_count")), r
        unit = cat.unit(r["unit"])
        assert unit is not None, r
        units[r["unit"]] += 1
        assert unit.kind == "mass" or chem.density_kg_l is not None, r
        assert cat.to_kg(q, r["unit"], r["chemical"]) <= 100_000_000
        for field in REQUIRED_BY_TYPE.get(r["type"], ()):
            assert r[field], (field, r)
        if r["counterparty_ruc"]:
            assert stdnum_ruc.is_valid(r["counterparty_ruc"])
        if r["counterparty_establishment"]:
            assert re.fullmatch(r"\d{4}", r["counterparty_establishment"])
        if r["destination_ubigeo"]:
            assert geo.district(r["destination_ubigeo"]) is not None
        for c in ("origin_country", "destination_country"):
            if r[c]:
                assert r[c] in countries
    # The honest mess of units: short forms and UN/ECE codes, mass and volume.
    assert {"kg", "l", "gal", "KGM", "LTR"} <= set(units)


def test_most_transfers_share_a_document_but_not_all(small: Written) -> None:
    rows = small.rows("movements.csv")
    sales = {r["document_ref"] for r in rows if r["type"] == "sale"}
    purchases = [r["document_ref"] for r in rows if r["type"] == "purchase"]
    shared = sum(d in sales for d in purchases) / len(purchases)
    assert 0.75 < shared < 0.97


def test_registry_files_do_not_betray_creation_order(small: Written) -> None:
    rucs = [o["ruc"] for o in small.rows("operators.csv")]
    assert rucs == sorted(rucs)
