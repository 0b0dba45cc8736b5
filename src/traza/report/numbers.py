"""Numbers, percentages and dates in each language's conventions (CLDR via babel).

CLDR's Spanish does not group four-digit numbers (``minimumGroupingDigits`` is 2, so 1305),
but the program's reports write 1.305 like every larger number: patterns applied directly
group from four digits in both languages (1.305 and 1,305).
"""

from __future__ import annotations

from datetime import date

from babel.dates import format_date
from babel.numbers import parse_pattern

LANGS = ("es", "en")


class Numbers:
    def __init__(self, lang: str) -> None:
        if lang not in LANGS:
            raise ValueError(f"language must be one of {', '.join(LANGS)}, not {lang!r}")
        self.lang = lang

    def num(self, value: float | int | None, decimals: int = 0) -> str:
        if value is None:
            return "–"
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        return str(parse_pattern(pattern).apply(value, self.lang))

    def pct(self, ratio: float | None, decimals: int = 1) -> str:
        """A ratio (0.123) as a percentage: 12,3 % in Spanish, 12.3% in English."""
        if ratio is None:
            return "–"
        sep = "\u00a0" if self.lang == "es" else ""
        return f"{self.num(ratio * 100, decimals)}{sep}%"

    def month(self, day: date) -> str:
        return str(format_date(day, "MMMM 'de' y" if self.lang == "es" else "MMMM y", locale=self.lang))

    def day(self, day: date) -> str:
        return str(format_date(day, "d 'de' MMMM 'de' y" if self.lang == "es" else "d MMMM y", locale=self.lang))
