"""The set-wise CSV path (large files on DuckDB) writes what the row-by-row path writes, and
refuses the same mistakes naming line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ports import scenario
from traza.ports.errors import PortDataRefused
from traza.ports.load import load_file
from traza.store import open_database

TABLES = {
    "port_vessel_calls": "* EXCLUDE (recorded_at)",
    "port_manifests": "call_id, manifest_number, version, message_function, source_format, transmitted_at",
    "port_documents": "* EXCLUDE (manifest_id, source_ref)",
    "port_goods_items": "* EXCLUDE (manifest_id)",
    "port_equipment": "* EXCLUDE (manifest_id)",
    "port_seals": "* EXCLUDE (manifest_id)",
    "port_document_containers": "* EXCLUDE (manifest_id)",
}


def _tables(tmp_path: Path, bulk: bool) -> dict[str, list[str]]:
    paths = scenario.write(tmp_path / f"files-{bulk}")
    with open_database(f"duckdb:///{tmp_path / f'{bulk}.duckdb'}") as db:
        first = load_file(db, paths["manifests"], bulk=bulk)
        assert first.manifests_new == len(scenario.manifests()) and first.bad_check_digits == [scenario.BAD_DIGIT]
        assert load_file(db, paths["manifests"], bulk=bulk).manifests_unchanged == len(scenario.manifests())
        assert load_file(db, paths["amendment"], bulk=bulk).amendments == 1
        return {t: sorted(map(str, db.query(f"SELECT {cols} FROM {t}"))) for t, cols in TABLES.items()}  # noqa: S608


def test_bulk_and_row_paths_write_the_same(tmp_path: Path) -> None:
    rows, bulk = _tables(tmp_path, False), _tables(tmp_path, True)
    for table in TABLES:
        assert rows[table] == bulk[table], table
    assert len(bulk["port_equipment"]) > 20


def test_bulk_refusals_name_line_and_column(tmp_path: Path) -> None:
    paths = scenario.write(tmp_path)
    lines = paths["manifests"].read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    row = lines[3].split(",")
    row[header.index("port_discharge")] = "Antwerp"
    row[header.index("seals")] = "S1:XX"
    row[header.index("un_number")] = "12"
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join([*lines[:3], ",".join(row), *lines[4:]]) + "\n", encoding="utf-8")
    with open_database(f"duckdb:///{tmp_path / 'b.duckdb'}") as db, pytest.raises(PortDataRefused) as exc:
        load_file(db, bad, bulk=True)
    where = {(p.message, p.segment) for p in exc.value.problems}
    assert where == {("line 4", "port_discharge"), ("line 4", "seals"), ("line 4", "un_number")}
    with open_database(f"duckdb:///{tmp_path / 'b.duckdb'}") as db:
        assert db.scalar("SELECT count(*) FROM port_manifests") == 0


def test_bulk_events_match_the_row_path(tmp_path: Path) -> None:
    paths = scenario.write(tmp_path)
    got = {}
    for bulk in (False, True):
        with open_database(f"duckdb:///{tmp_path / f'e{bulk}.duckdb'}") as db:
            assert load_file(db, paths["events"], bulk=bulk).events_new == len(scenario.events())
            assert load_file(db, paths["events"], bulk=bulk).events_new == 0
            got[bulk] = sorted(db.query("SELECT container_no, event_type, occurred_at, location, detail FROM port_events"))
    assert got[True] == got[False]
    with open_database(f"duckdb:///{tmp_path / 'eFalse.duckdb'}") as db:
        assert load_file(db, paths["events"], bulk=True).events_new == 0  # both paths agree on identity


def test_bulk_takes_first_row_fields_with_their_blanks(tmp_path: Path) -> None:
    """A container's, document's and call's fields come from their first row, blanks included
    (a later row's value must not fill them), and items without a number are numbered in order."""
    cols = ("port,direction,vessel_name,voyage,arrival,manifest_number,bl_number,master_bl,container_no,"
            "size_type,vgm_kg,item_no,description")
    path = tmp_path / "blanks.csv"
    path.write_text("\n".join([
        cols,
        "PECLL,export,MAERSK LIMA,001E,,M1,BL1,,CSQU3054383,,,,coffee",
        "PECLL,export,MAERSK LIMA,001E,2026-01-05,M1,BL1,MBL9,CSQU3054383,45G1,28000,,cacao",
        "PECLL,export,MAERSK LIMA,001E,2026-01-05,M1,BL2,MBL9,CSQU3054383,45G1,28000,7,tiles",
    ]) + "\n", encoding="utf-8")
    got = {}
    for bulk in (False, True):
        with open_database(f"duckdb:///{tmp_path / f'n{bulk}.duckdb'}") as db:
            load_file(db, path, bulk=bulk)
            got[bulk] = {t: sorted(map(str, db.query(f"SELECT {c} FROM {t}"))) for t, c in TABLES.items()}  # noqa: S608
    assert got[True] == got[False]
    assert any("None" in r and "CSQU3054383" in r for r in got[True]["port_equipment"])
