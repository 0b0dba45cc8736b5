"""Manifests read as hostile input: text in another encoding, files that are not what they are
named, envelopes cut short, oversize identifiers, and NUL, BOM, zero-width, full-width and
Arabic-Indic characters in every field of a CSV manifest and in CUSCAR segments. Each is a
refusal (or, where the content was read whole, a warning) naming file, line or segment, the
field and what was expected; never a traceback, never a half-loaded file."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.ports.test_cuscar import GOOD
from traza.cli import app
from traza.ports.csv_manifest import COLUMNS, read_events, read_manifests
from traza.ports.cuscar import parse_text
from traza.ports.errors import PortDataRefused
from traza.ports.load import load_file
from traza.store import open_database
from traza.store.db import Database

runner = CliRunner()

ROW = {
    "port": "PECLL", "direction": "export", "vessel_name": "MSC ALFA", "vessel_imo": "9000001", "voyage": "101E",
    "carrier": "MSC", "arrival": "2025-06-01", "departure": "2025-06-02", "manifest_number": "MAN-2025-0601",
    "message_function": "original", "transmitted_at": "2025-05-30T09:00", "bl_number": "MSCU0001",
    "bl_type": "master", "master_bl": "MSCU0000", "shipper_name": "AGRO NORTE SAC", "shipper_id": "20100000001",
    "consignee_name": "HANDELS GMBH", "consignee_id": "DE123456789", "notify_name": "NOTIFY BV",
    "notify_id": "NL123", "port_original_loading": "PECLL", "port_loading": "PECLL", "port_transshipment": "PAPTY",
    "port_discharge": "BEANR", "port_final_destination": "DEHAM", "container_no": "CSQU3054383",
    "size_type": "45R1", "reefer": "1", "full_empty": "full", "vgm_kg": "24800", "tare_kg": "4800",
    "seals": "ML1234567:CA;SN998877:SH", "item_no": "1", "packages": "1200", "package_type": "CT",
    "gross_kg": "20000", "description": "FRESH AVOCADOS 4 KG", "hs_code": "0804.40", "un_number": "UN1090",
    "imdg_class": "3", "marks": "AVO 2025 LOT 7",
}
assert set(ROW) == set(COLUMNS)
# free text (any script); every other column is an identifier, code, number or date
TEXT_FIELDS = {"vessel_name", "shipper_name", "consignee_name", "notify_name", "description", "marks"}
INVISIBLE = {"BOM": "\ufeff", "zero-width space": "\u200b", "word joiner": "\u2060"}


def csv_text(row: dict[str, str], header: list[str] | None = None) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header or list(COLUMNS))
    w.writerow([row[c] for c in COLUMNS])
    return out.getvalue()


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def refusal(call: object) -> list[tuple[str, str, str, str]]:
    with pytest.raises(PortDataRefused) as exc:
        call()  # type: ignore[operator]
    return [(p.file, p.where, p.column, p.reason) for p in exc.value.problems]


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def arabic_indic(text: str) -> str:
    return "".join(chr(0x0660 + int(c)) if c.isdigit() else c for c in text)


def output(r: object) -> str:
    """The command's output with Rich's line wrapping undone."""
    return " ".join(r.output.split())  # type: ignore[attr-defined]


def count(db: Database, table: str) -> int:
    return int(db.scalar(f"SELECT count(*) FROM {table}") or 0)


# -- encodings and what a file claims to be ------------------------------------------------

def test_latin1_manifest_csv_is_refused_naming_offset_and_line(tmp_path: Path) -> None:
    text = csv_text({**ROW, "shipper_name": "COMPAÑÍA AGRO"})
    path = write(tmp_path, "latin1.csv", text.encode("latin-1"))
    offset = text.encode("latin-1").index("Ñ".encode("latin-1"))
    url = f"duckdb:///{tmp_path / 'x.duckdb'}"
    r = runner.invoke(app, ["ports", "load", str(path), "-d", url])
    assert r.exit_code == 1, r.output
    out = output(r)
    assert "Traceback" not in out and "UnicodeDecodeError" not in out
    assert "latin1.csv: line 2: encoding: byte 0xD1 at offset" in out and f"offset {offset}" in out
    assert "expected UTF-8" in out
    r = runner.invoke(app, ["ports", "calls", "--format", "json", "-d", url])
    assert r.output.strip() == "[]"  # nothing half-loaded


def test_edi_starting_with_garbage_is_refused(tmp_path: Path) -> None:
    binary = write(tmp_path, "photo.edi", b"\x89PNG\r\n\x1a\n\x00\x00\xff" + GOOD.encode())
    text = write(tmp_path, "notes.edi", "hello, this is not EDIFACT\n" + GOOD)
    r = runner.invoke(app, ["ports", "load", str(binary), str(text), "-d", f"duckdb:///{tmp_path / 'x.duckdb'}"])
    assert r.exit_code == 1
    out = output(r)
    assert "Traceback" not in out and "UnicodeDecodeError" not in out
    for name in ("photo.edi", "notes.edi"):
        assert f"{name}: line 1: UNA/UNB: starts with" in out
    assert out.count("expected an EDIFACT interchange starting with UNA or UNB") == 2


def test_latin1_interchange_declared_unoc_is_read_and_said(db: Database, tmp_path: Path) -> None:
    path = write(tmp_path, "unoc.edi", GOOD.replace("O?'BRIEN", "MUÑOZ").encode("latin-1"))
    res = load_file(db, path)
    assert res.manifests_new == 1
    assert any("read as LATIN-1" in w.reason and "UNOC" in w.reason for w in res.warnings)
    assert db.scalar("SELECT count(*) FROM port_goods_items WHERE description LIKE '%MUÑOZ%'") == 1


def test_non_utf8_interchange_declaring_no_charset_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "unoa.edi", GOOD.replace("UNOC", "UNOA").replace("O?'BRIEN", "MUÑOZ").encode("latin-1"))
    from traza.ports.cuscar import read

    [(file, message, segment, reason)] = refusal(lambda: read(path))
    assert (file, segment) == ("unoa.edi", "encoding") and message.startswith("line ")
    assert "is not UTF-8" in reason and "UNB syntax identifier" in reason


# -- the envelope ------------------------------------------------------------------------------

def test_interchange_without_unz_is_kept_with_a_warning(db: Database, tmp_path: Path) -> None:
    path = write(tmp_path, "no_unz.edi", GOOD.replace("UNZ+1+42'\n", ""))
    url_free = load_file(db, path)
    assert url_free.manifests_new == 1
    [w] = url_free.warnings
    assert (w.file, w.where, w.column) == ("no_unz.edi", "interchange", "UNZ") and "no UNZ" in w.reason


def test_cli_prints_envelope_warnings_and_exits_0(tmp_path: Path) -> None:
    no_unz = write(tmp_path, "no_unz.edi", GOOD.replace("UNZ+1+42'\n", ""))
    bad_count = write(tmp_path, "unz3.edi", GOOD.replace("UNZ+1+42'", "UNZ+3+42'").replace("MAN-2025-0601", "M2"))
    r = runner.invoke(app, ["ports", "load", str(no_unz), str(bad_count), "-d", f"duckdb:///{tmp_path / 'x.duckdb'}"])
    assert r.exit_code == 0, r.output
    out = output(r)
    assert "warning" in out and "no_unz.edi: interchange: UNZ: the interchange has no UNZ trailer" in out
    assert "unz3.edi: interchange: UNZ: UNZ counts '3' messages, the interchange has 1" in out


def test_unt_count_mismatch_is_a_warning_on_the_message() -> None:
    [man] = parse_text(GOOD.replace("UNT+47+1'", "UNT+46+1'"), "unt.edi")
    [w] = man.warnings
    assert (w.file, w.where) == ("unt.edi", "message 1") and w.column.startswith("UNT (segment")
    assert "UNT counts '46' segments, the message has 47" in w.reason


def test_a_message_without_unt_before_the_unz_is_kept_with_a_warning() -> None:
    # The UNZ says where it ends, so nothing of it is lost; the sender is told what is missing.
    [man] = parse_text(GOOD.replace("UNT+47+1'", ""), "no_unt.edi")
    [w] = man.warnings
    assert (w.where, w.column) == ("message 1", "UNT") and "no UNT before the UNZ" in w.reason
    assert man.content_hash() == parse_text(GOOD, "good.edi")[0].content_hash()


def test_a_message_without_unt_at_the_end_of_the_file_is_refused_as_cut_short() -> None:
    cut = GOOD[: GOOD.index("UNT+47+1'")]
    [(_, message, segment, reason)] = refusal(lambda: parse_text(cut, "cut.edi"))
    assert (message, segment) == ("message 1", "UNT") and "file ends inside it" in reason


@pytest.mark.parametrize("qualifier", ["BL", "TE", "RR"])
def test_equipment_that_is_no_container_keeps_the_manifest_and_its_goods(qualifier: str) -> None:
    # Bulk, trailers, break-bulk: the consignments and their goods are kept, in no container;
    # the other container of the message is read as before; the sender is told.
    text = GOOD.replace("EQD+CN+CSQU3054384+45G1:102:5+++5", f"EQD+{qualifier}+BULK1")
    text = text.replace("SGP+CSQU3054384+", "SGP+BULK1+")
    [man] = parse_text(text, "bulk.edi")
    assert [e.container_no for e in man.equipment] == ["CSQU3054383"]
    goods = [g for d in man.documents for g in d.goods]
    assert goods and all(g.container_no in ("CSQU3054383", None) for g in goods)
    assert any(g.container_no is None for g in goods)
    assert all("BULK1" not in d.containers for d in man.documents)
    [w] = man.warnings
    assert w.where == "message 1" and f"qualified '{qualifier}' is not a container" in w.reason


def test_segment_cut_mid_message_refuses_it() -> None:
    cut = GOOD[: GOOD.index("LOC+11+BEANR'") + len("LOC+11+BE")]
    [(file, message, segment, reason)] = refusal(lambda: parse_text(cut, "cut.edi"))
    assert (file, message, segment) == ("cut.edi", "message 1", "syntax") and "truncated" in reason


# -- sizes ---------------------------------------------------------------------------------------

def test_two_megabyte_manifest_number_is_refused_naming_field_and_limit(db: Database, tmp_path: Path) -> None:
    path = write(tmp_path, "big.csv", csv_text({**ROW, "manifest_number": "M" * 2_000_000}))
    problems = refusal(lambda: load_file(db, path))
    assert problems[0][:3] == ("big.csv", "line 2", "manifest_number") and "expected at most 35" in problems[0][3]
    assert count(db, "port_manifests") == 0


def test_over_limit_cells_are_refused_by_the_set_wise_loader_too(duck: Database, tmp_path: Path) -> None:
    db = duck  # the set-wise loader is DuckDB's
    path = write(tmp_path, "big.csv", csv_text({**ROW, "manifest_number": "M" * 40, "container_no": "C" * 18}))
    for bulk in (True, False):
        problems = refusal(lambda b=bulk: load_file(db, path, bulk=b))  # type: ignore[misc]
        by_col = {p[2]: p for p in problems}
        assert sorted(by_col) == ["container_no", "manifest_number"] and {p[1] for p in problems} == {"line 2"}
        assert "is 18 characters long: expected at most 17" in by_col["container_no"][3]
        assert "is 40 characters long: expected at most 35" in by_col["manifest_number"][3]


def test_two_megabyte_bgm_number_is_refused() -> None:
    [(_, message, segment, reason)] = refusal(
        lambda: parse_text(GOOD.replace("MAN-2025-0601", "M" * 2_000_000), "big.edi"))
    assert message == "message 1" and segment == "BGM (segment 2) element 2.1 (manifest number)"
    assert "expected at most 35" in reason


# -- every field of the CSV manifest ------------------------------------------------------------

def _manifest_hash(tmp_path: Path, row: dict[str, str], header: list[str] | None = None) -> str:
    [man] = read_manifests(write(tmp_path, "m.csv", csv_text(row, header)))
    return man.content_hash()


@pytest.mark.parametrize("col", COLUMNS)
def test_nul_in_any_manifest_cell_is_refused_naming_line_and_column(tmp_path: Path, col: str) -> None:
    value = ROW[col]
    row = {**ROW, col: value[:1] + "\x00" + value[1:]}
    problems = refusal(lambda: read_manifests(write(tmp_path, "nul.csv", csv_text(row))))
    [(_, _, _, reason)] = [p for p in problems if p[2] == col]  # one refusal: no second "'' is not ..."
    assert "NUL" in reason and "expected printable text" in reason


@pytest.mark.parametrize("col", COLUMNS)
def test_invisible_and_full_width_characters_read_as_the_plain_value(tmp_path: Path, col: str) -> None:
    plain = _manifest_hash(tmp_path, ROW)
    for ch in INVISIBLE.values():
        value = ROW[col]
        assert _manifest_hash(tmp_path, {**ROW, col: ch + value[:2] + ch + value[2:]}) == plain, (col, ch)
    assert _manifest_hash(tmp_path, {**ROW, col: full_width(ROW[col])}) == plain, col


@pytest.mark.parametrize("col", [c for c in COLUMNS if any(ch.isdigit() for ch in ROW[c])])
def test_arabic_indic_digits_are_refused_in_identifiers(tmp_path: Path, col: str) -> None:
    row = {**ROW, col: arabic_indic(ROW[col])}
    path = write(tmp_path, "ar.csv", csv_text(row))
    if col in TEXT_FIELDS:  # free text may hold any script
        read_manifests(path)
        return
    problems = refusal(lambda: read_manifests(path))
    assert [p[:3] for p in problems] == [("ar.csv", "line 2", col)]
    assert "ARABIC-INDIC DIGIT" in problems[0][3] and "expected ASCII letters and digits only" in problems[0][3]


def test_header_with_bom_and_zero_width_reads_as_its_columns(tmp_path: Path) -> None:
    header = [f"\ufeff {c}" if i == 3 else f"{c}\u200b" if i == 8 else c.upper() for i, c in enumerate(COLUMNS)]
    assert _manifest_hash(tmp_path, ROW, header) == _manifest_hash(tmp_path, ROW)
    dup = list(COLUMNS)
    dup[1] = "\u200bport"
    problems = refusal(lambda: read_manifests(write(tmp_path, "dup.csv", csv_text(ROW, dup))))
    assert problems[0][1:] == ("line 1", "port", "named twice in the header")


def test_full_width_container_number_is_the_same_container(db: Database, tmp_path: Path) -> None:
    load_file(db, write(tmp_path, "a.csv", csv_text(ROW)))
    res = load_file(db, write(tmp_path, "b.csv", csv_text({**ROW, "container_no": "ＣＳＱＵ３０５４３８３"})))
    assert res.manifests_unchanged == 1 and res.manifests_new == 0
    assert db.query("SELECT DISTINCT container_no FROM port_equipment") == [("CSQU3054383",)]


def test_nul_in_a_manifest_is_refused_before_the_database(db: Database, tmp_path: Path) -> None:
    path = write(tmp_path, "nul.csv", csv_text({**ROW, "shipper_name": "AGRO\x00NORTE"}))
    problems = refusal(lambda: load_file(db, path))
    assert problems[0][:3] == ("nul.csv", "line 2", "shipper_name")
    assert count(db, "port_manifests") == 0 and count(db, "port_documents") == 0


def test_nul_and_arabic_digits_in_port_events(tmp_path: Path) -> None:
    text = ("container_no,event_type,occurred_at,detail\n"
            "CSQU3054383,gate_in,2025-06-01T08:00,gate\x00 4\n"
            "CSQU3054383,scan,٢٠٢٥-06-01T09:00,ok\n")
    problems = refusal(lambda: read_events(write(tmp_path, "events.csv", text)))
    assert [p[1:3] for p in problems] == [("line 2", "detail"), ("line 3", "occurred_at")]


def test_a_workbook_is_refused_saying_to_save_it_as_csv(db: Database, tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(list(ROW))
    wb.save(tmp_path / "manifest.xlsx")
    [(file, _, _, reason)] = refusal(lambda: load_file(db, tmp_path / "manifest.xlsx"))
    assert file == "manifest.xlsx" and "is a workbook (XLSX)" in reason and "save the sheet as CSV UTF-8" in reason


def test_nul_in_an_event_type_is_one_refusal(tmp_path: Path) -> None:
    text = "container_no,event_type,occurred_at\nCSQU3054383,gate\x00_in,2025-06-01T08:00\n"
    problems = refusal(lambda: read_events(write(tmp_path, "events.csv", text)))
    assert [p[1:3] for p in problems] == [("line 2", "event_type")] and "NUL" in problems[0][3]


def test_ports_load_reads_a_folder_and_exits_2_when_there_is_nothing_to_load(tmp_path: Path) -> None:
    folder = tmp_path / "calls"
    folder.mkdir()
    write(folder, "a-events.csv", "container_no,event_type,occurred_at\nCSQU3054383,gate_in,2025-06-01T08:00\n")
    write(folder, "b-manifest.csv", csv_text(ROW))
    url = f"duckdb:///{tmp_path / 'x.duckdb'}"
    r = runner.invoke(app, ["ports", "load", str(folder), "-d", url])
    assert r.exit_code == 0, r.output
    # The manifest is read before the events that name its container, whatever their names.
    assert r.output.index("b-manifest.csv") < r.output.index("a-events.csv")
    write(folder, "operators.csv", "ruc,name,sector,registered_on,status\n20000000010,X SAC,importer,2020-01-01,active\n")
    r = runner.invoke(app, ["ports", "load", str(folder), "-d", url])
    assert r.exit_code == 0 and "skipped operators.csv" in output(r) and "traza load" in output(r), r.output
    r = runner.invoke(app, ["ports", "load", str(folder / "operators.csv"), "-d", url])
    assert r.exit_code == 1 and "this file holds operators" in output(r) and "`traza load`" in output(r), r.output
    (tmp_path / "empty").mkdir()
    for missing in (tmp_path / "empty", tmp_path / "nothere.csv"):
        r = runner.invoke(app, ["ports", "load", str(missing), "-d", url])
        assert r.exit_code == 2 and missing.name in r.output.replace("\n", "")


def test_more_cells_than_the_header_is_refused(tmp_path: Path) -> None:
    text = csv_text(ROW).rstrip("\n") + ",EXTRA\n"
    problems = refusal(lambda: read_manifests(write(tmp_path, "wide.csv", text)))
    assert problems[0][1:3] == ("line 2", "(column 42, unnamed)") and "the header (line 1) has 41" in problems[0][3]


# -- CUSCAR segments ---------------------------------------------------------------------------

# (segment as written in GOOD, the value in it to corrupt, the field the refusal names)
SEGMENT_VALUES = [
    ("BGM+85+MAN-2025-0601+9'", "MAN-2025-0601", "manifest number"),
    ("TDT+20+101E+1++MSC:172:20+++9000001:146:11:MSC ALFA'", "101E", "voyage"),
    ("TDT+20+101E+1++MSC:172:20+++9000001:146:11:MSC ALFA'", "9000001", "vessel imo"),
    ("TDT+20+101E+1++MSC:172:20+++9000001:146:11:MSC ALFA'", "MSC ALFA", "vessel name"),
    ("EQD+CN+CSQU3054383+45R1:102:5+++5'", "CSQU3054383", "container no"),
    ("SEL+ML1234567+CA'", "ML1234567", "seal number"),
    ("CNI+1+MSCU0001'", "MSCU0001", "bl number"),
    ("LOC+11+BEANR'", "BEANR", "port"),
    ("DGS+IMD+8+1779'", "1779", "un number"),
    ("MEA+AAE+G+KGM:20000'", "20000", "measure"),
    ("CST++291511:122:148'", "291511", "hs code"),
    ("NAD+CZ+20100000001:160:ZZZ++CAFETALERA ANDINA SAC'", "20100000001", "party id"),
    ("NAD+CZ+20100000001:160:ZZZ++CAFETALERA ANDINA SAC'", "CAFETALERA", "shipper name"),
    ("FTX+AAA+++CAFE VERDE EN GRANO:ORGANICO'", "CAFE VERDE", "description"),
    ("PCI+24+LOGO ESCORPION:HS 0901.11'", "LOGO", "marks"),
]
_TEXT = ("vessel name", "shipper name", "description", "marks")


@pytest.mark.parametrize(("segment", "value", "field"), SEGMENT_VALUES, ids=[f"{s[:3]}-{f}" for s, _, f in SEGMENT_VALUES])
def test_hostile_characters_in_cuscar_segments(segment: str, value: str, field: str) -> None:
    assert segment in GOOD and value in segment
    plain = parse_text(GOOD, "good.edi")[0].content_hash()

    def put(new: str) -> str:
        return GOOD.replace(segment, segment.replace(value, new, 1), 1)

    [(file, message, where, reason)] = refusal(lambda: parse_text(put(value[:1] + "\x00" + value[1:]), "nul.edi"))
    assert (file, message) == ("nul.edi", "message 1")
    assert where.startswith(f"{segment[:3]} (segment ") and where.endswith(f"({field})")
    assert "NUL" in reason and "expected printable text" in reason
    for ch in INVISIBLE.values():
        assert parse_text(put(value[:1] + ch + value[1:]), "zw.edi")[0].content_hash() == plain
    assert parse_text(put(full_width(value)), "fw.edi")[0].content_hash() == plain
    if field not in _TEXT and any(c.isdigit() for c in value):
        [(_, _, where, reason)] = refusal(lambda: parse_text(put(arabic_indic(value)), "ar.edi"))
        assert where.endswith(f"({field})") and "expected ASCII letters and digits only" in reason


def test_control_characters_in_free_text_segments_are_refused() -> None:
    text = GOOD.replace("O?'BRIEN", "O\x07BRIEN")
    [(_, message, where, reason)] = refusal(lambda: parse_text(text, "bell.edi"))
    assert message == "message 1" and where.startswith("FTX (segment") and "(description)" in where
    assert "U+0007" in reason


def test_set_wise_loader_reads_header_and_text_as_the_row_reader(duck: Database, tmp_path: Path) -> None:
    db = duck  # the set-wise loader is DuckDB's
    header = [f" {c.upper()} " for c in COLUMNS]
    res = load_file(db, write(tmp_path, "upper.csv", csv_text(ROW, header)), bulk=True)
    assert res.manifests_new == 1 and res.containers == 1
    # a file the set-wise loader cannot read as the row reader does is read row by row
    for name, row in (("nul.csv", {**ROW, "marks": "A\x00B"}), ("zw.csv", {**ROW, "voyage": "10\u200b2E"})):
        path = write(tmp_path, name, csv_text(row))
        if name == "nul.csv":
            assert refusal(lambda p=path: load_file(db, p, bulk=True))[0][:3] == (name, "line 2", "marks")  # type: ignore[misc]
        else:
            assert load_file(db, path, bulk=True).manifests_new == 1
            assert db.query("SELECT voyage FROM port_vessel_calls ORDER BY voyage") == [("101E",), ("102E",)]
    cell = {**ROW, "description": "LINE ONE\nLINE TWO", "manifest_number": "M2"}
    [(_, line, col, why)] = refusal(lambda: load_file(db, write(tmp_path, "nl.csv", csv_text(cell)), bulk=True))
    assert (line, col) == ("line 2", "description") and "control character" in why


@pytest.fixture
def duck(tmp_path: Path) -> Iterator[Database]:
    """A DuckDB database alone: the set-wise manifest loader exists only there."""
    with open_database(f"duckdb:///{tmp_path / 'bulk.duckdb'}") as database:
        yield database


def test_a_bulk_consignment_loads_with_its_goods(db: Database, tmp_path: Path) -> None:
    text = GOOD.replace("EQD+CN+CSQU3054384+45G1:102:5+++5", "EQD+BL+BULK1").replace("SGP+CSQU3054384+", "SGP+BULK1+")
    res = load_file(db, write(tmp_path, "bulk.edi", text))
    assert res.manifests_new == 1 and res.containers == 1 and len(res.warnings) == 1
    assert count(db, "port_goods_items") == len([g for d in parse_text(GOOD, "g.edi")[0].documents for g in d.goods])
