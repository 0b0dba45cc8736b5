from __future__ import annotations

from tests.factories import invalid_ruc, make_ruc
from traza.core.identifiers import country_codes, establishment_problem, ruc_problem


def test_ruc() -> None:
    assert ruc_problem(make_ruc(42)) is None
    assert ruc_problem("20100070970") is None
    assert "check digit" in (ruc_problem(invalid_ruc()) or "")
    assert "11 digits" in (ruc_problem("123") or "")
    assert ruc_problem("") == "a RUC is required"


def test_establishment_and_countries() -> None:
    assert establishment_problem("0000") is None
    assert establishment_problem("12") is not None
    assert {"PE", "CN", "US"} <= country_codes() and "XX" not in country_codes()
