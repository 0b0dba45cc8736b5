"""The set-wise CSV path (large files, on every backend) writes what the row-by-row path
writes, with the same identity, and refuses the same mistakes naming line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ports import scenario
from traza.ports.cuscar_write import interchange
from traza.ports.errors import PortDataRefused
from traza.ports.load import load_file
from traza.ports.store import CALL_COLS, CHILD_COLS
from traza.store import open_database
from traza.store.db import Database

TABLES = {
    "port_vessel_calls": ", ".join(CALL_COLS),
    "port_manifests": "call_id, manifest_number, version, message_function, source_format, transmitted_at, content_hash",
    **{t: ", ".join(c for c in cols if c != "source_ref") for t, cols in CHILD_COLS.items()},
}


def _tables(db: Database, paths: dict[str, Path], bulk: bool) -> dict[str, list[str]]:
    first = load_file(db, paths["manifests"], bulk=bulk)
    assert first.manifests_new == len(scenario.manifests()) and first.bad_check_digits == [scenario.BAD_DIGIT]
    assert load_file(db, paths["manifests"], bulk=bulk).manifests_unchanged == len(scenario.manifests())
    assert load_file(db, paths["amendment"], bulk=bulk).amendments == 1
    return {t: sorted(map(str, db.query(f"SELECT {cols} FROM {t}"))) for t, cols in TABLES.items()}  # noqa: S608


def test_bulk_and_row_paths_write_the_same(db: Database, tmp_path: Path) -> None:
    """The set-wise path on each backend writes what the row-by-row path writes on DuckDB,
    content hashes included (one identity rule)."""
    paths = scenario.write(tmp_path / "files")
    with open_database(f"duckdb:///{tmp_path / 'rows.duckdb'}") as ref:
        rows = _tables(ref, paths, False)
    bulk = _tables(db, paths, True)
    for table in TABLES:
        assert rows[table] == bulk[table], table
    assert len(bulk["port_equipment"]) > 20


def test_either_path_and_cuscar_recognise_what_the_other_stored(db: Database, tmp_path: Path) -> None:
    paths = scenario.write(tmp_path / "files")
    n = len(scenario.manifests())
    assert load_file(db, paths["manifests"], bulk=True).manifests_new == n
    assert load_file(db, paths["manifests"], bulk=False).manifests_unchanged == n
    edi = tmp_path / "same.edi"
    edi.write_text(interchange(scenario.manifests()), encoding="utf-8")
    again = load_file(db, edi)
    assert (again.manifests_new, again.manifests_unchanged) == (0, n)
    assert load_file(db, paths["amendment"], bulk=False).amendments == 1
    assert load_file(db, paths["amendment"], bulk=True).manifests_unchanged == 1


def test_bulk_refusals_name_line_and_column(db: Database, tmp_path: Path) -> None:
    paths = scenario.write(tmp_path)
    lines = paths["manifests"].read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    row = lines[3].split(",")
    row[header.index("port_discharge")] = "Antwerp"
    row[header.index("seals")] = "S1:XX"
    row[header.index("un_number")] = "12"
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join([*lines[:3], ",".join(row), *lines[4:]]) + "\n", encoding="utf-8")
    with pytest.raises(PortDataRefused) as exc:
        load_file(db, bad, bulk=True)
    where = {(p.where, p.column) for p in exc.value.problems}
    assert where == {("line 4", "port_discharge"), ("line 4", "seals"), ("line 4", "un_number")}
    assert db.scalar("SELECT count(*) FROM port_manifests") == 0


def test_bulk_events_match_the_row_path(db: Database, tmp_path: Path) -> None:
    paths = scenario.write(tmp_path)
    cols = "container_no, event_type, occurred_at, location, detail"
    with open_database(f"duckdb:///{tmp_path / 'rows.duckdb'}") as ref:
        assert load_file(ref, paths["events"], bulk=False).events_new == len(scenario.events())
        rows = sorted(ref.query(f"SELECT {cols} FROM port_events"))  # noqa: S608
        assert load_file(ref, paths["events"], bulk=True).events_new == 0  # both paths agree on identity
    assert load_file(db, paths["events"], bulk=True).events_new == len(scenario.events())
    assert load_file(db, paths["events"], bulk=True).events_new == 0
    assert load_file(db, paths["events"], bulk=False).events_new == 0
    assert sorted(db.query(f"SELECT {cols} FROM port_events")) == rows  # noqa: S608


def test_a_field_stated_on_any_row_counts_and_row_order_does_not(db: Database, tmp_path: Path) -> None:
    """A container's, document's and manifest's fields repeat on each of their rows: a blank
    cell states nothing (a value on a later row counts), so the file read in any row order
    is the same manifest; items without a number are numbered in order."""
    cols = ("port,direction,vessel_name,voyage,arrival,manifest_number,bl_number,master_bl,container_no,"
            "size_type,vgm_kg,item_no,description")
    rows = ["PECLL,export,MAERSK LIMA,001E,,M1,BL1,,CSQU3054383,,,,coffee",
            "PECLL,export,MAERSK LIMA,001E,2026-01-05,M1,BL1,MBL9,CSQU3054383,45G1,28000,,cacao",
            "PECLL,export,MAERSK LIMA,001E,2026-01-05,M1,BL2,MBL9,CSQU3054383,45G1,28000.0,7,tiles"]
    path, turned = tmp_path / "blanks.csv", tmp_path / "turned.csv"
    path.write_text("\n".join([cols, *rows]) + "\n", encoding="utf-8")
    # the same rows the other way round, the items numbered as the first file's order numbers them
    numbered = [rows[0].replace(",,,,coffee", ",,,1,coffee"), rows[1].replace("28000,,cacao", "28000,2,cacao"), rows[2]]
    turned.write_text("\n".join([cols, *reversed(numbered)]) + "\n", encoding="utf-8")
    with open_database(f"duckdb:///{tmp_path / 'rows.duckdb'}") as ref:
        load_file(ref, path, bulk=False)
        got = {t: sorted(map(str, ref.query(f"SELECT {c} FROM {t}"))) for t, c in TABLES.items()}  # noqa: S608
        assert load_file(ref, turned, bulk=False).manifests_unchanged == 1
    load_file(db, path, bulk=True)
    assert {t: sorted(map(str, db.query(f"SELECT {c} FROM {t}"))) for t, c in TABLES.items()} == got  # noqa: S608
    assert load_file(db, turned, bulk=True).manifests_unchanged == 1
    assert db.query("SELECT size_type, vgm_kg FROM port_equipment") == [("45G1", 28000.0)]
    assert db.query("SELECT arrival FROM port_vessel_calls")[0][0].isoformat() == "2026-01-05"
    assert db.query("SELECT master_bl FROM port_documents ORDER BY bl_number") == [("MBL9",), ("MBL9",)]
    assert db.query("SELECT item_no FROM port_goods_items WHERE bl_number = 'BL1' ORDER BY 1") == [(1,), (2,)]


@pytest.mark.parametrize("bulk", [False, True])
def test_rows_that_contradict_each_other_are_refused(db: Database, tmp_path: Path, bulk: bool) -> None:
    """Two rows of one container with other weights, or of one bill of lading with other
    consignees, would make the stored content depend on which row came first: refused."""
    cols = "port,direction,vessel_name,voyage,manifest_number,bl_number,consignee_name,container_no,vgm_kg,reefer"
    path = tmp_path / "contradict.csv"
    path.write_text("\n".join([
        cols,
        "PECLL,export,MAERSK LIMA,001E,M1,BL1,ACME,CSQU3054383,28000,",
        "PECLL,export,MAERSK LIMA,001E,M1,BL1,,CSQU3054383,,yes",
        "PECLL,export,MAERSK LIMA,001E,M1,BL1,OTHER SA,CSQU3054383,27000,no",
    ]) + "\n", encoding="utf-8")
    with pytest.raises(PortDataRefused) as exc:
        load_file(db, path, bulk=bulk)
    got = {(p.where, p.column): p.reason for p in exc.value.problems}
    assert set(got) == {("line 4", "consignee_name"), ("line 4", "vgm_kg"), ("line 4", "reefer")}
    assert got["line 4", "consignee_name"] == "'OTHER SA' here, 'ACME' on line 2: one bill of lading has one consignee_name"
    assert got["line 4", "reefer"] == "'no' here, 'yes' on line 3: one container has one reefer"
    assert db.scalar("SELECT count(*) FROM port_manifests") == 0
