"""Incidents, interdiction and ports sections on small generated records (both backends)."""

from __future__ import annotations

from datetime import date

from tests.report.fixtures import (
    add_incident,
    add_inspection,
    add_lab,
    add_movement,
    add_port_call,
    add_seizure,
)
from traza.report import build_report
from traza.store.db import Database

APRIL = date(2005, 4, 1)


def _section(db: Database, sid: str, lang: str = "en") -> object:
    return next(s for s in build_report(db, APRIL, lang).sections if s.id == sid)


def test_incidents_and_interdiction(db: Database) -> None:
    add_incident(db, "i1", date(2005, 4, 7), "rock_throwing", police_wounded=2, aircraft=2)
    add_incident(db, "i2", date(2005, 4, 12), "ambush", aircraft=3, halted=True)
    add_incident(db, "i0", date(2005, 2, 1), "blockade")
    add_incident(db, "i-may", date(2005, 5, 1), "ambush", police_wounded=9)
    for n in range(4):
        add_lab(db, f"lab{n}", date(2005, 4, 24))
    add_seizure(db, "s1", date(2005, 4, 24), "base_paste", 12.5, arrests=9)
    add_seizure(db, "s2", date(2005, 4, 24), "precursor", 400.0, chemical="KMNO4", seller_ruc="20100070970")
    add_seizure(db, "s3", date(2005, 4, 25), "precursor", 100.0, chemical="ACETONE", lot_ref="F001-77")
    add_seizure(db, "s4", date(2005, 4, 26), "precursor", 50.0, chemical="ACETONE", lot_ref="F001-404")
    add_movement(db, "20512345678", date(2005, 4, 2), "sale", "F001-77")
    report = build_report(db, APRIL, "en")
    inc = next(s for s in report.sections if s.id == "incidents")
    assert [inc.figure(k).value for k in ("incidents", "wounded", "aircraft", "halted")] == [2, 2, 5, 1]
    assert inc.figure("incidents").ytd == 3
    assert "2 incidents against eradication, with 2 wounded and 0 killed; aircraft damaged: 5." in inc.narrative
    intd = next(s for s in report.sections if s.id == "interdiction")
    assert [intd.figure(k).value for k in ("labs", "destroyed", "seizures", "arrests", "precursor_kg")] \
        == [4, 4, 4, 9, 550]
    chem = next(s for s in report.sections if s.id == "chemicals")
    # traced: the seller named on the container, and the lot matching a declared sale's document
    assert chem.figure("seized_kg").value == 550 and chem.figure("traced").value == 2
    traced = next(t for t in chem.tables if t.key == "traced")
    assert [(r[0].text, r[0].link) for r in traced.rows] == [
        ("20100070970", "/operators/20100070970"), ("20512345678", "/operators/20512345678")]
    assert "550\u00a0kg of precursor chemicals were seized in the field; seizures traced to the registry: 2." \
        in chem.narrative
    summary = report.sections[0]
    assert summary.id == "summary" and summary.figure("labs").value == 4


def test_ports_hit_rate_and_lift(db: Database) -> None:
    add_port_call(db, "c1", "PECLL", date(2005, 4, 3), manifests=3)
    add_port_call(db, "c2", "PEPAI", date(2005, 4, 20), manifests=1)
    add_port_call(db, "c0", "PECLL", date(2005, 3, 3), manifests=2)
    n = 0
    for i in range(10):  # Callao: 10 targeted, 3 hits; 20 random, 1 hit
        n += 1
        add_inspection(db, n, "c1", f"MSCU{n:07d}", "targeted", "seizure" if i < 3 else "clean", date(2005, 4, 4),
                       seized_kg=100.0 if i < 3 else 0.0)
    for i in range(20):
        n += 1
        add_inspection(db, n, "c1", f"MSCU{n:07d}", "random", "seizure" if i == 0 else "clean", date(2005, 4, 4),
                       seized_kg=50.0 if i == 0 else 0.0)
    n += 1
    add_inspection(db, n, "c2", "TGHU0000001", "targeted", "clean", date(2005, 4, 21))
    ports = _section(db, "ports")
    assert [ports.figure(k).value for k in ("calls", "manifests", "inspected", "hits", "seized_kg")] == [2, 4, 31, 4, 350]  # type: ignore[attr-defined]
    assert ports.figure("hit_targeted").text == "27.3%"  # type: ignore[attr-defined]  # 3 / 11
    assert ports.figure("hit_random").text == "5.0%"  # type: ignore[attr-defined]
    assert ports.figure("lift").text == "5.5"  # type: ignore[attr-defined]
    table = ports.tables[0]  # type: ignore[attr-defined]
    callao = [c.text for c in table.rows[0]]
    assert callao[:5] == ["Callao (PECLL)", "1", "3", "30", "4"] and callao[-1] == "6.0"
    assert "Callao: 30 / 4" in ports.visuals[0].alt  # type: ignore[attr-defined]
    # the same rates as the ports module's own feedback statistics
    from traza.ports.feedback import stats

    callao_stats = next(p for p in stats(db)["ports"] if p["port"] == "PECLL")
    assert callao[-1] == f"{callao_stats['lift']:.1f}" and callao_stats["inspections"] == 30
    es = _section(db, "ports", "es")
    assert es.figure("hit_targeted").text == "27,3\u00a0%"  # type: ignore[attr-defined]


def test_empty_month_has_no_sections(db: Database) -> None:
    report = build_report(db, APRIL, "es")
    assert report.sections == ()
