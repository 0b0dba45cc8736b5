"""Hostile text in every field of every v1 format, on each backend (hypothesis): NUL, other
controls, BOM, zero-width and direction marks, full-width and Arabic-Indic digits, huge cells.
Whatever arrives, the load answers (no exception: on PostgreSQL a NUL was a 500), what is
stored holds no control or invisible character, identifiers are stored in ASCII, and on an
operator's upload no row of another declarant is stored, however its header is spelled."""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import BUYER, SELLER, Dataset, movement
from traza.core.types import KINDS
from traza.ingest import load_paths
from traza.store import Database

# ingest/edge.py's identifier columns, written out so this file also runs on a tree without it.
IDENTIFIER_COLUMNS = ("ruc", "declarant_ruc", "counterparty_ruc", "establishment_code", "ubigeo",
                      "destination_ubigeo", "declaration_id")

HOSTILE = ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\ufeff", "\u200b", "\u200d", "\u202e", "\u00ad", "\t", "\n", "\r"]
FULL_WIDTH = {c: chr(ord(c) + 0xFEE0) for c in "0123456789abcdefghijklmnopqrstuvwxyz_"}
ARABIC = {c: chr(ord(c) - ord("0") + 0x0660) for c in "0123456789"}


@st.composite
def spoiled(draw: st.DrawFn, value: str) -> str:
    """``value`` with hostile characters inserted, digits swapped for other scripts', or made huge."""
    how = draw(st.sampled_from(["insert", "full_width", "arabic", "huge", "as_is"]))
    if how == "full_width":
        return "".join(FULL_WIDTH.get(c, c) for c in value)
    if how == "arabic":
        return "".join(ARABIC.get(c, c) for c in value)
    if how == "huge":
        return value + "x" * draw(st.integers(60, 5_000))
    if how == "insert":
        at = draw(st.integers(0, len(value)))
        return value[:at] + draw(st.sampled_from(HOSTILE)) + value[at:]
    return value


FEW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                     HealthCheck.too_slow])
_SEEDED: dict[str, Dataset] = {}


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def _stored_text_is_clean(db: Database) -> None:
    for table, columns in (("movements", ("declaration_id", "declarant_ruc", "counterparty_ruc", "document_ref",
                                          "establishment_code", "destination_ubigeo")),
                           ("operator_versions", ("ruc", "name", "phone", "email")),
                           ("establishment_versions", ("ruc", "establishment_code", "ubigeo", "address")),
                           ("rejections", ("column_name", "value", "reason"))):
        for row in db.query(f"SELECT {', '.join(columns)} FROM {table}"):  # noqa: S608 - constant names
            for column, value in zip(columns, row, strict=True):
                if value is None:
                    continue
                assert "\x00" not in value and "\ufeff" not in value and "\u200b" not in value, (table, column, value)
                if table != "rejections":
                    assert unicodedata.normalize("NFKC", value) == value, (table, column, value)
                    if column in IDENTIFIER_COLUMNS:
                        assert value.isascii(), (table, column, value)


@FEW
@given(data=st.data())
def test_hostile_text_in_every_field_of_every_format(db: Database, tmp_path: Path, data: st.DataObject) -> None:
    base = Dataset(tmp_path / "base")
    key = db.scalar("SELECT count(*) FROM operator_versions")
    if not key:
        load_paths(db, base.write(), submitted_by="test")
    kind = data.draw(st.sampled_from(["operators", "establishments", "authorisations", "movements"]))
    template = getattr(base, kind)[0]
    required, optional = KINDS[kind]
    header = [c for c in (*required, *optional) if c in template]
    column = data.draw(st.sampled_from(header))
    row = [str(template[c]) for c in header]
    row[header.index(column)] = data.draw(spoiled(str(template[column]) or "x"))
    path = _write(tmp_path / f"{kind}-hostile.csv", header, [row])
    report = load_paths(db, [path], submitted_by="fuzz")  # must answer, never raise
    [f] = report.files
    for r in f.rejections:
        assert r.reason.strip() and (r.line is None or r.line in (1, 2)), r
    _stored_text_is_clean(db)


@FEW
@given(data=st.data())
def test_an_operator_upload_never_stores_another_declarant(db: Database, tmp_path: Path, data: st.DataObject) -> None:
    if not db.scalar("SELECT count(*) FROM operator_versions"):
        load_paths(db, Dataset(tmp_path / "base").write(), submitted_by="test")
    before = db.query("SELECT movement_id FROM movements WHERE declarant_ruc <> ? ORDER BY 1", (SELLER,))
    header = ["declaration_id", "establishment_code", "date", "type", "chemical", "quantity", "unit"]
    at = data.draw(st.integers(0, len(header)))
    name = data.draw(spoiled("declarant_ruc"))
    name = data.draw(st.sampled_from([name, name.upper(), " " + name, "\ufeff " + name]))
    ruc = data.draw(spoiled(BUYER))
    m = movement(f"H-{data.draw(st.integers(0, 10**6))}", ruc, "consumption", 5, "kg", date="2025-02-01")
    cells = [str(m[c]) for c in header]
    path = _write(tmp_path / "movements-owner.csv", [*header[:at], name, *header[at:]],
                  [[*cells[:at], ruc, *cells[at:]]])
    load_paths(db, [path], submitted_by=f"operator:{SELLER}", owner=SELLER)
    assert db.query("SELECT movement_id FROM movements WHERE declarant_ruc <> ? ORDER BY 1", (SELLER,)) == before
    _stored_text_is_clean(db)
