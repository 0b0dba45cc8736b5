"""ISO 6346 container numbers: a wrong check digit is flagged, never a crash."""

from __future__ import annotations

import pytest

from traza.ports.model import container_check, norm


def test_valid_container_number() -> None:
    assert container_check("CSQU3054383") == ("CSQU3054383", True)
    assert container_check(" csqu 305438 3 ") == ("CSQU3054383", True)


def test_wrong_check_digit_is_flagged() -> None:
    assert container_check("CSQU3054384") == ("CSQU3054384", False)


@pytest.mark.parametrize("raw", ["", "X", "12345678901", "ABCU12345", "ÑÑÑU1234567", "CSQU30543833"])
def test_garbage_never_raises(raw: str) -> None:
    number, ok = container_check(raw)
    assert ok is False
    assert isinstance(number, str)


def test_norm() -> None:
    assert norm("  fantasma   bv ") == "FANTASMA BV"
    assert norm(None) == ""
