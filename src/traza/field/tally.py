"""Tallies of field work, as in CORAH's daily and monthly reports: hectares, plots, average plot
size, seedbeds and hectares if planted, days worked and hectares a day, by day, month and year
to date, against goals, by axis, department and district; incidents and casualties; labs and
seizures. Every figure keeps the ids of the records it sums (``ids``), so any number in a
report can be traced back.

``fetch`` reads the records of one year up to a date; everything else is pure.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from traza.core.geo import default_geography
from traza.field.model import CASUALTY_COLUMNS, SEEDBED_M2_PER_HA, hectares_if_planted
from traza.store.db import Database


@dataclass(frozen=True)
class Records:
    """One year's field records up to ``through`` (dicts of table columns)."""
    year: int
    through: date
    operations: list[dict[str, Any]]
    plots: list[dict[str, Any]]
    seedbeds: list[dict[str, Any]]
    incidents: list[dict[str, Any]]
    labs: list[dict[str, Any]]
    seizures: list[dict[str, Any]]
    goals: list[dict[str, Any]]


@dataclass(frozen=True)
class Figures:
    hectares: float
    plots: int
    avg_plot_ha: float | None
    seedbed_m2: float
    seedbeds: int
    ha_if_planted: float
    days_worked: int
    ha_per_day: float | None
    plot_ids: tuple[str, ...]
    seedbed_ids: tuple[str, ...]


@dataclass(frozen=True)
class Goal:
    goal_id: str
    hectares: float | None
    seedbed_m2: float | None
    achieved_pct: float | None  # hectares eradicated / goal


@dataclass(frozen=True)
class Security:
    incidents: int
    by_type: dict[str, int]
    casualties: dict[str, int]       # police_wounded, ... summed
    aircraft_damaged: int
    eradication_halted: int
    incident_ids: tuple[str, ...]
    labs: int
    labs_destroyed: int
    labs_by_type: dict[str, int]
    lab_ids: tuple[str, ...]
    seizures_kg: dict[str, float]    # by substance
    arrests: int
    weapons: int
    seizure_ids: tuple[str, ...]


@dataclass(frozen=True)
class Tally:
    month_start: date
    through: date
    m2_per_ha: float
    month: Figures
    year_to_date: Figures
    by_day: dict[date, Figures]
    by_axis: dict[str, tuple[Figures, Figures]]        # (month, year to date)
    by_department: dict[str, tuple[Figures, Figures]]
    by_district: dict[str, tuple[Figures, Figures]]
    yearly_goal: Goal | None
    monthly_goal: Goal | None
    security_month: Security
    security_year: Security
    extra: dict[str, Any] = field(default_factory=dict)


def _ids(rows: Iterable[dict[str, Any]], key: str) -> tuple[str, ...]:
    return tuple(sorted(str(r[key]) for r in rows))


def figures(plots: list[dict[str, Any]], seedbeds: list[dict[str, Any]], op_days: Iterable[date] = (),
            m2_per_ha: float = SEEDBED_M2_PER_HA) -> Figures:
    """Sum plots and seedbeds; days worked are the distinct days with an operation, a plot or a
    seedbed."""
    ha = sum(float(p["area_ha"]) for p in plots)
    m2 = sum(float(s["area_m2"]) for s in seedbeds)
    days = {p["date"] for p in plots} | {s["date"] for s in seedbeds} | set(op_days)
    return Figures(
        hectares=round(ha, 4), plots=len(plots), avg_plot_ha=round(ha / len(plots), 4) if plots else None,
        seedbed_m2=round(m2, 2), seedbeds=len(seedbeds), ha_if_planted=round(hectares_if_planted(m2, m2_per_ha), 2),
        days_worked=len(days), ha_per_day=round(ha / len(days), 4) if days else None,
        plot_ids=_ids(plots, "plot_id"), seedbed_ids=_ids(seedbeds, "seedbed_id"))


def security(incidents: list[dict[str, Any]], labs: list[dict[str, Any]], seizures: list[dict[str, Any]]) -> Security:
    by_type: dict[str, int] = {}
    for i in incidents:
        by_type[i["type"]] = by_type.get(i["type"], 0) + 1
    labs_by_type: dict[str, int] = {}
    for lab in labs:
        labs_by_type[lab["type"]] = labs_by_type.get(lab["type"], 0) + 1
    kg: dict[str, float] = {}
    for s in seizures:
        if s.get("quantity_kg") is not None:
            kg[s["substance"]] = round(kg.get(s["substance"], 0.0) + float(s["quantity_kg"]), 3)
    return Security(
        incidents=len(incidents), by_type=by_type,
        casualties={c: sum(int(i[c] or 0) for i in incidents) for c in CASUALTY_COLUMNS},
        aircraft_damaged=sum(int(i["aircraft_damaged"] or 0) for i in incidents),
        eradication_halted=sum(1 for i in incidents if i["eradication_halted"]),
        incident_ids=_ids(incidents, "incident_id"),
        labs=len(labs), labs_destroyed=sum(1 for lab in labs if lab["destroyed"]), labs_by_type=labs_by_type,
        lab_ids=_ids(labs, "lab_id"), seizures_kg=kg,
        arrests=sum(int(s["arrests"] or 0) for s in seizures), weapons=sum(int(s["weapons"] or 0) for s in seizures),
        seizure_ids=_ids(seizures, "seizure_id"))


