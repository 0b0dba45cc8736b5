"""The jurisdiction is data: Peru loads from its file, another file changes what an identifier
must be and what a refusal says, an unknown code fails naming the setting, and no product
message in src/traza spells Peru's authorities or lengths itself."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.factories import SELLER, Dataset
from traza.core.errors import CatalogueError
from traza.core.identifiers import ruc_problem
from traza.core.jurisdiction import (
    UnknownJurisdiction,
    jurisdiction,
    known_codes,
    load_jurisdiction,
)
from traza.core.paths import PACKAGE_DATA
from traza.ingest import load_paths
from traza.store import Database

SRC = Path(__file__).resolve().parents[2] / "src" / "traza"

# A fictional country: a 9-digit tax number without a check digit, Peru's geography files.
FICTIONAL = """\
code: RT
name: Ruritania
tax_id:
  name: NIT
  digits: 9
  description: {es: NIT de 9 dígitos, en: 9-digit NIT}
person_id:
  name: CIP
  digits: 7
  description: {es: CIP de 7 dígitos, en: 7-digit CIP}
geography:
  code: okrug
  digits: 6
  authority: RSO
  example: 150101 Strelsau
  description: {es: código okrug, en: the okrug code of a district}
  code_column: inei
  districts: geo/ubigeo_distrito.csv
  provinces: geo/ubigeo_provincia.csv
  boundaries: geo/peru_distrital_simple.geojson
  boundary_code: IDDIST
  box: [-81.5, -18.5, -68.5, 0.1]
e_documents: {authority: RTA, formats: UBL 2.1}
customs_authority: RTA
"""


@pytest.fixture
def ruritania(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder with the packaged files and a second jurisdiction, selected."""
    folder = tmp_path / "data"
    folder.mkdir()
    for entry in PACKAGE_DATA.iterdir():
        if entry.name != "jurisdictions":
            (folder / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    (folder / "jurisdictions").mkdir()
    (folder / "jurisdictions" / "pe.yaml").write_bytes((PACKAGE_DATA / "jurisdictions" / "pe.yaml").read_bytes())
    (folder / "jurisdictions" / "rt.yaml").write_text(FICTIONAL, encoding="utf-8")
    monkeypatch.setenv("TRAZA_DATA_DIR", str(folder))
    monkeypatch.setenv("TRAZA_JURISDICTION", "rt")
    return folder


def test_peru_is_the_default_and_loads_from_its_file() -> None:
    pe = jurisdiction()
    assert (pe.code, pe.name, pe.tax_id.name, pe.tax_id.digits, pe.tax_id.stdnum) == ("PE", "Peru", "RUC", 11, "pe.ruc")
    assert pe.tax_id.description.in_("en") == "11-digit RUC (SUNAT taxpayer number) with a valid check digit"
    assert pe.tax_id.description.in_("es").startswith("RUC de 11 dígitos")
    assert (pe.geography.code, pe.geography.digits, pe.geography.authority) == ("ubigeo", 6, "INEI")
    assert pe.e_documents.authority == "SUNAT" and "pe" in known_codes()
    assert pe.tax_id.problem("20100070970") is None
    assert pe.person_id.problem("10117410") is None  # a DNI, by python-stdnum's pe.cui
    assert pe.person_id.problem("1011741") == "DNI must have 8 digits, got 7"
    assert jurisdiction() is pe  # read once


def test_another_jurisdiction_changes_what_is_accepted_and_what_is_said(ruritania: Path) -> None:
    rt = jurisdiction()
    assert (rt.code, rt.tax_id.name) == ("RT", "NIT")
    assert ruc_problem("123456789") is None
    assert ruc_problem("20100070970") == "NIT must have 9 digits, got 11"
    assert ruc_problem("") == "a NIT is required"
    assert ruc_problem("12345678x") == "NIT must be 9 ASCII digits 0-9: found 'x' at position 9"


def test_an_operators_file_is_refused_in_the_jurisdictions_words(ruritania: Path, db: Database, data: Dataset) -> None:
    data.operators = [dict(data.operators[0]), dict(data.operators[0], ruc="123456789")]
    report = load_paths(db, data.write("operators"))
    assert [(r.line, r.column, r.value, r.reason) for r in report.rejections] == [
        (2, "ruc", SELLER, "NIT must have 9 digits, got 11")]
    assert db.query("SELECT ruc FROM operators") == [("123456789",)]


def test_an_unknown_code_names_the_setting_and_the_known_codes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAZA_JURISDICTION", "zz")
    with pytest.raises(UnknownJurisdiction, match=r"TRAZA_JURISDICTION='zz' is not a known jurisdiction: known are pe"):
        jurisdiction()


def test_a_broken_file_names_the_file_and_the_field(tmp_path: Path) -> None:
    (tmp_path / "jurisdictions").mkdir()
    (tmp_path / "jurisdictions" / "rt.yaml").write_text(FICTIONAL.replace("digits: 9", "digits: nine"), encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"rt\.yaml: entry rt: field 'tax_id\.digits'"):
        load_jurisdiction("rt", tmp_path)
    (tmp_path / "jurisdictions" / "rt.yaml").write_text(FICTIONAL.replace("name: NIT", "name: NIT\n  stdnum: xx.nope"),
                                                        encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"no module stdnum\.xx\.nope"):
        load_jurisdiction("rt", tmp_path)


# Words only a jurisdiction file may say. Whole words, case as written: the Peruvian UBL
# profile's XML names (urn:sunat:..., sac:SUNATRoadTransport) are the format read, not a message.
_PERU = re.compile(r"\bSUNAT\b|\bINEI\b|11-digit|11 dígitos")
# The simulator builds a Peru-like country on purpose; data files are where the words belong.
_EXEMPT = ("sim/", "data/")


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the docstring nodes (module, class, function): explanation, like comments."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
    return out


def peru_words(source: str) -> list[str]:
    """The string literals of ``source`` (docstrings aside) that name Peru's authorities or lengths."""
    tree = ast.parse(source)
    docs = _docstrings(tree)
    return [n.value for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs and _PERU.search(n.value)]


def test_no_product_message_spells_perus_words() -> None:
    assert peru_words('x = f"{col} is required (11-digit RUC)"\ny = "SUNAT\'s receipt"')  # the scan sees them
    assert not peru_words('"""Reads SUNAT\'s invoices."""\npath = "sac:SUNATRoadTransport"')
    found = {}
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if rel.startswith(_EXEMPT) or re.fullmatch(r"ports/sim\w*\.py", rel):
            continue
        if words := peru_words(path.read_text(encoding="utf-8")):
            found[rel] = words
    assert found == {}, "Peru's words belong in data/jurisdictions/pe.yaml"
