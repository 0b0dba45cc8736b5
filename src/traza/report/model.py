"""What a report is made of. Sections fill these; the renderers only lay them out, so the
HTML, Markdown and PDF show the same numbers with the same sources."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class Figure:
    """One number of the report: its value for the month, and where asked the year to date
    and the same period of the previous year; the query that gave it and its records' link."""

    key: str
    label: str
    value: float | None
    text: str  # the value formatted in the report's language, with its unit
    unit: str = ""
    query: str = ""
    link: str | None = None
    ytd: float | None = None
    ytd_text: str = ""
    prev_ytd: float | None = None
    prev_ytd_text: str = ""
    change_text: str = ""  # year to date against the previous year's, as a percentage

    @property
    def has_ytd(self) -> bool:
        return bool(self.ytd_text)


@dataclass(frozen=True)
class Cell:
    text: str
    link: str | None = None
    numeric: bool = False


@dataclass(frozen=True)
class Table:
    key: str
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]  # the first cell of a row is its header
    query: str


@dataclass(frozen=True)
class Visual:
    """A chart or a map: standalone SVG, its alternative text, the records behind it."""

    key: str
    title: str
    alt: str
    svg: str
    query: str
    link: str | None = None


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    narrative: str
    figures: tuple[Figure, ...] = ()
    tables: tuple[Table, ...] = ()
    visuals: tuple[Visual, ...] = ()
    headline: tuple[str, ...] = ()  # keys of the figures the summary repeats
    notes: tuple[str, ...] = ()

    def figure(self, key: str) -> Figure:
        for f in self.figures:
            if f.key == key:
                return f
        raise KeyError(key)


@dataclass(frozen=True)
class Report:
    month: date
    lang: str
    title: str
    period: str  # "abril de 2005", with the cut-off day when the data stop earlier
    generated_at: datetime
    base_url: str
    labels: dict[str, str]
    sections: tuple[Section, ...] = field(default=())

    def sources(self) -> list[tuple[str, str, str, str | None]]:
        """(section, what, query, link) for every figure, table and picture, in order."""
        out: list[tuple[str, str, str, str | None]] = []
        for s in self.sections:
            for f in s.figures:
                if f.query:
                    out.append((s.title, f.label, f.query, f.link))
            for t in s.tables:
                out.append((s.title, t.caption, t.query, None))
            for v in s.visuals:
                out.append((s.title, v.title, v.query, v.link))
        return out