def _grouped(rec: Records, key: Callable[[dict[str, Any]], str], start: date,
             m2_per_ha: float) -> dict[str, tuple[Figures, Figures]]:
    keys = sorted({key(r) for r in rec.plots + rec.seedbeds})
    out = {}
    for k in keys:
        p = [r for r in rec.plots if key(r) == k]
        s = [r for r in rec.seedbeds if key(r) == k]
        month = figures([r for r in p if r["date"] >= start], [r for r in s if r["date"] >= start], (), m2_per_ha)
        out[k] = (month, figures(p, s, (), m2_per_ha))
    return out


def _goal(goals: list[dict[str, Any]], month: int | None, ha: float) -> Goal | None:
    national = [g for g in goals if g["month"] == month and g["axis"] is None and g["ubigeo"] is None]
    if not national:
        return None
    g = national[-1]
    target = g["hectares"]
    return Goal(str(g["goal_id"]), target, g["seedbed_m2"],
                round(100 * ha / float(target), 1) if target else None)


def tally(rec: Records, month_start: date, m2_per_ha: float = SEEDBED_M2_PER_HA) -> Tally:
    """The month of ``month_start`` up to ``rec.through``, and the year to that day."""
    geo = default_geography()
    ops = {o["operation_id"]: o for o in rec.operations}

    def in_month(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [r for r in rows if r["date"] >= month_start]

    def axis(r: dict[str, Any]) -> str:
        op = ops.get(r.get("operation_id") or "")
        return str(op["axis"]) if op else "-"

    def department(r: dict[str, Any]) -> str:
        d = geo.district(r["ubigeo"])
        return d.department if d else r["ubigeo"][:2]

    op_days = [o["date"] for o in rec.operations]
    month = figures(in_month(rec.plots), in_month(rec.seedbeds), [d for d in op_days if d >= month_start], m2_per_ha)
    ytd = figures(rec.plots, rec.seedbeds, op_days, m2_per_ha)
    days = sorted({r["date"] for r in in_month(rec.plots) + in_month(rec.seedbeds)})
    by_day = {d: figures([p for p in rec.plots if p["date"] == d], [s for s in rec.seedbeds if s["date"] == d],
                         (), m2_per_ha) for d in days}
    return Tally(
        month_start=month_start, through=rec.through, m2_per_ha=m2_per_ha, month=month, year_to_date=ytd,
        by_day=by_day, by_axis=_grouped(rec, axis, month_start, m2_per_ha),
        by_department=_grouped(rec, department, month_start, m2_per_ha),
        by_district=_grouped(rec, lambda r: str(r["ubigeo"]), month_start, m2_per_ha),
        yearly_goal=_goal(rec.goals, None, ytd.hectares), monthly_goal=_goal(rec.goals, month_start.month, month.hectares),
        security_month=security(in_month(rec.incidents), in_month(rec.labs), in_month(rec.seizures)),
        security_year=security(rec.incidents, rec.labs, rec.seizures))


def month_bounds(month: str, through: date | None = None) -> tuple[date, date]:
    """``YYYY-MM`` -> (first day, last day or ``through`` if earlier)."""
    try:
        y, m = (int(x) for x in month.split("-"))
        start = date(y, m, 1)
    except ValueError:
        raise ValueError(f"expected a month YYYY-MM, got {month!r}") from None
    end = date(y, m, calendar.monthrange(y, m)[1])
    if through is not None:
        if not start <= through <= end:
            raise ValueError(f"--through {through} is not in {month}")
        end = through
    return start, end


def fetch(db: Database, year: int, through: date) -> Records:
    """The field records of ``year`` dated up to ``through``."""
    first = date(year, 1, 1)

    def rows(table: str, cols: str) -> list[dict[str, Any]]:
        return db.dicts(f"SELECT {cols} FROM {table} WHERE date >= ? AND date <= ? ORDER BY date", (first, through))

    goals = db.dicts("SELECT goal_id, year, month, axis, ubigeo, hectares, seedbed_m2 FROM field_goals "
                     "WHERE year = ? ORDER BY submission_id", (year,))
    return Records(
        year, through,
        rows("field_operations", "operation_id, date, axis, ubigeo, modality"),
        rows("field_plots", "plot_id, operation_id, date, ubigeo, area_ha"),
        rows("field_seedbeds", "seedbed_id, operation_id, date, ubigeo, area_m2"),
        rows("field_incidents", "*"),
        rows("field_labs", "lab_id, date, ubigeo, type, destroyed"),
        rows("field_seizures", "seizure_id, date, ubigeo, substance, quantity_kg, arrests, weapons"),
        goals)


def tally_month(db: Database, month: str, through: date | None = None,
                m2_per_ha: float = SEEDBED_M2_PER_HA) -> Tally:
    start, end = month_bounds(month, through)
    return tally(fetch(db, start.year, end), start, m2_per_ha)
