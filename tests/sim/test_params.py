from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from traza.sim.params import Calendar, SimParams, from_day, operators_for, to_day


def test_calendar_ends_with_the_month_of_end() -> None:
    cal = Calendar(date(2026, 10, 31), 3)
    assert [from_day(int(d)) for d in cal.month_starts] == [
        date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)]
    assert list(cal.month_lengths) == [31, 30, 31]
    assert list(cal.month_of_year) == [7, 8, 9]
    assert cal.end_day == to_day(date(2026, 10, 31))


def test_calendar_stops_at_an_end_inside_a_month() -> None:
    cal = Calendar(date(2024, 2, 10), 2)
    assert from_day(cal.start_day) == date(2024, 1, 1)
    assert list(cal.month_lengths) == [31, 10]
    days = np.asarray([cal.start_day - 1, cal.start_day, to_day(date(2024, 2, 10))])
    assert list(cal.month_of(days)) == [-1, 0, 1]


def test_calendar_crosses_years() -> None:
    cal = Calendar(date(2025, 2, 28), 4)
    assert from_day(cal.start_day) == date(2024, 11, 1)
    assert cal.years == [2024, 2025]


@pytest.mark.parametrize("kwargs", [{"operators": 10}, {"months": 0}, {"dirty_rate": 0.7}, {"schemes": -1}])
def test_bad_parameters_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        SimParams(**kwargs)  # type: ignore[arg-type]


def test_operators_for_scales_with_rows_and_months() -> None:
    assert operators_for(10_000_000, 36) > 10 * operators_for(1_000_000, 36) * 0.9
    assert abs(operators_for(1_000_000, 12) - 3 * operators_for(1_000_000, 36)) <= 2
    assert operators_for(10, 36) == 60
