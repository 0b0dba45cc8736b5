"""Field loads: every bad input is refused naming file, line or feature, field and reason;
accepted rows commit together; re-sending changes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.field.cases import AUCAYACU, RUPA, RUPA_LONLAT, TODAY, FieldWorld, plot_wkt
from traza.field import load as field_load
from traza.field.geometry import square
from traza.field.load import default_context, load_field
from traza.ingest.load import LoadReport
from traza.store import Database

SELF_CROSSING = "POLYGON((-76 -9.3, -75.999 -9.301, -75.999 -9.3, -76 -9.301, -76 -9.3))"


def load(db: Database, paths: list[Path]) -> LoadReport:
    return load_field(db, paths, ctx=default_context(TODAY))


def write_geojson(path: Path, features: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


def feature(geom: dict[str, Any] | None, **props: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geom, "properties": props}


def test_each_bad_plot_is_refused_with_its_reason(db: Database, tmp_path: Path) -> None:
    w = FieldWorld(tmp_path)
    w.plot("OK", "2026-03-01", 1.0)
    w.add("plots", plot_id="CROSS", date="2026-03-01", ubigeo=RUPA, wkt=SELF_CROSSING)
    w.add("plots", plot_id="PARIS", date="2026-03-01", ubigeo=RUPA, latitude=48.85, longitude=2.35, reported_ha=1)
    w.add("plots", plot_id="ELSEWHERE", date="2026-03-01", ubigeo=AUCAYACU, wkt=plot_wkt((-73.9, -12.6), 1))
    w.plot("BIGGER", "2026-03-01", 1.0, east_m=500, reported_ha=2.0)
    w.add("plots", plot_id="NOWHERE", date="2026-03-01", ubigeo="999999", wkt=plot_wkt(RUPA_LONLAT, 1, 900))
    w.add("plots", plot_id="FUTURE", date="2027-01-01", ubigeo=RUPA, latitude=-9.3, longitude=-76, reported_ha=1)
    w.add("plots", plot_id="NOAREA", date="2026-03-01", ubigeo=RUPA, latitude=-9.3, longitude=-76)
    report = load(db, w.write())
    f = report.files[0]
    assert (f.status, f.rows_accepted, f.rows_rejected) == ("partial", 1, 7)
    why = {(r.line, r.column): r.reason for r in report.rejections}
    assert "self-intersecting" in why[(3, "wkt")]
    assert "outside Peru" in why[(4, "latitude")]
    assert "outside district 100604" in why[(5, "wkt")]
    assert "more than 25% apart" in why[(6, "reported_ha")]
    assert "unknown ubigeo" in why[(7, "ubigeo")]
    assert "in the future" in why[(8, "date")]
    assert "needs reported_ha" in why[(9, "reported_ha")]
    assert all(r.file == "plots.csv" for r in report.rejections)
    stored = db.query("SELECT file_name, line, column_name FROM rejections ORDER BY line")
    assert len(stored) == 7 and stored[0] == ("plots.csv", 3, "wkt")
    assert db.query("SELECT plot_id, area_method FROM field_plots") == [("OK", "geodesic")]


def test_geojson_refusals_name_the_feature(db: Database, tmp_path: Path) -> None:
    good = square(-76.0, -9.3, 100)
    path = write_geojson(tmp_path / "plots.geojson", [
        feature(json.loads(json.dumps(good.__geo_interface__)), plot_id="G1", date="2026-02-01", ubigeo=RUPA,
                reported_ha=1),
        feature({"type": "Polygon", "coordinates": [[[-76, -9.3], [-75.999, -9.301], [-75.999, -9.3],
                                                     [-76, -9.301], [-76, -9.3]]]},
                plot_id="G2", date="2026-02-01", ubigeo=RUPA),
        feature(None, plot_id="G3", date="2026-02-01", ubigeo=RUPA),
        {"type": "Feature", "properties": {"name": "what"}, "geometry": None},
        feature({"type": "Point", "coordinates": [-76.0, -9.3]}, seedbed_id="S1", date="2026-02-01",
                ubigeo=RUPA, area_m2=120),
    ])
    report = load(db, [path])
    why = {r.column: r.reason for r in report.rejections}
    assert "self-intersecting" in why["features[1].geometry"]
    assert "needs a geometry" in why["features[2].geometry"]
    assert "plot (plot_id) or a seedbed" in why["features[3].properties"]
    assert report.files[0].rows_accepted == 2 and all(r.line is None for r in report.rejections)
    assert db.scalar("SELECT area_m2 FROM field_seedbeds") == 120
    area = db.scalar("SELECT area_ha FROM field_plots WHERE plot_id = 'G1'")
    assert area == pytest.approx(1.0, rel=0.005)


def test_resending_changes_nothing_and_edits_are_refused(db: Database, tmp_path: Path) -> None:
    w = FieldWorld(tmp_path / "a")
    w.plot("P1", "2026-03-01", 1.0)
    w.certificate("C1", 3)
    first = load(db, w.write())
    assert first.rows_accepted == 2
    again = load(db, w.write())
    assert [f.status for f in again.files] == ["already_loaded", "already_loaded"]
    # Same records in a new file: duplicates. A plot with other content under its id: refused.
    w2 = FieldWorld(tmp_path / "b")
    w2.plot("P1", "2026-03-01", 1.0)
    w2.plot("P2", "2026-03-01", 1.0, east_m=600)
    w2.add("plots", plot_id="P1", date="2026-03-02", ubigeo=RUPA, latitude=-9.3, longitude=-76.0, reported_ha=1)
    w2.certificate("C1", 3, verified_ha=1.5)  # a certificate's later content is a new version
    report = load(db, w2.write())
    assert (report.rows_accepted, report.rows_duplicate, report.rows_rejected) == (2, 1, 1)
    assert "never edited" in report.rejections[0].reason and report.rejections[0].line == 4
    assert db.scalar("SELECT count(*) FROM field_plots") == 2
    assert db.scalar("SELECT count(*) FROM enaco_certificate_versions") == 2
    assert db.scalar("SELECT verified_ha FROM enaco_certificates") == 1.5


def test_a_crash_midway_leaves_nothing(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    w = FieldWorld(tmp_path)
    w.certificate("C1", 3)
    w.plot("P1", "2026-03-01", 1.0)
    calls = []
    real = field_load._Run._write

    def crash(self: Any, kind: Any, rows: Any) -> None:
        calls.append(kind.name)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        real(self, kind, rows)

    monkeypatch.setattr(field_load._Run, "_write", crash)
    with pytest.raises(RuntimeError):
        load(db, w.write())
    assert calls == ["certificates", "plots"]
    for table in ("enaco_certificate_versions", "field_plots", "submissions", "rejections"):
        assert db.scalar(f"SELECT count(*) FROM {table}") == 0


def test_unreadable_files_are_refused_whole(db: Database, tmp_path: Path) -> None:
    (tmp_path / "x.csv").write_text("name,value\na,1\n", encoding="utf-8")
    (tmp_path / "bad.geojson").write_text("{not json", encoding="utf-8")
    (tmp_path / "ops.csv").write_text("operation_id,date\nOP1,2026-01-01\n", encoding="utf-8")
    report = load(db, [tmp_path])
    reasons = {r.file: r.reason for r in report.rejections}
    assert "no id column" in reasons["x.csv"]
    assert "not valid JSON" in reasons["bad.geojson"]
    assert "'axis' is missing" in reasons["ops.csv"]
    assert {f.status for f in report.files} == {"rejected"}


def test_other_kinds_are_checked(db: Database, tmp_path: Path) -> None:
    w = FieldWorld(tmp_path)
    w.add("incidents", incident_id="I1", date="2026-01-01", ubigeo=RUPA, type="ambush", police_wounded="-1")
    w.add("incidents", incident_id="I2", date="2026-01-01", ubigeo=RUPA, type="meteor")
    w.add("seizures", seizure_id="Z1", date="2026-01-01", ubigeo=RUPA, substance="precursor", quantity=5,
          unit="gal")
    w.add("seizures", seizure_id="Z2", date="2026-01-01", ubigeo=RUPA, substance="precursor", chemical="kerosene",
          quantity=5, unit="gal")
    w.add("certificates", certificate_id="C1", holder_name="X", holder_document="1", role="owner",
          registration_year=1878, declared_ha="two", declared_ubigeo=RUPA)
    report = load(db, w.write())
    cols = {(r.file, r.column) for r in report.rejections}
    assert {("incidents.csv", "police_wounded"), ("incidents.csv", "type"), ("seizures.csv", "chemical"),
            ("certificates.csv", "role"), ("certificates.csv", "registration_year"),
            ("certificates.csv", "declared_ha")} <= cols
    kg = db.scalar("SELECT quantity_kg FROM field_seizures WHERE seizure_id = 'Z2'")
    assert kg == pytest.approx(5 * 3.785411784 * 0.8, rel=0.05)
