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


def test_only_ascii_digits_are_a_ruc() -> None:
    # python-stdnum maps full-width digits to ASCII before validating, so the raw string
    # passed and was stored: a second operator identical to the eye (issue 16, finding 7).
    good = make_ruc(42)
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in good)
    arabic = "".join(chr(ord(c) - ord("0") + 0x0660) for c in good)
    assert "ASCII digits" in (ruc_problem(full_width) or "")
    assert "ASCII digits" in (ruc_problem(arabic) or "")
    assert "ASCII digits" in (ruc_problem(good[:2] + "-" + good[2:]) or "")
    assert establishment_problem("\u0660\u0660\u0660\u0660") is not None
    # The reading at the edge: NFKC, then ASCII only (imported here: main lacks it).
    from traza.core.identifiers import normalise_ruc
    from traza.core.text import BadText

    assert normalise_ruc(full_width) == good
    try:
        normalise_ruc(arabic)
    except BadText as exc:
        assert exc.field == "ruc" and "ASCII" in exc.reason
    else:
        raise AssertionError("Arabic-Indic digits were taken as a RUC")
