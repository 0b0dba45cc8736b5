"""Loading manifests: atomic files, re-sending changes nothing, amendments are new versions,
refusals name file, line and column; the same on DuckDB and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ports import scenario
from traza.ports.cuscar_write import interchange
from traza.ports.errors import PortDataRefused
from traza.ports.load import load_file
from traza.store.db import Database


def _count(db: Database, table: str) -> int:
    return int(db.scalar(f"SELECT count(*) FROM {table}"))  # noqa: S608 - test table names


def test_csv_load_resend_and_amendment(db: Database, tmp_path: Path) -> None:
    paths = scenario.write(tmp_path)
    first = load_file(db, paths["manifests"])
    assert first.manifests_new == len(scenario.manifests()) and first.amendments == 0
    assert first.bad_check_digits == [scenario.BAD_DIGIT]
    counts = {t: _count(db, t) for t in ("port_manifests", "port_documents", "port_equipment", "port_goods_items")}
    again = load_file(db, paths["manifests"])
    assert (again.manifests_new, again.manifests_unchanged) == (0, len(scenario.manifests()))
    assert counts == {t: _count(db, t) for t in counts}
    amended = load_file(db, paths["amendment"])
    assert (amended.manifests_new, amended.amendments) == (1, 1)
    versions = db.query("SELECT version, message_function FROM port_manifests WHERE manifest_number = 'M-E2' ORDER BY 1")
    assert versions == [(1, "original"), (2, "replacement")]
    # the first version is kept, the current one is the amendment
    names = db.query("SELECT m.version, d.consignee_name FROM port_documents d JOIN port_manifests m "
                     "ON m.manifest_id = d.manifest_id WHERE d.bl_number = 'EB-amend' ORDER BY 1")
    assert names == [(1, "BUYER INC"), (2, "OTRO COMPRADOR LTD")]
    current = db.query("SELECT d.consignee_name FROM port_documents d JOIN port_manifests_current m "
                       "ON m.manifest_id = d.manifest_id WHERE d.bl_number = 'EB-amend'")
    assert current == [("OTRO COMPRADOR LTD",)]
    assert load_file(db, paths["amendment"]).manifests_new == 0


def test_an_original_loaded_after_its_amendment_does_not_become_current(db: Database, tmp_path: Path) -> None:
    # A folder read in name order loads amendments.csv before manifests.csv: the manifest the
    # sender transmitted last stays the current one, whatever the order traza received them in.
    paths = scenario.write(tmp_path)
    load_file(db, paths["amendment"])
    load_file(db, paths["manifests"])
    versions = db.query("SELECT version, message_function FROM port_manifests WHERE manifest_number = 'M-E2' ORDER BY 1")
    assert versions == [(1, "replacement"), (2, "original")]
    current = db.query("SELECT m.message_function, d.consignee_name FROM port_documents d JOIN port_manifests_current m "
                       "ON m.manifest_id = d.manifest_id WHERE d.bl_number = 'EB-amend'")
    assert current == [("replacement", "OTRO COMPRADOR LTD")]


def test_the_same_manifest_as_cuscar_is_not_a_new_version(db: Database, tmp_path: Path) -> None:
    paths = scenario.write(tmp_path)
    load_file(db, paths["manifests"])
    edi = tmp_path / "same.edi"
    edi.write_text(interchange(scenario.manifests()), encoding="utf-8")
    assert load_file(db, edi).manifests_unchanged == len(scenario.manifests())


def test_a_bad_row_refuses_the_whole_file(db: Database, tmp_path: Path) -> None:
    paths = scenario.write(tmp_path)
    lines = paths["manifests"].read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    row = lines[5].split(",")
    row[header.index("port_discharge")] = "Antwerp"
    row[header.index("vgm_kg")] = "-3"
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join([*lines[:5], ",".join(row), *lines[6:]]) + "\n", encoding="utf-8")
    with pytest.raises(PortDataRefused) as exc:
        load_file(db, bad)
    where = {(p.file, p.where, p.column) for p in exc.value.problems}
    assert ("bad.csv", "line 6", "port_discharge") in where
    assert ("bad.csv", "line 6", "vgm_kg") in where
    assert "UN/LOCODE" in str(exc.value)
    assert _count(db, "port_manifests") == 0 and _count(db, "port_vessel_calls") == 0


def test_unknown_and_missing_columns(db: Database, tmp_path: Path) -> None:
    f = tmp_path / "m.csv"
    f.write_text("port,direction,vessel_name,voyage,manifest_number,colour\nPECLL,export,X,1,M,red\n", encoding="utf-8")
    with pytest.raises(PortDataRefused, match="bl_number"):
        load_file(db, f)


def test_events_are_idempotent(db: Database, tmp_path: Path) -> None:
    paths = scenario.write(tmp_path)
    assert load_file(db, paths["events"]).events_new == len(scenario.events())
    assert load_file(db, paths["events"]).events_new == 0
    assert _count(db, "port_events") == len(scenario.events())


def test_cuscar_file_loads(db: Database, tmp_path: Path) -> None:
    edi = tmp_path / "paita.edi"
    edi.write_text(interchange(scenario.manifests()[:2]), encoding="utf-8")
    r = load_file(db, edi)
    assert r.manifests_new == 2 and r.containers == 10
    assert db.query("SELECT DISTINCT source_format FROM port_manifests") == [("cuscar",)]


def test_manifests_stored_before_the_identity_rule_are_recognised_after_the_upgrade(db_url: str, tmp_path: Path) -> None:
    """Migration 0010 re-keys stored manifests by their stored rows: a file sent before the
    upgrade (keyed by the earlier rule) changes nothing when sent again after it."""
    from traza.store import open_database
    from traza.store.migrate import upgrade

    paths = scenario.write(tmp_path)
    with open_database(db_url, migrate=False) as db:
        upgrade(db, target=9)
        load_file(db, paths["manifests"])
        load_file(db, paths["amendment"])
        db.execute("UPDATE port_manifests SET content_hash = 'earlier-rule-' || CAST(manifest_id AS VARCHAR)")
    with open_database(db_url) as db:  # the upgrade re-keys them
        assert _count(db, "port_manifests") == len(scenario.manifests()) + 1
        assert not db.scalar("SELECT count(*) FROM port_manifests WHERE content_hash LIKE 'earlier-rule-%'")
        assert load_file(db, paths["manifests"]).manifests_unchanged == len(scenario.manifests())
        assert load_file(db, paths["amendment"]).manifests_new == 0
        assert _count(db, "port_manifests") == len(scenario.manifests()) + 1


def test_port_events_are_told_by_their_header_in_any_case(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "ev-up.csv"
    path.write_text("CONTAINER_NO,Event_Type,OCCURRED_AT\nCSQU3054383,gate_in,2025-06-01T08:00\n", encoding="utf-8")
    assert load_file(db, path).events_new == 1


def test_an_empty_manifest_and_a_folder_are_refused_saying_so(db: Database, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(PortDataRefused) as exc:
        load_file(db, empty)
    assert "the file is empty" in exc.value.problems[0].reason
    with pytest.raises(PortDataRefused) as exc:
        load_file(db, tmp_path)
    assert "is a folder" in exc.value.problems[0].reason
