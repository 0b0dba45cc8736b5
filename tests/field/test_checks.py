"""Each field check fires on a small case and stays quiet on its near miss (DuckDB and
PostgreSQL through the ``db`` fixture)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.detect.cases import TODAY as LEDGER_TODAY
from tests.detect.cases import World
from tests.field.cases import AUCAYACU, AUCAYACU_LONLAT, RUPA, FieldWorld
from traza.detect.engines import make_engine
from traza.field.checks import FieldFinding, default_checks, find, load_checks
from traza.store import Database

AS_OF = date(2026, 10, 31)


def run(db: Database, check_id: str) -> list[FieldFinding]:
    engine = make_engine(db.dialect, db)
    try:
        return find(engine, db, AS_OF, tuple(c for c in default_checks() if c.id == check_id))
    finally:
        engine.close()


def test_catalogue_is_complete_and_explained() -> None:
    checks = load_checks()
    assert {c.id for c in checks} == {
        "certificate_other_district", "certificate_area_exceeded", "certificate_far_apart",
        "certificate_holder_unverified", "plot_replanted", "eradication_above_measured", "lab_chemicals_traced"}
    for c in checks:
        assert c.title.es != c.title.en and c.explanation.es and c.version >= 1


def test_other_district(db: Database, tmp_path: Path) -> None:
    w = FieldWorld(tmp_path)
    w.certificate("C1", 5)
    w.plot("P1", "2026-03-01", 1.0, certificate_id="C1")  # in its district: quiet
    w.plot("P2", "2026-03-02", 1.2, ubigeo=AUCAYACU, at=AUCAYACU_LONLAT, certificate_id="C1")
    w.load(db)
    found = run(db, "certificate_other_district")
    assert [(f.subject, f.ubigeo, f.evidence) for f in found] == [("C1", AUCAYACU, ("plot:P2",))]
    assert f"{RUPA} -> {AUCAYACU}" in (found[0].detail or "")
    assert "C1" in found[0].explain("es") and "1,2" in found[0].explain("es")


def test_area_exceeded(db: Database, tmp_path: Path) -> None:
    w = FieldWorld(tmp_path)
    w.certificate("C1", 2)
    w.certificate("C2", 2)
    for i, cid in ((1, "C1"), (2, "C1")):
        w.plot(f"P{i}", "2026-04-0" + str(i), 1.5, east_m=300 * i, certificate_id=cid)
    for i in (3, 4):
        w.plot(f"P{i}", "2026-04-0" + str(i), 1.0, east_m=300 * i, certificate_id="C2")  # 2.0 <= 2.2: quiet
    w.load(db)
    found = run(db, "certificate_area_exceeded")
    assert [(f.subject, f.baseline, f.detail) for f in found] == [("C1", 2.0, "2")]
    assert found[0].observed == pytest.approx(3.0, abs=0.02)


def test_far_apart(db: Database, tmp_path: Path) -> None:
    w = FieldWorld(tmp_path)
    w.certificate("C1", 50)
    w.certificate("C2", 50)
    w.plot("P1", "2026-05-01", 1.0, certificate_id="C1")
    w.plot("P2", "2026-05-03", 1.0, ubigeo=AUCAYACU, at=AUCAYACU_LONLAT, certificate_id="C1")
    w.plot("P3", "2026-05-01", 1.0, east_m=500, certificate_id="C2")
    w.plot("P4", "2026-05-02", 1.0, east_m=1500, certificate_id="C2")  # 1 km apart: quiet
    w.load(db)
    found = run(db, "certificate_far_apart")
    assert [(f.subject, f.evidence) for f in found] == [("C1", ("plot:P1", "plot:P2"))]
    assert 35 < (found[0].observed or 0) < 50


def test_holder_unverified(db: Database, tmp_path: Path) -> None:
    w = FieldWorld(tmp_path)
    w.certificate("DEAD", 5, holder_deceased="true")
    w.certificate("REP", 5, role="representative", representative_verified="false")
    w.certificate("OKREP", 5, role="representative", representative_verified="true")
    w.certificate("UNUSED", 5, holder_deceased="true")  # never presented: quiet
    for i, cid in enumerate(("DEAD", "REP", "OKREP")):
        w.plot(f"P{i}", "2026-06-01", 1.0, east_m=400 * i, certificate_id=cid)
    w.load(db)
    found = run(db, "certificate_holder_unverified")
    assert [(f.subject, f.detail) for f in found] == [("DEAD", "holder_deceased"), ("REP", "representative_unverified")]


def test_replanted(db: Database, tmp_path: Path) -> None:
    w = FieldWorld(tmp_path)
    w.plot("A1", "2026-01-10", 1.0)
    w.plot("A2", "2026-06-10", 1.0)                 # same place five months later: fires
    w.plot("B1", "2026-01-10", 1.0, east_m=2000)
    w.plot("B2", "2026-06-10", 1.0, east_m=3000)     # 1 km away: another plot, quiet
    w.plot("C1", "2026-07-01", 1.0, east_m=5000, replanted="true")  # flagged by the brigade
    w.load(db)
    found = run(db, "plot_replanted")
    assert [(f.subject, f.detail, f.evidence) for f in found] == [
        ("A2", "located", ("plot:A1",)), ("C1", "flagged", ("plot:C1",))]
    assert found[0].observed == 151


def test_eradication_above_measured(db: Database, tmp_path: Path) -> None:
    w = FieldWorld(tmp_path)
    w.add("measurements", measurement_id="M1", date="2026-01-15", ubigeo=RUPA, measured_ha=5,
          imagery_source="SPOT")
    w.add("measurements", measurement_id="M2", date="2026-01-15", ubigeo=AUCAYACU, measured_ha=5)
    w.plot("P1", "2026-03-01", 3.0)
    w.plot("P2", "2026-03-02", 3.0, east_m=500)
    w.plot("P3", "2026-03-01", 3.0, ubigeo=AUCAYACU, at=AUCAYACU_LONLAT)  # 3 <= 5: quiet
    w.load(db)
    found = run(db, "eradication_above_measured")
    assert [(f.subject, f.baseline) for f in found] == [(RUPA, 5.0)]
    assert set(found[0].evidence) == {"plot:P1", "plot:P2", "measurement:M1"}


def test_lab_chemicals_traced(db: Database, tmp_path: Path) -> None:
    world = World(tmp_path / "ledger")
    seller, buyer = world.operator(1), world.operator(2, "agriculture")
    world.sale(seller, buyer, 800, "2026-02-10", chemical="kerosene", dest=RUPA)
    world.sale(seller, buyer, 500, "2026-02-20", chemical="kerosene", dest="150101")  # Lima: not near the lab
    world.load(db)
    guide = db.scalar("SELECT document_ref FROM movements WHERE type = 'sale' AND quantity_kg = 800")
    w = FieldWorld(tmp_path / "field")
    w.add("labs", lab_id="L1", date="2026-03-01", ubigeo=RUPA, type="base_paste")
    w.add("seizures", seizure_id="S1", date="2026-03-01", ubigeo=RUPA, lab_id="L1", substance="precursor",
          chemical="kerosene", quantity=200, unit="kg", lot_ref=guide)
    w.add("seizures", seizure_id="S2", date="2026-03-01", ubigeo=RUPA, lab_id="L1", substance="precursor",
          chemical="kerosene", quantity=100, unit="kg", seller_ruc=seller)
    w.add("seizures", seizure_id="S3", date="2026-03-01", ubigeo=RUPA, lab_id="L1", substance="precursor",
          chemical="kerosene", quantity=100, unit="kg", lot_ref="T999-000001")  # no such sale: quiet
    w.load(db)
    found = run(db, "lab_chemicals_traced")
    sale_id = db.scalar("SELECT movement_id FROM movements WHERE type = 'sale' AND quantity_kg = 800")
    assert [(f.subject, f.detail, f.evidence, f.baseline) for f in found] == [
        ("S1", seller, (f"movement:{sale_id}",), 800.0), ("S2", seller, (f"movement:{sale_id}",), 800.0)]
    assert LEDGER_TODAY >= AS_OF
