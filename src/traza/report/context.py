"""What every section gets: the database, the periods of the month, the language, number
formatting, links into the web UI, and helpers that keep each figure's query beside it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any
from urllib.parse import urlencode

from traza.report.model import Cell, Figure, Table
from traza.report.numbers import Numbers
from traza.report.records import RecordList
from traza.store.db import Database

Texts = Mapping[str, Mapping[str, str]]


def month_start(value: str) -> date:
    """``YYYY-MM`` to the first day of that month, or a ValueError that says what was expected."""
    try:
        year, month = value.split("-")
        return date(int(year), int(month), 1)
    except ValueError:
        raise ValueError(f"--month {value!r}: expected YYYY-MM, e.g. 2005-04") from None


def _add_months(d: date, n: int) -> date:
    m = d.month - 1 + n
    return date(d.year + m // 12, m % 12 + 1, 1)


def literal(value: Any) -> str:
    """A bound value as SQL text, for the queries printed beside the figures."""
    if value is None:
        return "NULL"
    if isinstance(value, datetime):
        return f"TIMESTAMP '{value.isoformat(sep=' ')}'"
    if isinstance(value, date):
        return f"DATE '{value.isoformat()}'"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def show_sql(sql: str, params: Sequence[Any]) -> str:
    """The query with its parameters written in, so a reader can run it as printed."""
    parts = sql.split("?")
    if len(parts) - 1 != len(params):
        raise ValueError(f"{len(parts) - 1} placeholders for {len(params)} values in: {sql}")
    out = parts[0]
    for value, rest in zip(params, parts[1:], strict=True):
        out += literal(value) + rest
    return " ".join(out.split())


@dataclass
class Context:
    db: Database
    month: date  # first day of the reported month
    lang: str
    base_url: str = ""
    seedbed_m2_per_ha: float = 15.0  # docs/principles.md: a convention, kept configurable
    until: date | None = None  # last day with data ("as of April 28"); default the month's end

    @cached_property
    def n(self) -> Numbers:
        return Numbers(self.lang)

    # The periods: the month, the year to its end, and the same stretch a year earlier.
    @property
    def start(self) -> date:
        return self.month

    @property
    def end(self) -> date:  # exclusive
        month_end = _add_months(self.month, 1)
        return min(self.until + timedelta(days=1), month_end) if self.until else month_end

    @property
    def ytd_start(self) -> date:
        return date(self.month.year, 1, 1)

    @property
    def prev_start(self) -> date:
        return date(self.month.year - 1, 1, 1)

    @property
    def prev_end(self) -> date:
        """The same stretch a year earlier ends on the same day of the year (Feb 29 -> Mar 1)."""
        end = self.end
        try:
            return end.replace(year=end.year - 1)
        except ValueError:
            return date(end.year - 1, 3, 1)

    @property
    def periods(self) -> dict[str, tuple[date, date]]:
        return {"month": (self.start, self.end), "ytd": (self.ytd_start, self.end),
                "prev": (self.prev_start, self.prev_end)}

    def t(self, texts: Texts, key: str, **values: Any) -> str:
        return texts[self.lang][key].format(**values)

    def has(self, *tables: str) -> bool:
        return all(self.db.table_exists(t) for t in tables)

    def link(self, path: str, **filters: Any) -> str:
        query = urlencode({k: (v.isoformat() if isinstance(v, date) else v)
                           for k, v in filters.items() if v not in (None, "")})
        return f"{self.base_url.rstrip('/')}{path}" + (f"?{query}" if query else "")

    def period_link(self, path: str, period: str = "month", **filters: Any) -> str:
        lo, hi = self.periods[period]
        return self.link(path, **filters, **{"from": lo, "to": date.fromordinal(hi.toordinal() - 1)})

    def field_link(self, what: str, period: str = "month", **filters: Any) -> str:
        """The web UI's list of the field records a figure counts (``/records/field-plots``...,
        :mod:`traza.report.records`) over the period, with the filters; the goals are on the field
        page of the month (``/field?month=``), which tallies the month against them."""
        if what == "goals":
            return self.link("/field", month=f"{self.month:%Y-%m}")
        return self.period_link(f"/records/field-{what}", period, **filters)

    def value(self, sql: str, params: Sequence[Any]) -> float:
        v = self.db.scalar(sql, params)
        return float(v or 0)

    def measure(self, key: str, label: str, sql: str, *, unit: str = "", decimals: int = 0,
                link: str | None = None, extra: Sequence[Any] = (), ytd: bool = True) -> Figure:
        """A figure from a query with two leading placeholders, the period's first day and the
        day after its last (``>= ? AND < ?``), followed by ``extra`` values. It runs for the
        month and, when ``ytd``, for the year to date and the previous year's same stretch."""
        v = self.value(sql, (self.start, self.end, *extra))
        query = show_sql(sql, (self.start, self.end, *extra))
        fig = Figure(key, label, v, self.fmt(v, unit, decimals), unit, query, link)
        if not ytd:
            return fig
        y = self.value(sql, (self.ytd_start, self.end, *extra))
        p = self.value(sql, (self.prev_start, self.prev_end, *extra))
        change = self.n.pct((y - p) / p) if p else ""
        if change and not change.startswith("-"):
            change = "+" + change
        return Figure(key, label, v, fig.text, unit, query, link, y, self.fmt(y, unit, decimals), p,
                      self.fmt(p, unit, decimals), change)

    def listed(self, key: str, label: str, records: RecordList, what: str | None = None, *, unit: str = "",
               decimals: int = 0, **filters: str) -> Figure:
        """A figure over a record list's rows (``what``, an aggregate: their count by default) in
        each period, linked to the list with the same filters: the figure and the page it opens
        are one FROM and WHERE, so they cannot disagree."""
        sql, extra = records.figure(what or records.count, **filters)
        return self.measure(key, label, sql, unit=unit, decimals=decimals, extra=extra,
                            link=self.period_link(records.path, **filters))

    def fixed(self, key: str, label: str, value: float | None, sql: str, params: Sequence[Any], *,
              unit: str = "", decimals: int = 0, link: str | None = None) -> Figure:
        """A figure computed elsewhere (a ratio, a conversion) from the stated query."""
        return Figure(key, label, value, self.fmt(value, unit, decimals), unit, show_sql(sql, params), link)

    def fmt(self, value: float | None, unit: str = "", decimals: int = 0) -> str:
        if unit == "%":
            return self.n.pct(value, decimals or 1)
        text = self.n.num(value, decimals)
        return f"{text}\u00a0{unit}" if unit else text

    def rows(self, sql: str, params: Sequence[Any]) -> tuple[list[dict[str, Any]], str]:
        return self.db.dicts(sql, params), show_sql(sql, params)

    def table(self, key: str, caption: str, columns: Sequence[str], rows: Sequence[Sequence[Cell]],
              query: str) -> Table:
        return Table(key, caption, tuple(columns), tuple(tuple(r) for r in rows), query)

    def cell(self, value: float | None, unit: str = "", decimals: int = 0, link: str | None = None) -> Cell:
        return Cell(self.fmt(value, unit, decimals), link, True)
