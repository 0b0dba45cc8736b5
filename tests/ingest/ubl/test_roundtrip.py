"""Round trip: simulated transfers written as UBL by `traza simulate --ubl` and read back give
the same movements as the CSV route; the receivers' expected movements are the buyers' side."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from traza.cli import app
from traza.ingest import load_paths
from traza.store import Database, open_database

COLUMNS = ("declarant_ruc", "establishment_code", "date", "type", "chemical", "quantity", "unit", "quantity_kg",
           "counterparty_ruc", "counterparty_establishment", "document_ref", "destination_ubigeo", "declared_on")
REGISTRY = ("operators.csv", "establishments.csv", "authorisations.csv")


@dataclass
class CsvRoute:
    folder: Path
    sales: list[tuple[object, ...]]  # outgoing transfers that travel with a guide
    incoming: set[tuple[object, ...]]  # (buyer, chemical, document_ref) of declared receipts


def _sorted(rows: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    return sorted(rows, key=lambda r: tuple(str(x) for x in r))


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> CsvRoute:
    out = tmp_path_factory.mktemp("sim")
    result = CliRunner().invoke(app, ["simulate", "--out", str(out), "--operators", "60", "--months", "4",
                                      "--schemes", "12", "--seed", "3", "--ubl"])
    assert result.exit_code == 0, result.output
    assert "ubl/guias" in result.output
    with open_database(f"duckdb:///{out / 'csv.duckdb'}") as db:
        report = load_paths(db, [*(out / f for f in REGISTRY), out / "movements.csv"])
        assert report.rows_rejected == 0
        sales = _sorted(db.query(f"SELECT {', '.join(COLUMNS)} FROM movements WHERE type IN ('sale', 'transfer_out') "
                                 "AND document_ref LIKE 'T%'"))
        incoming = set(db.query("SELECT declarant_ruc, chemical, document_ref FROM movements "
                                "WHERE type IN ('purchase', 'transfer_in')"))
    return CsvRoute(out, sales, incoming)


def test_ubl_route_gives_the_same_movements_as_the_csv_route(db: Database, simulated: CsvRoute) -> None:
    out = simulated.folder
    report = load_paths(db, [*(out / f for f in REGISTRY), out / "ubl"])
    ubl = report.files[-1]
    assert ubl.kind == "ubl" and ubl.rows_rejected == 0, ubl.rejections[:3]
    assert ubl.ubl is not None and ubl.ubl["review"] == 0 and ubl.ubl["flagged"] == 0
    assert ubl.ubl["invoices_linked"] == ubl.ubl["invoices"] > 0  # every invoice names its guide
    got = _sorted(db.query(f"SELECT {', '.join(COLUMNS)} FROM movements"))
    assert len(got) == len(simulated.sales) > 500
    assert got == simulated.sales
    # Every line was recognised, by each of the three ways sellers name their goods.
    methods = {r[0] for r in db.query("SELECT extra FROM movements")}
    assert all('"source":"ubl"' in m for m in methods)
    assert {m.split('"classified_by":"')[1].split('"')[0] for m in methods} == {"tariff", "mapping", "description"}
    # The receivers' expected side: what the buyers declared, where they declared it.
    expected = db.query("SELECT receiver_ruc, chemical, document_ref FROM expected_movements")
    assert len(expected) == len(got)
    matched = sum(1 for e in expected if e in simulated.incoming)
    assert matched / len(expected) > 0.8  # the rest: unregistered, silent or late buyers, and schemes
