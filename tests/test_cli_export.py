"""``traza export ftm``: every entity written is one the followthemoney library itself accepts,
value for value; the shapes Aleph investigators rely on (RUC in taxNumber, a representative
shared by two companies as one person, sales as links between the parties, alerts and case
notes as notes); and the scopes (--case, --ruc, --all)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.conftest import skip_or_fail
from tests.factories import BUYER, SELLER, THIRD, Dataset, make_ruc, movement
from traza.cases import cases
from traza.cli import app
from traza.ingest import load_paths
from traza.store import Database, open_database

runner = CliRunner()
STRANGER = make_ruc(4242, "10")


@pytest.fixture
def model() -> Any:
    try:
        from followthemoney import model as ftm_model
    except ImportError:
        skip_or_fail("followthemoney is not installed (pip install 'traza[ftm]')")
    return ftm_model


@pytest.fixture
def country(db_url: str, tmp_path: Path) -> str:
    with open_database(db_url) as db:
        _fill(db, tmp_path)
    return db_url


def _fill(db: Database, tmp_path: Path) -> None:
    data = Dataset(tmp_path / "seed")
    rep = "41234567"  # one legal representative for two companies: a shared identity
    data.operators[0]["representative_id"] = rep
    data.operators[2]["representative_id"] = rep
    data.movements.append(movement("S-9", SELLER, "sale", 700, "kg", date="2025-01-20", counterparty_ruc=STRANGER,
                                   document_ref="T001-9", destination_ubigeo="100601"))
    load_paths(db, data.write(), submitted_by="test")
    now = datetime.now(UTC).replace(tzinfo=None)
    db.execute("INSERT INTO alerts (alert_id, rule, rule_version, severity, score, ruc, first_detected_at, detected_at, "
               "explanation_en) VALUES ('a-ftm', 'unregistered_counterparty', 1, 'high', 0.7, ?, ?, ?, 'sold to a stranger')",
               (SELLER, now, now))
    case_id = cases.create(db, "staff:analyst", "Ventas a un desconocido", ["a-ftm"], "revisar guías T001-9")
    assert case_id == 1


def _export(url: str, tmp_path: Path, *scope: str) -> list[dict[str, Any]]:
    out = tmp_path / "ftm.jsonl"
    r = runner.invoke(app, ["export", "ftm", "--out", str(out), *scope, "-d", url])
    assert r.exit_code == 0, r.output
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_every_entity_is_valid_followthemoney_value_for_value(country: str, tmp_path: Path, model: Any) -> None:
    lines = _export(country, tmp_path, "--all")
    assert len({e["id"] for e in lines}) == len(lines)  # each entity once
    for data in lines:
        schema = model.get(data["schema"])
        assert schema is not None, data["schema"]
        proxy = model.get_proxy(data, cleaned=False)
        for name, values in data["properties"].items():
            prop = schema.get(name)
            assert prop is not None, (data["schema"], name)
            assert all(prop.type.clean(v, proxy=proxy) is not None for v in values), (data["schema"], name, values)
        assert set(schema.required) <= set(data["properties"]), (data["schema"], schema.required)
    by_schema: dict[str, list[dict[str, Any]]] = {}
    for e in lines:
        by_schema.setdefault(e["schema"], []).append(e)
    ids = {e["id"] for e in lines}
    # Every reference points to an entity of the file: Aleph shows no dangling edge.
    for e in lines:
        for name, values in e["properties"].items():
            if model.get(e["schema"]).get(name).type.name == "entity":
                assert set(values) <= ids, (e["schema"], name)
    companies = {e["properties"]["taxNumber"][0]: e for e in by_schema["Company"]}
    assert set(companies) == {SELLER, BUYER, THIRD}
    [stranger] = by_schema["LegalEntity"]
    assert stranger["properties"]["taxNumber"] == [STRANGER]
    [person] = by_schema["Person"]
    directed = {d["properties"]["organization"][0] for d in by_schema["Directorship"]}
    assert directed == {companies[SELLER]["id"], companies[THIRD]["id"]}
    assert all(d["properties"]["director"] == [person["id"]] for d in by_schema["Directorship"])
    sales = {(x["properties"]["subject"][0], x["properties"]["object"][0]) for x in by_schema["UnknownLink"]}
    assert (companies[SELLER]["id"], stranger["id"]) in sales and (companies[SELLER]["id"], companies[BUYER]["id"]) in sales
    assert any("700 kg" in x["properties"]["summary"][0] and "T001-9" in x["properties"]["description"][0]
               for x in by_schema["UnknownLink"])
    assert len(by_schema["Address"]) == 4 and all(c["properties"]["addressEntity"] for c in companies.values())
    [alert] = by_schema["Note"]
    assert alert["properties"]["entity"] == [companies[SELLER]["id"]]


def test_a_case_exports_its_parties_links_and_notes(country: str, tmp_path: Path, model: Any) -> None:
    lines = _export(country, tmp_path, "--case", "1")
    taxed = {e["properties"]["taxNumber"][0] for e in lines if "taxNumber" in e["properties"]}
    assert SELLER in taxed and STRANGER in taxed and BUYER in taxed  # the seller and whom it sold to
    notes = [e["properties"]["description"][0] for e in lines if e["schema"] == "Note"]
    assert "revisar guías T001-9" in notes and "sold to a stranger" in notes


def test_scopes_are_refused_when_unknown_or_ambiguous(country: str, tmp_path: Path, model: Any) -> None:
    url = country
    out = tmp_path / "x.jsonl"
    for scope in ([], ["--all", "--case", "1"], ["--case", "99"], ["--ruc", make_ruc(999)]):
        r = runner.invoke(app, ["export", "ftm", "--out", str(out), *scope, "-d", url])
        assert r.exit_code == 2, (scope, r.output)
    assert not out.exists()
    stranger = _export(country, tmp_path, "--ruc", STRANGER)
    # The stranger, the one that sold to it (with its addresses and representative), the sale.
    assert {e["schema"] for e in stranger} == {"LegalEntity", "Company", "UnknownLink", "Address", "Person", "Directorship"}
    assert {e["properties"]["taxNumber"][0] for e in stranger if "taxNumber" in e["properties"]} == {STRANGER, SELLER}
