"""The one reading of outside text: NFKC, invisible characters gone, controls refused."""

from __future__ import annotations

import pytest

from traza.core.text import BadText, clean_identifier, clean_text, header_name


def test_header_with_bom_and_space_reads_as_the_plain_name() -> None:
    assert header_name("\ufeff declarant_ruc") == "declarant_ruc"
    assert header_name("declarant\u200b_ruc ") == "declarant_ruc"
    assert header_name("ＤＥＣＬＡＲＡＮＴ_ＲＵＣ") == "declarant_ruc"


def test_full_width_digits_become_ascii_and_other_scripts_are_refused() -> None:
    assert clean_identifier("２００３４８５５２４３", "ruc") == "20034855243"
    with pytest.raises(BadText, match="ruc: contains U\\+0663 ARABIC-INDIC DIGIT THREE"):
        clean_identifier("2003485524\u0663", "ruc")


@pytest.mark.parametrize("bad", ["a\x00b", "a\x1bb", "a\x85b", "a\nb"])
def test_control_characters_are_refused_naming_the_field(bad: str) -> None:
    with pytest.raises(BadText) as err:
        clean_text(bad, "username")
    assert err.value.field == "username" and "control character" in err.value.reason


def test_multiline_text_keeps_line_breaks_but_not_nul() -> None:
    assert clean_text("line one\r\nline two\tend", "note", multiline=True) == "line one\r\nline two\tend"
    with pytest.raises(BadText, match="NUL"):
        clean_text("a\x00", "note", multiline=True)


def test_length_is_counted_after_normalising() -> None:
    assert clean_text("x" * 10, "f", max_length=10) == "x" * 10
    with pytest.raises(BadText, match="expected at most 10"):
        clean_text("x" * 11, "f", max_length=10)


@pytest.mark.parametrize("styled", ["1²5", "𝟏𝟐𝟓", "①25", "12₅"])
def test_a_styled_digit_in_a_number_or_an_identifier_is_refused(styled: str) -> None:
    # NFKC would read each as 125: a quantity, or a RUC, nobody typed.
    with pytest.raises(BadText, match="a digit written styled"):
        clean_text(styled, "quantity")
    with pytest.raises(BadText, match="a digit written styled"):
        clean_identifier("2010006660" + styled, "ruc")
    # In words a styled digit is text (a formula in a description), and full-width digits are
    # what an East Asian keyboard types: both read as before.
    assert clean_text("ácido H₂SO₄ al 98 %", "description") == "ácido H2SO4 al 98 %"
    assert clean_text("１２５", "quantity") == "125"
