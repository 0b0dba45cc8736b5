"""Field files read as hostile input: NUL, BOM, zero-width, full-width and Arabic-Indic
characters and huge cells in CSV cells, CSV headers and GeoJSON properties. Each is read once
(``core.text``) or refused naming file, line or feature, field and what was expected, on both
backends: never a traceback, never a NUL offered to PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.field.cases import RUPA, TODAY, FieldWorld
from traza.cli import app
from traza.field.load import default_context, load_field
from traza.field.parse import parse_csv, parse_geojson
from traza.ingest.load import LoadReport
from traza.store import Database

runner = CliRunner()
PLOT = {"plot_id": "P1", "operation_id": "OP1", "date": "2026-03-01", "ubigeo": RUPA, "latitude": "-9.3",
        "longitude": "-76.0", "reported_ha": "1.5", "replanted": "no"}


def csv_file(path: Path, row: dict[str, str], header: list[str] | None = None) -> Path:
    import csv

    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header or list(row))
        w.writerow(list(row.values()))
    return path


def load(db: Database, paths: list[Path]) -> LoadReport:
    return load_field(db, paths, ctx=default_context(TODAY))


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@pytest.mark.parametrize("col", list(PLOT))
def test_nul_in_any_plot_cell_is_refused_and_stored_escaped(db: Database, tmp_path: Path, col: str) -> None:
    row = {**PLOT, col: PLOT[col][:1] + "\x00" + PLOT[col][1:]}
    report = load(db, [csv_file(tmp_path / "plots.csv", row)])
    [rej] = report.rejections
    assert (rej.file, rej.line, rej.column) == ("plots.csv", 2, col)
    assert "NUL" in rej.reason and "expected printable text" in rej.reason
    assert rej.value is not None and "\x00" not in rej.value and "\\x00" in rej.value
    assert db.query("SELECT line, column_name FROM rejections") == [(2, col)]
    assert db.scalar("SELECT count(*) FROM field_plots") == 0


@pytest.mark.parametrize("ch", ["\ufeff", "\u200b", "\u2060"], ids=["BOM", "zero-width", "word-joiner"])
def test_invisible_characters_in_header_and_cells_read_as_plain(db: Database, tmp_path: Path, ch: str) -> None:
    header = [f"{ch}{c}" if i % 2 else f" {c.upper()}{ch}" for i, c in enumerate(PLOT)]
    row = {k: (v[:1] + ch + v[1:]) for k, v in PLOT.items()}
    report = load(db, [csv_file(tmp_path / "plots.csv", row, header)])
    assert report.rows_rejected == 0, report.rejections
    assert db.query("SELECT plot_id, operation_id, ubigeo FROM field_plots") == [("P1", "OP1", RUPA)]


def test_full_width_values_read_as_ascii(db: Database, tmp_path: Path) -> None:
    row = {k: full_width(v) for k, v in PLOT.items()}
    report = load(db, [csv_file(tmp_path / "plots.csv", row)])
    assert report.rows_rejected == 0, report.rejections
    assert db.query("SELECT plot_id, ubigeo, reported_ha FROM field_plots") == [("P1", RUPA, 1.5)]


@pytest.mark.parametrize("col", ["reported_ha", "latitude", "date", "plot_id"])
def test_arabic_indic_digits_are_refused_in_numbers_dates_and_ids(db: Database, tmp_path: Path, col: str) -> None:
    row = {**PLOT, col: "".join(chr(0x0660 + int(c)) if c.isdigit() else c for c in PLOT[col])}
    report = load(db, [csv_file(tmp_path / "plots.csv", row)])
    refused = [(r.line, r.column, r.reason) for r in report.rejections]
    assert (2, col) in [(line, c) for line, c, _ in refused], refused
    assert any("expected" in why for _, c, why in refused if c == col)
    assert db.scalar("SELECT count(*) FROM field_plots") == 0


def test_huge_cell_is_refused_naming_the_field(db: Database, tmp_path: Path) -> None:
    report = load(db, [csv_file(tmp_path / "plots.csv", {**PLOT, "operation_id": "O" * 100_000})])
    [rej] = report.rejections
    assert (rej.line, rej.column) == (2, "operation_id") and "expected at most 4,000" in rej.reason
    assert rej.value is not None and len(rej.value) < 100


def test_geojson_nul_and_invisible_characters(db: Database, tmp_path: Path) -> None:
    props = {"plot_id": "P1", "date": "2026-03-01", "ubigeo": RUPA, "reported_ha": 1.0}
    geom = {"type": "Point", "coordinates": [-76.0, -9.3]}
    bad = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": geom, "properties": {**props, "plot_id": "P\x00X"}},
        {"type": "Feature", "geometry": geom, "properties": {"\ufeffplot_id": "P\u200b2", "date": "2026-03-01",
                                                            "ubigeo": full_width(RUPA), "reported_ha": 1.0}},
        {"type": "Feature", "geometry": geom, "properties": {**props, "plot_id": "P3", "da\x07te": "x"}}]}
    path = tmp_path / "plots.geojson"
    path.write_text(json.dumps(bad), encoding="utf-8")
    report = load(db, [path])
    cols = {r.column: r.reason for r in report.rejections}
    assert "features[0].properties.plot_id" in cols and "NUL" in cols["features[0].properties.plot_id"]
    assert any(c.startswith("features[2].properties") and "U+0007" in why for c, why in cols.items())
    assert db.query("SELECT plot_id, ubigeo FROM field_plots") == [("P2", RUPA)]


def test_parsers_never_leave_controls_in_items() -> None:
    head, values = ",".join(PLOT), ",".join(list(PLOT.values())[1:])
    parsed = parse_csv(f"{head}\nP\u200b1,{values}\nP\x002,{values}\n")
    assert [i.fields["plot_id"] for i in parsed.items] == ["P1"]
    assert [(p.line, p.column) for p in parsed.problems] == [(3, "plot_id")]
    parsed = parse_geojson(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": None, "properties": {"plot_id": "A", "x\x00": 1}}]}))
    assert not parsed.items and parsed.problems[0].column == "features[0].properties (key 2)"


def test_cli_refusal_names_file_line_and_field(tmp_path: Path) -> None:
    w = FieldWorld(tmp_path / "files")
    w.add("plots", **{**PLOT, "operation_id": "OP\x001"})
    r = runner.invoke(app, ["field", "load", *map(str, w.write()), "-d", f"duckdb:///{tmp_path / 'x.duckdb'}"])
    out = " ".join(r.output.split())
    assert r.exit_code == 1, r.output
    assert "Traceback" not in out and "plots.csv" in out and "operation_id" in out and "NUL" in out
