"""Hostile input: property tests (hypothesis) of the declaration readers, UBL XML, and the
API's upload path. Every input is accepted or refused with a reason; none raises, none reads
a local file or expands an entity, none gets past the size and zip-bomb limits."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import BUYER, SELLER, Dataset
from tests.reliability import fuzz
from traza.ingest import load_paths
from traza.store import Database, open_database

XML_SEEDS = fuzz.seeds("xml")
CSV_SEEDS = fuzz.seeds("csv")
HEADER = ["declarant_ruc", "establishment_code", "date", "type", "chemical", "quantity", "unit", "declaration_id"]
FEW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                     HealthCheck.too_slow])


@pytest.fixture
def duck(tmp_path: Path) -> Database:
    """A DuckDB registry to load into (the readers are the same on both backends)."""
    db = open_database(f"duckdb:///{tmp_path / 'fuzz.duckdb'}")
    load_paths(db, Dataset(tmp_path / "reg").write("operators", "establishments", "authorisations"))
    return db


# --- UBL XML ----------------------------------------------------------------------------------


def test_every_corpus_document_is_read_or_refused() -> None:
    outcomes = {fuzz.check_xml(d) for d in XML_SEEDS}
    assert outcomes == {"refused", "extracted"}, outcomes
    for name in ("billion_laughs", "xxe_file", "xxe_utf16", "xxe_parameter", "xinclude", "deep"):
        data = (fuzz.CORPUS / "xml" / f"{name}.xml").read_bytes()
        assert fuzz.check_xml(data) == "refused", name


@given(st.binary(max_size=4000))
@settings(max_examples=200, deadline=None)
def test_arbitrary_bytes_as_xml(data: bytes) -> None:
    fuzz.check_xml(data)


@given(st.sampled_from(range(len(XML_SEEDS))), st.randoms(use_true_random=False))
@settings(max_examples=200, deadline=None)
def test_mutated_documents(i: int, rng: random.Random) -> None:
    fuzz.check_xml(fuzz.mutate(XML_SEEDS[i], rng))


@given(st.text(max_size=300), st.sampled_from(["cbc:ID", "cbc:IssueDate", "cbc:DeliveredQuantity",
                                                "cbc:InvoicedQuantity", "cbc:Description"]))
@settings(max_examples=150, deadline=None)
def test_valid_documents_with_hostile_field_values(value: str, tag: str) -> None:
    from xml.sax.saxutils import escape

    seed = (fuzz.CORPUS / "xml" / "invoice.xml").read_text()
    clean = "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 0x20 and ch not in "\ufffe\uffff")
    close = f"</{tag}>"
    start = seed.find(f"<{tag}")
    if start < 0:
        return
    body = seed.index(">", start) + 1
    doc = seed[:body] + escape(clean) + seed[seed.index(close, body):]
    assert fuzz.check_xml(doc.encode()) in ("refused", "extracted")


@given(st.sampled_from(range(len(XML_SEEDS))), st.randoms(use_true_random=False))
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_mutated_documents_through_the_batch_reader(tmp_path: Path, i: int, rng: random.Random) -> None:
    fuzz.check_xml_batch(tmp_path, fuzz.mutate(XML_SEEDS[i], rng))


# --- CSV / XLSX declarations -------------------------------------------------------------------

cells = st.one_of(
    st.sampled_from([SELLER, BUYER, "0000", "2025-02-01", "consumption", "sale", "sulfuric_acid", "7664-93-9",
                     "5", "-1", "0", "1e309", "NaN", "kg", "l", "gal", "", " ", "=1+1", "2025-13-45", "D-1"]),
    st.text(max_size=40),
)
rows = st.lists(st.lists(cells, min_size=0, max_size=10), min_size=0, max_size=8)


@FEW
@given(rows=rows)
def test_csv_rows_are_accepted_or_refused_with_a_reason(duck: Database, tmp_path: Path, rows: list[list[str]]) -> None:
    import csv

    path = tmp_path / "movements-fuzz.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        w.writerows(rows)
    fuzz.check_table(duck, path)


@FEW
@given(i=st.sampled_from(range(len(CSV_SEEDS))), rng=st.randoms(use_true_random=False))
def test_mutated_csv_files(duck: Database, tmp_path: Path, i: int, rng: random.Random) -> None:
    path = tmp_path / "movements-mut.csv"
    path.write_bytes(fuzz.mutate(CSV_SEEDS[i], rng))
    fuzz.check_table(duck, path)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(rows=st.lists(st.lists(st.one_of(cells, st.integers(), st.floats(allow_nan=True), st.booleans(),
                                        st.dates()), max_size=9), max_size=6))
def test_xlsx_rows_are_accepted_or_refused_with_a_reason(duck: Database, tmp_path: Path, rows: list[list[object]]) -> None:
    from openpyxl import Workbook
    from openpyxl.utils.exceptions import IllegalCharacterError

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADER)
    try:
        for r in rows:
            ws.append(r)
    except IllegalCharacterError:
        return  # openpyxl cannot write it, so no client could send it
    path = tmp_path / "movements-fuzz.xlsx"
    wb.save(path)
    fuzz.check_table(duck, path)


def test_every_csv_seed_is_accepted_or_refused_with_a_reason(duck: Database, tmp_path: Path) -> None:
    outcomes = set()
    for i, data in enumerate(CSV_SEEDS):
        path = tmp_path / f"movements-seed{i}.csv"
        path.write_bytes(data)
        outcomes.add(fuzz.check_table(duck, path))
    assert {"accepted", "rejected"} <= outcomes, outcomes
