"""Parameters of a simulation and the calendar they imply.

Days are counted as in Arrow's ``date32``: days since 1970-01-01. Every date the simulator
handles is such an integer, so dates vectorise with numpy and are written without Python
``date`` objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import numpy as np

EPOCH = date(1970, 1, 1)
# A fixed default keeps "same seed, same bytes" true on any day the command runs; it is the
# last full month before the simulator was written, so no date lands in the future.
DEFAULT_END = date(2026, 10, 31)


def to_day(d: date) -> int:
    return (d - EPOCH).days


def from_day(day: int) -> date:
    return date.fromordinal(EPOCH.toordinal() + int(day))


# Honest-behaviour profiles a country can be simulated with, on top of the default trade:
# "restocking": half the distributors restock each delivery from whichever importer or
# producer has stock, rather than from one supplier per chemical; "multi_sourcing": a third
# of the end users' regular purchases are split between two to four distributors. The rest
# (traza.sim.honest, written without reading the detection rules): "growth", a fifth of the
# operators grow 30-80 % a year; "seasonal", much stronger seasons; "late_filers", a quarter
# file each month's movements in one batch weeks later; "large_miners", a handful of mines
# 5-20 times the sector's size; "cooperatives", farm cooperatives selling on to members.
HONEST_PROFILES = ("restocking", "multi_sourcing", "growth", "seasonal", "late_filers", "large_miners",
                   "cooperatives")


@dataclass(frozen=True)
class Calendar:
    """The simulated months: ``months`` whole months ending with the month of ``end``."""

    end: date
    months: int

    @cached_property
    def month_starts(self) -> np.ndarray:
        """First day of each simulated month, plus the day after the last one (M + 1 values)."""
        last = self.end.year * 12 + self.end.month - 1  # months since year 0, 0-based
        firsts = [
            to_day(date(k // 12, k % 12 + 1, 1)) for k in range(last - self.months + 1, last + 2)
        ]
        return np.asarray(firsts, dtype=np.int32)

    @property
    def start_day(self) -> int:
        return int(self.month_starts[0])

    @property
    def end_day(self) -> int:
        """Last simulated day: ``end`` itself, which may fall before the end of its month."""
        return to_day(self.end)

    @cached_property
    def month_lengths(self) -> np.ndarray:
        lengths = np.diff(self.month_starts).astype(np.int32)
        lengths[-1] = self.end_day - int(self.month_starts[-2]) + 1
        return lengths

    @cached_property
    def month_of_year(self) -> np.ndarray:
        """0 = January, for each simulated month."""
        return np.asarray([from_day(d).month - 1 for d in self.month_starts[:-1]], dtype=np.int8)

    @cached_property
    def years(self) -> list[int]:
        return sorted({from_day(d).year for d in self.month_starts[:-1]})

    def month_of(self, days: np.ndarray) -> np.ndarray:
        """Index of the simulated month of each day (-1 before the period, M after it)."""
        return (np.searchsorted(self.month_starts, days, side="right") - 1).astype(np.int32)


@dataclass(frozen=True)
class SimParams:
    operators: int = 1000
    months: int = 36
    seed: int = 0
    schemes: int = 24
    dirty_rate: float = 0.0
    end: date = DEFAULT_END
    scheme_options: dict[str, str] = field(default_factory=dict)
    # Honest behaviour that varies independently of the planted schemes (HONEST_PROFILES).
    honest: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        unknown = sorted(set(self.honest) - set(HONEST_PROFILES))
        if unknown:
            raise ValueError(f"unknown honest profile {unknown[0]!r}: expected one of {', '.join(HONEST_PROFILES)}")
        if self.operators < 60:
            raise ValueError("at least 60 operators are needed for a supply chain with every sector")
        if not 1 <= self.months <= 240:
            raise ValueError("months must be between 1 and 240")
        if self.schemes < 0:
            raise ValueError("schemes cannot be negative")
        if self.schemes and self.months < 4:  # a scheme's buying and reselling span several months
            raise ValueError("planted schemes need at least 4 months (--months 4, or --schemes 0)")
        if not 0.0 <= self.dirty_rate < 0.5:
            raise ValueError("dirty rate must be in [0, 0.5)")

    @cached_property
    def calendar(self) -> Calendar:
        return Calendar(self.end, self.months)

    def as_dict(self) -> dict[str, object]:
        return {
            "operators": self.operators, "months": self.months, "seed": self.seed,
            "schemes": self.schemes, "dirty_rate": self.dirty_rate, "end": self.end.isoformat(),
            "start": from_day(self.calendar.start_day).isoformat(),
        } | ({"honest": list(self.honest)} if self.honest else {})


# Movements per operator-month, measured on the default sector mix (benchmarks/simulate.py
# prints the real figure); used to choose operator counts for a target size.
ROWS_PER_OPERATOR_MONTH = 16.0


def operators_for(rows: int, months: int) -> int:
    """Operators needed for about ``rows`` movements over ``months`` months."""
    return max(60, round(rows / (ROWS_PER_OPERATOR_MONTH * months)))
