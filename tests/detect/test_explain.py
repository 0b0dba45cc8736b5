"""Explanations: numbers in each language's format, templates filled from a finding (pure)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from traza.detect.catalogue import default_rules
from traza.detect.explain import explain, number


@pytest.mark.parametrize(("value", "decimals", "es", "en"), [
    (1305.5, 1, "1.305,5", "1,305.5"),
    (1305.5, 0, "1.306", "1,306"),
    (1_234_567.891, 2, "1.234.567,89", "1,234,567.89"),
    (-2500, 0, "-2.500", "-2,500"),
    (0.25, 2, "0,25", "0.25"),
    (999, 0, "999", "999"),
])
def test_numbers_in_spanish_and_english(value: float, decimals: int, es: str, en: str) -> None:
    assert number(value, "es", decimals) == es
    assert number(value, "en", decimals) == en


def test_a_missing_number_is_a_dash() -> None:
    assert number(None, "es") == number(None, "en") == "-"


FINDING: dict[str, Any] = {
    "ruc": "20000000010", "chemical": "sulfuric_acid", "period_start": date(2025, 1, 5),
    "period_end": date(2025, 3, 31), "observed": 11305.5, "baseline": 10000.0, "strength": 1.13055,
    "detail": "2025", "evidence": [3, 5, 8],
}


def test_template_fields_in_spanish() -> None:
    text = explain("{observed} kg de {chemical} ({period}), cuota {baseline} kg, {strength} veces; "
                   "{evidence_count} movimientos; {detail}; tolerancia {p_tolerance}; mínimo {p_min_kg}",
                   "es", FINDING, {"tolerance": 0.05, "min_kg": 1500.0})
    assert text == ("11.306 kg de ácido sulfúrico (2025-01-05 a 2025-03-31), cuota 10.000 kg, 1,1 veces; "
                    "3 movimientos; 2025; tolerancia 0,05; mínimo 1.500")


def test_template_fields_in_english() -> None:
    text = explain("{observed} kg of {chemical} ({period}); {strength} times", "en", FINDING, {})
    assert text == "11,306 kg of sulfuric acid (2025-01-05 to 2025-03-31); 1.1 times"


def test_a_one_day_period_and_unknown_fields() -> None:
    one_day = FINDING | {"period_end": FINDING["period_start"], "chemical": None, "observed": None}
    text = explain("{period} {chemical} {observed} {no_such_field}", "en", one_day, {})
    assert text == "2025-01-05 - - -"


def test_every_rule_explains_a_finding_in_both_languages() -> None:
    for r in default_rules().rules:
        params = {k: p.default for k, p in r.params.items()}
        es = explain(r.explanation.es, "es", FINDING, params)
        en = explain(r.explanation.en, "en", FINDING, params)
        assert "{" not in es + en, r.id
        assert es != en, r.id


def test_a_registry_state_in_the_detail_is_said_in_the_explanations_language() -> None:
    # The detail is part of the alert's id, so it is stored as written; its words are not.
    finding = FINDING | {"detail": "20000000010 > 10524935886 (unregistered)"}
    assert explain("{detail}", "es", finding, {}) == "20000000010 > 10524935886 (no inscrito)"
    assert explain("{detail}", "en", finding, {}) == "20000000010 > 10524935886 (unregistered)"
