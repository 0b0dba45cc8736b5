"""``traza load`` asks each reader in turn (ingest/readers.py): files another command loads
are refused whole, naming that command, and recorded like any refused file; the v1 tables
and UBL documents are read as before, whatever extra columns they carry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.factories import Dataset
from tests.ports import scenario
from traza.ingest import load_paths
from traza.ports.cuscar_write import interchange
from traza.store.db import Database


def _elsewhere(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    ports = scenario.write(tmp_path / "ports")
    edi = tmp_path / "manifest.txt"  # EDIFACT by its content, not its name
    edi.write_text(interchange(scenario.manifests()), encoding="utf-8")
    plots = tmp_path / "plots.csv"
    plots.write_text("plot_id,date,ubigeo,hectares\nP1,2025-04-02,100101,0.5\n", encoding="utf-8")
    geo = tmp_path / "plots.geojson"
    geo.write_text(json.dumps({"type": "FeatureCollection", "features": []}), encoding="utf-8")
    geo_json = tmp_path / "field.json"
    geo_json.write_text(geo.read_text(encoding="utf-8"), encoding="utf-8")
    return {"geojson as .json": (geo_json, "traza field load"), "manifest csv": (ports["manifests"], "traza ports load"), "events csv": (ports["events"], "traza ports load"),
            "cuscar": (edi, "traza ports load"), "field csv": (plots, "traza field load"),
            "geojson": (geo, "traza field load")}


@pytest.mark.parametrize("what", ["manifest csv", "events csv", "cuscar", "field csv", "geojson", "geojson as .json"])
def test_a_file_of_another_command_is_refused_naming_it(db: Database, tmp_path: Path, what: str) -> None:
    path, command = _elsewhere(tmp_path)[what]
    report = load_paths(db, [path])
    [f] = report.files
    assert f.status == "rejected" and f.rows_accepted == 0
    [r] = f.rejections
    assert r.file == path.name and f"`{command}`" in r.reason, r
    assert db.scalar("SELECT count(*) FROM rejections WHERE file_name = ? AND reason LIKE ?",
                     (path.name, f"%{command}%")) == 1
    assert db.scalar("SELECT count(*) FROM movements") == 0


def test_a_manifest_workbook_is_told_to_be_saved_as_csv_for_ports_load(db: Database, tmp_path: Path) -> None:
    from openpyxl import Workbook

    source = scenario.write(tmp_path / "ports")["manifests"]
    rows = [line.split(",") for line in source.read_text(encoding="utf-8").splitlines()[:2]]
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    path = tmp_path / "manifest.xlsx"
    wb.save(path)
    [f] = load_paths(db, [path]).files
    [r] = f.rejections
    assert f.status == "rejected" and "save the sheet as CSV UTF-8 and load it with `traza ports load`" in r.reason


def test_a_file_named_edi_that_is_not_edifact_is_not_called_a_manifest(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "notes.edi"
    path.write_text("hello world\nnot an interchange\n", encoding="utf-8")
    [f] = load_paths(db, [path]).files
    [r] = f.rejections
    assert f.status == "rejected" and "ports load" not in r.reason and "cannot tell what this file holds" in r.reason


def test_v1_tables_keep_their_extra_columns_whatever_their_names(db: Database, data: Dataset) -> None:
    """A movements file with a column named like a field or port file's key is still a movements file."""
    for m in data.movements:
        m["plot_id"], m["event_type"], m["occurred_at"] = "P1", "x", "y"
    report = load_paths(db, data.write())
    assert report.rows_rejected == 0 and report.rows_accepted == 4 + 4 + 2 + 3
    assert db.scalar("SELECT count(*) FROM movements WHERE extra LIKE '%plot_id%'") == 4


def test_a_mixed_call_loads_what_is_its_own(db: Database, data: Dataset, tmp_path: Path) -> None:
    path, _ = _elsewhere(tmp_path)["cuscar"]
    report = load_paths(db, [*data.write(), path])
    assert {f.path.name: f.status for f in report.files}[path.name] == "rejected"
    assert db.scalar("SELECT count(*) FROM movements") == 4


def test_a_folder_of_other_commands_files_is_refused_naming_them_and_an_empty_one_is_an_error(
        db: Database, tmp_path: Path) -> None:
    from traza.ingest.readers import NothingToLoad

    folder = tmp_path / "drop"
    folder.mkdir()
    for what in ("cuscar", "geojson"):
        path, _ = _elsewhere(tmp_path)[what]
        (folder / path.name.replace(".txt", ".edi")).write_bytes(path.read_bytes())
    report = load_paths(db, [folder])
    assert sorted(f.path.name for f in report.files) == ["manifest.edi", "plots.geojson"]
    assert all(f.status == "rejected" for f in report.files)
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("nothing to load\n", encoding="utf-8")
    with pytest.raises(NothingToLoad, match="holds no file traza loads"):
        load_paths(db, [tmp_path / "empty"])


def test_a_copy_of_a_refused_file_in_the_same_call_is_refused_again_with_its_reasons(
        db: Database, tmp_path: Path) -> None:
    path, _ = _elsewhere(tmp_path)["cuscar"]
    copy = tmp_path / "copy.txt"
    copy.write_bytes(path.read_bytes())
    report = load_paths(db, [path, copy])
    assert [f.status for f in report.files] == ["rejected", "rejected"]
    assert all(f.rejections for f in report.files)
